//! A user's decisions on a credit entry: match it to invoices (split over several, an amount each), undo the
//! match, keep it on a customer's account, ignore it; and removing a statement imported by mistake. Each is
//! audited (before and after) and never replaced by a later automatic match.

use super::{entry_dto, import::to_json, BankEntryDto, BankStatus};
use crate::workflow::parse_amount;
use crate::{App, AppError, AppResult};
use encaisse_domain::format_amount;
use encaisse_store::bank::{BankAllocation, BankMatch, EntryRecord};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use ts_rs::TS;

/// An invoice to put (part of) an entry on; no amount: what the invoice still owes, within what is left of the
/// entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceShare {
    pub invoice: String,
    pub amount: Option<String>,
}

/// What removing a statement took away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankStatementRemoved {
    #[ts(type = "number")]
    pub id: i64,
    pub file: String,
    pub account: String,
    /// Entries no other statement carries, removed with their matches.
    pub entries_removed: u32,
    /// Those of them that were matched, on account or ignored.
    pub decisions_removed: u32,
}

impl InvoiceShare {
    /// `NUM` or `NUM=AMOUNT`, as typed.
    pub fn parse(s: &str) -> AppResult<InvoiceShare> {
        let (invoice, amount) = match s.split_once('=') {
            Some((i, a)) => (i.trim(), Some(a.trim().to_string())),
            None => (s.trim(), None),
        };
        if invoice.is_empty() {
            return Err(AppError::InvalidInput(format!("invoice: '{s}' names no invoice")));
        }
        Ok(InvoiceShare {
            invoice: invoice.to_string(),
            amount,
        })
    }
}

impl App {
    fn credit_entry(&self, entry: &str) -> AppResult<EntryRecord> {
        let store = self.store();
        let e = store
            .bank_entry(entry)?
            .ok_or_else(|| AppError::InvalidInput(format!("bank entry {entry}: no such entry")))?;
        if e.matched.is_none() || e.amount <= Decimal::ZERO {
            return Err(AppError::InvalidInput(format!(
                "bank entry {entry}: a debit of {}, not a customer's payment",
                format_amount(e.amount)
            )));
        }
        Ok(e)
    }

    /// Records a decision, audits it, and returns the entry as it now is.
    fn decide(
        &self,
        e: &EntryRecord,
        status: BankStatus,
        customer: Option<String>,
        allocations: Vec<BankAllocation>,
        action: &str,
    ) -> AppResult<BankEntryDto> {
        let user = self.actor().0;
        let before = e.matched.clone().expect("a credit entry has a match");
        let learn = match (&e.counterparty_iban, &customer) {
            (Some(iban), Some(c)) if matches!(status, BankStatus::Matched | BankStatus::OnAccount) => {
                Some((iban.clone(), c.clone()))
            }
            _ => None,
        };
        let m = BankMatch {
            status: status.as_str().into(),
            customer_key: customer,
            score: None,
            reasons: "[]".into(),
            suggestions: before.suggestions.clone(),
            decided_by: "user".into(),
            user: user.clone(),
            decided_on: self.today(),
            allocations,
        };
        let facts = |m: &BankMatch| {
            json!({
                "status": m.status,
                "customer": m.customer_key,
                "invoices": m.allocations.iter().map(|a| a.invoice.clone()).collect::<Vec<_>>(),
                "allocations": m.allocations.iter().map(|a| json!({
                    "customer": a.customer_key, "invoice": a.invoice, "amount": format_amount(a.amount)
                })).collect::<Vec<_>>(),
                "amount": format_amount(e.amount),
                "date": e.booking_date,
                "decided_by": m.decided_by,
            })
            .to_string()
        };
        {
            // The decision and its audit entry in one transaction.
            let mut guard = self.store();
            let mut store = guard.lock_for_import()?;
            // Provisional receipts are in the book: it reloads once this write is over (book.rs).
            let _written = self.ledger_write();
            store.decide_bank_match(e.id, &m, learn.as_ref().map(|(i, c)| (i.as_str(), c.as_str())))?;
            self.audit_in(
                &store,
                &user,
                "bank_entry",
                &e.identity,
                action,
                Some(facts(&before)),
                Some(facts(&m)),
            )?;
            store.commit()?;
        }
        let store = self.store();
        let names: HashMap<String, String> =
            store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        let now = store
            .bank_entry(&e.id.to_string())?
            .ok_or_else(|| AppError::Database(format!("bank entry {}: gone", e.identity)))?;
        entry_dto(&now, &names)?
            .ok_or_else(|| AppError::Database(format!("bank entry {}: no match", e.identity)))
    }

