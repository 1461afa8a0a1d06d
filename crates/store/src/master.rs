//! Customer master data from a customers file, and e-invoices put into the ledger. Each call is one transaction:
//! a dry run computes everything, then rolls back.

use crate::db::{params, Conn, Optional};
use crate::{insert_customer, minor, Result, Store};
use chrono::NaiveDate;
use encaisse_domain::money::Currency;
use encaisse_domain::{Customer, Terms};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Removes the demo company if the database holds it (as every real import does). True when it did.
pub(crate) fn drop_demo(tx: &Conn) -> Result<bool> {
    let demo = tx
        .query_row("SELECT value FROM setting WHERE key = 'demo_company'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .is_some();
    if demo {
        tx.execute_batch(
            "DELETE FROM note; DELETE FROM ledger_line; DELETE FROM invoice; DELETE FROM import_batch;
             DELETE FROM customer; DELETE FROM company; DELETE FROM setting WHERE key = 'demo_company';",
        )?;
    }
    Ok(demo)
}

/// The company's currency; creates the company (EUR) when the database has none yet, as the FEC import does.
pub(crate) fn company_currency(tx: &Conn) -> Result<Currency> {
    let currency: Option<String> = tx
        .query_row("SELECT currency FROM company WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    match currency {
        Some(c) => Ok(Currency(c)),
        None => {
            tx.execute(
                "INSERT INTO company (id, name, currency) VALUES (1, 'Ma société', 'EUR')",
                [],
            )?;
            Ok(Currency::eur())
        }
    }
}

/// One customer of a customers file. `None`: the file says nothing, an existing customer keeps its value;
/// `Some(None)`: the value is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerUpdate {
    pub key: String,
    pub name: String,
    pub siren: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub terms: Option<Option<Terms>>,
    pub credit_limit: Option<Option<Decimal>>,
    pub segment: Option<Option<String>>,
    pub collector: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerAction {
    Added,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerChange {
    pub key: String,
    pub action: CustomerAction,
    /// The fields whose value changes (for an update).
    pub fields: Vec<&'static str>,
    /// An updated customer as it was and as it becomes (for the audit trail).
    pub before: Option<Customer>,
    pub after: Option<Customer>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerChanges {
    pub replaced_demo: bool,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub customers: Vec<CustomerChange>,
}

fn apply(c: &mut Customer, u: &CustomerUpdate) -> Vec<&'static str> {
    let mut changed = Vec::new();
    fn set<T: PartialEq + Clone>(
        field: &mut T,
        value: &Option<T>,
        name: &'static str,
        changed: &mut Vec<&'static str>,
    ) {
        if let Some(v) = value {
            if field != v {
                *field = v.clone();
                changed.push(name);
            }
        }
    }
    set(&mut c.name, &Some(u.name.clone()), "name", &mut changed);
    set(&mut c.siren, &u.siren, "siren", &mut changed);
    set(&mut c.address, &u.address, "address", &mut changed);
    set(&mut c.email, &u.email, "email", &mut changed);
    set(&mut c.phone, &u.phone, "phone", &mut changed);
    set(&mut c.terms, &u.terms, "terms", &mut changed);
    set(&mut c.credit_limit, &u.credit_limit, "credit_limit", &mut changed);
    set(&mut c.segment, &u.segment, "segment", &mut changed);
    set(&mut c.collector, &u.collector, "collector", &mut changed);
    changed
}

impl Store {
    /// Creates or updates customers by key, setting only the fields the file has. Never touches ledger lines,
    /// invoices or notes (except that the demo company, if present, is removed as every real import does).
    pub fn upsert_customers(&mut self, updates: &[CustomerUpdate], dry_run: bool) -> Result<CustomerChanges> {
        let existing: HashMap<String, Customer> = self
            .customers()?
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
        // A savepoint: part of the write lock's transaction when an import holds it (lock.rs).
        let tx = self.conn.transaction()?;
        let mut changes = CustomerChanges {
            replaced_demo: drop_demo(&tx)?,
            ..CustomerChanges::default()
        };
        let currency = company_currency(&tx)?;
        let mut update = tx.prepare(
            "UPDATE customer SET name = ?2, siren = ?3, address = ?4, email = ?5, phone = ?6, terms = ?7,
                    credit_limit_minor = ?8, segment = ?9, collector = ?10
             WHERE key = ?1",
        )?;
        for u in updates {
            let known = (!changes.replaced_demo).then(|| existing.get(&u.key)).flatten();
            match known {
                Some(before) => {
                    let mut c = before.clone();
                    let fields = apply(&mut c, u);
                    let updated = (!fields.is_empty()).then(|| (before.clone(), c.clone()));
                    let action = if fields.is_empty() {
                        changes.unchanged += 1;
                        CustomerAction::Unchanged
                    } else {
                        let limit = c
                            .credit_limit
                            .map(|l| minor(l, &currency, || format!("credit limit of customer {}", c.key)))
                            .transpose()?;
                        update.execute(params![
                            c.key,
                            c.name,
                            c.siren,
                            c.address,
                            c.email,
                            c.phone,
                            c.terms.map(|t| t.to_string()),
                            limit,
                            c.segment,
                            c.collector
                        ])?;
                        changes.updated += 1;
                        CustomerAction::Updated
                    };
                    let (before, after) = updated.unzip();
                    changes.customers.push(CustomerChange {
                        key: u.key.clone(),
                        action,
                        fields,
                        before,
                        after,
                    });
                }
                None => {
                    let mut c = Customer::new(u.key.clone(), u.name.clone());
                    apply(&mut c, u);
                    insert_customer(&tx, &c, &currency)?;
                    changes.added += 1;
                    changes.customers.push(CustomerChange {
                        key: u.key.clone(),
                        action: CustomerAction::Added,
                        fields: Vec::new(),
                        before: None,
                        after: None,
                    });
                }
            }
        }
        drop(update);
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(changes)
    }
}

// -------------------------------------------------------------------------------------------------------------
// E-invoices

/// What the ledger needs of one e-invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoiceEntry {
    pub file_name: String,
    pub content_hash: String,
    pub number: String,
    pub credit_note: bool,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub buyer_name: String,
    pub buyer_siren: Option<String>,
    /// Amount due as written (positive, for a credit note too).
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoiceOutcome {
    pub customer_key: String,
    /// False: an invoice with this number was found for the buyer.
    pub created: bool,
    pub customer_created: bool,
    /// Found by its number alone: no customer has the buyer's SIREN or name, one customer has this invoice.
    pub matched_by_number: bool,
    /// The due date of the invoice's lines changed.
    pub due_date_changed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EInvoiceChanges {
    pub replaced_demo: bool,
    pub outcomes: Vec<EInvoiceOutcome>,
}

struct KnownCustomer {
    key: String,
    name: String,
    siren: Option<String>,
}

/// A customer key made from a name: upper-case letters and digits, at most 20.
fn key_from_name(name: &str) -> String {
    let k: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .take(20)
        .collect();
    if k.is_empty() {
        "CLIENT".into()
    } else {
        k
    }
}

impl Store {
    /// Puts e-invoices into the ledger, in order, in one transaction. Each is looked for by its number among the
    /// buyer's invoices (the customer whose SIREN is the buyer's, else whose name is the buyer's whatever the case;
    /// when no customer is the buyer, the one customer with an invoice of that number). Found: its due date (BT-9)
    /// is set on its lines and remembered on the invoice, so it overrides the terms and survives re-imports. Not
    /// found: the invoice (debit) or credit note (credit) is created in journal VE, with the customer if unknown.
    pub fn apply_einvoices(
        &mut self,
        entries: &[EInvoiceEntry],
        today: NaiveDate,
        dry_run: bool,
    ) -> Result<EInvoiceChanges> {
        // A savepoint: part of the write lock's transaction when an import holds it (lock.rs).
        let tx = self.conn.transaction()?;
        let mut changes = EInvoiceChanges {
            replaced_demo: drop_demo(&tx)?,
            ..EInvoiceChanges::default()
        };
        let currency = company_currency(&tx)?;
        let mut customers: Vec<KnownCustomer> = {
            let mut stmt = tx.prepare("SELECT key, name, siren FROM customer ORDER BY key")?;
            let rows = stmt.query_map([], |r| {
                Ok(KnownCustomer {
                    key: r.get(0)?,
                    name: r.get(1)?,
                    siren: r.get(2)?,
                })
            })?;
            rows.collect::<crate::Result<_>>()?
        };
        for e in entries {
            let outcome = apply_one(&tx, e, &mut customers, &currency, today)?;
            changes.outcomes.push(outcome);
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(changes)
    }
}

fn apply_one(
    tx: &Conn,
    e: &EInvoiceEntry,
    customers: &mut Vec<KnownCustomer>,
    currency: &Currency,
    today: NaiveDate,
) -> Result<EInvoiceOutcome> {
    let wanted_name = e.buyer_name.trim().to_lowercase();
    let by_siren: Vec<&str> = e
        .buyer_siren
        .as_deref()
        .map(|s| {
            customers
                .iter()
                .filter(|c| c.siren.as_deref() == Some(s))
                .map(|c| c.key.as_str())
                .collect()
        })
        .unwrap_or_default();
    let buyers: Vec<String> = if by_siren.is_empty() {
        customers
            .iter()
            .filter(|c| c.name.trim().to_lowercase() == wanted_name)
            .map(|c| c.key.clone())
            .collect()
    } else {
        by_siren.into_iter().map(str::to_string).collect()
    };
    // Customers holding a document with this number and this direction (lines, or an invoice marked missing).
    let sign = if e.credit_note { "<" } else { ">" };
    let mut holders: BTreeMap<String, ()> = BTreeMap::new();
    {
        let mut stmt = tx.prepare(&format!(
            "SELECT DISTINCT customer_key FROM ledger_line WHERE piece_ref = ?1 AND amount_minor {sign} 0"
        ))?;
        for k in stmt.query_map([&e.number], |r| r.get::<_, String>(0))? {
            holders.insert(k?, ());
        }
        if !e.credit_note {
            let mut stmt = tx.prepare("SELECT DISTINCT customer_key FROM invoice WHERE piece_ref = ?1")?;
            for k in stmt.query_map([&e.number], |r| r.get::<_, String>(0))? {
                holders.insert(k?, ());
            }
        }
    }
    let found = buyers.iter().find(|k| holders.contains_key(k.as_str())).cloned();
    let (found, by_number) = match found {
        Some(k) => (Some(k), false),
        None if buyers.is_empty() && holders.len() == 1 => (holders.keys().next().cloned(), true),
        None => (None, false),
    };
    if let Some(key) = found {
        let mut changed = 0;
        if let (Some(due), false) = (e.due_date, e.credit_note) {
            changed += tx.execute(
                "UPDATE ledger_line SET due_date = ?1
                 WHERE customer_key = ?2 AND piece_ref = ?3 AND amount_minor > 0 AND due_date IS DISTINCT FROM ?1",
                params![due, key, e.number],
            )?;
            changed += tx.execute(
                "UPDATE invoice SET due_date = ?1 WHERE customer_key = ?2 AND piece_ref = ?3 AND due_date IS DISTINCT FROM ?1",
                params![due, key, e.number],
            )?;
        }
        return Ok(EInvoiceOutcome {
            customer_key: key,
            created: false,
            customer_created: false,
            matched_by_number: by_number,
            due_date_changed: changed > 0,
        });
    }

    let (key, customer_created) = match buyers.first() {
        Some(k) => (k.clone(), false),
        None => {
            let base = match &e.buyer_siren {
                Some(s) => format!("SIREN{s}"),
                None => key_from_name(&e.buyer_name),
            };
            let mut key = base.clone();
            let mut n = 1;
            while customers.iter().any(|c| c.key == key) {
                n += 1;
                key = format!("{base}-{n}");
            }
            let mut c = Customer::new(key.clone(), e.buyer_name.trim());
            c.siren = e.buyer_siren.clone();
            insert_customer(tx, &c, currency)?;
            customers.push(KnownCustomer {
                key: key.clone(),
                name: c.name,
                siren: c.siren,
            });
            (key, true)
        }
    };
    let batch: i64 = tx.query_row(
        "INSERT INTO import_batch (source, file_name, content_hash, fiscal_year, period_start, period_end,
                                   imported_on, lines, customers)
         VALUES ('einvoice', ?1, ?2, NULL, ?3, ?3, ?4, 1, ?5)
             RETURNING id",
        params![
            e.file_name,
            e.content_hash,
            e.issue_date,
            today,
            i64::from(customer_created)
        ],
        |r| r.get(0),
    )?;
    let amount = minor(e.amount, currency, || format!("e-invoice {}", e.number))?;
    let (amount, invoice) = if e.credit_note {
        (-amount, None)
    } else {
        let id: i64 = tx.query_row(
            "INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, source, due_date)
             VALUES (?1, ?2, ?3, ?4, NULL, 'einvoice', ?5) RETURNING id",
            params![key, e.number, e.issue_date, amount, e.due_date],
            |r| r.get(0),
        )?;
        (amount, Some(id))
    };
    let label = if e.credit_note { "Avoir" } else { "Facture" };
    tx.execute(
        "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                  amount_minor, currency, letter, letter_date, due_date, fiscal_year, batch_id,
                                  invoice_id)
         VALUES (?1, 'VE', ?2, ?3, ?2, ?3, ?4, ?5, ?6, NULL, NULL, ?7, NULL, ?8, ?9)",
        params![
            key,
            e.number,
            e.issue_date,
            format!("{label} {} (e-invoice)", e.number),
            amount,
            currency.0,
            e.due_date,
            batch,
            invoice
        ],
    )?;
    Ok(EInvoiceOutcome {
        customer_key: key,
        created: true,
        customer_created,
        matched_by_number: false,
        due_date_changed: e.due_date.is_some() && !e.credit_note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_names() {
        assert_eq!(
            key_from_name("Boulangerie Martin & Fils SAS"),
            "BOULANGERIEMARTINFIL"
        );
        assert_eq!(key_from_name("Éé"), "CLIENT");
    }
}
