//! The DAF's reports from a terminal: aging options, the DSO set, customers, the cash-in forecast and its
//! accuracy, the D441-6 table; table, JSON, CSV or XLSX.

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use encaisse_app::export_file::ExportFormat;
use encaisse_app::exports::{self, Sheet};
use encaisse_app::reports::{parse_buckets, AgingOptions};
use encaisse_app::{App, AppError};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    Xlsx,
    /// A printable table, A4 landscape (with --out).
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Basis {
    DueDate,
    InvoiceDate,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GroupBy {
    Customer,
    /// Behaviour segment: on_time, slightly_late, late, very_late.
    Segment,
    /// User category: key_account, occasional, private_person, public_body.
    Category,
    /// The segment of the customers file.
    CustomerSegment,
    Collector,
    /// Score class A–E.
    RiskClass,
}

/// Options of `encaisse aging` beyond the default contract; none given, the output is the default one.
#[derive(Args, Default)]
pub struct AgingArgs {
    /// Bucket limits in days, e.g. 15,30,45,60,90,120 (default 30,60,90).
    #[arg(long)]
    pub buckets: Option<String>,
    /// Count days from the due date (default) or the invoice date.
    #[arg(long, value_enum)]
    pub by: Option<Basis>,
    /// Sum customers by group.
    #[arg(long, value_enum)]
    pub group_by: Option<GroupBy>,
    /// List the open invoices (drill-down); with --customer, one customer's.
    #[arg(long)]
    pub invoices: bool,
    #[arg(long, requires = "invoices")]
    pub customer: Option<String>,
    /// The file to write with --format xlsx (or csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl AgingArgs {
    pub fn is_default(&self) -> bool {
        self.buckets.is_none()
            && self.by.is_none()
            && self.group_by.is_none()
            && !self.invoices
            && self.out.is_none()
    }
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Customers: balance, overdue, weighted days late, score and class, credit limit, behaviour segment.
    Customers {
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long)]
        out: Option<PathBuf>,
        /// The FEC alone: leave out the provisional receipts of bank statements (matched, on account).
        #[arg(long)]
        ledger_only: bool,
    },
    /// Set (or clear, without a category) a customer's category.
    Category {
        customer: String,
        #[arg(value_parser = ["key_account", "occasional", "private_person", "public_body"])]
        category: Option<String>,
    },
    /// Cash-in forecast: 13 weeks (Monday to Sunday, the first is the as-of date's), later, uncertain.
    Forecast(ForecastArgs),
    /// The payment-delay table of art. D441-6 (issued invoices) at a fiscal year end.
    #[command(name = "d441-6")]
    D4416 {
        #[arg(long, value_parser = date_arg)]
        year_end: NaiveDate,
        /// The year's turnover excl. VAT (e.g. 1234567.89), recorded for this year end.
        #[arg(long)]
        turnover: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ForecastArgs {
    #[command(subcommand)]
    pub command: Option<ForecastCommand>,
    #[arg(long, value_parser = date_arg)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, default_value_t = 13)]
    pub weeks: u32,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The FEC alone: leave out the provisional receipts of bank statements (matched, on account).
    #[arg(long, global = true)]
    pub ledger_only: bool,
}

#[derive(Subcommand)]
pub enum ForecastCommand {
    /// Backtest: forecasts made at past Mondays from what was known then, against the payments that came.
    Accuracy {
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// How many past Mondays.
        #[arg(long, default_value_t = 26)]
        origins: u32,
        /// Weeks ahead measured.
        #[arg(long, default_value_t = 4)]
        horizon: u32,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    encaisse_app::parse_date("date", s).map_err(|e| e.to_string())
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

/// Writes a report: JSON of the DTO, a text table, or a CSV/XLSX export (to --out, CSV to stdout without it).
fn emit<T: serde::Serialize>(
    app: &App,
    value: &T,
    sheet: impl FnOnce() -> Sheet,
    format: ReportFormat,
    out_file: Option<&PathBuf>,
    out: &mut dyn Write,
) -> Result<(), AppError> {
    let bytes = match format {
        ReportFormat::Json => return writeln!(out, "{}", json(value)?).map_err(io),
        ReportFormat::Table => return write!(out, "{}", text_table(&sheet())).map_err(io),
        ReportFormat::Csv => exports::to_csv(&sheet())?,
        ReportFormat::Xlsx => exports::to_xlsx(&sheet())?,
        ReportFormat::Pdf => app.sheet_bytes(&sheet(), ExportFormat::Pdf)?,
    };
    match (out_file, format) {
        (Some(path), _) => {
            std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
        }
        (None, ReportFormat::Csv) => out.write_all(&bytes).map_err(io),
        _ => Err(AppError::InvalidInput(
            "--format xlsx or pdf needs --out FILE".into(),
        )),
    }
}

/// A plain text rendering: the title, then columns padded to their widths.
pub(crate) fn text_table(sheet: &Sheet) -> String {
    use exports::Cell;
    let cell = |c: &Cell| match c {
        Cell::Text(s) | Cell::Amount(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Decimal(v) => v.map_or_else(String::new, |v| v.to_string()),
        Cell::Date(d) => d.to_string(),
        Cell::Empty => String::new(),
    };
    let rows: Vec<Vec<String>> = sheet.rows.iter().map(|r| r.iter().map(cell).collect()).collect();
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}", w = *w))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = format!("{}\n", sheet.title);
    out.push_str(&line(&sheet.headers));
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

/// `encaisse aging` with options beyond the default contract (or --format xlsx).
pub fn aging(
    app: &App,
    as_of: Option<NaiveDate>,
    format: ReportFormat,
    args: &AgingArgs,
    out: &mut dyn Write,
) -> Result<(), AppError> {
    let options = AgingOptions {
        as_of,
        buckets: args.buckets.as_deref().map(parse_buckets).transpose()?,
        basis: args.by.map(|b| {
            match b {
                Basis::DueDate => "due_date",
                Basis::InvoiceDate => "invoice_date",
            }
            .to_string()
        }),
        group_by: args.group_by.map(|g| {
            match g {
                GroupBy::Customer => "customer",
                GroupBy::Segment => "segment",
                GroupBy::Category => "category",
                GroupBy::CustomerSegment => "customer_segment",
                GroupBy::Collector => "collector",
                GroupBy::RiskClass => "risk_class",
            }
            .to_string()
        }),
    };
    let out_file = args.out.as_ref();
    if args.invoices {
        let r = app.aging_invoices(&options, args.customer.as_deref())?;
        return emit(app, &r, || exports::invoices_sheet(&r), format, out_file, out);
    }
    match args.group_by {
        None | Some(GroupBy::Customer) => {
            let r = app.aging_with(&options)?;
            emit(app, &r, || exports::aging_sheet(&r), format, out_file, out)
        }
        Some(_) => {
            let r = app.aging_grouped(&options)?;
            emit(
                app,
                &r,
                || exports::grouped_aging_sheet(&r),
                format,
                out_file,
                out,
            )
        }
    }
}

/// `encaisse dso --all`: the DSO set.
pub fn dso_set(
    app: &App,
    as_of: Option<NaiveDate>,
    period_days: u32,
    json_format: bool,
    out: &mut dyn Write,
) -> Result<(), AppError> {
    let r = app.dso_set(as_of, Some(period_days))?;
    if json_format {
        return writeln!(out, "{}", json(&r)?).map_err(io);
    }
    let days = |d: Option<f64>| d.map_or_else(|| "n/a".to_string(), |v| format!("{v:.1} days"));
    writeln!(out, "DSO as of {} over {} days", r.as_of, r.period_days).map_err(io)?;
    writeln!(out, "receivables     {:>16}", r.receivables).map_err(io)?;
    writeln!(out, "sales           {:>16}", r.sales).map_err(io)?;
    writeln!(out, "average         {:>16}", days(r.dso_average)).map_err(io)?;
    writeln!(out, "countback       {:>16}", days(r.dso_countback)).map_err(io)?;
    writeln!(out, "best possible   {:>16}", days(r.dso_best)).map_err(io)?;
    writeln!(
        out,
        "days late       {:>16}  (weighted, {} invoices paid in 12 months)",
        days(r.avg_days_late),
        r.paid_invoices
    )
    .map_err(io)?;
    for p in &r.trend {
        writeln!(
            out,
            "  {}  {:>14}  average {:>12}  countback {:>12}",
            p.date,
            p.receivables,
            days(p.dso_average),
            days(p.dso_countback)
        )
        .map_err(io)?;
    }
    Ok(())
}

pub fn run(app: &App, command: ReportCommand, out: &mut dyn Write) -> Result<(), AppError> {
    if let ReportCommand::Forecast(args) = &command {
        app.set_ledger_only(args.ledger_only);
    }
    match command {
        ReportCommand::Customers {
            as_of,
            format,
            out: out_file,
            ledger_only,
        } => {
            app.set_ledger_only(ledger_only);
            if format == ReportFormat::Json {
                return writeln!(out, "{}", json(&app.customer_rows(as_of)?)?).map_err(io);
            }
            let r = app.customers_report(as_of)?;
            emit(
                app,
                &r,
                || exports::customers_sheet(&r),
                format,
                out_file.as_ref(),
                out,
            )
        }
        ReportCommand::Category { customer, category } => {
            app.set_customer_category(&customer, category.as_deref())?;
            writeln!(
                out,
                "{customer}: category {}",
                category.as_deref().unwrap_or("(none)")
            )
            .map_err(io)
        }
        ReportCommand::Forecast(args) => match args.command {
            None => {
                let r = app.forecast(args.as_of, Some(args.weeks))?;
                emit(
                    app,
                    &r,
                    || exports::forecast_sheet(&r),
                    args.format,
                    args.out.as_ref(),
                    out,
                )
            }
            Some(ForecastCommand::Accuracy {
                as_of,
                origins,
                horizon,
                format,
                out: out_file,
            }) => {
                let r = app.forecast_accuracy(as_of, Some(origins), Some(horizon))?;
                emit(
                    app,
                    &r,
                    || exports::accuracy_sheet(&r),
                    format,
                    out_file.as_ref(),
                    out,
                )
            }
        },
        ReportCommand::D4416 {
            year_end,
            turnover,
            format,
            out: out_file,
        } => {
            if let Some(t) = turnover.as_deref() {
                let amount = Decimal::from_str(t.trim()).map_err(|_| {
                    AppError::InvalidInput(format!("--turnover: '{t}' is not an amount (e.g. 1234567.89)"))
                })?;
                app.set_turnover(year_end, amount)?;
            }
            let r = app.d441_6(year_end, None)?;
            emit(
                app,
                &r,
                || exports::d441_6_sheet(&r),
                format,
                out_file.as_ref(),
                out,
            )
        }
    }
}
