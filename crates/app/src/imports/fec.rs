//! Import use cases: look at a file (what was detected, what would change), then import it in one transaction.

use crate::imports::ImportProgress;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::{format_amount, Terms};
use encaisse_import::fec::{
    fingerprint_file, read_fec_stream, scan_file_text, AmountColumns, Encoding, FecBatch, FecBook, FecOptions,
};
use encaisse_import::{ImportError, ImportErrors};
use encaisse_store::{ImportChanges, ImportEnd, ImportStart, LedgerWriter, Step, Store};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// What an FEC holds, as detected, and what importing it changes (or would change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub file: String,
    /// "fec"
    pub format: String,
    /// "UTF-8", "UTF-8 (BOM)", "ISO 8859-15", "Windows-1252"
    pub encoding: String,
    /// "tab" or "|"
    pub separator: String,
    pub columns: u32,
    /// "debit_credit" or "montant_sens"
    pub amounts: String,
    /// "LF", "CRLF", "CR CR LF", "CR"
    pub line_ending: String,
    /// Records after the header.
    pub records: u32,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The company's SIREN from the file name.
    pub siren: Option<String>,
    pub customers: u32,
    pub customer_lines: u32,
    /// Receivables of the file alone at the end of its period.
    pub open_amount: String,
    pub warnings: Vec<ImportWarning>,
    pub changes: ImportChangesDto,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportWarning {
    pub message: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportChangesDto {
    /// The same file was already imported: nothing changes.
    pub unchanged: bool,
    /// The demo company is removed.
    pub replaced_demo: bool,
    pub lines_removed: u32,
    pub lines_added: u32,
    pub customers_added: u32,
    pub invoices_added: u32,
    pub invoices_kept: u32,
    /// Invoices no longer in the file: marked, never deleted with their history.
    pub invoices_missing: u32,
    pub invoices_back: u32,
}

#[derive(Debug, Clone, Default)]
pub struct FecImportOptions {
    /// Default payment terms in days net for customers without their own (30 when absent, L441-10).
    pub terms_days: Option<u32>,
    /// The company's SIREN, for a file whose name carries none (9 digits); must match the file name's when both.
    pub siren: Option<String>,
}

pub(crate) fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub(crate) fn terms(options: &FecImportOptions) -> AppResult<Option<Terms>> {
    match options.terms_days {
        Some(d) if d > 365 => Err(AppError::InvalidInput(format!(
            "terms days: {d} is out of range (0 to 365)"
        ))),
        Some(d) => Ok(Some(Terms::Net(d))),
        None => Ok(None),
    }
}

pub(crate) fn preview(
    path: &Path,
    book: &FecBook,
    open: Option<Decimal>,
    customer_lines: usize,
    changes: &ImportChanges,
) -> ImportPreview {
    let d = &book.detected;
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
        customer_lines: customer_lines as u32,
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

/// The SIREN the file is imported under: the one given (9 digits, spaces ignored) or its name's; both must agree.
pub(crate) fn siren(label: &str, options: &FecImportOptions) -> AppResult<Option<String>> {
    let named = encaisse_import::fec::parse_file_name(label).map(|f| f.siren);
    let given = match options.siren.as_deref().map(|s| s.replace(' ', "")) {
        None => return Ok(named),
        Some(s) if s.is_empty() => return Ok(named),
        Some(s) if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) => s,
        Some(s) => {
            return Err(AppError::InvalidInput(format!(
                "siren: '{s}' is not a SIREN (9 digits)"
            )))
        }
    };
    match named {
        Some(n) if n != given => Err(AppError::InvalidInput(format!(
            "siren: the file name {label} carries SIREN {n}, not {given}"
        ))),
        _ => Ok(Some(given)),
    }
}

/// What the reading thread hands the writing one.
pub(crate) enum Read {
    /// The file's fingerprint.
    Scanned(String),
    Progress(u64, u64),
    Lines(FecBatch),
}

/// The reading side: the encoding, then the records, handed over in batches (and written over again once the
/// writer gave them back), while another thread takes the file's fingerprint and hands it over when done.
/// Returns the book (without its lines).
pub(crate) fn read_fec(
    path: &Path,
    label: &str,
    sender: std::sync::mpsc::SyncSender<Read>,
    given_back: std::sync::mpsc::Receiver<FecBatch>,
) -> Result<FecBook, ImportErrors> {
    let io = |e: std::io::Error| ImportErrors(vec![ImportError::new(label, 0, "file", e.to_string())]);
    std::thread::scope(|scope| {
        let hashing = scope.spawn({
            let sender = sender.clone();
            move || {
                fingerprint_file(path).map(|(hash, _)| {
                    let _ = sender.send(Read::Scanned(hash));
                })
            }
        });
        let book = scan_file_text(path).map_err(io).and_then(|scan| {
            let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(io)?);
            read_fec_stream(
                label,
                file,
                &scan,
                &FecOptions::default(),
                &mut |done, total| {
                    let _ = sender.send(Read::Progress(done, total));
                },
                &mut |batch| {
                    let _ = sender.send(Read::Lines(batch));
                    given_back.try_recv().ok()
                },
            )
        });
        let hashed = hashing
            .join()
            .map_err(|_| io(std::io::Error::other("the fingerprint's thread failed")))
            .and_then(|h| h.map_err(io));
        let book = book?;
        hashed?;
        Ok(book)
    })
}

