//! Backups and restore: verified copies of the database (SQLite's online backup API, `encaisse_store::backup`),
//! made on demand and before every step that replaces data (a demo over data, an FEC import into a ledger that
//! holds one, a restore, a schema upgrade), and once a day when the desktop opens.
//!
//! Copies live in a `backups` folder beside the database (for the app's own database, in the app's data folder),
//! named `<database name>-<YYYYMMDD-HHMMSS>-<reason>[-<n>].db`: the name says when (from the app's clock) and why,
//! so the list needs no other record. After each copy the retention rule prunes that folder: the newest
//! `keep_last` copies, plus the newest copy of each of the last `keep_weeks` calendar weeks (settings).

use crate::{App, AppError, AppResult};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use encaisse_store::backup::{self, Verified};
use encaisse_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Why a copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupReason {
    /// Asked by the user.
    Manual,
    /// Before the demo company replaced the data.
    BeforeDemo,
    /// Before an FEC import into a ledger that already held one.
    BeforeImport,
    /// Before a restore replaced the database.
    BeforeRestore,
    /// Before this version upgraded the database's schema.
    BeforeUpgrade,
    /// The day's copy, when the desktop app opens.
    Daily,
}

impl BackupReason {
    pub const ALL: [BackupReason; 6] = [
        BackupReason::Manual,
        BackupReason::BeforeDemo,
        BackupReason::BeforeImport,
        BackupReason::BeforeRestore,
        BackupReason::BeforeUpgrade,
        BackupReason::Daily,
    ];

    pub fn word(self) -> &'static str {
        match self {
            BackupReason::Manual => "manual",
            BackupReason::BeforeDemo => "before_demo",
            BackupReason::BeforeImport => "before_import",
            BackupReason::BeforeRestore => "before_restore",
            BackupReason::BeforeUpgrade => "before_upgrade",
            BackupReason::Daily => "daily",
        }
    }

    pub fn parse(word: &str) -> Option<BackupReason> {
        BackupReason::ALL.into_iter().find(|r| r.word() == word)
    }
}

/// A copy just written and verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupDone {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// "ok": the copy passed SQLite's integrity check and holds the rows of the database.
    pub integrity: String,
    /// Local date and time, from the app's clock.
    pub created_at: NaiveDateTime,
    pub reason: BackupReason,
}

/// A copy in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub created_at: NaiveDateTime,
    pub reason: BackupReason,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The copies kept, newest first, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupList {
    pub folder: String,
    pub backups: Vec<BackupInfo>,
}

/// A restore done: what replaced the database, and the copy of what it held before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreDone {
    pub restored_from: String,
    pub database: String,
    /// The copy of the database as it was just before the restore.
    pub backup: BackupDone,
}

/// How many copies the backups folder keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSettings {
    /// The newest copies kept whatever their age (10 by default).
    pub keep_last: u32,
    /// Besides, the newest copy of each of this many calendar weeks, this one included (8 by default).
    pub keep_weeks: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            keep_last: 10,
            keep_weeks: 8,
        }
    }
}

const SETTING_KEEP_LAST: &str = "backup_keep_last";
const SETTING_KEEP_WEEKS: &str = "backup_keep_weeks";
const MAX_KEEP_LAST: u32 = 1000;
const MAX_KEEP_WEEKS: u32 = 520;

/// The folder where the copies of the database at `database` are kept: `backups` beside it.
pub fn folder_of(database: &Path) -> PathBuf {
    database
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// The database's file name without its extension: the copies' names start with it.
fn stem_of(database: &Path) -> String {
    database
        .file_stem()
        .map_or_else(|| "encaisse".to_string(), |s| s.to_string_lossy().into_owned())
}

/// When and why a copy was made, and its rank among copies of the same second, from its name.
fn parse_name(stem: &str, name: &str) -> Option<(NaiveDateTime, BackupReason, u32)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".db")?;
    let at = NaiveDateTime::parse_from_str(rest.get(..15)?, "%Y%m%d-%H%M%S").ok()?;
    let rest = rest.get(15..)?.strip_prefix('-')?;
    let (reason, rank) = match rest.rsplit_once('-') {
        Some((reason, n)) => (reason, n.parse().ok()?),
        None => (rest, 1),
    };
    Some((at, BackupReason::parse(reason)?, rank))
}

