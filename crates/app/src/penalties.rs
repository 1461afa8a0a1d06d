//! Penalties on invoices paid late (the penalty statement): for every customer, the invoices fully paid with a part
//! paid after the due date dated in the period, each part's days late and interest by half-year, and the EUR 40 per
//! invoice, at the rate of the debtor's kind (professional: the contractual rate of the letter settings, else ECB +
//! 10, L441-10; public body: ECB + 8 of the half-year interest began, R2192-31). Private persons owe neither and are
//! left out. Waivers (the user chose not to claim an invoice's penalties, with a reason) are kept in the store by
//! customer and invoice number, audited, and never silent: a waived invoice stays listed, outside the totals.

use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::settlement::{paid_invoices, payments};
use encaisse_domain::{format_amount, DebtorKind};
use encaisse_dunning::claims::Basis;
use encaisse_dunning::late_payments::{self, LatePaidInvoice, PaidInvoiceParts};
use encaisse_store::waivers::PenaltyWaiver;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// One part of an invoice's payment: `encaisse penalties --format json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltyPart {
    /// The payment's date.
    pub date: NaiveDate,
    pub amount: String,
    /// From the due date to the payment; 0 when this part was paid on time.
    pub days_late: i32,
    pub interest: String,
}

/// One invoice paid late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltyInvoice {
    pub invoice: String,
    pub due_date: NaiveDate,
    /// Every part of its payment, by date.
    pub paid_parts: Vec<PenaltyPart>,
    pub interest: String,
    pub indemnity: String,
    /// Its penalties were waived: listed all the same, but its amounts are not in the totals.
    pub waived: bool,
    pub waiver_reason: Option<String>,
}

/// One customer's invoices paid late; totals leave out the waived invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerPenalties {
    pub id: String,
    pub invoices: Vec<PenaltyInvoice>,
    pub interest: String,
    pub indemnities: String,
}

/// The penalty statement, exactly the `encaisse penalties --format json` contract: customers by key (only those
/// with an invoice paid late in the period), totals of the invoices not waived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltyStatement {
    pub customers: Vec<CustomerPenalties>,
    pub interest: String,
    pub indemnities: String,
}

/// What the screens show beside a customer of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltyCustomer {
    pub id: String,
    pub name: String,
    pub kind: DebtorKind,
    /// "L441-10" (statutory or contractual rate) or "R2192-31" (public body).
    pub basis: String,
}

/// The penalty report of the app: the statement and what the screens need around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltiesReport {
    pub as_of: NaiveDate,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub currency: String,
    pub statement: PenaltyStatement,
    /// The customers of the statement, in its order.
    pub customers: Vec<PenaltyCustomer>,
    /// Customers left out because they are private persons (they owe neither penalty nor EUR 40), how many had
    /// an invoice paid late in the period.
    pub private_persons_left_out: u32,
    /// The half-years whose ECB rate the statement used but the table does not mark confirmed.
    pub rates_to_confirm: Vec<NaiveDate>,
}

/// Which invoices' penalties to state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PenaltiesQuery {
    /// Payments up to this date are known (today when absent).
    pub as_of: Option<NaiveDate>,
    /// Payment dates: an invoice is listed when a part paid after its due date falls in from..=to.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub customer: Option<String>,
}

/// A waiver typed by the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaiverInput {
    pub customer: String,
    pub invoice: String,
    pub reason: String,
}

/// One customer's statement as the domain computed it, with waivers.
pub(crate) struct CustomerLines {
    pub key: String,
    pub kind: DebtorKind,
    pub basis: Basis,
    pub lines: Vec<(LatePaidInvoice, Option<String>)>,
}

fn basis_name(basis: Basis) -> &'static str {
    basis.code()
}

fn sums<'a>(lines: impl Iterator<Item = &'a (LatePaidInvoice, Option<String>)>) -> (Decimal, Decimal) {
    lines
        .filter(|(_, waiver)| waiver.is_none())
        .fold((Decimal::ZERO, Decimal::ZERO), |(i, e), (l, _)| {
            (i + l.interest, e + l.indemnity)
        })
}

