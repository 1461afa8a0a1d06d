//! The bank: statements in (`import`), their credit entries matched to open invoices with the reasons, and the
//! user's decisions on each entry (`decisions`: match, split, unmatch, on account, ignore), every one audited and
//! kept through re-imports.

mod decisions;
mod import;
mod removal;

pub use decisions::*;

use crate::imports::FieldHeader;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_bank::matching::{CustomerClues, IssuedReference, OpenInvoice};
use encaisse_domain::format_amount;
use encaisse_store::bank::{EntryRecord, StatementRecord};
use encaisse_store::Store;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// What a credit entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BankStatus {
    /// Settles invoices (automatically, or confirmed by a user).
    Matched,
    /// Candidates were found, none sure enough: a user decides.
    Suggested,
    Unmatched,
    /// A customer's payment kept on its account, for no invoice yet.
    OnAccount,
    /// Not a customer's payment (a transfer, a refund…).
    Ignored,
}

impl BankStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BankStatus::Matched => "matched",
            BankStatus::Suggested => "suggested",
            BankStatus::Unmatched => "unmatched",
            BankStatus::OnAccount => "on_account",
            BankStatus::Ignored => "ignored",
        }
    }

    pub fn parse(s: &str) -> AppResult<BankStatus> {
        Ok(match s.trim() {
            "matched" => BankStatus::Matched,
            "suggested" => BankStatus::Suggested,
            "unmatched" => BankStatus::Unmatched,
            "on_account" => BankStatus::OnAccount,
            "ignored" => BankStatus::Ignored,
            other => {
                return Err(AppError::InvalidInput(format!(
                    "status: '{other}' is not one of matched, suggested, unmatched, on_account, ignored"
                )))
            }
        })
    }
}

/// How to read statement files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankImportOptions {
    /// The account (an IBAN or a name) of a CSV export, or the name to give the one account of a file that has
    /// no IBAN (a CFONB file names the account by bank, branch and number).
    pub account: Option<String>,
    /// The columns of a bank CSV export: fields date, value_date, amount, debit, credit, label, reference,
    /// counterparty, counterparty_iban, bank_reference, remittance (repeatable), currency. Empty: the usual
    /// French and English headers are recognised.
    pub csv_mapping: Vec<FieldHeader>,
}

/// One statement of the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankStatementDto {
    /// The statement's number in the database (none in a dry run of a new statement).
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub file: String,
    /// camt053.001.02, camt053.001.08, camt054, cfonb120, ofx, csv
    pub format: String,
    pub account: String,
    pub currency: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Option<String>,
    pub closing: Option<String>,
    pub entries: u32,
    /// The same statement was imported before: nothing of it changed.
    pub already_imported: bool,
}

/// A statement's balances that do not add up, and such notes about a file read whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankWarning {
    /// unbalanced_statement
    pub code: String,
    pub file: String,
    pub line: u32,
    pub statement: String,
    pub message: String,
}

/// What importing statement files did (or would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankImportReport {
    pub statements: Vec<BankStatementDto>,
    /// Credit entries of the files, and how many of them are matched, suggested, unmatched (after the import;
    /// the entries already known keep their status).
    pub credits: u32,
    pub matched: u32,
    pub suggested: u32,
    pub unmatched: u32,
    /// Entries recorded by this import; those already brought by an earlier statement.
    pub entries_added: u32,
    pub entries_known: u32,
    pub warnings: Vec<BankWarning>,
    pub dry_run: bool,
}

/// An amount of an entry put on an invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankMatchDto {
    pub invoice: String,
    pub customer: String,
    pub customer_name: String,
    pub amount: String,
}

/// Why the matching proposed a candidate: `code` (invoice_number_in_label, creditor_reference, known_iban,
/// name_match, name_in_label, amount_equals_invoice, amount_equals_n_invoices, partial_payment,
/// amount_unique_in_ledger, amount_ambiguous, overpayment) and its facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankReason {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub invoice: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(type = "Array<string> | undefined", optional)]
    pub invoices: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub iban: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub alternatives: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub still_due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unapplied: Option<String>,
}

/// A candidate the matching proposed and a user may confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankSuggestion {
    pub invoices: Vec<String>,
    pub customer: String,
    pub customer_name: String,
    pub score: u32,
    pub matches: Vec<BankMatchDto>,
    /// What the allocations leave of the entry.
    pub unapplied: String,
    pub reasons: Vec<BankReason>,
}

