//! `encaisse`: receivables from a terminal, through the same app crate as the desktop.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use encaisse_app::ImportPreview;
use encaisse_app::{default_database_path, parse_date, App, AppError, FecImportOptions};
use encaisse_app::{AgingReport, DemoOptions, DsoReport};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod backups;
mod bank;
mod dossier;
mod einvoice;
mod letters;
mod mail;
mod pa;
mod penalties;
mod portfolio;
mod reports;
mod settings;
mod team;
mod workflow;

#[derive(Parser)]
#[command(name = "encaisse", version, about = "Encaisse: who owes what, as of any date")]
struct Cli {
    /// Database file (default: the app's database in the OS data folder). Also ENCAISSE_DB.
    #[arg(long, global = true, env = "ENCAISSE_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replace the database's content with a demo company (French SME, two years of history). A database
    /// holding imported data is replaced only with --replace, after a verified backup.
    Demo {
        #[arg(long, default_value_t = 1)]
        seed: u32,
        #[arg(long, default_value_t = 300)]
        customers: u32,
        /// Last day of the history (YYYY-MM-DD); today by default.
        #[arg(long, value_parser = date_arg)]
        end: Option<NaiveDate>,
        /// Replace a database that holds imported data (a backup is made first).
        #[arg(long)]
        replace: bool,
    },
    /// The aged balance: open invoices by days past due, unapplied credits apart.
    Aging {
        /// YYYY-MM-DD; today by default.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        options: reports::AgingArgs,
        /// The FEC alone: leave out the provisional receipts of bank statements (matched, on account).
        #[arg(long)]
        ledger_only: bool,
    },
    /// Days sales outstanding, average and countback.
    Dso {
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, default_value_t = encaisse_app::DEFAULT_DSO_PERIOD_DAYS)]
        period_days: u32,
        #[arg(long, value_enum, default_value_t = DsoFormat::Table)]
        format: DsoFormat,
        /// Also best possible DSO, weighted days late and the DSO at the last 12 month ends.
        #[arg(long)]
        all: bool,
    },
    /// What the database holds.
    Status,
    /// Import a file exported from the accounting software.
    #[command(subcommand)]
    Import(ImportCommand),
    #[command(flatten)]
    Reports(reports::ReportCommand),
    #[command(flatten)]
    Workflow(workflow::WorkflowCommand),
    #[command(flatten)]
    Mail(mail::MailCommand),
    /// Penalties on invoices paid late: the statement (table, JSON, CSV, XLSX or PDF), waive / unwaive.
    Penalties(penalties::PenaltiesArgs),
    /// Letters as PDF: the formal notice.
    #[command(subcommand)]
    Letter(letters::LetterCommand),
    /// Printable reports as PDF: the aged balance.
    #[command(subcommand)]
    Report(letters::PrintCommand),
    /// Letters of the day's agenda in one PDF.
    #[command(subcommand)]
    Letters(letters::LettersCommand),
    /// Settings: the collections' minimum gap and promise grace, your display name.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    #[command(flatten)]
    Backups(backups::BackupCommand),
    /// The litigation file (dossier contentieux) of a customer as one zip: the formal notice, the proof of each
    /// reminder sent, the account statement, disputes and promises, a summary sheet and manifest.json.
    Dossier(dossier::DossierArgs),
    /// Bank entries: what each credit pays and why; match, unmatch, on-account, ignore; remove a statement.
    #[command(subcommand)]
    Bank(bank::BankCommand),
    /// E-invoicing lifecycle statuses: each invoice's timeline, the 210/213 alerts, the 212 messages to send.
    #[command(subcommand)]
    Einvoice(einvoice::EinvoiceCommand),
    /// The accredited platform (Flow Service, AFNOR XP Z12-013): settings, sync of the lifecycle statuses, the
    /// 212 messages sent.
    #[command(subcommand)]
    Pa(pa::PaCommand),
    /// Team mode on a PostgreSQL server (in progress): prepare the server, add and remove users.
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// Portfolios: which collector follows which customers (by hand, by segment, by category).
    #[command(subcommand)]
    Portfolio(portfolio::PortfolioCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// An FEC (fichier des écritures comptables): replaces that fiscal year's customer lines, keeps what users
    /// attached to invoices. A refused file changes nothing.
    Fec {
        file: PathBuf,
        /// Default payment terms, in days net, for customers without their own (30 by default).
        #[arg(long)]
        terms_days: Option<u32>,
        /// The company's SIREN (9 digits), for a file whose name carries none: needed to import it into a
        /// database that holds a company.
        #[arg(long)]
        siren: Option<String>,
        /// Show what was detected and what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = DsoFormat::Table)]
        format: DsoFormat,
    },
    /// A customers file (CSV or .xlsx/.xls/.ods): creates or updates customers by key, setting the mapped
    /// fields only; never touches the ledger. A refused file changes nothing. The mapping is saved for next time.
    Customers {
        file: PathBuf,
        /// Column for a field, e.g. --map key="Code client" (repeatable; field= leaves a field out). Fields: key,
        /// name, siren, address, address2, postal_code, city, email, phone, terms, credit_limit, segment,
        /// collector.
        #[arg(long = "map", value_name = "FIELD=HEADER")]
        map: Vec<String>,
        /// The workbook's sheet (the first by default).
        #[arg(long)]
        sheet: Option<String>,
        /// Show what was detected, the mapping, the problems and what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = DsoFormat::Table)]
        format: DsoFormat,
    },
    /// Open invoices from a CSV or workbook (for software without FEC): replaces the previous open-invoices
    /// file's lines, keeps invoice identities. Fields: number, customer, customer_name, invoice_date, due_date,
    /// amount, paid, residual.
    Invoices {
        file: PathBuf,
        /// Column for a field, e.g. --map number="N° pièce" (repeatable).
        #[arg(long = "map", value_name = "FIELD=HEADER")]
        map: Vec<String>,
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = DsoFormat::Table)]
        format: DsoFormat,
    },
    /// E-invoices (Factur-X PDF, CII or UBL XML): sets the due date (BT-9) of the invoices the ledger has,
    /// creates the others. One refused file and nothing is written.
    Einvoice {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = DsoFormat::Table)]
        format: DsoFormat,
    },
    /// Bank statements (camt.053/054, CFONB 120, OFX, a bank's CSV export): each statement and entry once, each
    /// credit matched to open invoices (automatically when sure, else suggested). One refused file and nothing is
    /// written.
    Bank {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The account (IBAN) of a CSV export, or the name to give the one account of a file without IBAN.
        #[arg(long)]
        account: Option<String>,
        /// Column of a CSV export for a field, e.g. --csv-mapping date="Date opération" (repeatable). Fields:
        /// date, value_date, amount, debit, credit, label, reference, counterparty, counterparty_iban,
        /// bank_reference, remittance, currency. Without it the usual headers are recognised.
        #[arg(long = "csv-mapping", value_name = "FIELD=HEADER")]
        csv_mapping: Vec<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = bank::Format::Table)]
        format: bank::Format,
    },
    /// E-invoicing lifecycle statuses from the accredited platform (CDAR D22B messages): each status attached to
    /// its invoice (disputes opened for 206/207/208/210, alerts for 210/213…), each message once. One refused file
    /// and nothing is written.
    Status {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = einvoice::Format::Table)]
        format: einvoice::Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Xlsx,
    /// A printable table (with --out).
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum DsoFormat {
    Table,
    Json,
}

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        // `letters batch` wrote the letters it could and named those left out.
        Ok(()) if letters::some_left_out() => ExitCode::from(2),
        // `pa sync`/`pa send`: some flows failed, each named with why.
        Ok(()) if pa::some_failed() => ExitCode::from(2),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("encaisse: {}", with_flag_names(&e));
            ExitCode::FAILURE
        }
    }
}