/// Which of the copies made at `dates` (newest first) the rule keeps, in the same order.
pub fn kept(dates: &[NaiveDateTime], today: NaiveDate, rule: BackupSettings) -> Vec<bool> {
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let first_week = monday(today) - Duration::weeks(i64::from(rule.keep_weeks) - 1);
    let mut weeks = HashSet::new();
    dates
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let week = monday(at.date());
            // The first (newest) copy seen of a week within the window is that week's.
            let weekly = rule.keep_weeks > 0 && week >= first_week && weeks.insert(week);
            i < rule.keep_last as usize || weekly
        })
        .collect()
}

fn io(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::Io(format!("{}: {e}", path.display()))
}

/// The copies of `database` in its backups folder, newest first.
fn list(database: &Path) -> AppResult<Vec<(BackupInfo, u32)>> {
    let folder = folder_of(database);
    let stem = stem_of(database);
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&folder, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(&folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, reason, rank)) = parse_name(&stem, &name) else {
            continue;
        };
        let meta = entry.metadata().map_err(|e| io(&entry.path(), e))?;
        let bytes = meta.len();
        // Two copies of one second (a fixed clock, a backup right after the day's): the file written last first.
        let written = meta.modified().ok();
        found.push((
            BackupInfo {
                path: entry.path().display().to_string(),
                file_name: name,
                created_at,
                reason,
                bytes,
            },
            rank,
            written,
        ));
    }
    found.sort_by(|(a, ra, wa), (b, rb, wb)| (b.created_at, rb, wb).cmp(&(a.created_at, ra, wa)));
    Ok(found.into_iter().map(|(b, rank, _)| (b, rank)).collect())
}

/// A new file name in the folder for a copy made at `at`.
fn new_path(database: &Path, at: NaiveDateTime, reason: BackupReason) -> AppResult<PathBuf> {
    let folder = folder_of(database);
    std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
    let base = format!(
        "{}-{}-{}",
        stem_of(database),
        at.format("%Y%m%d-%H%M%S"),
        reason.word()
    );
    (1..10_000)
        .map(|n| {
            folder.join(if n == 1 {
                format!("{base}.db")
            } else {
                format!("{base}-{n}.db")
            })
        })
        .find(|p| !p.exists())
        .ok_or_else(|| io(&folder, "too many copies in the same second"))
}

fn done(path: &Path, v: &Verified, at: NaiveDateTime, reason: BackupReason) -> BackupDone {
    BackupDone {
        path: path.display().to_string(),
        bytes: v.bytes,
        integrity: "ok".into(),
        created_at: at,
        reason,
    }
}

/// Before [`App::open`] upgrades an older database holding data: a verified copy of it as it is.
pub(crate) fn before_upgrade(database: &Path, now: NaiveDateTime) -> AppResult<Option<BackupDone>> {
    if backup::pending_upgrade(database).is_none() {
        return Ok(None);
    }
    let path = new_path(database, now, BackupReason::BeforeUpgrade)?;
    let v = backup::backup_file(database, &path)?;
    Ok(Some(done(&path, &v, now, BackupReason::BeforeUpgrade)))
}

/// Files removed when dropped (a staged copy's write-ahead log).
struct Sidecars(Vec<PathBuf>);

impl Drop for Sidecars {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn keep_setting(store: &Store, key: &str, default: u32) -> AppResult<u32> {
    match store.setting(key)? {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| AppError::Database(format!("setting {key}: '{v}' is not a number"))),
    }
}

impl App {
    /// Where the copies of this database are kept.
    /// Copies and restores are of a file of this computer: a team's server is saved on the server.
    fn refuse_on_server(&self) -> AppResult<()> {
        if self.on_server() {
            return Err(AppError::InvalidInput(
                "backups: the team's database is on a PostgreSQL server; its administrator saves it there (pg_dump), \
                 the app's copies and restores are for a database file of this computer"
                    .into(),
            ));
        }
        Ok(())
    }

    pub fn backups_folder(&self) -> PathBuf {
        folder_of(&self.database)
    }

    /// Writes a verified copy of the database now: into the backups folder, or to `out` (a new file; copies
    /// elsewhere are never pruned). Recorded in the audit trail.
    pub fn backup(&self, out: Option<&Path>) -> AppResult<BackupDone> {
        self.refuse_on_server()?;
        match out {
            None => self.backup_for(BackupReason::Manual),
            Some(out) => {
                if out.exists() {
                    return Err(AppError::InvalidInput(format!(
                        "{}: the file exists; choose a new file name for the backup",
                        out.display()
                    )));
                }
                let at = self.now();
                let v = self.store().backup_to(out)?;
                let d = done(out, &v, at, BackupReason::Manual);
                self.audit_backup(&d)?;
                Ok(d)
            }
        }
    }