/// One credit entry with what it pays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankEntryDto {
    /// The entry's identity (stable across imports and databases).
    pub id: String,
    /// Its number in the database (accepted where an entry is named, as the identity is).
    #[ts(type = "number")]
    pub number: i64,
    pub account: String,
    pub date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: String,
    pub currency: String,
    pub label: String,
    pub counterparty: Option<String>,
    pub counterparty_iban: Option<String>,
    /// The remittance information and references, one text.
    pub remittance: String,
    pub status: BankStatus,
    /// auto (the matching at import) or user.
    pub decided_by: String,
    pub decided_on: NaiveDate,
    /// The user who decided (empty for the matching's own).
    pub user: String,
    /// The customer of an entry matched or booked on account.
    pub customer: Option<String>,
    pub customer_name: Option<String>,
    pub matches: Vec<BankMatchDto>,
    /// What is not put on an invoice (on account when matched or booked on account).
    pub unapplied: String,
    /// Why the matching matched it (empty when a user decided).
    pub reasons: Vec<BankReason>,
    pub suggestions: Vec<BankSuggestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankEntries {
    pub entries: Vec<BankEntryDto>,
}

/// A statement as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankStatementRow {
    #[ts(type = "number")]
    pub id: i64,
    pub file: String,
    pub sha256: String,
    pub format: String,
    pub account: String,
    pub currency: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Option<String>,
    pub closing: Option<String>,
    pub entries: u32,
    pub imported_on: NaiveDate,
    pub imported_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankStatements {
    pub statements: Vec<BankStatementRow>,
}

/// A candidate as stored (the matching's `Candidate`, read back).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct StoredCandidate {
    customer: String,
    allocations: Vec<StoredAllocation>,
    unapplied: Decimal,
    score: u32,
    reasons: Vec<BankReason>,
}

#[derive(Debug, Clone, Deserialize)]
struct StoredAllocation {
    invoice: String,
    amount: Decimal,
}

/// The ledger as the matching reads it at a date: open invoices (less what bank entries already pay), the
/// customers' names and learned IBANs, their payment references (`payment_reference.rs`).
pub(crate) struct MatchInput {
    pub(crate) invoices: Vec<OpenInvoice>,
    pub(crate) customers: Vec<CustomerClues>,
    pub(crate) references: Vec<IssuedReference>,
}

/// The customers a suggested (unconfirmed) entry booked by `as_of` most likely comes from (its best-scored
/// suggestions, ties included): their money may be here, an action on them needs validation (the agenda's
/// `needs_validation`).
pub(crate) fn suggested_customers(
    store: &Store,
    as_of: NaiveDate,
) -> AppResult<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for e in store.bank_entries(Some("suggested"))? {
        if e.booking_date > as_of {
            continue;
        }
        let Some(m) = &e.matched else { continue };
        out.extend(m.customer_key.clone());
        let candidates = json_list::<StoredCandidate>("suggestions", &m.suggestions)?;
        let best = candidates.iter().map(|c| c.score).max();
        out.extend(
            candidates
                .into_iter()
                .filter(|c| Some(c.score) == best)
                .map(|c| c.customer),
        );
    }
    Ok(out)
}

impl App {
    /// Open invoices at `as_of` with what is still due once the matched bank entries are counted (`except` an
    /// entry whose decision is being replaced), the customers' names and IBANs.
    pub(crate) fn match_input(
        &self,
        store: &Store,
        as_of: NaiveDate,
        except: Option<i64>,
    ) -> AppResult<MatchInput> {
        // The FEC alone: the matched entries are subtracted below.
        let (aged, book) = self.ledger_aged(store, as_of)?;
        let mut paid: HashMap<(String, String), Decimal> = HashMap::new();
        for e in store.bank_entries(Some("matched"))? {
            if Some(e.id) == except {
                continue;
            }
            for a in e.matched.iter().flat_map(|m| &m.allocations) {
                *paid
                    .entry((a.customer_key.clone(), a.invoice.clone()))
                    .or_default() += a.amount;
            }
        }
        let mut invoices = Vec::new();
        for c in &aged.customers {
            for i in &c.position.open_items {
                let taken = paid
                    .get(&(c.key.clone(), i.piece_ref.clone()))
                    .copied()
                    .unwrap_or_default();
                let still_due = i.residual - taken;
                if still_due > Decimal::ZERO {
                    invoices.push(OpenInvoice {
                        customer: c.key.clone(),
                        number: i.piece_ref.clone(),
                        due_date: i.due_date,
                        still_due,
                    });
                }
            }
        }
        let mut ibans: HashMap<String, Vec<String>> = HashMap::new();
        for (iban, customer) in store.learned_ibans()? {
            ibans.entry(customer).or_default().push(iban);
        }
        let customers: Vec<CustomerClues> = book
            .at(as_of)
            .iter()
            .map(|c| CustomerClues {
                customer: c.customer.key.clone(),
                names: vec![c.customer.name.clone()],
                ibans: ibans.remove(&c.customer.key).unwrap_or_default(),
            })
            .collect();
        let references = crate::payment_reference::PaymentReferences::load(store)?
            .for_matching(customers.iter().map(|c| c.customer.as_str()));
        Ok(MatchInput {
            invoices,
            customers,
            references,
        })
    }

