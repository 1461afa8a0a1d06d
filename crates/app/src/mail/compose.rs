//! Composing a customer's message from a template, and the previews (a customer's message, a draft template).

use crate::mail::settings::EmailTemplateInput;
use crate::mail::templates::{
    date, invoice_table, money, Context, InvoiceLine, Table, Template, DAILY_REPORT, THANK_YOU,
};
use crate::mail::{templates, Sender};
use crate::workflow::AgendaItem;
use crate::{App, AppError, AppResult};
use chrono::{Duration, NaiveDate};
use encaisse_domain::format_amount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What to preview: a customer's message from a template (the step of its action on the agenda by default), as
/// of a day; `subject`/`body` preview an unsaved version of the template.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRequest {
    pub customer: String,
    pub template: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub lang: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailPreview {
    pub customer: String,
    pub name: String,
    pub template: String,
    pub lang: String,
    /// The agenda step this message carries out, when the customer has that action that day.
    pub step: Option<String>,
    /// The customer's address; none: it cannot be sent.
    pub to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub invoices: Vec<String>,
    /// What is left to pay on the listed invoices (paid, for a thank-you).
    pub total: String,
    /// The placeholders the template can use.
    pub placeholders: Vec<String>,
}

/// A message composed for a customer.
pub(crate) struct Composed {
    pub(crate) customer: String,
    pub(crate) name: String,
    pub(crate) to: Option<String>,
    pub(crate) template: String,
    pub(crate) lang: String,
    pub(crate) step: Option<String>,
    pub(crate) invoices: Vec<String>,
    pub(crate) total: Decimal,
    pub(crate) rendered: templates::Rendered,
    pub(crate) placeholders: Vec<String>,
    /// The customer's creditor reference ("RF…", compact) when the message gives it (`{{ reference_paiement }}`):
    /// recorded on the action when sent.
    pub(crate) payment_reference: Option<String>,
}

/// What [`App::due_keys`] finds for a message.
pub(crate) struct DueKeys {
    overdue_total: Decimal,
    not_due_total: Decimal,
    previous_reminder: bool,
    deadline_days: u32,
    terms: String,
}

/// The fictional customer of the template editor's preview: its name needs HTML escaping.
pub const SAMPLE_CUSTOMER: &str = "Dupont & Fils <SARL>";

pub(crate) fn sample_lines(as_of: NaiveDate, lang: &str) -> Vec<InvoiceLine> {
    [("F2026-0012", 45, 120_000), ("F2026-0031 \"B\"", 20, 66_000)]
        .into_iter()
        .map(|(number, late, cents)| {
            let due = as_of - Duration::days(late);
            InvoiceLine {
                number: number.to_string(),
                invoice_date: date(due - Duration::days(30)),
                due_date: date(due),
                amount: money(Decimal::new(cents, 2), lang),
                residual: money(Decimal::new(cents, 2), lang),
                days_late: late,
            }
        })
        .collect()
}

/// The invoices of a message split in two: those past due (the invoice table) and those not yet due, in their own
/// table ("À échoir") and never called unpaid; with nothing past due (a pre-reminder) every invoice is in the
/// invoice table.
pub(crate) fn split_due(lines: Vec<InvoiceLine>) -> (Vec<InvoiceLine>, Vec<InvoiceLine>) {
    let (overdue, not_due): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.days_late > 0);
    if overdue.is_empty() {
        (not_due, Vec::new())
    } else {
        (overdue, not_due)
    }
}

/// The keys of the reminders: what is overdue and what is coming due, whether a reminder was sent before, the
/// deadline, what the debtor's kind allows to claim.
pub(crate) fn set_due_keys(ctx: &mut Context, not_due: &[InvoiceLine], keys: DueKeys, lang: &str) {
    ctx.set("overdue_total", money(keys.overdue_total, lang))
        .set("not_due_count", not_due.len())
        .set("not_due_total", money(keys.not_due_total, lang))
        .set("previous_reminder", keys.previous_reminder)
        .set("deadline_days", keys.deadline_days)
        .set("late_payment_terms", keys.terms)
        .set_table("not_due_table", invoice_table(not_due, lang));
}