    /// A copy into the backups folder, recorded, then the folder pruned.
    pub(crate) fn backup_for(&self, reason: BackupReason) -> AppResult<BackupDone> {
        self.refuse_on_server()?;
        let at = self.now();
        let path = new_path(&self.database, at, reason)?;
        let v = self.store().backup_to(&path)?;
        let d = done(&path, &v, at, reason);
        self.after_backup(&d)?;
        Ok(d)
    }

    /// A copy made into the folder is recorded and the folder pruned.
    fn after_backup(&self, d: &BackupDone) -> AppResult<()> {
        self.audit_backup(d)?;
        self.prune_backups()
    }

    fn audit_backup(&self, d: &BackupDone) -> AppResult<()> {
        let store = self.store();
        self.audit_backup_in(&store, d)
    }

    fn audit_backup_in(&self, store: &encaisse_store::Store, d: &BackupDone) -> AppResult<()> {
        let name = Path::new(&d.path)
            .file_name()
            .map_or_else(|| d.path.clone(), |n| n.to_string_lossy().into_owned());
        self.audit_in(
            store,
            "",
            "backup",
            &name,
            d.reason.word(),
            None,
            Some(json!({"path": d.path, "bytes": d.bytes, "reason": d.reason}).to_string()),
        )
    }

    /// Removes the copies the retention rule does not keep.
    pub(crate) fn prune_backups(&self) -> AppResult<()> {
        if self.on_server() {
            return Ok(());
        }
        let rule = self.backup_settings()?;
        let copies = list(&self.database)?;
        let dates: Vec<NaiveDateTime> = copies.iter().map(|(b, _)| b.created_at).collect();
        for ((b, _), keep) in copies.iter().zip(kept(&dates, self.today(), rule)) {
            if !keep {
                std::fs::remove_file(&b.path).map_err(|e| io(Path::new(&b.path), e))?;
            }
        }
        Ok(())
    }

    /// The copies in the backups folder, newest first.
    pub fn backups(&self) -> AppResult<BackupList> {
        self.refuse_on_server()?;
        Ok(BackupList {
            folder: self.backups_folder().display().to_string(),
            backups: list(&self.database)?.into_iter().map(|(b, _)| b).collect(),
        })
    }

    /// The day's copy (the desktop asks when it opens): made when the database holds data and no copy of today is
    /// in the folder yet.
    pub fn daily_backup(&self) -> AppResult<Option<BackupDone>> {
        if self.on_server() || !self.store().holds_data()? {
            return Ok(None);
        }
        let today = self.today();
        if list(&self.database)?
            .iter()
            .any(|(b, _)| b.created_at.date() == today)
        {
            return Ok(None);
        }
        self.backup_for(BackupReason::Daily).map(Some)
    }

    /// A copy before an FEC import when the ledger already holds an FEC (the import replaces that fiscal year's
    /// lines, or adds a year beside them).
    pub(crate) fn backup_before_fec(&self, store: &encaisse_store::Store) -> AppResult<bool> {
        // Made under the import's write lock (a second import stops before anything, this copy included); its
        // record is part of the import's transaction, the folder is pruned once the import is over.
        if store.dialect() == encaisse_store::Dialect::Postgres || !store.holds_fec()? {
            return Ok(false);
        }
        let at = self.now();
        let path = new_path(&self.database, at, BackupReason::BeforeImport)?;
        let v = store.backup_to(&path)?;
        self.audit_backup_in(store, &done(&path, &v, at, BackupReason::BeforeImport))?;
        Ok(true)
    }