    /// The credit entries, by date; `status` keeps those of one status.
    pub fn bank_entries(&self, status: Option<BankStatus>) -> AppResult<BankEntries> {
        let store = self.store();
        let names: HashMap<String, String> =
            store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        let entries = store
            .bank_entries(status.map(BankStatus::as_str))?
            .iter()
            .filter_map(|e| entry_dto(e, &names).transpose())
            .collect::<AppResult<Vec<_>>>()?;
        Ok(BankEntries { entries })
    }

    /// The statements imported, by account and date.
    pub fn bank_statements(&self) -> AppResult<BankStatements> {
        let store = self.store();
        Ok(BankStatements {
            statements: store.bank_statements()?.iter().map(statement_row).collect(),
        })
    }
}

fn statement_row(s: &StatementRecord) -> BankStatementRow {
    BankStatementRow {
        id: s.id,
        file: s.file_name.clone(),
        sha256: s.content_hash.clone(),
        format: s.format.clone(),
        account: s.account.clone(),
        currency: s.currency.clone(),
        from: s.from,
        to: s.to,
        opening: s.opening.map(format_amount),
        closing: s.closing.map(format_amount),
        entries: s.entries,
        imported_on: s.imported_on,
        imported_by: s.imported_by.clone(),
    }
}

fn json_list<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> AppResult<Vec<T>> {
    serde_json::from_str(text).map_err(|e| AppError::Database(format!("stored {what} unreadable: {e}")))
}

/// The entry as the screens and the CLI show it; none for a debit (no match).
pub(crate) fn entry_dto(e: &EntryRecord, names: &HashMap<String, String>) -> AppResult<Option<BankEntryDto>> {
    let Some(m) = &e.matched else {
        return Ok(None);
    };
    let name = |c: &str| names.get(c).cloned().unwrap_or_default();
    let matches: Vec<BankMatchDto> = m
        .allocations
        .iter()
        .map(|a| BankMatchDto {
            invoice: a.invoice.clone(),
            customer: a.customer_key.clone(),
            customer_name: name(&a.customer_key),
            amount: format_amount(a.amount),
        })
        .collect();
    let allocated: Decimal = m.allocations.iter().map(|a| a.amount).sum();
    let status = BankStatus::parse(&m.status)?;
    let unapplied = match status {
        BankStatus::Matched | BankStatus::OnAccount => e.amount - allocated,
        _ => Decimal::ZERO,
    };
    let suggestions = json_list::<StoredCandidate>("suggestions", &m.suggestions)?
        .into_iter()
        .map(|c| BankSuggestion {
            invoices: c.allocations.iter().map(|a| a.invoice.clone()).collect(),
            customer_name: name(&c.customer),
            score: c.score,
            matches: c
                .allocations
                .iter()
                .map(|a| BankMatchDto {
                    invoice: a.invoice.clone(),
                    customer: c.customer.clone(),
                    customer_name: name(&c.customer),
                    amount: format_amount(a.amount),
                })
                .collect(),
            unapplied: format_amount(c.unapplied),
            reasons: c.reasons,
            customer: c.customer,
        })
        .collect();
    let mut remittance: Vec<String> = json_list("remittance", &e.remittance)?;
    remittance.extend(json_list::<String>("references", &e.references)?);
    Ok(Some(BankEntryDto {
        id: e.identity.clone(),
        number: e.id,
        account: e.account.clone(),
        date: e.booking_date,
        value_date: e.value_date,
        amount: format_amount(e.amount),
        currency: e.currency.clone(),
        label: e.label.clone(),
        counterparty: e.counterparty_name.clone(),
        counterparty_iban: e.counterparty_iban.clone(),
        remittance: remittance.join(" / "),
        status,
        decided_by: m.decided_by.clone(),
        decided_on: m.decided_on,
        user: m.user.clone(),
        customer: m.customer_key.clone(),
        customer_name: m.customer_key.as_deref().map(name),
        matches,
        unapplied: format_amount(unapplied),
        reasons: json_list("reasons", &m.reasons)?,
        suggestions,
    }))
}
