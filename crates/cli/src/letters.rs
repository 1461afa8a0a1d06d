//! Letters from a terminal: `encaisse letter notice` (the formal notice PDF, and its claim as JSON) and
//! `encaisse report aging` (the printable aged balance).

use chrono::NaiveDate;
use clap::Subcommand;
use encaisse_app::letters::NoticeOptions;
use encaisse_app::{App, AppError};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum LetterCommand {
    /// The formal notice ("mise en demeure de payer") of a customer: its invoices past due, the late-payment
    /// penalties (ECB + 10 points by half-year, L441-10), the EUR 40 indemnity per invoice (D441-5), the deadline.
    Notice {
        /// The customer's key (as in `encaisse aging`).
        #[arg(long)]
        customer: String,
        /// YYYY-MM-DD; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
        /// Also print the claim as JSON.
        #[arg(long)]
        json: bool,
        /// The debtor is a public buyer (R2192-31: ECB + 8 points); by default the customer's category says it.
        #[arg(long)]
        public_body: bool,
        /// Days granted to pay (8 by default, or the letter settings').
        #[arg(long)]
        deadline_days: Option<u32>,
        /// A contractual rate in percent per year instead of the statutory one.
        #[arg(long)]
        contractual_rate: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum PrintCommand {
    /// The aged balance as a printable PDF (A4 landscape).
    Aging {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        out: PathBuf,
    },
    #[command(flatten)]
    Daily(crate::mail::DailyCommand),
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

pub fn run_letter(app: &App, cmd: LetterCommand, out: &mut impl Write) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    match cmd {
        LetterCommand::Notice {
            customer,
            as_of,
            out: file,
            json,
            public_body,
            deadline_days,
            contractual_rate,
        } => {
            let options = NoticeOptions {
                public_body: public_body.then_some(true),
                deadline_days,
                contractual_rate,
            };
            let letter = app.notice(&customer, as_of, &options)?;
            write_file(&file, &letter.pdf)?;
            for w in &letter.warnings {
                eprintln!("encaisse: warning: {w}");
            }
            if json {
                let text = serde_json::to_string(&letter.claim).map_err(|e| AppError::Io(e.to_string()))?;
                writeln!(out, "{text}").map_err(io)?;
            } else {
                writeln!(
                    out,
                    "{}: formal notice to {} as of {}: {} invoice(s), total claimed {}",
                    file.display(),
                    letter.claim.customer,
                    letter.claim.as_of,
                    letter.claim.invoices.len(),
                    letter.claim.total
                )
                .map_err(io)?;
            }
        }
    }
    Ok(())
}

pub fn run_print(app: &App, cmd: PrintCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        PrintCommand::Aging { as_of, out: file } => {
            let pdf = app.aging_report_pdf(as_of)?;
            write_file(&file, &pdf)?;
            writeln!(out, "{}: aged balance, {} bytes", file.display(), pdf.len())
                .map_err(|e| AppError::Io(e.to_string()))?;
        }
        PrintCommand::Daily(cmd) => crate::mail::run_daily(app, cmd, out)?,
    }
    Ok(())
}