    /// Replaces the database with the copy at `file`: the file is checked first (an Encaisse database this version
    /// can read, intact: else refused and nothing changes), a copy of the current database is made, then the
    /// content replaced and the restore recorded in the audit trail (the one row the restored database holds
    /// beyond the copy's). A copy from an older version is upgraded.
    pub fn restore(&self, file: &Path) -> AppResult<RestoreDone> {
        self.refuse_on_server()?;
        if !file.is_file() {
            return Err(AppError::InvalidInput(format!(
                "{}: no such file",
                file.display()
            )));
        }
        let same =
            |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
        if same(file, &self.database) {
            return Err(AppError::InvalidInput(format!(
                "{}: this is the database itself, not a backup of it",
                file.display()
            )));
        }
        // Checked and read from a private copy: the file given is never opened for writing.
        let folder = self.backups_folder();
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
        let staged = tempfile::Builder::new()
            .prefix(".restoring-")
            .suffix(".db")
            .tempfile_in(&folder)
            .map_err(|e| io(&folder, e))?;
        std::fs::copy(file, staged.path()).map_err(|e| io(file, e))?;
        // A live database copied by hand may keep committed pages in its write-ahead log: copied along.
        let side = |p: &Path, ext: &str| PathBuf::from(format!("{}-{ext}", p.display()));
        let _sidecars = Sidecars(vec![side(staged.path(), "wal"), side(staged.path(), "shm")]);
        if side(file, "wal").is_file() {
            std::fs::copy(side(file, "wal"), side(staged.path(), "wal")).map_err(|e| io(file, e))?;
        }
        let shown = |e: AppError| match e {
            AppError::InvalidInput(m) => AppError::InvalidInput(
                m.replace(&staged.path().display().to_string(), &file.display().to_string()),
            ),
            AppError::NewerDatabase(m) => AppError::NewerDatabase(
                m.replace(&staged.path().display().to_string(), &file.display().to_string()),
            ),
            other => other,
        };
        let checked = backup::verify(staged.path()).map_err(|e| shown(e.into()))?;
        let before = self.backup_for(BackupReason::BeforeRestore)?;
        {
            let mut store = self.store();
            let _written = self.ledger_write();
            store.restore_from(staged.path()).map_err(|e| shown(e.into()))?;
        }
        let restored_from = file.display().to_string();
        self.audit(
            "",
            "database",
            &crate::imports::fec::file_label(file),
            "restored",
            None,
            Some(
                json!({
                    "file": restored_from,
                    "schema_version": checked.schema_version,
                    "backup": before.path,
                })
                .to_string(),
            ),
        )?;
        Ok(RestoreDone {
            restored_from,
            database: self.database.display().to_string(),
            backup: before,
        })
    }

    /// Shows the backups folder in the system's file manager (through the shell's opener).
    pub fn open_backups_folder(&self) -> AppResult<String> {
        let folder = self.backups_folder();
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
        self.viewer()
            .open(&folder)
            .map_err(|e| AppError::Io(format!("{}: could not be opened ({e})", folder.display())))?;
        Ok(folder.display().to_string())
    }

    /// The retention rule of the backups folder.
    pub fn backup_settings(&self) -> AppResult<BackupSettings> {
        let store = self.store();
        let d = BackupSettings::default();
        Ok(BackupSettings {
            keep_last: keep_setting(&store, SETTING_KEEP_LAST, d.keep_last)?,
            keep_weeks: keep_setting(&store, SETTING_KEEP_WEEKS, d.keep_weeks)?,
        })
    }

    /// Sets the retention rule (at least one copy kept), recorded in the audit trail; applies from the next copy.
    pub fn set_backup_settings(&self, settings: &BackupSettings) -> AppResult<BackupSettings> {
        if !(1..=MAX_KEEP_LAST).contains(&settings.keep_last) {
            return Err(AppError::InvalidInput(format!(
                "copies kept: {} is out of range (1 to {MAX_KEEP_LAST})",
                settings.keep_last
            )));
        }
        if settings.keep_weeks > MAX_KEEP_WEEKS {
            return Err(AppError::InvalidInput(format!(
                "weeks kept: {} is out of range (0 to {MAX_KEEP_WEEKS})",
                settings.keep_weeks
            )));
        }
        let before = self.backup_settings()?;
        if before == *settings {
            return Ok(before);
        }
        {
            let store = self.store();
            store.set_setting(SETTING_KEEP_LAST, &settings.keep_last.to_string())?;
            store.set_setting(SETTING_KEEP_WEEKS, &settings.keep_weeks.to_string())?;
        }
        let as_json = |s: &BackupSettings| serde_json::to_string(s).ok();
        self.audit(
            "",
            "backup_settings",
            "",
            "update",
            as_json(&before),
            as_json(settings),
        )?;
        Ok(*settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_when_and_why() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(13, 5, 9)
            .unwrap();
        assert_eq!(
            parse_name("encaisse", "encaisse-20261203-130509-before_demo.db"),
            Some((at, BackupReason::BeforeDemo, 1))
        );
        assert_eq!(
            parse_name("encaisse", "encaisse-20261203-130509-daily-3.db"),
            Some((at, BackupReason::Daily, 3))
        );
        assert_eq!(
            parse_name("encaisse", "encaisse-20261203-130509-daily.db.partial"),
            None
        );
        assert_eq!(parse_name("encaisse", "other-20261203-130509-daily.db"), None);
        assert_eq!(
            parse_name("encaisse", "encaisse-20261203-130509-whatever.db"),
            None
        );
    }
}
