//! Encaisse's single API. The CLI, the desktop shell and the tests call these use cases and nothing below.
//!
//! One module per use case: `book` (the cached ledger every use case reads), `reports/` (one per report),
//! `workflow/` (agenda, actions, promises, disputes, scenarios), `mail/`, `letters/`, `imports/`, `audit/`,
//! `backups` (copies, retention, restore).
//! Each use case's DTOs live beside it and are re-exported here. This file keeps the App, its opening, the store's
//! access, the status and the demo company.

pub mod audit;
pub mod backups;
pub mod bank;
mod book;
mod codes;
mod collection;
pub mod connection;
pub mod dossier;
pub mod einvoice_status;
pub mod error;
pub mod imports;
pub mod letters;
pub mod mail;
pub mod pa;
mod payment_reference;
pub mod penalties;
pub mod reports;
pub mod team;
pub mod user;
pub mod workflow;

pub use error::{AppError, AppResult, FileProblem, ProblemCode};
pub use imports::{
    einvoices, tabular, ColumnMapping, CustomerFieldsChanged, EInvoiceReport, EInvoiceResult,
    FecImportOptions, FieldHeader, ImportChangesDto, ImportPreview, ImportProgress, ImportWarning,
    TabularChanges, TabularOptions, TabularPreview, TabularRow,
};
pub use reports::{customer_file, export_file, exports, whatif};
pub use reports::{
    AgingReport, AgingRow, AgingTotals, BucketTotal, Dashboard, DsoReport, LateCustomer,
    DEFAULT_DSO_PERIOD_DAYS,
};
pub use user::UserProfile;

use chrono::NaiveDate;
use encaisse_domain::{Clock, Terms};
use encaisse_store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use ts_rs::TS;

pub struct App {
    store: Mutex<Store>,
    /// The store is a team's PostgreSQL server (read without taking the store's lock).
    server: bool,
    clock: Box<dyn Clock>,
    database: PathBuf,
    /// The ledger every use case reads, kept between calls (book.rs).
    ledger: book::LedgerCache,
    /// Who acts: recorded on the actions, comments, letters and audit entries a use case writes when its input
    /// names nobody. See [`Actor`].
    actor: Mutex<Actor>,
    /// Where the SMTP password is kept: the OS credential store unless replaced (`App::with_secrets`).
    secrets: std::sync::Arc<dyn mail::Secrets>,
    /// Where printed letters are shown: none unless given (`App::with_viewer`; the desktop gives the OS opener).
    viewer: std::sync::Arc<dyn letters::Viewer>,
    /// Where letters to print are written: the app's private folder in the OS cache unless given
    /// (`App::with_print_folder`).
    print_folder: Option<PathBuf>,
    /// The reports read the FEC alone, without the provisional receipts of bank statements (`--ledger-only`, the
    /// "ledger only" view): see [`App::set_ledger_only`].
    ledger_only: std::sync::atomic::AtomicBool,
}

/// The user acting through the App, given once: the session's user (ENCAISSE_USER, else USER, else USERNAME, else
/// the OS account) when the App is opened, or a name the caller sets. May be empty (no user known): nothing is invented.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    /// The session's user: ENCAISSE_USER, else USER, else USERNAME (the first not blank), else the OS account
    /// running the process (a service or a container may set none of them), else nobody.
    pub fn from_env() -> Actor {
        Actor(
            ["ENCAISSE_USER", "USER", "USERNAME"]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
                .or_else(|| whoami::username().ok().filter(|v| !v.trim().is_empty()))
                .unwrap_or_default(),
        )
    }

    pub fn named(name: impl Into<String>) -> Actor {
        Actor(name.into())
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

/// Where the app keeps its database when none is given: the OS's data folder
/// (e.g. ~/.local/share/encaisse, %APPDATA%\Encaisse\data, ~/Library/Application Support/fr.encaisse.Encaisse),
/// created if needed (a database path given by the user must be in a folder that exists: [`App::open`]).
pub fn default_database_path() -> AppResult<PathBuf> {
    let dir = directories::ProjectDirs::from("fr", "Encaisse", "Encaisse")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| AppError::Io("no home folder: give the database path".into()))?;
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Io(format!("{}: {e}", dir.display())))?;
    Ok(dir.join("encaisse.db"))
}

