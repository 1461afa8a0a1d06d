//! `encaisse import status FILE...`: e-invoicing lifecycle statuses (CDAR D22B) from the accredited platform,
//! attached to invoices with their effects. `encaisse einvoice statuses|alerts|outbox`: each invoice's status
//! timeline, the 210/213 alerts, and the 212 "Encaissée" messages of paid invoices written for the platform.

use clap::Subcommand;
use encaisse_app::einvoice_status::{EinvoiceStatusesReport, OutboxReport, StatusImportReport};
use encaisse_app::{App, AppError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum EinvoiceCommand {
    /// Each invoice's lifecycle statuses (received and sent), oldest first, and the standing alerts.
    Statuses {
        /// Only this customer's invoices.
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The invoices whose latest status is 210 Refusée or 213 Rejetée: a credit note, a new invoice or a
    /// re-issue is due.
    Alerts {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The 212 Encaissée messages of the paid invoices the platform knows: written to --out and recorded (each
    /// once); without --out, the list of what would be written.
    Outbox {
        #[arg(long)]
        out: Option<PathBuf>,
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

pub fn import(app: &App, files: &[PathBuf], format: Format, out: &mut impl Write) -> Result<(), AppError> {
    let r = app.import_statuses(files)?;
    match format {
        Format::Json => writeln!(out, "{}", json(&r)?).map_err(io),
        Format::Table => write!(out, "{}", import_text(&r)).map_err(io),
    }
}

fn import_text(r: &StatusImportReport) -> String {
    let mut s = String::new();
    for f in &r.files {
        let again = if f.added == 0 { " (already imported)" } else { "" };
        s.push_str(&format!(
            "{}: message {}, {} statuses, {} new{again}\n",
            f.file, f.message_id, f.statuses, f.added
        ));
    }
    s.push_str(&format!(
        "{} new statuses: {} attached to invoices, {} matching no invoice; {} disputes opened, {} closed; {} alerts; {} echoes of our 212\n",
        r.added,
        r.attached,
        r.unmatched,
        r.disputes_opened.len(),
        r.disputes_closed.len(),
        r.alerts,
        r.echoes
    ));
    s
}

fn statuses_text(r: &EinvoiceStatusesReport) -> String {
    let mut s = String::new();
    for i in &r.invoices {
        let customer = i.customer.as_deref().unwrap_or("?");
        let announced = if i.payment_announced {
            " — paiement annoncé"
        } else {
            ""
        };
        s.push_str(&format!(
            "{customer} {} {}: {}{announced}\n",
            i.name, i.invoice, i.current_label
        ));
        for t in &i.statuses {
            s.push_str(&format!(
                "  {} {} {} {}{}{}{}\n",
                t.date,
                t.direction,
                t.code,
                t.label,
                t.reason
                    .as_deref()
                    .map(|r| format!(" motif {r}"))
                    .unwrap_or_default(),
                t.amount.as_deref().map(|a| format!(" {a}")).unwrap_or_default(),
                if t.echo { " (echo)" } else { "" }
            ));
        }
    }
    s
}

pub fn run(app: &App, cmd: EinvoiceCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        EinvoiceCommand::Statuses { customer, format } => {
            let r = app.einvoice_statuses(customer.as_deref())?;
            match format {
                Format::Json => writeln!(out, "{}", json(&r)?).map_err(io),
                Format::Table => write!(out, "{}", statuses_text(&r)).map_err(io),
            }
        }
        EinvoiceCommand::Alerts { customer, format } => {
            let alerts = app.einvoice_alerts(customer.as_deref())?;
            match format {
                Format::Json => {
                    writeln!(out, "{}", json(&serde_json::json!({ "alerts": alerts }))?).map_err(io)
                }
                Format::Table => {
                    for a in &alerts {
                        writeln!(
                            out,
                            "{} {} {} {} {} {}",
                            a.date,
                            a.customer.as_deref().unwrap_or("?"),
                            a.invoice,
                            a.code,
                            a.label,
                            a.reason.as_deref().unwrap_or("")
                        )
                        .map_err(io)?;
                    }
                    Ok(())
                }
            }
        }
        EinvoiceCommand::Outbox { out: dir, format } => {
            let r: OutboxReport = app.einvoice_outbox(dir.as_deref())?;
            match format {
                Format::Json => writeln!(out, "{}", json(&r)?).map_err(io),
                Format::Table => {
                    for m in &r.messages {
                        writeln!(
                            out,
                            "212 {} {} {} paid {} ({}){}",
                            m.customer,
                            m.invoice,
                            m.amount,
                            m.paid_on,
                            m.source,
                            m.path.as_deref().map(|p| format!(" → {p}")).unwrap_or_default()
                        )
                        .map_err(io)?;
                    }
                    for k in &r.skipped {
                        writeln!(out, "skipped: {k}").map_err(io)?;
                    }
                    Ok(())
                }
            }
        }
    }
}
