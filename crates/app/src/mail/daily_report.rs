//! The daily report: what happened and what is due, sent to the people the settings name.

use crate::mail::templates::{date, money, Table, DAILY_REPORT};
use crate::mail::{json, templates, words};
use crate::{App, AppError, AppResult};
use chrono::{Duration, NaiveDate};
use encaisse_domain::collections::PromiseStatus;
use encaisse_domain::format_amount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DailyReport {
    pub as_of: NaiveDate,
    pub yesterday: NaiveDate,
    /// Credits posted yesterday outside the sales journals (payments received).
    pub collections: String,
    pub collections_count: u32,
    pub agenda_count: u32,
    /// Open amount of the agenda's invoices.
    pub agenda_amount: String,
    pub broken_promises: u32,
    pub new_disputes: u32,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Who it was sent to (empty when only computed).
    pub sent_to: Vec<String>,
    /// The collector whose portfolio it covers (login); absent: the whole team's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub collector: Option<String>,
}

impl App {
    /// The daily report as of a day: yesterday's collections, the day's agenda, promises broken yesterday,
    /// disputes opened yesterday.
    pub fn daily_report(&self, as_of: Option<NaiveDate>) -> AppResult<DailyReport> {
        self.daily_report_of(as_of, None)
    }

    /// The daily report of one collector's portfolio (their customers' collections, agenda, broken promises and
    /// new disputes), or the whole team's (`None`).
    pub fn daily_report_of(
        &self,
        as_of: Option<NaiveDate>,
        collector: Option<&str>,
    ) -> AppResult<DailyReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let yesterday = as_of - Duration::days(1);
        let sender = self.sender(None)?;
        let lang = sender.lang.clone();
        let fr = lang == "fr";
        let collector = collector.map(str::trim).filter(|c| !c.is_empty());
        // The customers of the portfolio; None: everybody's.
        let theirs: Option<HashSet<String>> = match collector {
            None => None,
            Some(login) => {
                let store = self.store();
                let portfolio = crate::workflow::Portfolio::load(&store)?;
                Some(
                    store
                        .customers()?
                        .into_iter()
                        .filter(|c| portfolio.collector_of(c) == Some(login))
                        .map(|c| c.key)
                        .collect(),
                )
            }
        };
        let ours = |key: &str| theirs.as_ref().is_none_or(|set| set.contains(key));
        let agenda = match collector {
            None => self.agenda_view(Some(as_of))?,
            Some(login) => self.agenda_for(
                Some(as_of),
                Some(crate::workflow::PortfolioScope::Collector(login.to_string())),
            )?,
        };
        let promises = self.check_promises(Some(as_of), false)?;
        let disputes = self.disputes_board(Some(as_of))?;
        let (collections, collections_count) = {
            let store = self.store();
            let book = self.book(&store)?;
            let ledger: Vec<_> = book
                .at(yesterday)
                .iter()
                .filter(|c| ours(&c.customer.key))
                .collect();
            let sales: HashSet<&str> = ledger
                .iter()
                .flat_map(|c| c.lines.iter())
                .filter(|l| l.is_debit())
                .map(|l| l.journal.as_str())
                .collect();
            let paid: Vec<Decimal> = ledger
                .iter()
                .flat_map(|c| c.lines.iter())
                .filter(|l| {
                    l.amount < Decimal::ZERO
                        && l.entry_date == yesterday
                        && !sales.contains(l.journal.as_str())
                })
                .map(|l| -l.amount)
                .collect();
            (paid.iter().sum::<Decimal>(), paid.len())
        };
        let amount = |s: &str| crate::workflow::parse_amount("amount", s).map(|d| money(d, &lang));
        let agenda_total: Decimal = agenda
            .items
            .iter()
            .map(|i| crate::workflow::parse_amount("amount", &i.action.amount))
            .sum::<AppResult<Decimal>>()?;
        let mut agenda_table = Table {
            headers: if fr {
                ["Client", "Nom", "Étape", "Canal", "Factures", "Montant"]
            } else {
                ["Customer", "Name", "Step", "Channel", "Invoices", "Amount"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, false, false, true, true],
            rows: Vec::new(),
        };
        for i in &agenda.items {
            agenda_table.rows.push(vec![
                i.action.customer.clone(),
                i.name.clone(),
                words::step_text(&i.action.step, fr),
                words::channels_text(&i.action.channel, fr),
                i.action.invoices.len().to_string(),
                amount(&i.action.amount)?,
            ]);
        }
        let broken: Vec<_> = promises
            .promises
            .iter()
            .filter(|p| p.status == PromiseStatus::Broken && p.deadline == yesterday && ours(&p.customer))
            .collect();
        let mut broken_table = Table {
            headers: if fr {
                ["Client", "Promis pour le", "Montant", "Factures"]
            } else {
                ["Customer", "Promised for", "Amount", "Invoices"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, true, false],
            rows: Vec::new(),
        };
        for p in &broken {
            broken_table.rows.push(vec![
                p.customer.clone(),
                date(p.date),
                amount(&p.amount)?,
                p.invoices.join(", "),
            ]);
        }
        let new_disputes: Vec<_> = disputes
            .disputes
            .iter()
            .filter(|d| d.opened_on == yesterday && ours(&d.customer))
            .collect();
        let mut disputes_table = Table {
            headers: if fr {
                ["Client", "Motif", "Service", "Montant", "Factures"]
            } else {
                ["Customer", "Kind", "Department", "Amount", "Invoices"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, false, true, false],
            rows: Vec::new(),
        };
        for d in &new_disputes {
            disputes_table.rows.push(vec![
                d.customer.clone(),
                words::dispute_kind(d.kind, fr).to_string(),
                words::department(d.department, fr).to_string(),
                amount(&d.amount)?,
                d.invoices.join(", "),
            ]);
        }
        let mut ctx = sender.context(as_of);
        ctx.set("yesterday", date(yesterday))
            .set("collections_total", money(collections, &lang))
            .set("collections_count", collections_count)
            .set("agenda_count", agenda.items.len())
            .set("agenda_amount", money(agenda_total, &lang))
            .set("broken_count", broken.len())
            .set("disputes_count", new_disputes.len())
            .set_table("agenda_table", agenda_table)
            .set_table("broken_table", broken_table)
            .set_table("disputes_table", disputes_table);
        let (t, _) = self.template(DAILY_REPORT, &lang)?;
        let r = templates::render(&t, &ctx)
            .map_err(|e| AppError::InvalidInput(format!("template {DAILY_REPORT}: {e}")))?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let subject = match collector {
            None => r.subject,
            Some(login) => {
                let name = self.names(&self.store())?.of(login);
                format!(
                    "{} — {} {name}",
                    r.subject,
                    if fr { "portefeuille de" } else { "portfolio of" }
                )
            }
        };
        Ok(DailyReport {
            as_of,
            yesterday,
            collections: format_amount(collections),
            collections_count: count(collections_count),
            agenda_count: count(agenda.items.len()),
            agenda_amount: format_amount(agenda_total),
            broken_promises: count(broken.len()),
            new_disputes: count(new_disputes.len()),
            subject,
            text: r.text,
            html: r.html,
            sent_to: Vec::new(),
            collector: collector.map(str::to_string),
        })
    }

    /// The daily report, emailed to the recipients of the mail settings (each recorded in the audit trail).
    pub fn send_daily_report(&self, as_of: Option<NaiveDate>, user: &str) -> AppResult<DailyReport> {
        self.send_daily_report_of(as_of, user, None, &[])
    }

    /// The daily report of a collector's portfolio (or the team's), emailed to `to` when given (the collector's
    /// own address), else to the recipients of the mail settings.
    pub fn send_daily_report_of(
        &self,
        as_of: Option<NaiveDate>,
        user: &str,
        collector: Option<&str>,
        to: &[String],
    ) -> AppResult<DailyReport> {
        let mut report = self.daily_report_of(as_of, collector)?;
        let sender = self.sender(None)?;
        let recipients: Vec<String> = if to.is_empty() {
            sender.mail.report_recipients.clone()
        } else {
            to.iter().map(|t| t.trim().to_string()).collect()
        };
        if recipients.is_empty() {
            return Err(AppError::InvalidInput(
                "no recipient for the daily report: add them in the email settings".into(),
            ));
        }
        let mailer = self.mailer(&sender.smtp)?;
        let r = templates::Rendered {
            subject: report.subject.clone(),
            text: report.text.clone(),
            html: report.html.clone(),
        };
        let mut errors = Vec::new();
        for to in &recipients {
            let result = mailer.send(&sender.outgoing(to, None, &r)).map(|_| ());
            let after = json(
                &serde_json::json!({"recipient": to, "subject": r.subject, "collector": collector, "error": result.as_ref().err().map(|e| e.to_string())}),
            );
            self.audit(
                user,
                "daily_report",
                &report.as_of.to_string(),
                if result.is_ok() { "sent" } else { "failed" },
                None,
                Some(after),
            )?;
            match result {
                Ok(()) => report.sent_to.push(to.clone()),
                Err(e) => errors.push(format!("{to}: {e}")),
            }
        }
        if report.sent_to.is_empty() {
            return Err(AppError::Mail(errors.join("; ")));
        }
        Ok(report)
    }
}
