//! `encaisse import bank FILE...`: bank statements in (camt.053/054, CFONB 120, OFX, bank CSV), each credit matched
//! to open invoices. `encaisse bank entries|statements|match|unmatch|on-account|ignore|remove`: the entries with
//! their status and reasons, and the user's decisions on them.

use clap::Subcommand;
use encaisse_app::bank::{BankEntryDto, BankImportOptions, BankImportReport, BankStatus, InvoiceShare};
use encaisse_app::imports::FieldHeader;
use encaisse_app::{App, AppError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum BankCommand {
    /// The credit entries of the statements imported, with what each pays and why.
    Entries {
        /// Only the entries of this status: matched, suggested, unmatched, on_account, ignored.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The statements imported (their numbers are what `bank remove` takes).
    Statements {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Put an entry on invoices: --invoice NUM for what the invoice still owes, --invoice NUM=AMOUNT for a part
    /// (repeatable: a payment split over invoices); the rest stays on the customer's account.
    Match {
        /// The entry (its id, or its number).
        entry: String,
        #[arg(long = "invoice", value_name = "NUM[=AMOUNT]", required = true)]
        invoices: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Undo an entry's match (it stays unmatched, a re-import does not match it again).
    Unmatch {
        entry: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Keep an entry on a customer's account, for no invoice yet.
    OnAccount {
        entry: String,
        #[arg(long)]
        customer: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Mark an entry as no customer's payment (a transfer, a refund…).
    Ignore {
        entry: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Remove a statement imported by mistake, with the entries and matches it carried.
    Remove {
        statement: i64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

/// `--csv-mapping FIELD=HEADER`, as typed.
fn mapping(list: &[String]) -> Result<Vec<FieldHeader>, AppError> {
    list.iter()
        .map(|m| {
            m.split_once('=')
                .map(|(field, header)| FieldHeader {
                    field: field.trim().to_string(),
                    header: header.trim().to_string(),
                })
                .ok_or_else(|| AppError::InvalidInput(format!("--csv-mapping: '{m}' is not field=Header")))
        })
        .collect()
}

pub fn import(
    app: &App,
    files: &[PathBuf],
    account: Option<String>,
    csv_mapping: &[String],
    dry_run: bool,
    format: Format,
    out: &mut impl Write,
) -> Result<(), AppError> {
    let options = BankImportOptions {
        account,
        csv_mapping: mapping(csv_mapping)?,
    };
    let report = if dry_run {
        app.inspect_bank(files, &options)?
    } else {
        app.import_bank(files, &options)?
    };
    match format {
        Format::Json => writeln!(out, "{}", json(&report)?).map_err(io),
        Format::Table => write!(out, "{}", import_text(&report)).map_err(io),
    }
}

fn import_text(r: &BankImportReport) -> String {
    let mut s = String::new();
    for st in &r.statements {
        s.push_str(&format!(
            "{}: {} {} {} → {}, {} entries, opening {}, closing {}{}\n",
            st.file,
            st.format,
            st.account,
            st.from,
            st.to,
            st.entries,
            st.opening.as_deref().unwrap_or("-"),
            st.closing.as_deref().unwrap_or("-"),
            if st.already_imported {
                " (already imported)"
            } else {
                ""
            }
        ));
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {}:{}: {}\n", w.file, w.line, w.message));
    }
    s.push_str(&format!(
        "{} credits: {} matched, {} suggested, {} unmatched; {} new entries, {} already known{}\n",
        r.credits,
        r.matched,
        r.suggested,
        r.unmatched,
        r.entries_added,
        r.entries_known,
        if r.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    ));
    s
}

fn entry_text(e: &BankEntryDto) -> String {
    let mut s = format!(
        "{} {} {:>12} {:<10} {}  [{}]\n",
        e.number,
        e.date,
        e.amount,
        e.status.as_str(),
        e.counterparty.as_deref().unwrap_or(&e.label),
        e.id
    );
    for m in &e.matches {
        s.push_str(&format!("    → {} {} {}\n", m.invoice, m.customer, m.amount));
    }
    for g in &e.suggestions {
        s.push_str(&format!(
            "    ? {} {} (score {})\n",
            g.customer,
            g.invoices.join(", "),
            g.score
        ));
    }
    s
}

fn one(e: &BankEntryDto, format: Format, out: &mut impl Write) -> Result<(), AppError> {
    match format {
        Format::Json => writeln!(out, "{}", json(e)?),
        Format::Table => write!(out, "{}", entry_text(e)),
    }
    .map_err(io)
}

pub fn run(app: &App, cmd: BankCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        BankCommand::Entries { status, format } => {
            let status = status.as_deref().map(BankStatus::parse).transpose()?;
            let list = app.bank_entries(status)?;
            match format {
                Format::Json => writeln!(out, "{}", json(&list)?).map_err(io),
                Format::Table => {
                    for e in &list.entries {
                        write!(out, "{}", entry_text(e)).map_err(io)?;
                    }
                    Ok(())
                }
            }
        }
        BankCommand::Statements { format } => {
            let list = app.bank_statements()?;
            match format {
                Format::Json => writeln!(out, "{}", json(&list)?).map_err(io),
                Format::Table => {
                    for s in &list.statements {
                        writeln!(
                            out,
                            "{} {} {} {} → {} {} entries ({}, imported {} by {})",
                            s.id,
                            s.account,
                            s.format,
                            s.from,
                            s.to,
                            s.entries,
                            s.file,
                            s.imported_on,
                            s.imported_by
                        )
                        .map_err(io)?;
                    }
                    Ok(())
                }
            }
        }
        BankCommand::Match {
            entry,
            invoices,
            format,
        } => {
            let shares = invoices
                .iter()
                .map(|i| InvoiceShare::parse(i))
                .collect::<Result<Vec<_>, _>>()?;
            one(&app.bank_match(&entry, &shares)?, format, out)
        }
        BankCommand::Unmatch { entry, format } => one(&app.bank_unmatch(&entry)?, format, out),
        BankCommand::OnAccount {
            entry,
            customer,
            format,
        } => one(&app.bank_on_account(&entry, &customer)?, format, out),
        BankCommand::Ignore { entry, format } => one(&app.bank_ignore(&entry)?, format, out),
        BankCommand::Remove { statement, format } => {
            let removed = app.bank_remove_statement(statement)?;
            match format {
                Format::Json => writeln!(out, "{}", json(&removed)?),
                Format::Table => writeln!(
                    out,
                    "statement {} removed ({}, {}): {} entries removed, {} of them matched or decided",
                    removed.id,
                    removed.file,
                    removed.account,
                    removed.entries_removed,
                    removed.decisions_removed
                ),
            }
            .map_err(io)
        }
    }
}
