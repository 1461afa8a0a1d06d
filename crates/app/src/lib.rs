//! Encaisse's single API. The CLI, the desktop shell and the tests call these use cases and nothing below.

pub mod audit_export;
mod collection;
pub mod collection_settings;
pub mod customer_file;
pub mod dto;
pub mod einvoices;
pub mod error;
pub mod export_file;
pub mod exports;
pub mod imports;
mod ledger_cache;
pub mod letters;
pub mod mail;
pub mod reports;
pub mod tabular;
pub mod whatif;
pub mod workflow;

pub use imports::FecImportOptions;

use chrono::NaiveDate;
use dto::*;
use encaisse_analytics::{aged_balance, AgeBasis, AgedBalance, Buckets};
use encaisse_domain::{days_to_f64, format_amount, Clock, Terms};
use encaisse_store::Store;
pub use error::{AppError, AppResult};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub const DEFAULT_DSO_PERIOD_DAYS: u32 = 90;
const DEFAULT_TOP_LATE: usize = 20;

pub struct App {
    store: Mutex<Store>,
    clock: Box<dyn Clock>,
    database: PathBuf,
    /// The ledger the reports read, kept between calls (ledger_cache.rs).
    ledger: ledger_cache::LedgerCache,
    /// Where the SMTP password is kept: the OS credential store unless replaced (`App::with_secrets`).
    secrets: std::sync::Arc<dyn mail::Secrets>,
}

/// Where the app keeps its database when none is given: the OS's data folder
/// (e.g. ~/.local/share/encaisse, %APPDATA%\Encaisse\data, ~/Library/Application Support/fr.encaisse.Encaisse).
pub fn default_database_path() -> AppResult<PathBuf> {
    directories::ProjectDirs::from("fr", "Encaisse", "Encaisse")
        .map(|d| d.data_dir().join("encaisse.db"))
        .ok_or_else(|| AppError::Io("no home folder: give the database path with --db".into()))
}

impl App {
    pub fn open(path: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
        let store = Store::open(path)?;
        Ok(App {
            store: Mutex::new(store),
            clock,
            database: path.to_path_buf(),
            ledger: ledger_cache::LedgerCache::default(),
            secrets: std::sync::Arc::new(mail::NativeKeyring::default()),
        })
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back), so go on.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn status(&self) -> AppResult<Status> {
        let store = self.store();
        let company = store.company()?.map(|c| c.name);
        Ok(Status {
            has_data: company.is_some(),
            company,
            customers: count(store.customer_count()?),
            lines: count(store.line_count()?),
            today: self.today(),
            database: self.database.display().to_string(),
        })
    }

    /// Replaces the database's content with the demo company.
    pub fn create_demo(&self, options: &DemoOptions) -> AppResult<DemoSummary> {
        let customers = options.customers.unwrap_or(300);
        if !(1..=100_000).contains(&customers) {
            return Err(AppError::InvalidInput(format!(
                "--customers: {customers} is out of range (1 to 100000)"
            )));
        }
        let end = options.end.unwrap_or_else(|| self.today());
        let book = encaisse_demo::generate(u64::from(options.seed.unwrap_or(1)), customers as usize, end);
        let written = self
            .store()
            .replace_with_demo(&book.company, &book.customers, &book.lines);
        self.ledger_changed();
        written?;
        Ok(DemoSummary {
            company: book.company.name.clone(),
            customers: count_usize(book.customers.len()),
            invoices: count_usize(book.lines.iter().filter(|l| l.is_debit()).count()),
            lines: count_usize(book.lines.len()),
            start: book.start,
            end,
        })
    }

    pub(crate) fn default_terms(store: &Store) -> AppResult<Terms> {
        match store.setting("default_terms")? {
            Some(t) => t
                .parse()
                .map_err(|e: encaisse_domain::terms::TermsParseError| AppError::Database(e.to_string())),
            None => Ok(Terms::default()),
        }
    }

    fn company_currency(store: &Store) -> AppResult<(String, String)> {
        let company = store.company()?.ok_or_else(|| {
            AppError::NoData("the database is empty: create the demo company or import a ledger".into())
        })?;
        Ok((company.name, company.currency))
    }

    /// The aged balance at `as_of` with its open items (letters need them), and the cached book it comes from.
    fn aged(
        &self,
        store: &Store,
        as_of: NaiveDate,
    ) -> AppResult<(AgedBalance, std::sync::Arc<ledger_cache::Loaded>)> {
        // The fiscal year in force at the date: its opening entries carry what the previous years left open.
        let book = self.book(store)?;
        let aged = aged_balance(
            book.at(as_of).iter().map(|c| (&c.customer, c.lines.as_slice())),
            book.terms,
            &Buckets::default(),
            as_of,
        );
        Ok((aged, book))
    }

