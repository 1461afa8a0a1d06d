//! The PostgreSQL figures of team mode (issue 16, goal 6), measured in the same run as SQLite's:
//! - the FEC import into a server (`import-child FILE URL`, a new process per run, into a new database prepared
//!   by `team init`) against `psql \copy` of the same raw file into an unindexed table of text columns: as the
//!   tables' owner (the bench's superuser, who ran `team init`: the lines' checks are made once at the end), and
//!   as a manager login (`team add-user --role manager`: not the owner; since migration 0019 it makes the checks
//!   once at the end too, through the owner's functions `encaisse_bulk_load_begin`/`_end`), the three alternated
//!   run after run (psql, the manager, the owner), each with no other freshly loaded database beside it;
//! - the first aged balance of a new process on the imported server database (a server keeps no ledger form: it
//!   reads every line) and the warm aged balance (the same report cache as on SQLite).
//!
//! The server: a throwaway cluster this bench starts (`initdb` with its defaults, run as the `postgres` user when
//! the bench runs as root, listening on 127.0.0.1 on a free port; stopped and removed at the end), or an existing
//! one given by `--postgres URL` / `ENCAISSE_BENCH_POSTGRES` (a superuser's URL: the bench creates and drops
//! its databases `encaisse_bench` and `encaisse_bench_raw`). Before each timed import (ours and the peer's) the
//! server runs a `CHECKPOINT`, so that neither pays for the other's WAL.