/// About the size of an FEC record: a file's size over it is about its number of lines.
const FEC_RECORD_BYTES: u64 = 120;

/// The writer's ends of its channels with the reader: what it reads, and the batches it is done with.
pub(crate) struct ReaderChannels {
    pub(crate) received: std::sync::mpsc::Receiver<Read>,
    pub(crate) give_back: std::sync::mpsc::Sender<FecBatch>,
    /// The file's size in bytes (about its number of lines, for the bulk rule).
    pub(crate) size: u64,
}

/// The writing side: one transaction, fed batch by batch; returned unfinished (the caller commits once the
/// reader said the whole file is valid) with the number of lines written and their sum.
pub(crate) fn write_fec<'s>(
    store: &'s mut Store,
    label: &str,
    siren: Option<&str>,
    terms_override: Option<Terms>,
    today: NaiveDate,
    reader: &ReaderChannels,
    progress: &mut dyn FnMut(ImportProgress),
) -> AppResult<(LedgerWriter<'s>, usize, Decimal)> {
    let received = &reader.received;
    // Begun before the file's fingerprint is known (it is taken beside the reading, and arrives while the first
    // batches are written): the same bytes as the latest import then make it unchanged, rolled back by `finish`.
    let mut writer = store.begin_ledger_import(&ImportStart {
        source: "fec",
        file_name: label,
        content_hash: None,
        siren,
        default_terms: terms_override,
        today,
        expected_lines: reader.size / FEC_RECORD_BYTES,
    })?;
    let (mut lines, mut balance) = (0, Decimal::ZERO);
    writer.add_all(
        |done: Option<FecBatch>| {
            // Back to the reader, which writes the next lines over these (a reader already done drops it).
            if let Some(batch) = done {
                let _ = reader.give_back.send(batch);
            }
            for message in received {
                match message {
                    Read::Progress(done, total) => progress(ImportProgress {
                        stage: "read".into(),
                        done,
                        total,
                    }),
                    Read::Scanned(hash) => return Some(Step::Fingerprint(hash)),
                    Read::Lines(batch) => {
                        lines += batch.lines.len();
                        balance += batch.lines.iter().map(|l| l.amount).sum::<Decimal>();
                        return Some(Step::Batch(batch));
                    }
                }
            }
            None
        },
        |batch| (&batch.customers[..], &batch.lines[..], batch.period.map(|p| p.0)),
    )?;
    Ok((writer, lines, balance))
}

impl App {
    /// Reads the file on one thread while this one writes what was read (both streaming: the file is never held
    /// whole, and nothing is committed before the last line was checked).
    pub(crate) fn run_fec(
        &self,
        path: &Path,
        options: &FecImportOptions,
        dry_run: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> AppResult<ImportPreview> {
        let terms_override = terms(options)?;
        let size = std::fs::metadata(path)
            .map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?
            .len();
        let label = file_label(path);
        let siren = siren(&label, options)?;
        let mut guard = self.store();
        // The write lock before the file is read: a second import stops here, never after parsing (lock.rs).
        let mut store = guard.lock_for_import_of(size / FEC_RECORD_BYTES)?;
        if !dry_run {
            self.backup_before_fec(&store)?;
        }
        let _written = self.ledger_write(); // the reports' cache reloads after this write
        let (sender, received) = std::sync::mpsc::sync_channel::<Read>(8);
        let (give_back, given_back) = std::sync::mpsc::channel::<FecBatch>();
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| read_fec(path, &label, sender, given_back));
            let channels = ReaderChannels {
                received,
                give_back,
                size,
            };
            let written = write_fec(
                &mut store,
                &label,
                siren.as_deref(),
                terms_override,
                self.today(),
                &channels,
                progress,
            );
            // The writer may have stopped early (a database error): the reader's sends fail, it ends by itself.
            drop(channels);
            let book = reader
                .join()
                .map_err(|_| AppError::Io(format!("{label}: the reading thread failed")))?
                .map_err(|e| AppError::refused(&e.0))?;
            let (writer, customer_lines, balance) = written?;
            // The file's own open receivables at its last entry date: every customer line exists then, and a
            // customer's balance is the sum of its existing lines, whatever is lettered with what.
            let open = book.period.map(|_| balance);
            progress(ImportProgress {
                stage: "write".into(),
                done: 0,
                total: customer_lines as u64,
            });
            let end = ImportEnd {
                fiscal_year: book.period.map(|p| p.0),
                period: book.period,
                customers: &book.customers,
                turnover: book
                    .file_name
                    .as_ref()
                    .map(|f| f.closing_date)
                    .or(book.period.map(|p| p.1))
                    .map(|year_end| (year_end, book.turnover)),
            };
            let changes = writer.finish(&end, dry_run)?;
            if !dry_run && !changes.unchanged {
                self.audit_ledger_import(&store, "fec", &label, &changes)?;
            }
            store.commit()?;
            progress(ImportProgress {
                stage: "done".into(),
                done: customer_lines as u64,
                total: customer_lines as u64,
            });
            Ok(preview(path, &book, open, customer_lines, &changes))
        })
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
        let imported = self.run_fec(path, options, false, progress);
        // The copy made before the import (if any) joined the backups folder: its retention rule applies.
        self.prune_backups()?;
        imported
    }
}
