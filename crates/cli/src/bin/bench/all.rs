//! `encaisse-bench all --dir DIR [--lines N] [--customers N] [--runs N] [--as-of D] [--letters N]`: every figure
//! of issue 17 in one run, each beside its peer measured in the same run, with the ratio and the goal:
//! - the FEC import (whole process) against `sqlite3 .import` of the same file (the raw load, no checks);
//! - a new process's first aged balance and first dashboard, and a whole `encaisse aging` process (time, peak
//!   memory), on the imported database with its kept ledger forms, against the same on a copy whose forms are
//!   emptied before each run (what every start paid before: reading every line);
//! - the warm aged balance against DuckDB's aging over the raw file (`scripts/bench/duckdb_aging.py`, when
//!   `python3 -c "import duckdb"` works; skipped otherwise), the warm DSO set and forecast;
//! - the batch of formal notices on every core against the same batch on one thread (same bytes checked).
//!
//! The FEC and the databases stay in DIR (a second run reuses the FEC); the load average is printed at the start
//! and the end: the machine's other work weighs on every figure.

use chrono::NaiveDate;
use encaisse_app::App;
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

pub struct Args {
    pub dir: PathBuf,
    pub lines: usize,
    pub customers: usize,
    pub runs: u32,
    pub as_of: NaiveDate,
    pub letters: usize,
    pub postgres: super::pg::Choice,
}

/// One line of the summary: a figure, its peer, the ratio, the goal and whether it is met.
pub(crate) struct Row {
    pub what: String,
    pub figure: String,
    pub peer: String,
    pub ratio: String,
    pub goal: String,
    pub met: &'static str,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "yes"
    } else {
        "no"
    }
}

/// `/proc/loadavg`'s three averages.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

/// Runs a command to its end, output discarded: its wall time and, through `/usr/bin/time` when the machine has
/// it, its peak resident memory in kB.
fn timed(program: &Path, args: &[&str], scratch: &Path) -> Result<(Duration, Option<u64>), Error> {
    let gnu_time = Path::new("/usr/bin/time");
    let mem = scratch.join("peak.txt");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&mem).arg(program);
        c
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let status = cmd.args(args).stdout(Stdio::null()).status()?;
    let wall = start.elapsed();
    if !status.success() {
        return Err(format!("{} {}: failed", program.display(), args.join(" ")).into());
    }
    let peak = std::fs::read_to_string(&mem)
        .ok()
        .and_then(|s| s.trim().parse().ok());
    Ok((wall, peak))
}