    /// The aged balance as of a date (today when absent).
    pub fn aging(&self, as_of: Option<NaiveDate>) -> AppResult<AgingReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        Ok(aging_report(&aged, currency))
    }

    /// DSO as of a date over a period (default 90 days).
    pub fn dso(&self, as_of: Option<NaiveDate>, period_days: Option<u32>) -> AppResult<DsoReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let period = check_period(period_days)?;
        let store = self.store();
        Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        Ok(dso_report(aged.balance, &book, as_of, period))
    }

    pub fn dashboard(&self, as_of: Option<NaiveDate>) -> AppResult<Dashboard> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (company, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        let dso = dso_report(aged.balance, &book, as_of, DEFAULT_DSO_PERIOD_DAYS);
        let open: Decimal = aged.buckets.iter().sum();
        let overdue = aged.overdue();
        let overdue_share =
            (open > Decimal::ZERO).then(|| days_to_f64(one_decimal(overdue / open * Decimal::ONE_HUNDRED)));
        let mut late: Vec<_> = aged
            .customers
            .iter()
            .filter(|c| c.overdue() > Decimal::ZERO)
            .collect();
        late.sort_by(|a, b| {
            b.overdue()
                .cmp(&a.overdue())
                .then_with(|| a.customer.key.cmp(&b.customer.key))
        });
        let top_late = late
            .into_iter()
            .take(DEFAULT_TOP_LATE)
            .map(|c| LateCustomer {
                id: c.customer.key.clone(),
                name: c.customer.name.clone(),
                balance: format_amount(c.balance),
                overdue: format_amount(c.overdue()),
                buckets: c.buckets.iter().copied().map(format_amount).collect(),
                max_days_late: c.max_days_late.clamp(0, i64::from(i32::MAX)) as i32,
            })
            .collect();
        Ok(Dashboard {
            as_of,
            company,
            currency,
            receivables: format_amount(aged.balance),
            overdue: format_amount(overdue),
            overdue_share,
            unapplied: format_amount(aged.unapplied),
            customers_with_balance: count_usize(aged.customers.len()),
            dso,
            buckets: aged
                .labels
                .iter()
                .zip(&aged.buckets)
                .map(|(label, amount)| BucketTotal {
                    label: label.clone(),
                    amount: format_amount(*amount),
                })
                .collect(),
            top_late,
        })
    }
}

fn check_period(period_days: Option<u32>) -> AppResult<u32> {
    let p = period_days.unwrap_or(DEFAULT_DSO_PERIOD_DAYS);
    if !(1..=3660).contains(&p) {
        return Err(AppError::InvalidInput(format!(
            "--period-days: {p} is out of range (1 to 3660)"
        )));
    }
    Ok(p)
}

fn one_decimal(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn count_usize(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn aging_report(aged: &ledger_cache::AgedTotals<'_>, currency: String) -> AgingReport {
    let strings = |v: &[Decimal]| v.iter().copied().map(format_amount).collect::<Vec<_>>();
    AgingReport {
        as_of: aged.as_of,
        currency,
        buckets: aged.labels.clone(),
        customers: aged
            .customers
            .iter()
            .map(|c| AgingRow {
                id: c.customer.key.clone(),
                name: c.customer.name.clone(),
                balance: format_amount(c.balance),
                unapplied: format_amount(c.unapplied),
                buckets: strings(&c.buckets),
            })
            .collect(),
        totals: AgingTotals {
            balance: format_amount(aged.balance),
            unapplied: format_amount(aged.unapplied),
            buckets: strings(&aged.buckets),
        },
    }
}

/// The #2 DSO: sales of every year (the book's sales index), receivables at the date.
fn dso_report(receivables: Decimal, book: &reports::Book, as_of: NaiveDate, period: u32) -> DsoReport {
    let d = book.dso(receivables, as_of, period);
    DsoReport {
        as_of,
        period_days: period,
        receivables: format_amount(d.receivables),
        sales: format_amount(d.sales),
        dso_average: d.average.map(days_to_f64),
        dso_countback: d.countback.map(days_to_f64),
    }
}

/// Parses a YYYY-MM-DD date typed by a user, naming the field on error.
pub fn parse_date(field: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::InvalidInput(format!("{field}: '{value}' is not a date (expected YYYY-MM-DD)"))
    })
}