/// What a reminder says the debtor owes for paying late, by its kind: a professional the penalty rate in force
/// (ECB + 10 points, or the contractual rate) and EUR 40 per invoice (L441-10, D441-5); a public body ECB + 8 points
/// and EUR 40 (Code de la commande publique L2192-13, R2192-31, D2192-35); a private person neither (empty).
/// `oldest_due`: the due date of the oldest overdue invoice (a public body's rate is the one of the half-year its
/// interest began in).
pub(crate) fn late_payment_terms(
    kind: encaisse_domain::DebtorKind,
    contractual: Option<Decimal>,
    table: &encaisse_dunning::claims::RateTable,
    as_of: NaiveDate,
    oldest_due: Option<NaiveDate>,
    lang: &str,
) -> String {
    use encaisse_domain::DebtorKind;
    use encaisse_dunning::claims::{PUBLIC_BODY_MARGIN, STATUTORY_MARGIN};
    let fr = lang == "fr";
    let pct = |r: Decimal| {
        if fr {
            encaisse_domain::format::format_percent_fr(r)
        } else {
            encaisse_domain::format::format_percent_fr(r)
                .replace('\u{a0}', "")
                .replace(',', ".")
        }
    };
    match kind {
        DebtorKind::PrivatePerson => String::new(),
        DebtorKind::Professional => {
            let rate = match contractual {
                Some(r) if fr => format!("au taux contractuel de {} l'an", pct(r)),
                Some(r) => format!("at the contractual rate of {} a year", pct(r)),
                None => match table.ecb_rate(as_of) {
                    Ok(ecb) if fr => format!(
                        "au taux de {} l'an (taux de la BCE majoré de 10 points)",
                        pct(ecb + STATUTORY_MARGIN)
                    ),
                    Ok(ecb) => format!(
                        "at {} a year (the ECB rate plus 10 points)",
                        pct(ecb + STATUTORY_MARGIN)
                    ),
                    Err(_) if fr => "au taux de la BCE majoré de 10 points".into(),
                    Err(_) => "at the ECB rate plus 10 points".into(),
                },
            };
            if fr {
                format!(
                    "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard {rate} sont exigibles \
                     dès le lendemain de l'échéance, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de \
                     40\u{a0}€ par facture payée en retard (article D441-5 du Code de commerce)."
                )
            } else {
                format!(
                    "Under article L441-10 of the French Commercial Code, late-payment penalties {rate} are due from the \
                     day after the due date, as well as a fixed recovery indemnity of €40 per invoice paid late \
                     (article D441-5)."
                )
            }
        }
        DebtorKind::PublicBody => {
            let began = oldest_due.and_then(|d| d.succ_opt()).unwrap_or(as_of);
            let rate = table
                .ecb_rate(began)
                .ok()
                .map(|ecb| pct(ecb + PUBLIC_BODY_MARGIN));
            if fr {
                let rate = rate.map(|r| format!(" (soit {r} l'an)")).unwrap_or_default();
                format!(
                    "Conformément aux articles L2192-13 et R2192-31 du Code de la commande publique, le retard de \
                     paiement fait courir de plein droit des intérêts moratoires au taux de la BCE majoré de 8 points{rate}, \
                     ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40\u{a0}€ par facture (article \
                     D2192-35 du même code)."
                )
            } else {
                let rate = rate.map(|r| format!(" ({r} a year)")).unwrap_or_default();
                format!(
                    "Under articles L2192-13 and R2192-31 of the French Public Procurement Code, late payment triggers \
                     default interest at the ECB rate plus 8 points{rate} and a fixed recovery indemnity of €40 per \
                     invoice (article D2192-35)."
                )
            }
        }
    }
}

