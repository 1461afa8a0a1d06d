//! E-invoices (Factur-X PDF, CII or UBL XML) into the ledger: the real due date (BT-9) of invoices the ledger
//! has, or the invoices it lacks. All files in one transaction: one refused file and nothing is written.
//!
//! Matching (see `Store::apply_einvoices`): the invoice number among the buyer's documents — the buyer being the
//! customer with the e-invoice's SIREN, else the one with its name (case aside); when no customer is the buyer,
//! the only customer with a document of that number. A match gets the due date on its debit lines and on its
//! invoice (which gives it again to the lines of later re-imports); it overrides the terms in the aging. No
//! match: the invoice is created (debit, journal VE, source `einvoice`; a credit note is a credit since the
//! reader keeps its amount positive), with its customer when unknown (key `SIREN<siren>`, else from the name).
//! Importing the same e-invoice again finds it and changes nothing.
//!
//! What the reader accepted with a reservation comes back as `warnings` on each file (never a refusal): a buyer
//! identifier that fails its check (the buyer found by its name), no due date (BT-9: a created invoice keeps
//! none in the ledger, so the customer's terms, else the default terms, date it, as the aging does; the report
//! gives that date with `due_date_from_terms`), an invoice typed 380 with a negative total (a credit).

use crate::imports::fec::file_label;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::format_amount;
use encaisse_import::einvoice::{read_einvoice, DocumentKind, EInvoice, EInvoiceFormat, WarningCode};
use encaisse_import::ImportError;
use encaisse_store::master::EInvoiceEntry;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// Why an e-invoice was imported with a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EInvoiceWarningCode {
    /// A SIREN/SIRET (scheme 0002/0009) malformed or failing its check digit: the buyer was found by its name.
    BuyerIdentifier,
    /// No due date (BT-9): the customer's payment terms (else the default terms) give it.
    NoDueDate,
    /// An invoice type code with a negative total: imported as a credit.
    NegativeInvoice,
}

/// A reservation on one e-invoice: where (line 0: the whole file), which field, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EInvoiceWarning {
    pub line: u32,
    pub field: String,
    pub reason: String,
    pub code: EInvoiceWarningCode,
}

/// One e-invoice put into the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EInvoiceResult {
    pub file: String,
    /// "factur-x", "cii" or "ubl".
    pub format: String,
    pub number: String,
    /// "invoice" or "credit_note".
    pub kind: String,
    pub buyer: String,
    /// The customer's key in the ledger.
    pub customer: String,
    /// "matched" (found in the ledger) or "created".
    pub action: String,
    /// Found by its number alone: no customer had the buyer's SIREN or name.
    pub matched_by_number: bool,
    pub customer_created: bool,
    /// BT-9, when the e-invoice has one; else, for an invoice it created, the date the customer's terms (else
    /// the default terms) give (`due_date_from_terms`).
    pub due_date: Option<NaiveDate>,
    /// The due date is not the e-invoice's: the payment terms gave it.
    pub due_date_from_terms: bool,
    /// The ledger's due date changed.
    pub due_date_changed: bool,
    /// Amount due, negative for a credit note.
    pub amount: String,
    pub currency: String,
    /// What was imported with a reservation, in the order of the file.
    pub warnings: Vec<EInvoiceWarning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EInvoiceReport {
    pub replaced_demo: bool,
    pub matched: u32,
    pub created: u32,
    /// Matched with nothing to change (e.g. imported before).
    pub unchanged: u32,
    /// Warnings of all files.
    pub warnings: u32,
    pub files: Vec<EInvoiceResult>,
}

