//! `encaisse pa settings|sync|send`: the accredited platform's Flow Service (AFNOR XP Z12-013).
//!
//! The client secret is read from standard input (`--secret-stdin`, its first line) and goes to the OS keyring
//! (`pa settings`), or serves this run only (`pa sync`, `pa send`: a machine without a keyring, a scheduler
//! reading it from a vault); it is never printed. `pa sync` exits 2 when some flows failed, 1 when nothing could
//! be done (not set up, credentials refused, platform unreachable).

use clap::Subcommand;
use encaisse_app::pa::{PaProgress, PaSendReport, PaSettings, PaSyncReport, SavePaSettings};
use encaisse_app::{App, AppError};
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum PaCommand {
    /// The platform's settings as JSON; with options, saves them first (the options not given are kept; an
    /// empty value clears one).
    Settings {
        /// The Flow Service's root URL (https://…/flow-service).
        #[arg(long)]
        base_url: Option<String>,
        /// The OAuth2 token endpoint (client credentials).
        #[arg(long)]
        token_url: Option<String>,
        #[arg(long)]
        client_id: Option<String>,
        /// The Organization-Id header (multi-tenant platforms).
        #[arg(long)]
        organization_id: Option<String>,
        /// Reads the client secret from standard input (first line) into the OS keyring; an empty line removes it.
        #[arg(long)]
        secret_stdin: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// Fetches the lifecycle flows (CustomerInvoiceLC) updated since the last sync and imports each CDAR: one
    /// flow, one transaction. Exit 2 when some flows failed (listed with why), 1 when nothing could be done.
    Sync {
        /// The client secret for this run, from standard input (first line), instead of the keyring's.
        #[arg(long)]
        secret_stdin: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Posts the pending 212 Encaissée messages (`einvoice outbox`) as flows, each once. Exit 2 when some were
    /// refused.
    Send {
        #[arg(long)]
        secret_stdin: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

static FAILED: AtomicBool = AtomicBool::new(false);

/// Some flows or messages failed (exit code 2).
pub fn some_failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

fn read_secret(allow_empty: bool) -> Result<String, AppError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(io)?;
    let s = line.trim_end_matches(['\r', '\n']).to_string();
    if s.is_empty() && !allow_empty {
        return Err(AppError::InvalidInput(
            "--secret-stdin: standard input is empty".into(),
        ));
    }
    Ok(s)
}

pub fn run(app: &App, cmd: PaCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        PaCommand::Settings {
            base_url,
            token_url,
            client_id,
            organization_id,
            secret_stdin,
            by,
        } => {
            let changing = base_url.is_some()
                || token_url.is_some()
                || client_id.is_some()
                || organization_id.is_some()
                || secret_stdin;
            let settings = if changing {
                let s = app.pa_settings()?;
                let secret = if secret_stdin {
                    Some(read_secret(true)?)
                } else {
                    None
                };
                app.save_pa_settings(
                    &SavePaSettings {
                        settings: PaSettings {
                            base_url: base_url.unwrap_or(s.base_url),
                            token_url: token_url.unwrap_or(s.token_url),
                            client_id: client_id.unwrap_or(s.client_id),
                            organization_id: organization_id.unwrap_or(s.organization_id),
                            has_secret: false,
                            cursor: None,
                            version: None,
                        },
                        secret,
                    },
                    &by,
                )?
            } else {
                app.pa_settings()?
            };
            writeln!(out, "{}", json(&settings)?).map_err(io)
        }
        PaCommand::Sync { secret_stdin, format } => {
            let secret = if secret_stdin {
                Some(read_secret(false)?)
            } else {
                None
            };
            let mut progress = |p: &PaProgress| {
                if matches!(format, Format::Table) && !p.flow.is_empty() {
                    eprintln!("flow {} ({}/{})", p.flow, p.done + 1, p.total);
                }
            };
            let r = app.pa_sync_using(secret.as_deref(), &mut progress)?;
            if !r.failed.is_empty() {
                FAILED.store(true, Ordering::Relaxed);
            }
            match format {
                Format::Json => writeln!(out, "{}", json(&r)?).map_err(io),
                Format::Table => write!(out, "{}", sync_text(&r)).map_err(io),
            }
        }
        PaCommand::Send { secret_stdin, format } => {
            let secret = if secret_stdin {
                Some(read_secret(false)?)
            } else {
                None
            };
            let r = app.pa_send_using(secret.as_deref())?;
            if !r.failed.is_empty() {
                FAILED.store(true, Ordering::Relaxed);
            }
            match format {
                Format::Json => writeln!(out, "{}", json(&r)?).map_err(io),
                Format::Table => write!(out, "{}", send_text(&r)).map_err(io),
            }
        }
    }
}

fn sync_text(r: &PaSyncReport) -> String {
    let mut s = format!(
        "{} new flows: {} imported ({} new statuses), {} failed\n",
        r.flows,
        r.imported,
        r.statuses,
        r.failed.len()
    );
    for f in &r.failed {
        s.push_str(&format!("failed: {}: {}\n", f.flow, f.reason));
    }
    s
}

fn send_text(r: &PaSendReport) -> String {
    let mut s = String::new();
    for m in &r.sent {
        s.push_str(&format!(
            "sent: {} {} {} (message {}, flow {})\n",
            m.customer, m.invoice, m.amount, m.message_id, m.flow
        ));
    }
    for f in &r.failed {
        s.push_str(&format!("failed: {}: {}\n", f.flow, f.reason));
    }
    for k in &r.skipped {
        s.push_str(&format!("skipped: {k}\n"));
    }
    s.push_str(&format!(
        "{} sent, {} failed, {} skipped\n",
        r.sent.len(),
        r.failed.len(),
        r.skipped.len()
    ));
    s
}