use super::all::Row;
use chrono::NaiveDate;
use encaisse_app::App;
use encaisse_domain::FixedClock;
use encaisse_team::{as_owner, is_root, Client, ServerUrl, TlsOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

/// Where the PostgreSQL figures come from.
#[derive(Debug, Clone)]
pub enum Choice {
    /// A cluster started for the bench (the machine's PostgreSQL binaries).
    Start,
    /// An existing server: a superuser's URL (any database; the bench makes its own).
    Url(String),
    /// No PostgreSQL figures.
    Skip,
}

impl Choice {
    pub fn from_args(url: Option<String>, skip: bool) -> Choice {
        let url = url.or_else(|| std::env::var("ENCAISSE_BENCH_POSTGRES").ok());
        match (skip, url) {
            (true, _) => Choice::Skip,
            (false, Some(u)) if !u.is_empty() => Choice::Url(u),
            _ => Choice::Start,
        }
    }
}

/// A server the bench uses: its superuser's URL to a database (`db`), and its binaries (psql).
pub struct Server {
    host: String,
    port: u16,
    user: String,
    /// `user:password@` or `user@`, as given.
    userinfo: String,
    query: String,
    psql: PathBuf,
    /// Kept until the end: its drop stops the cluster.
    _cluster: Option<Cluster>,
}

/// A cluster started here: stopped and removed when dropped.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    root: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"), self.root)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-s", "-m", "fast", "stop"])
            .stdout(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// psql beside the server's binaries, else the one on PATH.
fn psql(bin: Option<&Path>) -> PathBuf {
    bin.map(|b| b.join("psql"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("psql"))
}

fn run(command: &mut Command, what: &str) -> Result<String, Error> {
    let out = command.stdin(Stdio::null()).output()?;
    if !out.status.success() {
        return Err(format!(
            "{what}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Server {
    /// The server chosen; None (after saying why) when there is none to measure.
    pub fn get(choice: &Choice) -> Result<Option<Server>, Error> {
        match choice {
            Choice::Skip => Ok(None),
            Choice::Url(url) => Server::existing(url).map(Some),
            Choice::Start => match encaisse_team::server_binaries() {
                None => {
                    println!("PostgreSQL: skipped (no initdb/pg_ctl: install the Debian package postgresql)");
                    Ok(None)
                }
                Some(bin) => Server::start(&bin).map(Some),
            },
        }
    }

    fn existing(url: &str) -> Result<Server, Error> {
        // postgres://userinfo@host:port/db?query
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or("--postgres: a postgres://user@host:port/database URL")?;
        let (userinfo, rest) = rest.split_once('@').ok_or("--postgres: the URL names no user")?;
        let (hostport, rest) = rest.split_once('/').unwrap_or((rest, ""));
        let query = rest.split_once('?').map_or("", |(_, q)| q).to_string();
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse()?),
            None => (hostport.to_string(), 5432),
        };
        let psql = psql(encaisse_team::server_binaries().as_deref());
        Ok(Server {
            host,
            port,
            user: userinfo.split(':').next().unwrap_or_default().to_string(),
            userinfo: format!("{userinfo}@"),
            query: if query.is_empty() {
                "sslmode=prefer".into()
            } else {
                query
            },
            psql,
            _cluster: None,
        })
    }

    fn start(bin: &Path) -> Result<Server, Error> {
        let began = Instant::now();
        let root = is_root();
        let dir = PathBuf::from(run(
            as_owner(Path::new("mktemp"), root).args(["-d", "-t", "encaisse-bench-pg-XXXXXX"]),
            "mktemp",
        )?);
        let cluster = Cluster {
            bin: bin.to_path_buf(),
            dir: dir.clone(),
            root,
        };
        // initdb's defaults (trust for local connections: the server listens on 127.0.0.1 and a private socket
        // folder only), UTF-8 and the C locale as the tests' cluster.
        run(
            as_owner(&bin.join("initdb"), root)
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-U", "postgres", "-E", "UTF8", "--locale=C"]),
            "initdb",
        )?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let settings = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={}",
            dir.display()
        );
        run(
            as_owner(&bin.join("pg_ctl"), root)
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-w", "-s", "-o", &settings, "-l"])
                .arg(dir.join("server.log"))
                .arg("start"),
            "pg_ctl start",
        )?;
        println!(
            "PostgreSQL: a throwaway cluster ({}) on 127.0.0.1:{port}, started in {:.1} s",
            bin.display(),
            began.elapsed().as_secs_f64()
        );
        Ok(Server {
            host: "127.0.0.1".into(),
            port,
            user: "postgres".into(),
            userinfo: "postgres@".into(),
            query: "sslmode=disable".into(),
            psql: psql(Some(bin)),
            _cluster: Some(cluster),
        })
    }

    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{}{}:{}/{db}?{}",
            self.userinfo, self.host, self.port, self.query
        )
    }

    fn connect(&self, db: &str) -> Result<Client, Error> {
        Ok(encaisse_team::connect(
            &ServerUrl::parse(&self.url(db))?,
            &TlsOptions::default(),
        )?)
    }

    /// A new, empty database `db` (dropped first if there), prepared by `team init` when `init`.
    fn fresh_database(&self, db: &str, init: bool) -> Result<(), Error> {
        let mut admin = self.connect("postgres")?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))?;
        admin.batch_execute(&format!("CREATE DATABASE {db}"))?;
        if init {
            let server = ServerUrl::parse(&self.url(db))?;
            let mut client = encaisse_team::connect(&server, &TlsOptions::default())?;
            encaisse_team::init(&mut client, &server)?;
        }
        Ok(())
    }

    fn checkpoint(&self) -> Result<(), Error> {
        self.connect("postgres")?.batch_execute("CHECKPOINT")?;
        Ok(())
    }

    /// The server's version and the settings that weigh on a bulk load and on reads.
    pub fn describe(&self) -> Result<String, Error> {
        let mut c = self.connect("postgres")?;
        let version: String = c.query_one("SELECT version()", &[])?.get(0);
        let mut settings = Vec::new();
        for row in c.query(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY($1) ORDER BY name",
            &[&vec![
                "shared_buffers",
                "synchronous_commit",
                "fsync",
                "full_page_writes",
                "wal_level",
                "wal_buffers",
                "max_wal_size",
                "checkpoint_timeout",
                "work_mem",
                "maintenance_work_mem",
                "effective_io_concurrency",
                "jit",
            ]],
        )? {
            let (name, setting): (String, String) = (row.get(0), row.get(1));
            settings.push(format!("{name}={setting}"));
        }
        Ok(format!("{version}; {}; as {}", settings.join(", "), self.user))
    }

    fn server_version_num(&self) -> Result<i32, Error> {
        let mut c = self.connect("postgres")?;
        let v: String = c.query_one("SHOW server_version_num", &[])?.get(0);
        Ok(v.parse()?)
    }
}