/// The CLI's table form of a report.
pub fn report_text(r: &EInvoiceReport, dry_run: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if r.replaced_demo {
        let _ = writeln!(
            s,
            "the demo company {}",
            if dry_run {
                "would be removed"
            } else {
                "was removed"
            }
        );
    }
    let _ = writeln!(
        s,
        "{:<24} {:<9} {:<20} {:<8} {:<20} {:<10} {:>14}",
        "file", "format", "number", "action", "customer", "due date", "amount"
    );
    for f in &r.files {
        let due = f.due_date.map_or_else(|| "-".to_string(), |d| d.to_string());
        let mark = if f.due_date_changed { "*" } else { "" };
        let _ = writeln!(
            s,
            "{:<24} {:<9} {:<20} {:<8} {:<20} {:<10} {:>14}",
            f.file.chars().take(24).collect::<String>(),
            f.format,
            f.number.chars().take(20).collect::<String>(),
            f.action,
            f.customer.chars().take(20).collect::<String>(),
            format!("{due}{mark}"),
            format!("{} {}", f.amount, f.currency)
        );
    }
    for f in &r.files {
        for w in &f.warnings {
            let _ = writeln!(s, "warning: {}:{}: {}: {}", f.file, w.line, w.field, w.reason);
        }
    }
    let verb = if dry_run { "would be" } else { "were" };
    let _ = writeln!(
        s,
        "{} matched ({} unchanged), {} created, {} warning{}; * due dates that {verb} set",
        r.matched,
        r.unchanged,
        r.created,
        r.warnings,
        if r.warnings == 1 { "" } else { "s" }
    );
    s
}