impl App {
    /// The invoices of every customer (or one) paid late, computed by the domain, with their waivers; the number
    /// of private persons left out; the half-years to confirm.
    pub(crate) fn late_paid(
        &self,
        q: &PenaltiesQuery,
    ) -> AppResult<(NaiveDate, Vec<CustomerLines>, u32, Vec<NaiveDate>)> {
        let as_of = q.as_of.unwrap_or_else(|| self.today());
        if let (Some(f), Some(t)) = (q.from, q.to) {
            if f > t {
                return Err(AppError::InvalidInput(format!(
                    "period: the start {f} is after the end {t}"
                )));
            }
        }
        let only = q.customer.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let kinds = self.debtor_kinds()?;
        if let Some(c) = only {
            if !kinds.contains_key(c) {
                return Err(AppError::InvalidInput(format!("customer {c}: no such customer")));
            }
        }
        let settings = self.letter_settings()?;
        let contractual = settings
            .contractual_rate
            .as_deref()
            .map(|r| crate::letters::parse_rate("contractual rate", r))
            .transpose()?;
        let table = self.rates_table()?;
        let waivers: HashMap<(String, String), String> = self
            .store()
            .penalty_waivers()?
            .into_iter()
            .map(|w| ((w.customer_key, w.invoice), w.reason))
            .collect();

        // Every fully paid invoice with its payment parts, per customer, from every fiscal year up to the date
        // (lettering restarts each year), as Book::paid.
        let mut paid: BTreeMap<String, Vec<PaidInvoiceParts>> = BTreeMap::new();
        {
            let store = self.store();
            let book = self.book(&store)?;
            for (i, ledger) in book.ledgers.iter().enumerate() {
                if book.years.get(i).is_some_and(|y| *y > as_of) {
                    continue;
                }
                for c in ledger {
                    if only.is_some_and(|k| k != c.customer.key) {
                        continue;
                    }
                    let terms = book.terms_of(&c.customer);
                    let full = paid_invoices(&c.lines, terms, as_of);
                    if full.is_empty() {
                        continue;
                    }
                    let mut parts: HashMap<usize, Vec<(NaiveDate, Decimal)>> = HashMap::new();
                    for p in payments(&c.lines, terms, as_of) {
                        parts.entry(p.line).or_default().push((p.date, p.amount));
                    }
                    let list = paid.entry(c.customer.key.clone()).or_default();
                    for f in full {
                        list.push(PaidInvoiceParts {
                            number: c.lines[f.line].piece_ref.clone(),
                            due_date: f.due_date,
                            parts: parts.remove(&f.line).unwrap_or_default(),
                        });
                    }
                }
            }
        }

        let mut out = Vec::new();
        let mut private = 0u32;
        let mut to_confirm = Vec::new();
        for (key, invoices) in paid {
            let kind = kinds.get(&key).copied().unwrap_or(DebtorKind::Professional);
            let basis = Basis::for_kind(kind, contractual);
            if basis == Basis::Civil {
                // Neither L441-10 penalties nor the EUR 40 from a consumer: counted, not listed.
                if invoices
                    .iter()
                    .any(|i| late_payments::late_in_period(i, q.from, q.to))
                {
                    private += 1;
                }
                continue;
            }
            let lines = late_payments::statement(&invoices, q.from, q.to, &table, basis)
                .map_err(|e| AppError::InvalidInput(format!("customer {key}: {e}")))?;
            if lines.is_empty() {
                continue;
            }
            for l in &lines {
                let stretches = l.parts.iter().flat_map(|p| &p.stretches);
                match basis {
                    Basis::Statutory => to_confirm.extend(
                        stretches
                            .map(|s| s.half_year)
                            .filter(|&h| table.ecb_to_confirm(h)),
                    ),
                    Basis::PublicBody => to_confirm.extend(
                        l.parts
                            .iter()
                            .filter_map(|p| p.stretches.first())
                            .map(|s| s.half_year)
                            .filter(|&h| table.ecb_to_confirm(h)),
                    ),
                    Basis::Contractual(_) | Basis::Civil => {}
                }
            }
            let lines = lines
                .into_iter()
                .map(|l| {
                    let waiver = waivers.get(&(key.clone(), l.number.clone())).cloned();
                    (l, waiver)
                })
                .collect();
            out.push(CustomerLines {
                key,
                kind,
                basis,
                lines,
            });
        }
        to_confirm.sort();
        to_confirm.dedup();
        Ok((as_of, out, private, to_confirm))
    }

