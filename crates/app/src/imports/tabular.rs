//! Customers and open-invoices files (CSV or workbook) through a column mapping: look at a file (what was
//! detected, the mapping, the problems, what would change), then import it in one transaction.
//!
//! Choices:
//! - The mapping used by a successful import is saved (settings `mapping.customers` / `mapping.invoices`, JSON,
//!   the last 20 header sets) and chosen again for a file with the same headers; the user's overrides come first.
//! - Customers are upserted by key: the file's mapped fields are set, the others kept; ledger lines, invoices and
//!   notes are never touched.
//! - Open invoices become ledger lines of source `csv` with no fiscal year (they belong to no FEC year and show in
//!   every year's positions). Each invoice is a debit in journal VE (piece ref = its number, piece date = its
//!   date, due date = the file's, which overrides the terms); an amount already paid is a credit dated the import
//!   day, lettered with the invoice (letter `csv:NUMBER`), so the open-item rules leave amount − paid. Importing
//!   another open-invoices file replaces the previous one's lines and keeps invoice identities (customer +
//!   number, then date and amount), marking invoices no longer listed as missing; the same file twice (with the
//!   same mapping) changes nothing. A negative amount is a credit note (an unapplied credit).
//! - As every real import, either removes the demo company.

use crate::imports::changes_dto;
use crate::imports::tabular_preview::{
    preview_of, CustomerFieldsChanged, FieldHeader, TabularChanges, TabularPreview,
};
use crate::{App, AppError, AppResult};
use encaisse_domain::{format_amount, Customer, LedgerLine};
use encaisse_import::tabular::{
    map_columns, read_customers, read_open_invoices, read_table, workbook_sheets, Field, FieldChoice,
    MappedBy, OpenInvoiceRecord, SavedMapping, Table, CUSTOMER_FIELDS, INVOICE_FIELDS,
};
use encaisse_import::ImportErrors;
use encaisse_store::master::{CustomerAction, CustomerUpdate};
use encaisse_store::{LedgerImport, Store};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

/// How to read a customers or open-invoices file: the user's column choices and the workbook sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TabularOptions {
    /// Overrides of the detected mapping: `{field, header}`; an empty header leaves the field out.
    pub mapping: Vec<FieldHeader>,
    /// A workbook's sheet by name (the first sheet when absent).
    pub sheet: Option<String>,
}

pub(crate) const SAMPLE_ROWS: usize = 20;

pub(crate) const SAVED_MAPPINGS: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Customers,
    Invoices,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Invoices => "invoices",
        }
    }
    fn fields(self) -> &'static [Field] {
        match self {
            Kind::Customers => CUSTOMER_FIELDS,
            Kind::Invoices => INVOICE_FIELDS,
        }
    }
    fn setting(self) -> String {
        format!("mapping.{}", self.name())
    }
}

/// A file read as far as it goes: the table, the mapping (every field, even when the file is refused), the
/// workbook's sheets, and the problems.
pub(crate) struct Read {
    pub(crate) table: Option<Table>,
    pub(crate) choices: Vec<FieldChoice>,
    pub(crate) sheets: Vec<String>,
    pub(crate) errors: Option<ImportErrors>,
}