    /// Puts a credit entry on invoices (one or several: a split), each for the amount given or what it still
    /// owes; what is left of the entry stays on the customer's account. The invoices must be open today, of one
    /// customer, and not owe less than what is put on them. The payer's IBAN is learned for that customer.
    pub fn bank_match(&self, entry: &str, invoices: &[InvoiceShare]) -> AppResult<BankEntryDto> {
        if invoices.is_empty() {
            return Err(AppError::InvalidInput(
                "invoice: name at least one invoice".into(),
            ));
        }
        let e = self.credit_entry(entry)?;
        let input = {
            let store = self.store();
            self.match_input(&store, self.today(), Some(e.id))?
        };
        let mut left = e.amount;
        let mut customer: Option<String> = None;
        let mut allocations: Vec<BankAllocation> = Vec::new();
        for share in invoices {
            let found: Vec<_> = input
                .invoices
                .iter()
                .filter(|i| i.number == share.invoice)
                .collect();
            let inv = match found.as_slice() {
                [one] => *one,
                [] => {
                    return Err(AppError::InvalidInput(format!(
                        "invoice {}: not an open invoice today (unknown, paid, or already settled by bank entries)",
                        share.invoice
                    )))
                }
                _ => {
                    return Err(AppError::InvalidInput(format!(
                        "invoice {}: several customers have an open invoice of that number",
                        share.invoice
                    )))
                }
            };
            match &customer {
                Some(c) if *c != inv.customer => {
                    return Err(AppError::InvalidInput(format!(
                        "invoice {}: of customer {}, not {c}: one payment settles invoices of one customer",
                        inv.number, inv.customer
                    )))
                }
                _ => customer = Some(inv.customer.clone()),
            }
            if allocations.iter().any(|a| a.invoice == inv.number) {
                return Err(AppError::InvalidInput(format!(
                    "invoice {}: named twice",
                    inv.number
                )));
            }
            let amount = match &share.amount {
                Some(a) => {
                    let a = parse_amount(&format!("amount of {}", inv.number), a)?;
                    if a <= Decimal::ZERO {
                        return Err(AppError::InvalidInput(format!(
                            "amount of {}: {a} is not above zero",
                            inv.number
                        )));
                    }
                    if a > inv.still_due {
                        return Err(AppError::InvalidInput(format!(
                            "amount of {}: {} is more than the invoice still owes ({})",
                            inv.number,
                            format_amount(a),
                            format_amount(inv.still_due)
                        )));
                    }
                    a
                }
                None => inv.still_due.min(left),
            };
            if amount > left || amount <= Decimal::ZERO {
                return Err(AppError::InvalidInput(format!(
                    "amount of {}: the entry of {} has only {} left to put on invoices",
                    inv.number,
                    format_amount(e.amount),
                    format_amount(left)
                )));
            }
            left -= amount;
            allocations.push(BankAllocation {
                customer_key: inv.customer.clone(),
                invoice: inv.number.clone(),
                amount,
            });
        }
        self.decide(&e, BankStatus::Matched, customer, allocations, "matched")
    }

    /// Undoes an entry's match (or on-account booking, or ignoring): unmatched, by a user's decision (a
    /// re-import does not match it again).
    pub fn bank_unmatch(&self, entry: &str) -> AppResult<BankEntryDto> {
        let e = self.credit_entry(entry)?;
        self.decide(&e, BankStatus::Unmatched, None, Vec::new(), "unmatched")
    }

    /// Keeps a credit entry on a customer's account, for no invoice yet.
    pub fn bank_on_account(&self, entry: &str, customer: &str) -> AppResult<BankEntryDto> {
        let e = self.credit_entry(entry)?;
        let customer = customer.trim();
        if !self.store().customers()?.iter().any(|c| c.key == customer) {
            return Err(AppError::InvalidInput(format!(
                "customer {customer}: no such customer"
            )));
        }
        self.decide(
            &e,
            BankStatus::OnAccount,
            Some(customer.to_string()),
            Vec::new(),
            "on_account",
        )
    }

    /// Marks a credit entry as not a customer's payment (a transfer between accounts, a refund…).
    pub fn bank_ignore(&self, entry: &str) -> AppResult<BankEntryDto> {
        let e = self.credit_entry(entry)?;
        self.decide(&e, BankStatus::Ignored, None, Vec::new(), "ignored")
    }

    /// Removes a statement imported by mistake, with the entries no other statement carries and their matches
    /// and decisions; audited.
    pub fn bank_remove_statement(&self, id: i64) -> AppResult<BankStatementRemoved> {
        // The removal and its audit entry in one transaction.
        let mut guard = self.store();
        let mut store = guard.lock_for_import()?;
        let _written = self.ledger_write(); // the book's provisional receipts change (book.rs)
        let removed = store.remove_statement(id)?;
        let s = &removed.statement;
        let after = json!({
            "file": s.file_name,
            "sha256": s.content_hash,
            "account": s.account,
            "from": s.from,
            "to": s.to,
            "entries_removed": removed.entries_removed,
            "decisions_removed": removed.decisions_removed,
        });
        self.audit_in(
            &store,
            "",
            "bank_statement",
            &id.to_string(),
            "removed",
            None,
            Some(to_json(&after)),
        )?;
        store.commit()?;
        Ok(BankStatementRemoved {
            id,
            file: s.file_name.clone(),
            account: s.account.clone(),
            entries_removed: removed.entries_removed,
            decisions_removed: removed.decisions_removed,
        })
    }
}