/// The App names a refused value by its field in words; on a terminal the field is the option that was typed.
fn with_flag_names(e: &AppError) -> String {
    let message = e.to_string();
    if let AppError::InvalidInput(_) = e {
        for (field, flag) in [
            ("customers: ", "--customers: "),
            ("period days: ", "--period-days: "),
            ("terms days: ", "--terms-days: "),
            ("weeks: ", "--weeks: "),
            ("buckets: ", "--buckets: "),
            ("base_url: ", "--base-url: "),
            ("token_url: ", "--token-url: "),
            ("client_id: ", "--client-id: "),
            ("password: ", "--password-stdin: "),
            ("database: ", "--db: "),
        ] {
            if let Some(rest) = message.strip_prefix(field) {
                return format!("{flag}{rest}");
            }
        }
    }
    if let AppError::NeedsConfirmation(_) = e {
        if message.contains("with the demo company") {
            return format!("{message}\nhint: encaisse demo --replace");
        }
    }
    if message.contains("the file name carries no SIREN") {
        return format!("{message}\nhint: encaisse import fec FILE --siren NNNNNNNNN");
    }
    if let Some(rest) = message.strip_prefix("siren: ") {
        return format!("--siren: {rest}");
    }
    if message == "no home folder: give the database path" {
        return format!("{message} with --db");
    }
    if message.contains("allow an unencrypted login explicitly") {
        return format!("{message} (--security starttls or tls, or --allow-insecure-login)");
    }
    if message.starts_with("the accredited platform is not set up") {
        return format!("{message} (encaisse pa settings --base-url … --token-url … --client-id …)");
    }
    if message.starts_with("the accredited platform's client secret is not in the system keyring") {
        return format!("{message} (encaisse pa settings --secret-stdin, or --secret-stdin for this run)");
    }
    if message.starts_with("no SMTP server") {
        return format!("{message} (encaisse smtp set)");
    }
    if message == "name: the acting user has no login to keep a name for" {
        return format!("{message}\nhint: set ENCAISSE_USER to your login");
    }
    if message.contains("no column found for this required field") {
        return format!("{message}\nhint: name a field's column with --map FIELD=HEADER");
    }
    message
}