    /// The penalty statement of every customer (or one) as of a date: the `encaisse penalties` contract.
    pub fn penalty_statement(&self, q: &PenaltiesQuery) -> AppResult<PenaltyStatement> {
        Ok(self.penalties(q)?.statement)
    }

    /// The penalty report the screens show: the statement, the customers' names and kinds.
    pub fn penalties(&self, q: &PenaltiesQuery) -> AppResult<PenaltiesReport> {
        let (as_of, lines, private, rates_to_confirm) = self.late_paid(q)?;
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let names: HashMap<String, String> =
            store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        drop(store);
        let (mut interest, mut indemnities) = (Decimal::ZERO, Decimal::ZERO);
        let mut customers = Vec::with_capacity(lines.len());
        let mut infos = Vec::with_capacity(lines.len());
        for c in &lines {
            let (i, e) = sums(c.lines.iter());
            interest += i;
            indemnities += e;
            customers.push(CustomerPenalties {
                id: c.key.clone(),
                invoices: c
                    .lines
                    .iter()
                    .map(|(l, waiver)| PenaltyInvoice {
                        invoice: l.number.clone(),
                        due_date: l.due_date,
                        paid_parts: l
                            .parts
                            .iter()
                            .map(|p| PenaltyPart {
                                date: p.date,
                                amount: format_amount(p.amount),
                                days_late: crate::reports::i32_days(p.days_late),
                                interest: format_amount(p.interest),
                            })
                            .collect(),
                        interest: format_amount(l.interest),
                        indemnity: format_amount(l.indemnity),
                        waived: waiver.is_some(),
                        waiver_reason: waiver.clone(),
                    })
                    .collect(),
                interest: format_amount(i),
                indemnities: format_amount(e),
            });
            infos.push(PenaltyCustomer {
                id: c.key.clone(),
                name: names.get(&c.key).cloned().unwrap_or_default(),
                kind: c.kind,
                basis: basis_name(c.basis).into(),
            });
        }
        Ok(PenaltiesReport {
            as_of,
            from: q.from,
            to: q.to,
            currency,
            statement: PenaltyStatement {
                customers,
                interest: format_amount(interest),
                indemnities: format_amount(indemnities),
            },
            customers: infos,
            private_persons_left_out: private,
            rates_to_confirm,
        })
    }

    /// The statement as printed: one "relevé des pénalités de retard" per customer of the query (one when it names
    /// a customer), dated `as_of`, with the company's letterhead.
    pub fn penalty_statement_pdf(&self, q: &PenaltiesQuery) -> AppResult<Vec<u8>> {
        let (as_of, lines, private, _) = self.late_paid(q)?;
        if let (Some(c), true) = (q.customer.as_deref(), private > 0) {
            return Err(AppError::NoData(format!(
                "customer {c} is a private person: neither L441-10 penalties nor the EUR 40 indemnity are owed, \
                 nothing to state"
            )));
        }
        if lines.is_empty() {
            return Err(AppError::NoData(match q.customer.as_deref() {
                Some(c) => format!("customer {c}: no invoice paid late in the period, nothing to state"),
                None => "no invoice paid late in the period, nothing to state".into(),
            }));
        }
        let ctx = self.notice_context(as_of)?;
        let mut docs = Vec::with_capacity(lines.len());
        for c in lines {
            let debtor = ctx.customer(&c.key)?;
            docs.push(encaisse_letters::PenaltyStatement {
                sender: ctx.sender(),
                recipient: crate::letters::NoticeContext::recipient(debtor),
                customer_ref: c.key.clone(),
                place: ctx.place(),
                date: as_of,
                from: q.from,
                to: q.to,
                basis: c.basis,
                invoices: c
                    .lines
                    .into_iter()
                    .map(|(line, waiver)| encaisse_letters::StatementInvoice { line, waiver })
                    .collect(),
                signatory: ctx.signatory(),
            });
        }
        Ok(encaisse_letters::render_penalty_statements(&docs))
    }

