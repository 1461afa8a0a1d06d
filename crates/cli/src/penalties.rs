//! `encaisse penalties`: the penalty statement (late-payment interest and EUR 40 indemnities on invoices paid
//! late), as a table, JSON (the contract of the app's `PenaltyStatement`), CSV, XLSX or the printed statement (PDF);
//! `encaisse penalties waive|unwaive`: waive an invoice's penalties with a reason, or claim them again.

use crate::reports::{text_table, ReportFormat};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use encaisse_app::exports;
use encaisse_app::penalties::{PenaltiesQuery, WaiverInput};
use encaisse_app::{App, AppError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PenaltiesArgs {
    #[command(subcommand)]
    action: Option<WaiverCommand>,
    /// One customer's key (every customer by default).
    #[arg(long)]
    customer: Option<String>,
    /// Payment dates from (YYYY-MM-DD): an invoice is listed when a part paid after its due date falls in the
    /// period.
    #[arg(long, value_parser = crate::date_arg)]
    from: Option<NaiveDate>,
    /// Payment dates up to (YYYY-MM-DD).
    #[arg(long, value_parser = crate::date_arg)]
    to: Option<NaiveDate>,
    /// Payments known by this date (YYYY-MM-DD); today by default.
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// json: the statement contract; csv, xlsx; pdf: the printed statements (one per customer).
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Where to write (needed for xlsx and pdf; CSV and JSON go to stdout without it).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum WaiverCommand {
    /// Waive the penalties of one invoice paid late (the reason is required; audited). The invoice stays on the
    /// statement, marked waived, outside its totals.
    Waive {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        reason: String,
    },
    /// Claim an invoice's penalties again (removes its waiver; audited).
    Unwaive {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        invoice: String,
    },
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn write_to(path: &PathBuf, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

pub fn run(app: &App, args: PenaltiesArgs, out: &mut impl Write) -> Result<(), AppError> {
    match args.action {
        Some(WaiverCommand::Waive {
            customer,
            invoice,
            reason,
        }) => {
            app.waive_penalty(&WaiverInput {
                customer: customer.clone(),
                invoice: invoice.clone(),
                reason,
            })?;
            return writeln!(out, "penalties of invoice {invoice} of {customer} waived").map_err(io);
        }
        Some(WaiverCommand::Unwaive { customer, invoice }) => {
            app.unwaive_penalty(&customer, &invoice)?;
            return writeln!(out, "penalties of invoice {invoice} of {customer} claimed again").map_err(io);
        }
        None => {}
    }
    let query = PenaltiesQuery {
        as_of: args.as_of,
        from: args.from,
        to: args.to,
        customer: args.customer,
    };
    let report = app.penalties(&query)?;
    for h in &report.rates_to_confirm {
        eprintln!(
            "encaisse: warning: the ECB rate of the half-year starting {h} is not confirmed: check it, then mark it \
             confirmed in Settings → Lettres et taux"
        );
    }
    if report.private_persons_left_out > 0 {
        eprintln!(
            "encaisse: note: {} private person(s) with invoices paid late left out (they owe neither penalty nor \
             EUR 40)",
            report.private_persons_left_out
        );
    }
    let bytes = match args.format {
        ReportFormat::Json => {
            let text = serde_json::to_string(&report.statement).map_err(|e| AppError::Io(e.to_string()))?;
            return match &args.out {
                Some(path) => write_to(path, format!("{text}\n").as_bytes()),
                None => writeln!(out, "{text}").map_err(io),
            };
        }
        ReportFormat::Table => {
            return write!(out, "{}", text_table(&exports::penalties_sheet(&report))).map_err(io)
        }
        ReportFormat::Csv => exports::to_csv(&exports::penalties_sheet(&report))?,
        ReportFormat::Xlsx => exports::to_xlsx(&exports::penalties_sheet(&report))?,
        ReportFormat::Pdf => app.penalty_statement_pdf(&query)?,
    };
    match (&args.out, args.format) {
        (Some(path), _) => write_to(path, &bytes),
        (None, ReportFormat::Csv) => out.write_all(&bytes).map_err(io),
        _ => Err(AppError::InvalidInput(
            "--format xlsx or pdf needs --out FILE".into(),
        )),
    }
}