/// The PostgreSQL figures: (the import, its peer, ratio; first load of a new process; warm aged balance).
pub struct Figures {
    pub import: Duration,
    /// The same import as a manager login that does not own the tables (best of runs, alternated with the rest).
    pub as_manager: Duration,
    pub copy: Duration,
    pub peak_kb: u64,
    pub first: Duration,
    pub first_process: Duration,
    pub warm: Duration,
    /// Customer lines and open amount the import reported (the same as on SQLite).
    pub summary: String,
}

/// Imports `fec` into a new server database `runs` times against `psql \copy`, alternated, then times a new
/// process's first aged balance and the warm one on the last database.
pub fn measure(
    server: &Server,
    exe: &Path,
    fec: &Path,
    runs: u32,
    as_of: NaiveDate,
) -> Result<Figures, Error> {
    let settings = server.describe()?;
    println!("PostgreSQL: {settings}");
    let fec_arg = fec.to_str().ok_or("the FEC path is not UTF-8")?;
    let columns = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(fec)?))
        .next()
        .ok_or("the FEC is empty")??
        .split('\t')
        .count();
    // COPY's text format takes a header line from PostgreSQL 15; before, the CSV format with tabs (no quote in
    // the generated file).
    let options = if server.server_version_num()? >= 150_000 {
        "FORMAT text, HEADER true"
    } else {
        "FORMAT csv, DELIMITER E'\\t', HEADER true"
    };
    let table = format!(
        "CREATE TABLE fec ({})",
        (1..=columns)
            .map(|i| format!("c{i} text"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (mut import, mut copy, mut peak) = (Duration::MAX, Duration::MAX, 0u64);
    let mut as_manager = Duration::MAX;
    let mut summary = String::new();
    for _ in 0..runs.max(1) {
        // Each timed load runs with no other database just loaded beside it (autovacuum would analyze that one
        // meanwhile): the previous run's are emptied first, the peer's right after it, and the owner's import,
        // kept for the reports below, comes last.
        server.fresh_database("encaisse_bench", false)?;
        server.fresh_database("encaisse_bench_raw", false)?;
        server.connect("encaisse_bench_raw")?.batch_execute(&table)?;
        server.checkpoint()?;
        let t = Instant::now();
        let out = Command::new(&server.psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(server.url("encaisse_bench_raw"))
            .arg("-c")
            .arg(format!("\\copy fec FROM '{fec_arg}' WITH ({options})"))
            .stdout(Stdio::null())
            .output()?;
        copy = copy.min(t.elapsed());
        if !out.status.success() {
            return Err(format!("psql \\copy: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        server.fresh_database("encaisse_bench_raw", false)?;
        as_manager = as_manager.min(import_as_manager(server, exe, fec)?);
        server.fresh_database("encaisse_bench", true)?;
        server.checkpoint()?;
        let t = Instant::now();
        let out = Command::new(exe)
            .arg("import-child")
            .arg(fec)
            .arg(server.url("encaisse_bench"))
            .output()?;
        let wall = t.elapsed();
        if !out.status.success() {
            return Err(format!(
                "import into PostgreSQL failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        import = import.min(wall);
        let text = String::from_utf8(out.stdout)?;
        let fields: Vec<&str> = text.split_whitespace().collect();
        peak = peak.max(fields.get(1).and_then(|v| v.parse().ok()).unwrap_or(0));
        summary = format!(
            "{} customer lines kept, open at year end {}",
            fields.get(2).unwrap_or(&"?"),
            fields.get(3).unwrap_or(&"?")
        );
    }
    let db = server.url("encaisse_bench");
    // A new process's first aged balance: every line read from the server (no kept form there).
    let (mut first, mut first_process) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs.max(1) {
        let (f, p, _) = super::all::cold(exe, Path::new(&db), as_of, false)?;
        if f < first {
            (first, first_process) = (f, p);
        }
    }
    let app = App::open_location(Path::new(&db), Box::new(FixedClock(as_of)))?;
    let aging = app.aging(Some(as_of))?;
    let (warm, again) = super::best_of(runs.max(5), || app.aging(Some(as_of)));
    let again = again?;
    if again.totals.balance != aging.totals.balance {
        return Err("the warm aged balance differs from the first".into());
    }
    println!(
        "PostgreSQL: aged balance as of {as_of}: {} customers, open {}",
        aging.customers.len(),
        aging.totals.balance
    );
    drop(app);
    Ok(Figures {
        import,
        as_manager,
        copy,
        peak_kb: peak,
        first,
        first_process,
        warm,
        summary,
    })
}

impl Figures {
    /// The rows of `encaisse-bench all`'s table.
    pub fn rows(&self) -> Vec<Row> {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        let met = |ok: bool| if ok { "yes" } else { "no" };
        vec![
            Row {
                what: "PostgreSQL: FEC import, whole process (best of runs)".into(),
                figure: ms(self.import),
                peer: format!("psql \\copy, unindexed table {}", ms(self.copy)),
                ratio: format!("{:.2}×", self.import.as_secs_f64() / self.copy.as_secs_f64()),
                goal: "≤ 1.5×".into(),
                met: met(self.import.as_secs_f64() <= 1.5 * self.copy.as_secs_f64()),
            },
            Row {
                what: "PostgreSQL: the same import as a manager login, not the tables' owner (best of runs)"
                    .into(),
                figure: ms(self.as_manager),
                peer: format!("psql \\copy, unindexed table {}", ms(self.copy)),
                ratio: format!("{:.2}×", self.as_manager.as_secs_f64() / self.copy.as_secs_f64()),
                goal: "≤ 1.5×".into(),
                met: met(self.as_manager.as_secs_f64() <= 1.5 * self.copy.as_secs_f64()),
            },
            Row {
                what: "PostgreSQL: FEC import, peak memory (VmHWM, worst run)".into(),
                figure: format!("{} MB", self.peak_kb / 1024),
                peer: String::new(),
                ratio: String::new(),
                goal: String::new(),
                met: "",
            },
            Row {
                what: "PostgreSQL: first aged balance of a new process (reads every line)".into(),
                figure: ms(self.first),
                peer: format!("whole process {}", ms(self.first_process)),
                ratio: String::new(),
                goal: "≤ 2 s".into(),
                met: met(self.first <= Duration::from_secs(2)),
            },
            Row {
                what: "PostgreSQL: aged balance, warm".into(),
                figure: ms(self.warm),
                peer: String::new(),
                ratio: String::new(),
                goal: "≤ 40 ms".into(),
                met: met(self.warm <= Duration::from_millis(40)),
            },
        ]
    }
}

/// The same import as a manager login, which does not own the tables (`team add-user --role manager`): since
/// migration 0019 the bulk path through the owner's functions `encaisse_bulk_load_begin`/`_end`. Into a new
/// database prepared by `team init`, after a `CHECKPOINT`; returns the whole process's time.
fn import_as_manager(server: &Server, exe: &Path, fec: &Path) -> Result<Duration, Error> {
    server.fresh_database("encaisse_bench_manager", true)?;
    {
        let url = ServerUrl::parse(&server.url("encaisse_bench_manager"))?;
        let mut admin = encaisse_team::connect(&url, &TlsOptions::default())?;
        encaisse_team::add_user(
            &mut admin,
            &url,
            "encaisse_bench_manager",
            encaisse_team::Role::Manager,
            Some("bench-manager"),
        )?;
    }
    server.checkpoint()?;
    let manager_url = server.url("encaisse_bench_manager").replacen(
        &server.userinfo,
        "encaisse_bench_manager:bench-manager@",
        1,
    );
    let t = Instant::now();
    let out = Command::new(exe)
        .arg("import-child")
        .arg(fec)
        .arg(&manager_url)
        .output()?;
    let took = t.elapsed();
    if !out.status.success() {
        return Err(format!(
            "import into PostgreSQL as a manager failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    server.fresh_database("encaisse_bench_manager", false)?;
    Ok(took)
}