/// A fictional case to check a template the user wrote renders.
pub(crate) fn sample_context(id: &str, lang: &str) -> Context {
    let d = |s: &str| s.parse::<NaiveDate>().expect("a valid date");
    let lines = vec![InvoiceLine {
        number: "F0001".into(),
        invoice_date: date(d("2026-01-01")),
        due_date: date(d("2026-01-31")),
        amount: money(Decimal::ONE_HUNDRED, lang),
        residual: money(Decimal::ONE_HUNDRED, lang),
        days_late: 10,
    }];
    let mut c = Context::default();
    for key in [
        "company_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "payment_link",
        "iban",
        "bic",
        "account_holder",
        "payment_reference",
        "date",
        "customer_name",
        "customer_id",
        "total",
        "oldest_due_date",
        "step",
        "host",
    ] {
        c.set(key, key);
    }
    c.set("invoice_count", 1)
        .set_list("invoices", &lines)
        .set_table("invoice_table", invoice_table(&lines, lang));
    let keys = DueKeys {
        overdue_total: Decimal::ONE_HUNDRED,
        not_due_total: Decimal::ZERO,
        previous_reminder: true,
        deadline_days: crate::letters::DEFAULT_DEADLINE_DAYS,
        terms: "late_payment_terms".into(),
    };
    set_due_keys(&mut c, &[], keys, lang);
    if id == DAILY_REPORT {
        for key in ["yesterday", "collections_total", "agenda_amount"] {
            c.set(key, key);
        }
        for key in [
            "collections_count",
            "agenda_count",
            "broken_count",
            "disputes_count",
        ] {
            c.set(key, 1);
        }
        for key in ["agenda_table", "broken_table", "disputes_table"] {
            c.set_table(key, Table::default());
        }
    }
    c
}