fn run(cli: Cli) -> Result<(), AppError> {
    let clock = encaisse_domain::clock::from_env().map_err(AppError::InvalidInput)?;
    if let Command::Team(cmd) = cli.command {
        return team::run(cmd, cli.db.as_deref(), &mut std::io::stdout().lock());
    }
    let db = match cli.db {
        Some(p) => p,
        None => default_database_path()?,
    };
    // What only reads never creates a database: `status` on a mistyped path creates nothing. A server URL is
    // never taken for a file name (which would create a database named after it).
    let opened = if db.to_str().is_some_and(encaisse_team::is_server_url) {
        App::open_location(&db, clock)?
    } else {
        match cli.command {
            Command::Status => App::open_existing(&db, clock)?,
            _ => App::open(&db, clock)?,
        }
    };
    // The CLI's actor is ENCAISSE_USER only (its `--user`/`--by` default), never the OS login: what a command
    // records when no user is given stays as it always was.
    // On a team's server the actor is the server's login (App::open_server).
    let app = mail::with_keyring_from_env(opened)?;
    let app = if app.on_server() {
        app
    } else {
        app.with_actor(encaisse_app::Actor::named(
            std::env::var("ENCAISSE_USER").unwrap_or_default(),
        ))
    };
    execute(&app, cli.command, &db).map_err(|e| app.naming_database(e))
}