pub(crate) fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn count_usize(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parses a YYYY-MM-DD date typed by a user, naming the field on error.
pub fn parse_date(field: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::InvalidInput(format!("{field}: '{value}' is not a date (expected YYYY-MM-DD)"))
    })
}

/// What the database holds: the app uses it to choose between the first-start screen and the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Status {
    pub has_data: bool,
    /// The company is the demo's: replacing it loses nothing imported.
    pub demo: bool,
    pub company: Option<String>,
    pub customers: u32,
    pub lines: u32,
    pub today: NaiveDate,
    pub database: String,
    /// On a team's PostgreSQL server: the server's login the app acts as (absent for a file of this computer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signed_in: Option<String>,
    /// On a team's server: the signed-in login's role, `manager`, `collector` or `viewer` (what the screens
    /// offer; the server refuses the rest anyway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "'manager' | 'collector' | 'viewer'")]
    pub role: Option<String>,
    /// The team's server saved in Settings → "Équipe" did not answer at start: why (the window is on this
    /// computer's file meanwhile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub server_unreachable: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoOptions {
    pub seed: Option<u32>,
    pub customers: Option<u32>,
    /// Last day of the generated history; today when absent.
    pub end: Option<NaiveDate>,
    /// Replace a database that holds imported data (a backup is made first); refused without.
    pub replace: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    pub company: String,
    pub customers: u32,
    pub invoices: u32,
    pub lines: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl App {
    /// Opens the database, creating the file if needed; its folder must exist (a mistyped path is refused and
    /// creates nothing). An older database holding data is copied to the backups folder before its schema is
    /// upgraded.
    pub fn open(path: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
        let upgraded = backups::before_upgrade(path, clock.now())?;
        Self::from_store(Store::open(path)?, path, clock, upgraded.is_some())
    }

    /// Connects to a team's PostgreSQL server (`postgres://user@host/database`; the password from the URL,
    /// `PGPASSWORD` or the password file, the server's authority from `PGSSLROOTCERT` or
    /// `~/.postgresql/root.crt`). Opening writes nothing: the schema is `encaisse team init`'s.
    pub fn open_server(url: &str, clock: Box<dyn Clock>) -> AppResult<App> {
        let server =
            encaisse_team::ServerUrl::parse(url).map_err(|e| AppError::InvalidInput(e.to_string()))?;
        Self::open_server_at(&server, clock)
    }

    /// Opens a team's server as parsed (its password given: the desktop's from the OS keyring).
    pub fn open_server_at(server: &encaisse_team::ServerUrl, clock: Box<dyn Clock>) -> AppResult<App> {
        let store = Store::open_server(server, &encaisse_team::TlsOptions::default())?;
        // Who acts is the server's login: what the app records names the user the server knows.
        let login = store.server_user()?.unwrap_or_default();
        // The URL as messages show it (never its password).
        Ok(
            Self::from_store(store, Path::new(&server.to_string()), clock, false)?
                .with_actor(Actor::named(login)),
        )
    }

    /// A file path, or a server URL (postgres:// or postgresql://).
    pub fn open_location(location: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
        match location.to_str().filter(|l| encaisse_team::is_server_url(l)) {
            Some(url) => Self::open_server(url, clock),
            None => Self::open(location, clock),
        }
    }

    /// What moves when anyone writes to the database (this app, a terminal on the same file, a colleague on the
    /// team's server): the agenda polls it to show what others did.
    pub fn change_stamp(&self) -> AppResult<String> {
        let (data_version, changes) = self.store().write_stamp()?;
        Ok(format!("{data_version}:{changes}"))
    }

    /// Whether the database is a team's PostgreSQL server (not a file of this computer).
    pub fn on_server(&self) -> bool {
        self.server
    }

    /// Opens a database that exists, creating nothing (`encaisse status` on a mistyped path).
    pub fn open_existing(path: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
        if !path.is_file() {
            // The store's message: the missing file or folder, named; nothing created.
            drop(Store::open_existing(path)?);
        }
        Self::open(path, clock)
    }

    fn from_store(store: Store, path: &Path, clock: Box<dyn Clock>, upgraded: bool) -> AppResult<App> {
        let app = App {
            server: store.dialect() == encaisse_store::Dialect::Postgres,
            store: Mutex::new(store),
            clock,
            database: path.to_path_buf(),
            ledger: book::LedgerCache::default(),
            actor: Mutex::new(Actor::from_env()),
            secrets: std::sync::Arc::new(mail::NativeKeyring::default()),
            viewer: std::sync::Arc::new(letters::NoViewer),
            print_folder: None,
            ledger_only: std::sync::atomic::AtomicBool::new(false),
        };
        if upgraded {
            // Listed with the others and pruned by the same rule; not in the audit trail: it is made as the app
            // opens, before anyone acts, and an upgrade adds no row to what the database held.
            app.prune_backups()?;
        }
        Ok(app)
    }

    /// The error as a person reads it: a database error names the database's file (SQLite's messages do not).
    pub fn naming_database(&self, e: AppError) -> AppError {
        let file = self.database.display().to_string();
        match e {
            AppError::Database(m) if !m.contains(&file) => {
                let detail = m.strip_prefix("database: ").unwrap_or(&m);
                AppError::Database(format!("database {file}: {detail}"))
            }
            other => other,
        }
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back), so go on.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Acts as `actor` from now on (the CLI's `--user`/`--by`, a test's user).
    pub fn with_actor(self, actor: Actor) -> App {
        self.set_actor(actor);
        self
    }

    /// Acts as `actor` from now on.
    pub fn set_actor(&self, actor: Actor) {
        *self.actor.lock().unwrap_or_else(|p| p.into_inner()) = actor;
    }

    /// Who acts: the name set by [`App::with_actor`], else the session's user found when the App was opened.
    pub fn actor(&self) -> Actor {
        self.actor.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The user to record: the one an input names when it names one, else the actor.
    pub(crate) fn user_or_actor(&self, given: &str) -> String {
        if given.trim().is_empty() {
            self.actor().0
        } else {
            given.to_string()
        }
    }

    /// Where secrets are kept (the desktop's connection keeps the server's password there too).
    pub fn secrets(&self) -> std::sync::Arc<dyn mail::Secrets> {
        self.secrets.clone()
    }

    /// The database as messages show it: a file's path, or the server's URL without its password.
    pub fn database_location(&self) -> String {
        self.database.display().to_string()
    }

    /// Replaces where secrets are kept (the OS credential store by default); tests give an in-memory store.
    pub fn with_secrets(mut self, secrets: std::sync::Arc<dyn mail::Secrets>) -> App {
        self.secrets = secrets;
        self
    }

    /// Shows printed letters with `viewer` (none by default: printing then fails with `NoPdfViewer`, nothing
    /// recorded); the desktop gives the OS opener, tests a fake.
    pub fn with_viewer(mut self, viewer: std::sync::Arc<dyn letters::Viewer>) -> App {
        self.viewer = viewer;
        self
    }

    /// Writes letters to print in `folder` (made private to the user: letters/files.rs) instead of the app's folder
    /// in the OS cache.
    pub fn with_print_folder(mut self, folder: PathBuf) -> App {
        self.print_folder = Some(folder);
        self
    }

    pub(crate) fn viewer(&self) -> &dyn letters::Viewer {
        self.viewer.as_ref()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn status(&self) -> AppResult<Status> {
        let store = self.store();
        let company = store.company()?.map(|c| c.name);
        Ok(Status {
            has_data: company.is_some(),
            demo: company.is_some() && store.setting("demo_company")?.is_some(),
            company,
            customers: count(store.customer_count()?),
            lines: count(store.line_count()?),
            today: self.today(),
            database: self.database.display().to_string(),
            signed_in: self.server.then(|| self.actor().0),
            role: store.team_role()?,
            server_unreachable: connection::fallback(),
        })
    }

    /// Replaces the database's content with the demo company. A database holding only the demo company (with
    /// whatever was done on it) or nothing is replaced freely; one holding imported data only with `replace`,
    /// after a verified backup (else `NeedsConfirmation`, nothing changed). Recorded in the audit trail.
    pub fn create_demo(&self, options: &DemoOptions) -> AppResult<DemoSummary> {
        let customers = options.customers.unwrap_or(300);
        if !(1..=100_000).contains(&customers) {
            return Err(AppError::InvalidInput(format!(
                "customers: {customers} is out of range (1 to 100000)"
            )));
        }
        let status = self.status()?;
        let backup = if status.has_data && !status.demo {
            if options.replace != Some(true) {
                return Err(AppError::NeedsConfirmation(format!(
                    "the database {} holds imported data ({}, {} customers, {} ledger lines): replacing it with \
                     the demo company needs a confirmation (a backup is made first)",
                    self.database.display(),
                    status.company.as_deref().unwrap_or_default(),
                    status.customers,
                    status.lines
                )));
            }
            Some(self.backup_for(backups::BackupReason::BeforeDemo)?)
        } else {
            None
        };
        let end = options.end.unwrap_or_else(|| self.today());
        let book = encaisse_demo::generate(u64::from(options.seed.unwrap_or(1)), customers as usize, end);
        let written = self
            .store()
            .replace_with_demo(&book.company, &book.customers, &book.lines);
        self.ledger_changed();
        written?;
        // The demo company's legal mentions on its letters, where the letter settings name none.
        let mut letters = self.letter_settings()?;
        let fill = |field: &mut Option<String>, value: &str| {
            if field.as_deref().is_none_or(|f| f.trim().is_empty()) {
                *field = Some(value.to_string());
            }
        };
        fill(&mut letters.legal_form, encaisse_demo::LEGAL_FORM);
        fill(&mut letters.share_capital, encaisse_demo::SHARE_CAPITAL);
        fill(&mut letters.rcs_city, encaisse_demo::RCS_CITY);
        self.set_letter_settings(&letters)?;
        self.fill_demo_debtor_kinds()?;
        let summary = DemoSummary {
            company: book.company.name.clone(),
            customers: count_usize(book.customers.len()),
            invoices: count_usize(book.lines.iter().filter(|l| l.is_debit()).count()),
            lines: count_usize(book.lines.len()),
            start: book.start,
            end,
        };
        self.audit(
            "",
            "demo",
            &summary.company,
            "created",
            None,
            Some(
                serde_json::json!({
                    "customers": summary.customers,
                    "invoices": summary.invoices,
                    "lines": summary.lines,
                    "replaced": status.company,
                    "backup": backup.map(|b| b.path),
                })
                .to_string(),
            ),
        )?;
        Ok(summary)
    }

    pub(crate) fn default_terms(store: &Store) -> AppResult<Terms> {
        match store.setting("default_terms")? {
            Some(t) => t
                .parse()
                .map_err(|e: encaisse_domain::terms::TermsParseError| AppError::Database(e.to_string())),
            None => Ok(Terms::default()),
        }
    }

    pub(crate) fn company_currency(store: &Store) -> AppResult<(String, String)> {
        let company = store.company()?.ok_or_else(|| {
            AppError::NoData("the database is empty: create the demo company or import a ledger".into())
        })?;
        Ok((company.name, company.currency))
    }
}