impl App {
    /// A customer's open invoices as of a day, as the templates list them (only `numbers` when given).
    pub(crate) fn open_lines(
        &self,
        customer: &str,
        as_of: NaiveDate,
        numbers: Option<&[String]>,
        lang: &str,
    ) -> AppResult<(String, Option<String>, Vec<InvoiceLine>, Decimal)> {
        let store = self.store();
        let c = store
            .customers()?
            .into_iter()
            .find(|c| c.key == customer.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("no customer with key {customer}")))?;
        let (aged, _) = self.aged(&store, as_of)?;
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        if let Some(a) = aged.customers.iter().find(|a| a.key == c.key) {
            for i in &a.position.open_items {
                if numbers.is_some_and(|n| !n.contains(&i.piece_ref)) {
                    continue;
                }
                total += i.residual;
                lines.push(InvoiceLine {
                    number: i.piece_ref.clone(),
                    invoice_date: date(i.invoice_date),
                    due_date: date(i.due_date),
                    amount: money(i.amount, lang),
                    residual: money(i.residual, lang),
                    days_late: (as_of - i.due_date).num_days(),
                });
            }
        }
        Ok((c.name, c.email.filter(|e| !e.trim().is_empty()), lines, total))
    }

    /// The reminders' keys of a customer's message: the totals overdue and not yet due, whether a reminder (email,
    /// letter or SMS) was sent for the overdue invoices before that day, the letter settings' deadline, what the
    /// debtor's kind allows to claim.
    fn due_keys(
        &self,
        customer: &str,
        as_of: NaiveDate,
        overdue: &[InvoiceLine],
        not_due: &[InvoiceLine],
        total: Decimal,
        lang: &str,
    ) -> AppResult<DueKeys> {
        // Read before the store is locked (each takes the lock).
        let settings = self.letter_settings()?;
        let table = self.rates_table()?;
        let store = self.store();
        let customer = customer.trim();
        let (aged, _) = self.aged(&store, as_of)?;
        let reminded = crate::workflow::reminded_invoices(&store, &aged, as_of)?;
        let previous_reminder = overdue
            .iter()
            .filter(|l| l.days_late > 0)
            .any(|l| reminded.contains(&(customer.to_string(), l.number.clone())));
        let open = aged
            .customers
            .iter()
            .find(|c| c.key == customer)
            .map(|c| c.position.open_items.as_slice())
            .unwrap_or_default();
        let not_due_total: Decimal = open
            .iter()
            .filter(|i| not_due.iter().any(|l| l.number == i.piece_ref))
            .map(|i| i.residual)
            .sum();
        let oldest_due = open
            .iter()
            .filter(|i| overdue.iter().any(|l| l.number == i.piece_ref && l.days_late > 0))
            .map(|i| i.due_date)
            .min();
        let contractual = settings
            .contractual_rate
            .as_deref()
            .and_then(|r| r.trim().replace(',', ".").parse::<Decimal>().ok());
        let kind = crate::letters::debtor_kind_of(&store, customer)?;
        Ok(DueKeys {
            overdue_total: total - not_due_total,
            not_due_total,
            previous_reminder,
            deadline_days: settings
                .deadline_days
                .unwrap_or(crate::letters::DEFAULT_DEADLINE_DAYS),
            terms: late_payment_terms(kind, contractual, &table, as_of, oldest_due, lang),
        })
    }

    pub(crate) fn agenda_item(&self, customer: &str, as_of: NaiveDate) -> AppResult<Option<AgendaItem>> {
        Ok(self
            .agenda_view(Some(as_of))?
            .items
            .into_iter()
            .find(|i| i.action.customer == customer.trim()))
    }

    pub(crate) fn compose(
        &self,
        req: &PreviewRequest,
        sender: &Sender,
        item: Option<&AgendaItem>,
    ) -> AppResult<Composed> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let template_id = req
            .template
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| item.map(|i| i.template.clone()))
            .ok_or_else(|| {
                AppError::InvalidInput(format!(
                    "customer {} has no action on the agenda of {as_of}: choose a template",
                    req.customer
                ))
            })?;
        let item = item.filter(|i| i.template == template_id);
        self.compose_about(
            req,
            sender,
            &template_id,
            item.map(|i| i.action.step.as_str()),
            item.map(|i| i.action.invoices.as_slice()),
        )
    }

    /// A customer's message from a template, about the given invoices (every open one when absent) and carrying
    /// out `step` when it is an agenda action's.
    pub(crate) fn compose_about(
        &self,
        req: &PreviewRequest,
        sender: &Sender,
        template_id: &str,
        step: Option<&str>,
        numbers: Option<&[String]>,
    ) -> AppResult<Composed> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let template_id = template_id.to_string();
        let lang = sender.lang.clone();
        let (name, to, lines, total, step) = if template_id == THANK_YOU {
            let candidate = self
                .thank_you_candidates(Some(as_of))?
                .into_iter()
                .find(|c| c.customer == req.customer.trim())
                .ok_or_else(|| {
                    AppError::InvalidInput(format!(
                        "customer {}: no chased invoice paid lately to thank for",
                        req.customer
                    ))
                })?;
            let lines = self.paid_lines(&candidate, as_of, &lang)?;
            let total = crate::workflow::parse_amount("total", &candidate.total)?;
            (candidate.name, candidate.email, lines, total, None)
        } else {
            let (name, to, lines, total) = self.open_lines(&req.customer, as_of, numbers, &lang)?;
            (name, to, lines, total, step.map(str::to_string))
        };
        let all_numbers: Vec<String> = lines.iter().map(|l| l.number.clone()).collect();
        let (lines, not_due) = if template_id == THANK_YOU {
            (lines, Vec::new())
        } else {
            split_due(lines)
        };
        let due = self.due_keys(&req.customer, as_of, &lines, &not_due, total, &lang)?;
        let (mut t, _) = self.template(&template_id, &lang)?;
        if let Some(s) = &req.subject {
            t.subject = s.clone();
        }
        if let Some(b) = &req.body {
            t.body = b.clone();
        }
        let reference = {
            let store = self.store();
            crate::payment_reference::PaymentReferences::load(&store)?.of(req.customer.trim())
        };
        let printed = encaisse_bank::rf::rf_printed(&reference);
        let mut ctx = sender.context(as_of);
        ctx.set("customer_name", name.clone())
            .set("customer_id", req.customer.trim().to_string())
            .set("payment_reference", printed.clone())
            .set("total", money(total, &lang))
            .set("invoice_count", lines.len())
            .set(
                "oldest_due_date",
                lines
                    .iter()
                    .max_by_key(|l| l.days_late)
                    .map(|l| l.due_date.clone())
                    .unwrap_or_default(),
            )
            .set("step", step.clone().unwrap_or_default())
            .set_list("invoices", &lines)
            .set_table("invoice_table", invoice_table(&lines, &lang));
        set_due_keys(&mut ctx, &not_due, due, &lang);
        let rendered = templates::render(&t, &ctx)
            .map_err(|e| AppError::InvalidInput(format!("template {template_id}: {e}")))?;
        // The message carries the reference when the template wrote it (the text part has it as printed).
        let carried = rendered.text.contains(&printed) || rendered.text.contains(&reference);
        Ok(Composed {
            payment_reference: carried.then_some(reference),
            customer: req.customer.trim().to_string(),
            name,
            to,
            template: template_id,
            lang,
            step,
            invoices: all_numbers,
            total,
            rendered,
            placeholders: ctx.keys(),
        })
    }

    /// The message a customer would get: subject, text and HTML.
    pub fn preview_email(&self, req: &PreviewRequest) -> AppResult<EmailPreview> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let item = self.agenda_item(&req.customer, as_of)?;
        let sender = self.sender(req.lang.as_deref())?;
        let c = self.compose(
            &PreviewRequest {
                as_of: Some(as_of),
                ..req.clone()
            },
            &sender,
            item.as_ref(),
        )?;
        Ok(EmailPreview {
            customer: c.customer,
            name: c.name,
            template: c.template,
            lang: c.lang,
            step: c.step,
            to: c.to,
            subject: c.rendered.subject,
            text: c.rendered.text,
            html: c.rendered.html,
            invoices: c.invoices,
            total: format_amount(c.total),
            placeholders: c.placeholders,
        })
    }

    /// A template as the user is writing it (not saved), rendered on a fictional customer whose name and invoice
    /// numbers hold characters HTML must escape, with the sender's real settings: what the editor shows.
    pub fn preview_template(&self, draft: &EmailTemplateInput) -> AppResult<EmailPreview> {
        let id = draft.id.trim();
        let sender = self.sender(Some(&draft.lang))?;
        let lang = sender.lang.clone();
        let as_of = self.today();
        let mut ctx = sender.context(as_of);
        let lines = sample_lines(as_of, &lang);
        let total: Decimal = Decimal::new(186_000, 2);
        let customer = SAMPLE_CUSTOMER;
        let sample_reference = encaisse_bank::rf::rf_reference("C00042")
            .map(|r| encaisse_bank::rf::rf_printed(&r))
            .unwrap_or_default();
        ctx.set("customer_name", customer)
            .set("customer_id", "C00042")
            .set("payment_reference", sample_reference)
            .set("total", money(total, &lang))
            .set("invoice_count", lines.len())
            .set("oldest_due_date", lines[0].due_date.clone())
            .set(
                "step",
                if id == THANK_YOU || id == DAILY_REPORT {
                    ""
                } else {
                    id
                },
            )
            .set_list("invoices", &lines)
            .set_table("invoice_table", invoice_table(&lines, &lang));
        let terms = late_payment_terms(
            encaisse_domain::DebtorKind::Professional,
            None,
            &self.rates_table()?,
            as_of,
            None,
            &lang,
        );
        let deadline = self
            .letter_settings()?
            .deadline_days
            .unwrap_or(crate::letters::DEFAULT_DEADLINE_DAYS);
        let keys = DueKeys {
            overdue_total: total,
            not_due_total: Decimal::ZERO,
            previous_reminder: true,
            deadline_days: deadline,
            terms,
        };
        set_due_keys(&mut ctx, &[], keys, &lang);
        if id == DAILY_REPORT {
            let yesterday = as_of - Duration::days(1);
            ctx.set("yesterday", date(yesterday))
                .set("collections_total", money(Decimal::new(1_234_056, 2), &lang))
                .set("collections_count", 3)
                .set("agenda_count", 1)
                .set("agenda_amount", money(total, &lang))
                .set("broken_count", 0)
                .set("disputes_count", 0)
                .set_table(
                    "agenda_table",
                    Table {
                        headers: ["Client", "Nom", "Étape", "Canal", "Factures", "Montant"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                        right: vec![false, false, false, false, true, true],
                        rows: vec![vec![
                            "C00042".into(),
                            customer.into(),
                            "reminder_1".into(),
                            "email".into(),
                            "2".into(),
                            money(total, &lang),
                        ]],
                    },
                )
                .set_table("broken_table", Table::default())
                .set_table("disputes_table", Table::default());
        }
        let (mut t, _) = self.template(id, &lang).unwrap_or_else(|_| {
            (
                Template {
                    subject: String::new(),
                    body: String::new(),
                },
                None,
            )
        });
        t.subject = draft.subject.clone();
        t.body = draft.body.clone();
        let r =
            templates::render(&t, &ctx).map_err(|e| AppError::InvalidInput(format!("template {id}: {e}")))?;
        Ok(EmailPreview {
            customer: "C00042".into(),
            name: customer.into(),
            template: id.to_string(),
            lang,
            step: None,
            to: Some("compta@dupont-fils.example".into()),
            subject: r.subject,
            text: r.text,
            html: r.html,
            invoices: lines.iter().map(|l| l.number.clone()).collect(),
            total: format_amount(total),
            placeholders: ctx.keys(),
        })
    }
}