fn execute(app: &App, command: Command, db: &std::path::Path) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    if let Command::Aging { ledger_only, .. } = &command {
        app.set_ledger_only(*ledger_only);
    }
    match command {
        Command::Demo {
            seed,
            customers,
            end,
            replace,
        } => {
            let s = app.create_demo(&DemoOptions {
                seed: Some(seed),
                customers: Some(customers),
                end,
                replace: Some(replace),
            })?;
            writeln!(
                out,
                "{}: {} customers, {} invoices, {} ledger lines from {} to {} in {}",
                s.company,
                s.customers,
                s.invoices,
                s.lines,
                s.start,
                s.end,
                db.display()
            )
            .map_err(io)?;
        }
        Command::Aging {
            as_of,
            format,
            options,
            ..
        } if !options.is_default() || matches!(format, Format::Xlsx | Format::Pdf) => {
            let format = match format {
                Format::Table => reports::ReportFormat::Table,
                Format::Json => reports::ReportFormat::Json,
                Format::Csv => reports::ReportFormat::Csv,
                Format::Xlsx => reports::ReportFormat::Xlsx,
                Format::Pdf => reports::ReportFormat::Pdf,
            };
            reports::aging(app, as_of, format, &options, &mut out)?
        }
        Command::Aging { as_of, format, .. } => {
            let report = app.aging(as_of)?;
            match format {
                Format::Json => writeln!(out, "{}", json(&report)?).map_err(io)?,
                Format::Csv => aging_csv(&report, &mut out)?,
                Format::Table | Format::Xlsx | Format::Pdf => aging_table(&report, &mut out).map_err(io)?,
            }
        }
        Command::Dso {
            as_of,
            period_days,
            format,
            all: true,
        } => reports::dso_set(
            app,
            as_of,
            period_days,
            matches!(format, DsoFormat::Json),
            &mut out,
        )?,
        Command::Dso {
            as_of,
            period_days,
            format,
            all: false,
        } => {
            let report = app.dso(as_of, Some(period_days))?;
            match format {
                DsoFormat::Json => writeln!(out, "{}", json(&report)?).map_err(io)?,
                DsoFormat::Table => dso_table(&report, &mut out).map_err(io)?,
            }
        }
        Command::Import(ImportCommand::Fec {
            file,
            terms_days,
            siren,
            dry_run,
            format,
        }) => {
            let options = FecImportOptions { terms_days, siren };
            let preview = if dry_run {
                app.inspect_fec(&file, &options)?
            } else {
                app.import_fec(&file, &options, &mut |_| {})?
            };
            match format {
                DsoFormat::Json => writeln!(out, "{}", json(&preview)?).map_err(io)?,
                DsoFormat::Table => import_text(&preview, dry_run, &mut out).map_err(io)?,
            }
        }
        Command::Import(cmd @ (ImportCommand::Customers { .. } | ImportCommand::Invoices { .. })) => {
            let customers = matches!(cmd, ImportCommand::Customers { .. });
            let (ImportCommand::Customers {
                file,
                map,
                sheet,
                dry_run,
                format,
            }
            | ImportCommand::Invoices {
                file,
                map,
                sheet,
                dry_run,
                format,
            }) = cmd
            else {
                unreachable!("matched above")
            };
            let mapping = map
                .iter()
                .map(|m| {
                    m.split_once('=')
                        .map(|(field, header)| encaisse_app::FieldHeader {
                            field: field.trim().to_string(),
                            header: header.trim().to_string(),
                        })
                        .ok_or_else(|| AppError::InvalidInput(format!("--map: '{m}' is not field=Header")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let options = encaisse_app::TabularOptions { mapping, sheet };
            let preview = match (customers, dry_run) {
                (true, true) => app.inspect_customers_file(&file, &options)?,
                (true, false) => app.import_customers_file(&file, &options)?,
                (false, true) => app.inspect_invoices_file(&file, &options)?,
                (false, false) => app.import_invoices_file(&file, &options)?,
            };
            match format {
                DsoFormat::Json => writeln!(out, "{}", json(&preview)?).map_err(io)?,
                DsoFormat::Table => {
                    write!(out, "{}", encaisse_app::imports::preview_text(&preview, dry_run)).map_err(io)?
                }
            }
            if !preview.errors.is_empty() {
                return Err(AppError::InvalidFile {
                    message: format!(
                        "{}: {} problem(s), nothing would be imported",
                        file.display(),
                        preview.errors.len()
                    ),
                    problems: preview.problems.clone(),
                });
            }
        }
        Command::Import(ImportCommand::Einvoice {
            files,
            dry_run,
            format,
        }) => {
            let report = if dry_run {
                app.inspect_einvoices(&files)?
            } else {
                app.import_einvoices(&files)?
            };
            match format {
                DsoFormat::Json => writeln!(out, "{}", json(&report)?).map_err(io)?,
                DsoFormat::Table => {
                    write!(out, "{}", encaisse_app::einvoices::report_text(&report, dry_run)).map_err(io)?
                }
            }
        }
        Command::Reports(cmd) => reports::run(app, cmd, &mut out)?,
        Command::Workflow(cmd) => workflow::run(app, cmd, &mut out)?,
        Command::Portfolio(cmd) => portfolio::run(app, cmd, &mut out)?,
        Command::Mail(cmd) => mail::run(app, cmd, &mut out)?,
        Command::Penalties(args) => penalties::run(app, args, &mut out)?,
        Command::Letter(cmd) => letters::run_letter(app, cmd, &mut out)?,
        Command::Report(cmd) => letters::run_print(app, cmd, &mut out)?,
        Command::Letters(cmd) => letters::run_letters(app, cmd, &mut out)?,
        Command::Settings(cmd) => settings::run(app, cmd, &mut out)?,
        Command::Backups(cmd) => backups::run(app, cmd, &mut out)?,
        Command::Dossier(args) => dossier::run(app, args, &mut out)?,
        Command::Bank(cmd) => bank::run(app, cmd, &mut out)?,
        Command::Einvoice(cmd) => einvoice::run(app, cmd, &mut out)?,
        Command::Pa(cmd) => pa::run(app, cmd, &mut out)?,
        // Handled by `run` before any SQLite database is opened.
        Command::Team(_) => unreachable!("the team commands open no local database"),
        Command::Import(ImportCommand::Status { files, format }) => {
            einvoice::import(app, &files, format, &mut out)?
        }
        Command::Import(ImportCommand::Bank {
            files,
            account,
            csv_mapping,
            dry_run,
            format,
        }) => bank::import(app, &files, account, &csv_mapping, dry_run, format, &mut out)?,
        Command::Status => {
            let s = app.status()?;
            writeln!(out, "{}", json(&s)?).map_err(io)?;
        }
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

/// The aged balance for programs: English codes as headers, amounts with a decimal point, through the exports'
/// one CSV writer (a name a spreadsheet would run as a formula gets its `'`).
fn aging_csv(r: &AgingReport, out: &mut impl Write) -> Result<(), AppError> {
    use encaisse_app::exports::{write_csv, Cell, CsvStyle, Sheet};
    let amounts = |balance: &str, unapplied: &str, buckets: &[String]| {
        [balance, unapplied]
            .into_iter()
            .chain(buckets.iter().map(String::as_str))
            .map(|a| Cell::Amount(a.to_string()))
            .collect::<Vec<_>>()
    };
    let mut rows: Vec<Vec<Cell>> = r
        .customers
        .iter()
        .map(|c| {
            let mut row = vec![Cell::Text(c.id.clone()), Cell::Text(c.name.clone())];
            row.extend(amounts(&c.balance, &c.unapplied, &c.buckets));
            row
        })
        .collect();
    let mut total = vec![Cell::Text("TOTAL".into()), Cell::Empty];
    total.extend(amounts(&r.totals.balance, &r.totals.unapplied, &r.totals.buckets));
    rows.push(total);
    let sheet = Sheet {
        title: String::new(),
        headers: ["id", "name", "balance", "unapplied"]
            .into_iter()
            .map(String::from)
            .chain(r.buckets.iter().cloned())
            .collect(),
        rows,
    };
    write_csv(&sheet, CsvStyle::Plain, out)
}

fn aging_table(r: &AgingReport, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "Aged balance as of {} ({})", r.as_of, r.currency)?;
    let mut head = format!("{:<8} {:<40} {:>14} {:>12}", "id", "name", "balance", "unapplied");
    for b in &r.buckets {
        head.push_str(&format!(" {b:>12}"));
    }
    writeln!(out, "{head}")?;
    let line = |id: &str, name: &str, balance: &str, unapplied: &str, buckets: &[String]| {
        let mut s = format!(
            "{id:<8} {:<40} {balance:>14} {unapplied:>12}",
            name.chars().take(40).collect::<String>()
        );
        for b in buckets {
            s.push_str(&format!(" {b:>12}"));
        }
        s
    };
    for c in &r.customers {
        writeln!(
            out,
            "{}",
            line(&c.id, &c.name, &c.balance, &c.unapplied, &c.buckets)
        )?;
    }
    writeln!(
        out,
        "{}",
        line(
            "TOTAL",
            "",
            &r.totals.balance,
            &r.totals.unapplied,
            &r.totals.buckets
        )
    )
}

fn dso_table(r: &DsoReport, out: &mut impl Write) -> std::io::Result<()> {
    let days = |d: Option<f64>| d.map_or_else(|| "n/a (no sales)".to_string(), |v| format!("{v:.1} days"));
    writeln!(out, "DSO as of {} over {} days", r.as_of, r.period_days)?;
    writeln!(out, "receivables  {:>16}", r.receivables)?;
    writeln!(out, "sales        {:>16}", r.sales)?;
    writeln!(out, "average      {:>16}", days(r.dso_average))?;
    writeln!(out, "countback    {:>16}", days(r.dso_countback))
}

fn import_text(p: &ImportPreview, dry_run: bool, out: &mut impl Write) -> std::io::Result<()> {
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
    writeln!(out, "{}", p.file)?;
    writeln!(
        out,
        "  detected: FEC, {}, separator {}, {} columns, {}, {} line endings",
        p.encoding, p.separator, p.columns, p.amounts, p.line_ending
    )?;
    writeln!(
        out,
        "  period: {} to {}, {} records",
        date(p.period_start),
        date(p.period_end),
        p.records
    )?;
    writeln!(
        out,
        "  customers: {}, customer lines: {}, open at period end: {}",
        p.customers, p.customer_lines, p.open_amount
    )?;
    for w in &p.warnings {
        writeln!(out, "  warning: {} ({})", w.message, w.count)?;
    }
    let c = &p.changes;
    let verb = if dry_run { "would change" } else { "changed" };
    if c.unchanged {
        writeln!(out, "  already imported: nothing {verb}")?;
    } else {
        if c.replaced_demo {
            writeln!(
                out,
                "  the demo company {}",
                if dry_run {
                    "would be removed"
                } else {
                    "was removed"
                }
            )?;
        }
        writeln!(
            out,
            "  {verb}: lines -{} +{}, customers +{}, invoices +{} kept {} missing {} back {}",
            c.lines_removed,
            c.lines_added,
            c.customers_added,
            c.invoices_added,
            c.invoices_kept,
            c.invoices_missing,
            c.invoices_back
        )?;
    }
    Ok(())
}