    /// Waives the penalties of one invoice of a customer, with the reason (required), audited; a second waiver
    /// rewrites the reason. The invoice stays on the statement, marked waived, outside the totals.
    pub fn waive_penalty(&self, input: &WaiverInput) -> AppResult<()> {
        let customer = input.customer.trim();
        let invoice = input.invoice.trim();
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(AppError::InvalidInput(
                "reason: say why the penalties of this invoice are waived".into(),
            ));
        }
        if invoice.is_empty() {
            return Err(AppError::InvalidInput(
                "invoice: the invoice number is missing".into(),
            ));
        }
        let user = self.actor().0;
        let waiver = PenaltyWaiver {
            customer_key: customer.to_string(),
            invoice: invoice.to_string(),
            reason: reason.to_string(),
            waived_on: self.today(),
            user: user.clone(),
        };
        let before = {
            let store = self.store();
            if !store.customers()?.iter().any(|c| c.key == customer) {
                return Err(AppError::InvalidInput(format!(
                    "customer {customer}: no such customer"
                )));
            }
            if !store
                .invoices(Some(customer))?
                .iter()
                .any(|i| i.piece_ref == invoice)
            {
                return Err(AppError::InvalidInput(format!(
                    "invoice: customer {customer} has no invoice {invoice}"
                )));
            }
            let before = store.penalty_waiver(customer, invoice)?;
            store.waive_penalty(&waiver)?;
            before
        };
        let json = |w: &PenaltyWaiver| {
            serde_json::json!({"customer": w.customer_key, "invoices": [w.invoice], "reason": w.reason})
                .to_string()
        };
        self.audit(
            &user,
            "penalty_waiver",
            &format!("{customer}:{invoice}"),
            "waived",
            before.as_ref().map(json),
            Some(json(&waiver)),
        )
    }

    /// Removes the waiver of one invoice (its penalties count again), audited; refused when there is none.
    pub fn unwaive_penalty(&self, customer: &str, invoice: &str) -> AppResult<()> {
        let (customer, invoice) = (customer.trim(), invoice.trim());
        let removed = self.store().unwaive_penalty(customer, invoice)?;
        let Some(w) = removed else {
            return Err(AppError::InvalidInput(format!(
                "customer {customer}, invoice {invoice}: its penalties are not waived"
            )));
        };
        let json =
            serde_json::json!({"customer": w.customer_key, "invoices": [w.invoice], "reason": w.reason})
                .to_string();
        let user = self.actor().0;
        self.audit(
            &user,
            "penalty_waiver",
            &format!("{customer}:{invoice}"),
            "unwaived",
            Some(json),
            None,
        )
    }
}

impl App {
    /// The statement as PDF: saved to `path` (the save dialog's choice), or, without one, written to the print
    /// folder and opened in the system viewer (no viewer: `no_pdf_viewer` with the path). Nothing is recorded.
    /// Returns where the PDF is.
    pub fn penalty_statement_to_file(
        &self,
        q: &PenaltiesQuery,
        path: Option<&std::path::Path>,
    ) -> AppResult<String> {
        let pdf = self.penalty_statement_pdf(q)?;
        match path {
            Some(p) => {
                std::fs::write(p, &pdf).map_err(|e| AppError::Io(format!("{}: {e}", p.display())))?;
                Ok(p.display().to_string())
            }
            None => {
                let who = q.customer.as_deref().unwrap_or("tous");
                let name = format!("penalites-{who}-{}", q.as_of.unwrap_or_else(|| self.today()));
                let written = self.write_to_print(&name, &pdf)?;
                self.show(&written)?;
                Ok(written.display().to_string())
            }
        }
    }
}
