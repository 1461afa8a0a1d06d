//! Statement files in: read whole (every problem with its file, line and field, nothing written on a refused
//! file), then in one transaction under the import lock: each statement once (the same statement again changes
//! nothing), each entry once (overlapping statements share entries by identity), and each new credit entry
//! matched against the open invoices of today. Entries already known keep their match and any user's decision.

use super::{BankImportOptions, BankImportReport, BankStatementDto, BankStatus, BankWarning, MatchInput};
use crate::imports::fec::file_label;
use crate::imports::FieldHeader;
use crate::{App, AppError, AppResult};
use encaisse_bank::matching::{match_entry, Candidate, EntryMatch, Ledger, MatchOptions, MatchStatus};
use encaisse_bank::{CsvMapping, Entry, Statement, StatementFile};
use encaisse_domain::format_amount;
use encaisse_import::{ImportError, ImportErrors};
use encaisse_store::bank::{BankAllocation, BankMatch, NewEntry, NewStatement};
use encaisse_store::Store;
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file read whole.
struct ReadFile {
    label: String,
    sha256: String,
    file: StatementFile,
}

/// The CSV mapping the options give, or none (then the usual headers are guessed from the file).
fn csv_mapping(options: &BankImportOptions) -> AppResult<Option<CsvMapping>> {
    if options.csv_mapping.is_empty() {
        return Ok(None);
    }
    let mut m = CsvMapping {
        account: options.account.clone().unwrap_or_default(),
        currency: "EUR".into(),
        ..CsvMapping::default()
    };
    for FieldHeader { field, header } in &options.csv_mapping {
        let h = header.trim().to_string();
        let some = || Some(h.clone()).filter(|h| !h.is_empty());
        match field.trim() {
            "date" => m.date = h,
            "value_date" => m.value_date = some(),
            "amount" => m.amount = some(),
            "debit" => m.debit = some(),
            "credit" => m.credit = some(),
            "label" => m.label = h,
            "reference" => m.reference = some(),
            "counterparty" => m.counterparty = some(),
            "counterparty_iban" => m.counterparty_iban = some(),
            "bank_reference" => m.bank_reference = some(),
            "remittance" => m.remittance.extend(some()),
            "currency" => m.currency = h.to_uppercase(),
            other => {
                return Err(AppError::InvalidInput(format!(
                    "bank CSV columns: '{other}' is not a field (date, value_date, amount, debit, credit, label, \
                     reference, counterparty, counterparty_iban, bank_reference, remittance, currency)"
                )))
            }
        }
    }
    if m.date.is_empty()
        || m.label.is_empty()
        || (m.amount.is_none() && m.debit.is_none() && m.credit.is_none())
    {
        return Err(AppError::InvalidInput(
            "bank CSV columns: the date, the label and the amount (or debit and credit) columns are needed"
                .into(),
        ));
    }
    Ok(Some(m))
}

/// Reads one file: its format from its content; a CSV export through the mapping given or guessed.
fn read_file(path: &Path, options: &BankImportOptions, mapping: Option<&CsvMapping>) -> AppResult<ReadFile> {
    let label = file_label(path);
    let bytes = std::fs::read(path).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
    let guessed;
    let mapping = match mapping {
        Some(m) => Some(m),
        None if encaisse_bank::detect(&bytes).is_none() => {
            // Not a format recognised by content: a CSV export, if its headers are the usual ones.
            let table = encaisse_import::tabular::read_table(&label, &bytes, None)
                .map_err(|e| AppError::refused(&e.0))?;
            let account = options.account.clone().unwrap_or_default();
            guessed = CsvMapping::guess(&account, &table.headers);
            if guessed.is_some() && account.trim().is_empty() {
                return Err(AppError::refused(&[ImportError::new(
                    &label,
                    0,
                    "account",
                    "a bank CSV export does not say its account: give the account (its IBAN)",
                )]));
            }
            guessed.as_ref()
        }
        None => None,
    };
    let mut file = encaisse_bank::read_statements(&label, &bytes, mapping)
        .map_err(|e: ImportErrors| AppError::refused(&e.0))?;
    if let Some(account) = options
        .account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let account = account.replace(' ', "").to_uppercase();
        let mut accounts: Vec<&str> = file.statements.iter().map(|s| s.account.as_str()).collect();
        accounts.sort_unstable();
        accounts.dedup();
        if accounts.len() > 1 {
            return Err(AppError::refused(&[ImportError::new(
                &label,
                0,
                "account",
                format!(
                    "the file holds statements of {} accounts ({}): import it without naming an account",
                    accounts.len(),
                    accounts.join(", ")
                ),
            )]));
        }
        for s in &mut file.statements {
            if s.account != account {
                s.account = account.clone();
                encaisse_bank::assign_ids(s);
            }
        }
    }
    Ok(ReadFile {
        label,
        sha256: encaisse_import::content_hash(&bytes),
        file,
    })
}

