//! `encaisse backup [--out FILE]`: a verified copy of the database now (into the backups folder beside it, or to
//! FILE). `encaisse backups [--keep-last N] [--keep-weeks N]`: the copies kept, newest first (the options set the
//! retention rule). `encaisse restore FILE [--yes]`: replaces the database with a backup, after a copy of it;
//! without --yes it asks on a terminal and refuses when there is none.

use clap::Subcommand;
use encaisse_app::backups::{BackupDone, BackupSettings};
use encaisse_app::{App, AppError};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Write a verified copy of the database now (SQLite's online backup: the app may stay open).
    Backup {
        /// A new file to write the copy to, instead of the backups folder beside the database.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The copies in the backups folder, newest first, with why each was made.
    Backups {
        /// Keep this many newest copies (10 by default); saved for the next copies.
        #[arg(long)]
        keep_last: Option<u32>,
        /// Besides, keep the newest copy of each of this many calendar weeks (8 by default).
        #[arg(long)]
        keep_weeks: Option<u32>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Replace the database's content with a backup (checked first; the current database is copied before).
    Restore {
        file: PathBuf,
        /// Do not ask for a confirmation.
        #[arg(long)]
        yes: bool,
    },
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

fn done_text(d: &BackupDone) -> String {
    format!(
        "backup written and verified: {} ({} bytes, integrity {}, {})",
        d.path, d.bytes, d.integrity, d.created_at
    )
}

/// Asks on the terminal; refuses when input is not a terminal (a script must say --yes).
fn confirm(question: &str) -> Result<bool, AppError> {
    if !std::io::stdin().is_terminal() {
        return Err(AppError::NeedsConfirmation(format!(
            "{question}\nnot asked: the input is not a terminal; run again with --yes to confirm"
        )));
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().map_err(io)?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(io)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    ))
}

pub fn run(app: &App, cmd: BackupCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        BackupCommand::Backup { out: file, format } => {
            let done = app.backup(file.as_deref())?;
            match format {
                Format::Json => writeln!(out, "{}", json(&done)?),
                Format::Table => writeln!(out, "{}", done_text(&done)),
            }
            .map_err(io)
        }
        BackupCommand::Backups {
            keep_last,
            keep_weeks,
            format,
        } => {
            if keep_last.is_some() || keep_weeks.is_some() {
                let rule = app.backup_settings()?;
                app.set_backup_settings(&BackupSettings {
                    keep_last: keep_last.unwrap_or(rule.keep_last),
                    keep_weeks: keep_weeks.unwrap_or(rule.keep_weeks),
                })?;
            }
            let list = app.backups()?;
            match format {
                Format::Json => writeln!(out, "{}", json(&list)?).map_err(io),
                Format::Table => {
                    let rule = app.backup_settings()?;
                    writeln!(
                        out,
                        "{} ({} copies; keeps the last {} and one a week for {} weeks)",
                        list.folder,
                        list.backups.len(),
                        rule.keep_last,
                        rule.keep_weeks
                    )
                    .map_err(io)?;
                    for b in &list.backups {
                        writeln!(
                            out,
                            "{}  {:<15} {:>12} bytes  {}",
                            b.created_at.format("%Y-%m-%d %H:%M:%S"),
                            b.reason.word(),
                            b.bytes,
                            b.path
                        )
                        .map_err(io)?;
                    }
                    Ok(())
                }
            }
        }
        BackupCommand::Restore { file, yes } => {
            let status = app.status()?;
            let question = format!(
                "Replace the content of {} ({}, {} customers, {} ledger lines) with {}? A backup of the current \
                 database is made first.",
                status.database,
                status.company.as_deref().unwrap_or("no company"),
                status.customers,
                status.lines,
                file.display()
            );
            if !yes && !confirm(&question)? {
                return Err(AppError::NeedsConfirmation(
                    "not restored: nothing changed".into(),
                ));
            }
            let done = app.restore(&file)?;
            writeln!(
                out,
                "{} restored from {}; the database as it was is saved in {}",
                done.database, done.restored_from, done.backup.path
            )
            .map_err(io)
        }
    }
}