/// A new process's first report (`cold-child`): (first call, whole process as the parent saw it, peak kB).
pub(crate) fn cold(
    exe: &Path,
    db: &Path,
    as_of: NaiveDate,
    dashboard: bool,
) -> Result<(Duration, Duration, u64), Error> {
    let mut cmd = Command::new(exe);
    cmd.arg("cold-child")
        .arg(db)
        .arg("--as-of")
        .arg(as_of.to_string());
    if dashboard {
        cmd.arg("--dashboard");
    }
    let start = Instant::now();
    let out = cmd.output()?;
    let wall = start.elapsed();
    if !out.status.success() {
        return Err(format!("cold-child: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let text = String::from_utf8(out.stdout)?;
    let fields: Vec<u64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    match fields[..] {
        [first_us, _, peak] => Ok((Duration::from_micros(first_us), wall, peak)),
        _ => Err(format!("cold-child said {text:?}").into()),
    }
}

/// The kept ledger forms of `db` emptied (what a database is after any write to its lines), with the sqlite3
/// command.
fn empty_forms(db: &Path) -> Result<(), Error> {
    let status = Command::new("sqlite3")
        .arg(db)
        .arg("DELETE FROM ledger_form")
        .status()?;
    if !status.success() {
        return Err("sqlite3 could not empty the kept forms".into());
    }
    Ok(())
}

/// The best of `runs` of `f`, each run's figures kept by `better`.
fn best<T: Copy>(
    runs: u32,
    mut f: impl FnMut() -> Result<T, Error>,
    better: impl Fn(&T, &T) -> bool,
) -> Result<T, Error> {
    let mut out: Option<T> = None;
    for _ in 0..runs.max(1) {
        let r = f()?;
        if out.as_ref().is_none_or(|b| better(&r, b)) {
            out = Some(r);
        }
    }
    out.ok_or_else(|| "no run".into())
}

pub fn run(a: &Args) -> Result<(), Error> {
    let exe = std::env::current_exe()?;
    let cli = exe.with_file_name("encaisse");
    if !cli.exists() {
        return Err(format!(
            "{}: build it too (cargo build --release -p encaisse-cli --bin encaisse --bin encaisse-bench)",
            cli.display()
        )
        .into());
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let load_start = load();
    println!("machine: {cores} cores; load average at the start {load_start}");
    let mut rows: Vec<Row> = Vec::new();

    // The FEC, generated once per size.
    let fec_dir = a.dir.join(format!("fec-{}-{}", a.lines, a.customers));
    std::fs::create_dir_all(&fec_dir)?;
    let fec = fec_dir.join("123456782FEC20261231.txt");
    if !fec.exists() {
        let t = Instant::now();
        let lines = super::generate_fec(&fec, a.lines, a.customers.max(1))?;
        println!("FEC generated: {lines} lines in {}", ms(t.elapsed()));
    }
    let size = std::fs::metadata(&fec)?.len();
    println!("FEC {}: {} kB", fec.display(), size / 1000);

    // 1. The import against sqlite3 .import, alternated run after run.
    let raw_db = a.dir.join("raw.db");
    let db = a.dir.join("fec.db");
    let (mut raw, mut ours, mut peak) = (Duration::MAX, Duration::MAX, 0u64);
    let fec_arg = fec.to_str().ok_or("the FEC path is not UTF-8")?;
    for _ in 0..a.runs.max(1) {
        remove_db(&raw_db);
        let t = Instant::now();
        let status = Command::new("sqlite3")
            .arg(&raw_db)
            .arg(".mode tabs")
            .arg(format!(".import '{fec_arg}' fec"))
            .status()?;
        if !status.success() {
            return Err("sqlite3 .import failed (is the sqlite3 command installed?)".into());
        }
        raw = raw.min(t.elapsed());
        remove_db(&db);
        let t = Instant::now();
        let out = Command::new(&exe)
            .arg("import-child")
            .arg(&fec)
            .arg(&db)
            .output()?;
        let wall = t.elapsed();
        if !out.status.success() {
            return Err(format!("import failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        ours = ours.min(wall);
        let text = String::from_utf8(out.stdout)?;
        let kb: u64 = text
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        peak = peak.max(kb);
    }
    remove_db(&raw_db);
    rows.push(Row {
        what: "FEC import, whole process (best of runs)".into(),
        figure: ms(ours),
        peer: format!("sqlite3 .import {}", ms(raw)),
        ratio: ratio(ours, raw),
        goal: "≤ 0.5×".into(),
        met: met(ours.as_secs_f64() <= 0.5 * raw.as_secs_f64()),
    });
    rows.push(Row {
        what: "FEC import, peak memory (VmHWM, worst run)".into(),
        figure: format!("{} MB", peak / 1024),
        peer: String::new(),
        ratio: String::new(),
        goal: "≤ 300 MB".into(),
        met: met(peak / 1024 <= 300),
    });

    // 2. Cold start: the database as imported (no kept form), then with the forms the first process kept.
    let (first_t, first_wall, first_peak) = cold(&exe, &db, a.as_of, false)?;
    println!(
        "first process after the import (reads every line, keeps the forms): first aging {}, process {}, {} MB",
        ms(first_t),
        ms(first_wall),
        first_peak / 1024
    );
    let peer_db = a.dir.join("no-forms.db");
    remove_db(&peer_db);
    std::fs::copy(&db, &peer_db)?;
    let later = |x: &(Duration, Duration, u64), y: &(Duration, Duration, u64)| x.0 < y.0;
    let kept = best(a.runs, || cold(&exe, &db, a.as_of, false), later)?;
    let lines = best(
        a.runs,
        || {
            empty_forms(&peer_db)?;
            cold(&exe, &peer_db, a.as_of, false)
        },
        later,
    )?;
    rows.push(Row {
        what: "first aged balance of a new process (kept forms)".into(),
        figure: ms(kept.0),
        peer: format!("reading every line {}", ms(lines.0)),
        ratio: ratio(kept.0, lines.0),
        goal: "≤ 300 ms".into(),
        met: met(kept.0 <= Duration::from_millis(300)),
    });
    let dash = best(a.runs, || cold(&exe, &db, a.as_of, true), later)?;
    let dash_lines = best(
        a.runs,
        || {
            empty_forms(&peer_db)?;
            cold(&exe, &peer_db, a.as_of, true)
        },
        later,
    )?;
    rows.push(Row {
        what: "dashboard command, first call of a new process".into(),
        figure: ms(dash.0),
        peer: format!("reading every line {}", ms(dash_lines.0)),
        ratio: ratio(dash.0, dash_lines.0),
        goal: "≤ 1 s".into(),
        met: met(dash.0 <= Duration::from_secs(1)),
    });
    rows.push(Row {
        what: "  the same process from its start to the dashboard".into(),
        figure: ms(dash.1),
        peer: format!("reading every line {}", ms(dash_lines.1)),
        ratio: ratio(dash.1, dash_lines.1),
        goal: String::new(),
        met: "",
    });
    let db_arg = db.to_str().ok_or("the database path is not UTF-8")?;
    let peer_arg = peer_db.to_str().ok_or("the database path is not UTF-8")?;
    let as_of = a.as_of.to_string();
    let by_wall = |x: &(Duration, Option<u64>), y: &(Duration, Option<u64>)| x.0 < y.0;
    let process = best(
        a.runs,
        || timed(&cli, &["--db", db_arg, "aging", "--as-of", &as_of], &a.dir),
        by_wall,
    )?;
    let process_lines = best(
        a.runs,
        || {
            empty_forms(&peer_db)?;
            timed(&cli, &["--db", peer_arg, "aging", "--as-of", &as_of], &a.dir)
        },
        by_wall,
    )?;
    rows.push(Row {
        what: "`encaisse aging`, whole process".into(),
        figure: ms(process.0),
        peer: format!("reading every line {}", ms(process_lines.0)),
        ratio: ratio(process.0, process_lines.0),
        goal: "≤ 500 ms".into(),
        met: met(process.0 <= Duration::from_millis(500)),
    });
    let mb = |kb: Option<u64>| kb.map_or_else(|| "unknown".to_string(), |k| format!("{} MB", k / 1024));
    rows.push(Row {
        what: "`encaisse aging`, peak memory (that run)".into(),
        figure: mb(process.1),
        peer: format!("reading every line {}", mb(process_lines.1)),
        ratio: String::new(),
        goal: "≤ 150 MB".into(),
        met: met(process.1.is_some_and(|k| k / 1024 <= 150)),
    });
    remove_db(&peer_db);

    // 3. Warm reports in this process, against DuckDB over the raw file.
    let app = App::open(&db, Box::new(FixedClock(a.as_of)))?;
    app.aging(Some(a.as_of))?;
    let (aging_t, aging) = super::best_of(a.runs.max(5), || app.aging(Some(a.as_of)));
    let aging = aging?;
    println!(
        "aged balance as of {}: {} customers, open {}",
        a.as_of,
        aging.customers.len(),
        aging.totals.balance
    );
    let duck = duckdb_aging(&fec, a.as_of, a.runs)?;
    rows.push(Row {
        what: "aged balance, warm".into(),
        figure: ms(aging_t),
        peer: duck.map_or_else(
            || "DuckDB: skipped (no duckdb Python package)".to_string(),
            |d| format!("DuckDB over the raw file {}", ms(d)),
        ),
        ratio: duck.map_or_else(String::new, |d| ratio(aging_t, d)),
        goal: "≤ 40 ms".into(),
        met: met(aging_t <= Duration::from_millis(40)),
    });
    if let Some(d) = duck {
        rows.push(Row {
            what: "first aged balance of a new process (kept forms)".into(),
            figure: ms(kept.0),
            peer: format!("DuckDB over the raw file {}", ms(d)),
            ratio: ratio(kept.0, d),
            goal: String::new(),
            met: "",
        });
    }
    app.dso_set(Some(a.as_of), None)?;
    let (dso_t, r) = super::best_of(a.runs.max(5), || app.dso_set(Some(a.as_of), None));
    r?;
    rows.push(Row {
        what: "DSO set, warm".into(),
        figure: ms(dso_t),
        peer: format!("aged balance {}", ms(aging_t)),
        ratio: ratio(dso_t, aging_t),
        goal: "≤ 20 ms".into(),
        met: met(dso_t <= Duration::from_millis(20)),
    });
    let (fc_t, r) = super::best_of(a.runs.max(5), || app.forecast(Some(a.as_of), None));
    r?;
    rows.push(Row {
        what: "forecast (13 weeks), warm".into(),
        figure: ms(fc_t),
        peer: format!("aged balance {}", ms(aging_t)),
        ratio: ratio(fc_t, aging_t),
        goal: "≤ 20 ms".into(),
        met: met(fc_t <= Duration::from_millis(20)),
    });
    drop(app);

    // 4. The formal notices on every core against one thread.
    let f = super::letter_figures(a.letters, 3000, a.runs, None)?;
    rows.push(Row {
        what: format!(
            "{} formal notices, {} threads (same bytes as 1)",
            a.letters, f.threads
        ),
        figure: ms(f.batch),
        peer: format!("1 thread {}", ms(f.one_thread)),
        ratio: ratio(f.batch, f.one_thread),
        goal: "≤ 1 s".into(),
        met: met(f.batch <= Duration::from_secs(1)),
    });

    // 5. PostgreSQL (team mode): the import against psql \copy, a new process's first aged balance, the warm one.
    if let Some(server) = super::pg::Server::get(&a.postgres)? {
        let pg = super::pg::measure(&server, &exe, &fec, a.runs, a.as_of)?;
        println!("PostgreSQL import: {}", pg.summary);
        rows.extend(pg.rows());
    }

    let load_end = load();
    println!();
    println!("load average: {load_start} at the start, {load_end} at the end ({cores} cores)");
    println!("| measure | figure | peer, same run | ratio | goal | met |");
    println!("|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.what, r.figure, r.peer, r.ratio, r.goal, r.met
        );
    }
    Ok(())
}

/// DuckDB's aging over the raw file, best of runs, when python3 imports duckdb (None otherwise).
fn duckdb_aging(fec: &Path, as_of: NaiveDate, runs: u32) -> Result<Option<Duration>, Error> {
    let available = Command::new("python3")
        .args(["-c", "import duckdb"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        return Ok(None);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/bench/duckdb_aging.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(fec)
        .arg("--as-of")
        .arg(as_of.to_string())
        .arg("--runs")
        .arg(runs.max(1).to_string())
        .output()?;
    if !out.status.success() {
        return Err(format!("{}: {}", script.display(), String::from_utf8_lossy(&out.stderr)).into());
    }
    // "duckdb X, 2 threads, as of D: best of N 123.4 ms"
    let text = String::from_utf8(out.stdout)?;
    print!("{text}");
    let best = text
        .lines()
        .next()
        .and_then(|l| l.rsplit_once("best of "))
        .and_then(|(_, rest)| rest.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| format!("{}: no time in its output", script.display()))?;
    Ok(Some(Duration::from_secs_f64(best / 1e3)))
}

/// `cold-child`: opens the database in this new process and times its first report.
pub fn cold_child(db: &Path, as_of: NaiveDate, dashboard: bool) -> Result<(), Error> {
    let start = Instant::now();
    let app = App::open_location(db, Box::new(FixedClock(as_of)))?;
    let t = Instant::now();
    if dashboard {
        app.dashboard(Some(as_of))?;
    } else {
        app.aging(Some(as_of))?;
    }
    let first = t.elapsed();
    println!(
        "{} {} {}",
        first.as_micros(),
        start.elapsed().as_micros(),
        super::peak_memory_kb().unwrap_or(0)
    );
    Ok(())
}