/// A statement's key: its id in the file, else a fingerprint of its entries' identities.
fn statement_key(s: &Statement) -> String {
    match s.statement_id.as_deref().filter(|i| !i.trim().is_empty()) {
        Some(id) => format!("id:{}", id.trim()),
        None => {
            let ids: Vec<&str> = s.entries.iter().map(|e| e.id.as_str()).collect();
            format!(
                "entries:{}",
                encaisse_import::content_hash(ids.join("\n").as_bytes())
            )
        }
    }
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// The automatic match of a new credit entry, as stored.
fn auto_match(m: &EntryMatch, today: chrono::NaiveDate) -> BankMatch {
    let allocations = |c: &Candidate| {
        c.allocations
            .iter()
            .map(|a| BankAllocation {
                customer_key: c.customer.clone(),
                invoice: a.invoice.clone(),
                amount: a.amount,
            })
            .collect()
    };
    let (status, matched) = match (m.status, &m.matched) {
        (MatchStatus::Matched, Some(c)) => ("matched", Some(c)),
        (MatchStatus::Suggested, _) | (MatchStatus::Matched, None) => ("suggested", None),
        (MatchStatus::Unmatched, _) => ("unmatched", None),
    };
    BankMatch {
        status: status.into(),
        customer_key: matched.map(|c| c.customer.clone()),
        score: matched.map(|c| c.score),
        reasons: matched.map_or_else(|| "[]".into(), |c| to_json(&c.reasons)),
        suggestions: to_json(&m.suggestions),
        decided_by: "auto".into(),
        user: String::new(),
        decided_on: today,
        allocations: matched.map(allocations).unwrap_or_default(),
    }
}

impl App {
    /// What importing the statement files would do; nothing is written.
    pub fn inspect_bank(
        &self,
        files: &[PathBuf],
        options: &BankImportOptions,
    ) -> AppResult<BankImportReport> {
        self.run_bank(files, options, true)
    }

    /// Imports statement files in one transaction: one refused file and nothing is written.
    pub fn import_bank(&self, files: &[PathBuf], options: &BankImportOptions) -> AppResult<BankImportReport> {
        self.run_bank(files, options, false)
    }

    fn run_bank(
        &self,
        files: &[PathBuf],
        options: &BankImportOptions,
        dry_run: bool,
    ) -> AppResult<BankImportReport> {
        if files.is_empty() {
            return Err(AppError::InvalidInput("bank statements: no file given".into()));
        }
        let mapping = csv_mapping(options)?;
        let mut guard = self.store();
        // The write lock before the files are read: a second import stops here (lock.rs).
        let mut store = guard.lock_for_import()?;
        let _written = self.ledger_write(); // the book's provisional receipts change (book.rs)
        if store.company()?.is_none() {
            return Err(AppError::NoData(
                "no company yet: import an FEC or create the demo before bank statements".into(),
            ));
        }
        let mut read = Vec::new();
        let mut problems = Vec::new();
        for path in files {
            match read_file(path, options, mapping.as_ref()) {
                Ok(r) => read.push(r),
                Err(AppError::InvalidFile { problems: p, .. }) => problems.extend(p),
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::invalid_file(problems));
        }
        let today = self.today();
        let input = self.match_input(&store, today, None)?;
        let user = self.actor().0;
        let report = write(&mut store, &read, &input, today, &user, dry_run)?;
        if !dry_run {
            for r in &read {
                let statements: Vec<&BankStatementDto> =
                    report.statements.iter().filter(|s| s.file == r.label).collect();
                if statements.iter().all(|s| s.already_imported) {
                    continue;
                }
                let entries: u32 = statements.iter().map(|s| s.entries).sum();
                let after = json!({
                    "sha256": r.sha256,
                    "format": r.file.format.as_str(),
                    "statements": statements.len(),
                    "lines_added": entries,
                });
                self.audit_in(
                    &store,
                    "",
                    "import",
                    &r.label,
                    "bank",
                    None,
                    Some(after.to_string()),
                )?;
            }
            store.commit()?;
        }
        Ok(report)
    }
}

/// Writes the statements under the lock (rolled back by the caller in a dry run).
fn write(
    store: &mut Store,
    read: &[ReadFile],
    input: &MatchInput,
    today: chrono::NaiveDate,
    user: &str,
    dry_run: bool,
) -> AppResult<BankImportReport> {
    let ledger = Ledger::new(&input.invoices, &input.customers, &input.references);
    let options = MatchOptions::default();
    // What the entries matched in this import already take of each invoice: a second payment of the same
    // invoice is only a suggestion.
    let mut taken: HashMap<(String, String), Decimal> = HashMap::new();
    let due: HashMap<(&str, &str), Decimal> = input
        .invoices
        .iter()
        .map(|i| ((i.customer.as_str(), i.number.as_str()), i.still_due))
        .collect();
    let mut report = BankImportReport {
        statements: Vec::new(),
        credits: 0,
        matched: 0,
        suggested: 0,
        unmatched: 0,
        entries_added: 0,
        entries_known: 0,
        warnings: Vec::new(),
        dry_run,
    };
    let mut seen_credits = std::collections::HashSet::new();
    for r in read {
        for w in &r.file.warnings {
            report.warnings.push(BankWarning {
                code: w.code.into(),
                file: r.label.clone(),
                line: w.line as u32,
                statement: w.statement.clone(),
                message: w.message.clone(),
            });
        }
        for s in &r.file.statements {
            let account_id = store.bank_account(&s.account, &s.currency)?;
            let key = statement_key(s);
            let existing = store.find_statement(account_id, s.from, s.to, &key)?;
            report.statements.push(BankStatementDto {
                id: existing,
                file: r.label.clone(),
                format: s.format.as_str().into(),
                account: s.account.clone(),
                currency: s.currency.clone(),
                from: s.from,
                to: s.to,
                opening: s.opening.map(format_amount),
                closing: s.closing.map(format_amount),
                entries: s.entries.len() as u32,
                already_imported: existing.is_some(),
            });
            let statement_id = match existing {
                Some(id) => id,
                None => {
                    let id = store.add_statement(&NewStatement {
                        account_id,
                        file_name: &r.label,
                        content_hash: &r.sha256,
                        format: s.format.as_str(),
                        statement_key: &key,
                        from: s.from,
                        to: s.to,
                        opening: s.opening,
                        closing: s.closing,
                        imported_on: today,
                        imported_by: user,
                    })?;
                    if !dry_run {
                        report.statements.last_mut().expect("pushed above").id = Some(id);
                    }
                    id
                }
            };
            for e in &s.entries {
                let (remittance, references) = (to_json(&e.remittance), to_json(&e.references));
                let (id, new) = store.add_entry(
                    statement_id,
                    account_id,
                    e.line,
                    &new_entry(e, &remittance, &references),
                )?;
                if new {
                    report.entries_added += 1;
                } else {
                    report.entries_known += 1;
                }
                if e.amount <= Decimal::ZERO || !seen_credits.insert(id) {
                    continue;
                }
                report.credits += 1;
                let status = if new {
                    let mut m = auto_match(&match_entry(e, &ledger, &options), today);
                    let over = m.allocations.iter().any(|a| {
                        let t = taken
                            .entry((a.customer_key.clone(), a.invoice.clone()))
                            .or_default();
                        *t += a.amount;
                        due.get(&(a.customer_key.as_str(), a.invoice.as_str()))
                            .is_none_or(|d| *t > *d)
                    });
                    if over {
                        m = BankMatch {
                            status: "suggested".into(),
                            customer_key: None,
                            score: None,
                            reasons: "[]".into(),
                            allocations: Vec::new(),
                            ..m
                        };
                    }
                    store.set_bank_match(id, &m)?;
                    BankStatus::parse(&m.status)?
                } else {
                    let known = store
                        .bank_entry(&id.to_string())?
                        .and_then(|r| r.matched)
                        .map(|m| m.status)
                        .unwrap_or_else(|| "unmatched".into());
                    BankStatus::parse(&known)?
                };
                match status {
                    BankStatus::Matched => report.matched += 1,
                    BankStatus::Suggested => report.suggested += 1,
                    BankStatus::Unmatched => report.unmatched += 1,
                    BankStatus::OnAccount | BankStatus::Ignored => {}
                }
            }
        }
    }
    Ok(report)
}

fn new_entry<'a>(e: &'a Entry, remittance: &'a str, references: &'a str) -> NewEntry<'a> {
    NewEntry {
        identity: &e.id,
        booking_date: e.booking_date,
        value_date: e.value_date,
        amount: e.amount,
        label: &e.label,
        counterparty_name: e.counterparty_name.as_deref(),
        counterparty_iban: e.counterparty_iban.as_deref(),
        remittance,
        references,
        bank_reference: e.bank_reference.as_deref(),
        end_to_end_id: e.end_to_end_id.as_deref(),
    }
}