pub(crate) fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub(crate) fn saved_mappings(store: &Store, kind: Kind) -> AppResult<Vec<SavedMapping>> {
    // A setting that no longer reads (written by hand, older format) is ignored rather than blocking imports.
    Ok(store
        .setting(&kind.setting())?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

impl Read {
    /// The records of a table read without problems; the reader's problems join `errors`.
    fn records<T>(
        &mut self,
        reader: impl FnOnce(&Table, &[FieldChoice]) -> Result<Vec<T>, ImportErrors>,
    ) -> Vec<T> {
        match (&self.table, &self.errors) {
            (Some(t), None) => reader(t, &self.choices).unwrap_or_else(|e| {
                self.errors = Some(e);
                Vec::new()
            }),
            _ => Vec::new(),
        }
    }
}

pub(crate) fn save_mapping(
    store: &Store,
    kind: Kind,
    table: &Table,
    choices: &[FieldChoice],
) -> AppResult<()> {
    let new = SavedMapping::from_choices(table, choices);
    let mut all = saved_mappings(store, kind)?;
    all.retain(|m| m.headers != new.headers);
    all.insert(0, new);
    all.truncate(SAVED_MAPPINGS);
    let json = serde_json::to_string(&all).map_err(|e| AppError::Database(e.to_string()))?;
    store.set_setting(&kind.setting(), &json)?;
    Ok(())
}

pub(crate) fn overrides(options: &TabularOptions) -> Vec<(String, String)> {
    options
        .mapping
        .iter()
        .map(|m| (m.field.clone(), m.header.clone()))
        .collect()
}

pub(crate) fn by_name(by: MappedBy) -> &'static str {
    match by {
        MappedBy::Detected => "detected",
        MappedBy::Saved => "saved",
        MappedBy::User => "user",
        MappedBy::None => "none",
    }
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn customer_update(r: encaisse_import::tabular::CustomerRecord) -> CustomerUpdate {
    CustomerUpdate {
        key: r.key,
        name: r.name,
        siren: r.siren,
        address: r.address,
        email: r.email,
        phone: r.phone,
        terms: r.terms,
        credit_limit: r.credit_limit,
        segment: r.segment,
        collector: r.collector,
    }
}

/// The ledger lines of an open-invoices file: a debit (or a credit note's credit) per row, and a credit lettered
/// with it for what was already paid.
pub(crate) fn invoice_lines(
    records: &[OpenInvoiceRecord],
    today: chrono::NaiveDate,
) -> (Vec<Customer>, Vec<LedgerLine>) {
    let mut customers: BTreeMap<&str, Customer> = BTreeMap::new();
    let mut lines = Vec::with_capacity(records.len() * 2);
    for r in records {
        let c = customers
            .entry(r.customer_key.as_str())
            .or_insert_with(|| Customer::new(r.customer_key.clone(), r.customer_key.clone()));
        if let (Some(name), true) = (&r.customer_name, c.name == c.key) {
            c.name = name.clone();
        }
        let paid = r.paid > Decimal::ZERO;
        let letter = paid.then(|| format!("csv:{}", r.number));
        let credit_note = r.amount < Decimal::ZERO;
        lines.push(LedgerLine {
            customer_key: r.customer_key.clone(),
            journal: "VE".into(),
            entry_num: r.number.clone(),
            entry_date: r.invoice_date,
            piece_ref: r.number.clone(),
            piece_date: Some(r.invoice_date),
            label: format!("{} {}", if credit_note { "Avoir" } else { "Facture" }, r.number),
            amount: r.amount,
            letter: letter.clone(),
            letter_date: paid.then_some(today),
            due_date: r.due_date,
        });
        if paid {
            lines.push(LedgerLine {
                customer_key: r.customer_key.clone(),
                journal: "RG".into(),
                entry_num: format!("RG-{}", r.number),
                entry_date: today,
                piece_ref: r.number.clone(),
                piece_date: Some(today),
                label: format!("Règlement {}", r.number),
                amount: -r.paid,
                letter,
                letter_date: Some(today),
                due_date: None,
            });
        }
    }
    (customers.into_values().collect(), lines)
}

impl App {
    pub(crate) fn read_tabular(
        &self,
        store: &Store,
        path: &Path,
        kind: Kind,
        options: &TabularOptions,
    ) -> AppResult<(Read, Vec<u8>)> {
        let bytes = std::fs::read(path).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
        let label = file_label(path);
        let sheets = workbook_sheets(&bytes);
        let table = match read_table(&label, &bytes, options.sheet.as_deref()) {
            Ok(t) => t,
            Err(e) => {
                return Ok((
                    Read {
                        table: None,
                        choices: Vec::new(),
                        sheets,
                        errors: Some(e),
                    },
                    bytes,
                ))
            }
        };
        let saved = saved_mappings(store, kind)?;
        let fitting = saved.iter().find(|m| m.fits(&table));
        // Every field comes back even when the mapping is refused, so the screen can show what is missing.
        let (choices, errors) = map_columns(&table, kind.fields(), fitting, &overrides(options));
        Ok((
            Read {
                table: Some(table),
                choices,
                sheets,
                errors: (!errors.is_empty()).then_some(ImportErrors(errors)),
            },
            bytes,
        ))
    }

    pub(crate) fn run_customers(
        &self,
        path: &Path,
        options: &TabularOptions,
        dry_run: bool,
    ) -> AppResult<TabularPreview> {
        let mut guard = self.store();
        // The write lock before the file is read: a second import stops here, never after parsing (lock.rs).
        let mut store = guard.lock_for_import()?;
        let _written = self.ledger_write(); // the reports' cache reloads after this write
        let (mut read, bytes) = self.read_tabular(&store, path, Kind::Customers, options)?;
        let records = read.records(read_customers);
        let mut preview = preview_of(path, Kind::Customers, &read);
        preview.customers = count(records.len());
        if let Some(e) = read.errors {
            return if dry_run {
                Ok(preview)
            } else {
                Err(AppError::refused(&e.0))
            };
        }
        let updates: Vec<CustomerUpdate> = records.into_iter().map(customer_update).collect();
        let changes = store.upsert_customers(&updates, dry_run)?;
        if !dry_run {
            if let Some(t) = &read.table {
                save_mapping(&store, Kind::Customers, t, &read.choices)?;
            }
            if changes.added + changes.updated > 0 || changes.replaced_demo {
                let hash = encaisse_import::content_hash(&bytes);
                self.audit_customers_file(&store, &file_label(path), &hash, &changes)?;
            }
        }
        store.commit()?;
        preview.changes = Some(TabularChanges {
            replaced_demo: changes.replaced_demo,
            customers_added: count(changes.added as usize),
            customers_updated: changes
                .customers
                .iter()
                .filter(|c| c.action == CustomerAction::Updated)
                .map(|c| CustomerFieldsChanged {
                    key: c.key.clone(),
                    fields: c.fields.iter().map(|f| f.to_string()).collect(),
                })
                .collect(),
            customers_unchanged: count(changes.unchanged as usize),
            ledger: None,
        });
        Ok(preview)
    }

    pub(crate) fn run_invoices(
        &self,
        path: &Path,
        options: &TabularOptions,
        dry_run: bool,
    ) -> AppResult<TabularPreview> {
        let mut guard = self.store();
        // The write lock before the file is read: a second import stops here, never after parsing (lock.rs).
        let mut store = guard.lock_for_import()?;
        let _written = self.ledger_write(); // the reports' cache reloads after this write
        let (mut read, bytes) = self.read_tabular(&store, path, Kind::Invoices, options)?;
        let records = read.records(read_open_invoices);
        let mut preview = preview_of(path, Kind::Invoices, &read);
        if let Some(e) = read.errors {
            return if dry_run {
                Ok(preview)
            } else {
                Err(AppError::refused(&e.0))
            };
        }
        let today = self.today();
        let (customers, lines) = invoice_lines(&records, today);
        preview.customers = count(customers.len());
        preview.invoices = count(records.len());
        preview.open_amount = Some(format_amount(records.iter().map(|r| r.amount - r.paid).sum()));
        // The same bytes read through another mapping are another import.
        let mapping: Vec<(&str, Option<&str>)> = read
            .choices
            .iter()
            .map(|c| (c.field, c.header.as_deref()))
            .collect();
        let mut fingerprint = bytes;
        fingerprint.extend_from_slice(format!("{mapping:?}").as_bytes());
        let hash = encaisse_import::content_hash(&fingerprint);
        let period = records.iter().map(|r| r.invoice_date).fold(None, |p, d| match p {
            None => Some((d, d)),
            Some((a, b)) => Some((d.min(a), d.max(b))),
        });
        let label = file_label(path);
        let imp = LedgerImport {
            source: "csv",
            file_name: &label,
            content_hash: &hash,
            siren: None,
            fiscal_year: None,
            period,
            customers: &customers,
            lines: &lines,
            default_terms: None,
            today,
        };
        let changes = store.import_ledger(&imp, dry_run)?;
        if !dry_run {
            if let Some(t) = &read.table {
                save_mapping(&store, Kind::Invoices, t, &read.choices)?;
            }
            if !changes.unchanged {
                self.audit_ledger_import(&store, "invoices", &label, &changes)?;
            }
        }
        store.commit()?;
        preview.changes = Some(TabularChanges {
            replaced_demo: changes.replaced_demo,
            customers_added: count(changes.customers_added as usize),
            customers_updated: Vec::new(),
            customers_unchanged: 0,
            ledger: Some(changes_dto(&changes)),
        });
        Ok(preview)
    }

    /// What a customers file holds as read through the mapping (detected, saved or given), its problems and
    /// what importing it would change. Nothing is written; problems are in `errors`, not an error.
    pub fn inspect_customers_file(&self, path: &Path, options: &TabularOptions) -> AppResult<TabularPreview> {
        self.run_customers(path, options, true)
    }

    /// Imports a customers file in one transaction: a refused file (every problem as `file:line: field:
    /// reason`) changes nothing. The mapping used is saved for the next file with the same headers.
    pub fn import_customers_file(&self, path: &Path, options: &TabularOptions) -> AppResult<TabularPreview> {
        self.run_customers(path, options, false)
    }

    /// As [`App::inspect_customers_file`], for an open-invoices file.
    pub fn inspect_invoices_file(&self, path: &Path, options: &TabularOptions) -> AppResult<TabularPreview> {
        self.run_invoices(path, options, true)
    }

    /// Imports an open-invoices file in one transaction (see the module's choices).
    pub fn import_invoices_file(&self, path: &Path, options: &TabularOptions) -> AppResult<TabularPreview> {
        self.run_invoices(path, options, false)
    }
}
