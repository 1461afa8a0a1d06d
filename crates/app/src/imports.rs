//! Import use cases: look at a file (what was detected, what would change), then import it in one transaction.

use crate::dto::{ImportChangesDto, ImportPreview, ImportProgress, ImportWarning};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::{aged_balance, Buckets};
use encaisse_domain::{format_amount, Terms};
use encaisse_import::fec::{read_fec_file, AmountColumns, Encoding, FecBook, FecOptions, Scan};
use encaisse_store::{ImportChanges, LedgerImport};
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct FecImportOptions {
    /// Default payment terms in days net for customers without their own (30 when absent, L441-10).
    pub terms_days: Option<u32>,
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads the file from disk (twice, streaming: a scan, then the records), never holding it whole in memory.
fn parse(path: &Path, progress: &mut dyn FnMut(ImportProgress)) -> AppResult<(FecBook, Scan)> {
    std::fs::metadata(path).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
    let label = file_label(path);
    read_fec_file(path, &label, &FecOptions::default(), &mut |done, total| {
        progress(ImportProgress {
            stage: "read".into(),
            done,
            total,
        })
    })
    .map_err(|e| AppError::InvalidFile(e.to_string()))
}

fn terms(options: &FecImportOptions) -> AppResult<Option<Terms>> {
    match options.terms_days {
        Some(d) if d > 365 => Err(AppError::InvalidInput(format!(
            "--terms-days: {d} is out of range (0 to 365)"
        ))),
        Some(d) => Ok(Some(Terms::Net(d))),
        None => Ok(None),
    }
}

fn preview(path: &Path, book: &FecBook, terms: Terms, changes: &ImportChanges) -> ImportPreview {
    let d = &book.detected;
    // Lines are grouped by customer (see `run_fec`): each customer's lines are one slice.
    let names: std::collections::HashMap<&str, &encaisse_domain::Customer> =
        book.customers.iter().map(|c| (c.key.as_str(), c)).collect();
    let ledger: Vec<_> = book
        .lines
        .chunk_by(|a, b| a.customer_key == b.customer_key)
        .filter_map(|chunk| names.get(chunk[0].customer_key.as_str()).map(|c| (*c, chunk)))
        .collect();
    let open = book
        .period
        .map(|(_, end)| aged_balance(ledger.iter().copied(), terms, &Buckets::default(), end).balance);
    ImportPreview {
        file: path.display().to_string(),
        format: "fec".into(),
        encoding: match d.encoding {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Iso885915 => "ISO 8859-15",
            Encoding::Windows1252 => "Windows-1252",
        }
        .into(),
        separator: if d.separator == '\t' {
            "tab".into()
        } else {
            d.separator.to_string()
        },
        columns: d.columns as u32,
        amounts: match d.amounts {
            AmountColumns::DebitCredit => "debit_credit",
            AmountColumns::MontantSens => "montant_sens",
        }
        .into(),
        line_ending: d.line_ending.into(),
        records: book.records as u32,
        period_start: book.period.map(|p| p.0),
        period_end: book.period.map(|p| p.1),
        siren: book.file_name.as_ref().map(|f| f.siren.clone()),
        customers: book.customers.len() as u32,
        customer_lines: book.lines.len() as u32,
        open_amount: format_amount(open.unwrap_or_default()),
        warnings: book
            .warnings
            .iter()
            .map(|w| ImportWarning {
                message: w.message.clone(),
                count: w.count as u32,
            })
            .collect(),
        changes: changes_dto(changes),
    }
}

pub(crate) fn changes_dto(c: &ImportChanges) -> ImportChangesDto {
    ImportChangesDto {
        unchanged: c.unchanged,
        replaced_demo: c.replaced_demo,
        lines_removed: c.lines_removed as u32,
        lines_added: c.lines_added as u32,
        customers_added: c.customers_added as u32,
        invoices_added: c.invoices_added as u32,
        invoices_kept: c.invoices_kept as u32,
        invoices_missing: c.invoices_missing as u32,
        invoices_back: c.invoices_back as u32,
    }
}

impl App {
    fn run_fec(
        &self,
        path: &Path,
        options: &FecImportOptions,
        dry_run: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> AppResult<ImportPreview> {
        let terms_override = terms(options)?;
        let (mut book, scan) = parse(path, progress)?;
        // One slice per customer, file order kept within each (the open-item rules don't depend on it).
        // Lines are moved once (a permutation), not through a comparison sort of the large structs.
        {
            let mut keys: Vec<&str> = book.customers.iter().map(|c| c.key.as_str()).collect();
            keys.sort_unstable();
            let rank: std::collections::HashMap<&str, u32> =
                keys.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
            let ranks: Vec<u32> = book
                .lines
                .iter()
                .map(|l| rank.get(l.customer_key.as_str()).copied().unwrap_or(u32::MAX))
                .collect();
            let mut order: Vec<usize> = (0..book.lines.len()).collect();
            order.sort_by_key(|&i| (ranks[i], i));
            let mut slots: Vec<Option<encaisse_domain::LedgerLine>> =
                std::mem::take(&mut book.lines).into_iter().map(Some).collect();
            book.lines = order.iter().filter_map(|&i| slots[i].take()).collect();
        }
        book.line_numbers.clear();
        let label = file_label(path);
        let fiscal_year: Option<NaiveDate> = book.period.map(|p| p.0);
        let imp = LedgerImport {
            source: "fec",
            file_name: &label,
            content_hash: &scan.hash,
            siren: book.file_name.as_ref().map(|f| f.siren.as_str()),
            fiscal_year,
            period: book.period,
            customers: &book.customers,
            lines: &book.lines,
            default_terms: terms_override,
            today: self.today(),
        };
        let total = book.lines.len() as u64;
        progress(ImportProgress {
            stage: "write".into(),
            done: 0,
            total,
        });
        let mut store = self.store();
        let terms = match terms_override {
            Some(t) => t,
            None => Self::default_terms(&store)?,
        };
        let changes = store.import_ledger(&imp, dry_run)?;
        progress(ImportProgress {
            stage: "done".into(),
            done: total,
            total,
        });
        Ok(preview(path, &book, terms, &changes))
    }

    /// What the file holds and what importing it would change; nothing is written.
    pub fn inspect_fec(&self, path: &Path, options: &FecImportOptions) -> AppResult<ImportPreview> {
        self.run_fec(path, options, true, &mut |_| {})
    }

    /// Imports an FEC in one transaction: a refused file leaves the database exactly as it was.
    pub fn import_fec(
        &self,
        path: &Path,
        options: &FecImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> AppResult<ImportPreview> {
        self.run_fec(path, options, false, progress)
    }
}