impl App {
    pub(crate) fn run_einvoices(&self, paths: &[PathBuf], dry_run: bool) -> AppResult<EInvoiceReport> {
        if paths.is_empty() {
            return Err(AppError::InvalidInput("no e-invoice file given".into()));
        }
        let mut guard = self.store();
        // The write lock before any file is read: a second import stops here, never after parsing (lock.rs).
        let mut store = guard.lock_for_import()?;
        // The reports' cache reloads once this write is over (book.rs).
        let _written = self.ledger_write();
        // A real import removes the demo company; the company's currency otherwise.
        let currency = if store.setting("demo_company")?.is_some() {
            "EUR".to_string()
        } else {
            store.currency()?.0
        };
        let mut errors: Vec<ImportError> = Vec::new();
        let mut read: Vec<(String, EInvoice, String)> = Vec::new();
        for path in paths {
            let label = file_label(path);
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(ImportError::new(&label, 0, "file", e.to_string()));
                    continue;
                }
            };
            match read_einvoice(&label, &bytes) {
                Ok(inv) if inv.currency != currency => errors.push(ImportError::new(
                    &label,
                    0,
                    "currency",
                    format!("the invoice is in {}, the ledger in {currency}", inv.currency),
                )),
                Ok(inv) => read.push((label, inv, encaisse_import::content_hash(&bytes))),
                Err(e) => errors.extend(e.0),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::refused(&errors));
        }
        let entries: Vec<EInvoiceEntry> = read
            .iter()
            .map(|(label, inv, hash)| EInvoiceEntry {
                file_name: label.clone(),
                content_hash: hash.clone(),
                number: inv.number.clone(),
                credit_note: inv.kind == DocumentKind::CreditNote,
                issue_date: inv.issue_date,
                due_date: inv.due_date,
                buyer_name: inv.buyer_name.clone(),
                buyer_siren: inv.buyer_siren.clone(),
                amount: inv.amount_due,
            })
            .collect();
        let changes = store.apply_einvoices(&entries, self.today(), dry_run)?;
        // The terms that date the created invoices without BT-9 (read inside the transaction: a customer created
        // by a dry run is gone after it, and has the default terms).
        let needs_terms = read
            .iter()
            .zip(&changes.outcomes)
            .any(|((_, inv, _), o)| o.created && inv.due_date.is_none() && inv.kind == DocumentKind::Invoice);
        let terms: std::collections::HashMap<String, Option<encaisse_domain::Terms>> = if needs_terms {
            store.customers()?.into_iter().map(|c| (c.key, c.terms)).collect()
        } else {
            std::collections::HashMap::new()
        };
        let default_terms = App::default_terms(&store)?;
        if !dry_run {
            let files: Vec<(&str, &str, bool)> = read
                .iter()
                .zip(&changes.outcomes)
                .filter(|(_, o)| o.created || o.due_date_changed)
                .map(|((label, _, hash), o)| (label.as_str(), hash.as_str(), o.customer_created))
                .collect();
            self.audit_einvoices(&store, &files)?;
        }
        store.commit()?;
        let mut report = EInvoiceReport {
            replaced_demo: changes.replaced_demo,
            matched: 0,
            created: 0,
            unchanged: 0,
            warnings: 0,
            files: Vec::with_capacity(read.len()),
        };
        for ((label, inv, _), o) in read.iter().zip(&changes.outcomes) {
            let credit = inv.kind == DocumentKind::CreditNote;
            if o.created {
                report.created += 1;
            } else {
                report.matched += 1;
                if !o.due_date_changed {
                    report.unchanged += 1;
                }
            }
            let own_terms = terms.get(&o.customer_key).copied().flatten();
            let by_terms = (o.created && inv.due_date.is_none() && !credit)
                .then(|| (own_terms.unwrap_or(default_terms), own_terms.is_some()));
            let warnings: Vec<EInvoiceWarning> = inv
                .warnings
                .iter()
                .map(|w| EInvoiceWarning {
                    line: u32::try_from(w.line).unwrap_or(u32::MAX),
                    field: w.field.clone(),
                    reason: match (w.code, by_terms) {
                        (WarningCode::NoDueDate, Some((t, own))) => format!(
                            "no due date (BT-9) in the e-invoice: due on {}, by the {} payment terms ({t})",
                            t.due_date(inv.issue_date),
                            if own { "customer's" } else { "default" }
                        ),
                        (WarningCode::NoDueDate, None) => {
                            "no due date (BT-9) in the e-invoice: the ledger's due date is kept".into()
                        }
                        _ => w.reason.clone(),
                    },
                    code: match w.code {
                        WarningCode::BuyerIdentifier => EInvoiceWarningCode::BuyerIdentifier,
                        WarningCode::NoDueDate => EInvoiceWarningCode::NoDueDate,
                        WarningCode::NegativeInvoice => EInvoiceWarningCode::NegativeInvoice,
                    },
                })
                .collect();
            report.warnings += u32::try_from(warnings.len()).unwrap_or(u32::MAX);
            report.files.push(EInvoiceResult {
                file: label.clone(),
                format: match inv.format {
                    EInvoiceFormat::FacturX => "factur-x",
                    EInvoiceFormat::Cii => "cii",
                    EInvoiceFormat::Ubl => "ubl",
                }
                .into(),
                number: inv.number.clone(),
                kind: if credit { "credit_note" } else { "invoice" }.into(),
                buyer: inv.buyer_name.clone(),
                customer: o.customer_key.clone(),
                action: if o.created { "created" } else { "matched" }.into(),
                matched_by_number: o.matched_by_number,
                customer_created: o.customer_created,
                due_date: inv
                    .due_date
                    .or_else(|| by_terms.map(|(t, _)| t.due_date(inv.issue_date))),
                due_date_from_terms: by_terms.is_some(),
                due_date_changed: o.due_date_changed,
                amount: format_amount(if credit { -inv.amount_due } else { inv.amount_due }),
                currency: inv.currency.clone(),
                warnings,
            });
        }
        Ok(report)
    }

    /// Imports e-invoices in one transaction: sets the due date of the invoices the ledger has, creates the
    /// others. Any file refused (every problem as `file:line: field: reason`) and nothing is written.
    pub fn import_einvoices(&self, paths: &[PathBuf]) -> AppResult<EInvoiceReport> {
        self.run_einvoices(paths, false)
    }

    /// What importing these e-invoices would do; nothing is written.
    pub fn inspect_einvoices(&self, paths: &[PathBuf]) -> AppResult<EInvoiceReport> {
        self.run_einvoices(paths, true)
    }
}
