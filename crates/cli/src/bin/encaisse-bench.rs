//! `encaisse-bench`: times the use cases on a generated book, for BENCHMARKS.md.
//! `cargo run --release --bin encaisse-bench -- aging [--customers N] [--runs N]`
//! `cargo run --release --bin encaisse-bench -- import [--lines N] [--customers N] [--runs N]`
//! `cargo run --release --bin encaisse-bench -- reports --db FILE [--as-of D] [--runs N]`
//! `cargo run --release --bin encaisse-bench -- letters N [--customers N] [--runs N] [--threads N] [--out FILE.pdf]`
//! `cargo run --release --bin encaisse-bench -- all --dir DIR [--lines N] [--customers N] [--runs N] [--letters N]`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "bench/all.rs"]
mod all;
#[path = "bench/bank.rs"]
mod bank;
#[path = "bench/pg.rs"]
mod pg;
#[path = "bench/reports.rs"]
mod reports;

use chrono::Datelike;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;
use std::io::Write;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "encaisse-bench",
    about = "Times Encaisse's use cases on a generated demo book"
)]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Demo creation (generate + store), then aged balance, DSO and dashboard as of the last day.
    Aging {
        #[arg(long, default_value_t = 300)]
        customers: u32,
        #[arg(long, default_value_t = 5)]
        runs: u32,
    },
    /// Generates an FEC (a year of invoices, payments and lettering), then times `sqlite3 .import` of it
    /// (the raw load, no checks) and `encaisse import fec` of it, each in a fresh database and process.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        lines: usize,
        #[arg(long, default_value_t = 15_000)]
        customers: usize,
        #[arg(long, default_value_t = 3)]
        runs: u32,
        /// Keep the generated FEC here instead of a temporary folder (an existing file there is reused).
        #[arg(long)]
        keep: Option<std::path::PathBuf>,
        /// Also import into this PostgreSQL server (a superuser's URL; also ENCAISSE_BENCH_POSTGRES) against
        /// `psql \copy`; by default into a throwaway cluster the bench starts when PostgreSQL is installed.
        #[arg(long)]
        postgres: Option<String>,
        /// No PostgreSQL figures.
        #[arg(long)]
        no_postgres: bool,
    },
    /// N formal notices (customers with invoices past due in a demo book) rendered into one batch PDF.
    Letters {
        #[arg(default_value_t = 1000)]
        n: usize,
        #[arg(long, default_value_t = 3000)]
        customers: u32,
        #[arg(long, default_value_t = 3)]
        runs: u32,
        /// Threads the batch uses (default: the machine's available parallelism); the batch is also timed on one
        /// thread and its bytes compared.
        #[arg(long)]
        threads: Option<std::num::NonZeroUsize>,
        /// Keep the batch PDF here.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The reports on an existing database: the first aging (reading the ledger into the cache), then aging at
    /// three dates, DSO, DSO set, forecast and dashboard on the warm cache, best of runs.
    Reports {
        #[arg(long)]
        db: std::path::PathBuf,
        #[arg(long, default_value = "2026-12-31")]
        as_of: NaiveDate,
        #[arg(long, default_value_t = 5)]
        runs: u32,
    },
    /// Bank: matching `entries` statement entries against `invoices` open invoices of `customers` customers (a
    /// generated ledger), then importing one account's year of statements (`statement` entries, one camt.053
    /// file) into a demo company; best of runs.
    Bank {
        #[arg(long, default_value_t = 10_000)]
        entries: usize,
        #[arg(long, default_value_t = 200_000)]
        invoices: usize,
        #[arg(long, default_value_t = 15_000)]
        customers: usize,
        #[arg(long, default_value_t = 50_000)]
        statement: usize,
        #[arg(long, default_value_t = 3)]
        runs: u32,
    },
    /// (internal) Imports one FEC into a new database (a file, or a server's URL) and prints the time and the
    /// peak memory of this process.
    ImportChild {
        file: std::path::PathBuf,
        db: std::path::PathBuf,
    },
    /// Every figure of BENCHMARKS.md in one run, each beside its peer measured in the same run (`sqlite3 .import`
    /// of the same file; DuckDB's aging over it when the `duckdb` Python package is there; one thread for the
    /// letters; the process reading every line for the cold start), with the ratio and the goal of issue 17.
    All {
        /// Where the FEC and the databases go (kept: a second run reuses the FEC).
        #[arg(long)]
        dir: std::path::PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        lines: usize,
        #[arg(long, default_value_t = 15_000)]
        customers: usize,
        #[arg(long, default_value_t = 3)]
        runs: u32,
        #[arg(long, default_value = "2026-12-31")]
        as_of: NaiveDate,
        /// Formal notices in the letters' batch.
        #[arg(long, default_value_t = 1000)]
        letters: usize,
        /// The PostgreSQL figures on this server (a superuser's URL; also ENCAISSE_BENCH_POSTGRES); by default on
        /// a throwaway cluster the bench starts when PostgreSQL is installed.
        #[arg(long)]
        postgres: Option<String>,
        /// No PostgreSQL figures.
        #[arg(long)]
        no_postgres: bool,
    },
    /// (internal) A new process's first report on a database: prints the time of the first call (the aged
    /// balance, or the dashboard with `--dashboard`), of the whole process so far, and its peak memory.
    ColdChild {
        db: std::path::PathBuf,
        #[arg(long, default_value = "2026-12-31")]
        as_of: NaiveDate,
        #[arg(long)]
        dashboard: bool,
    },
}

fn best_of<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:>10.1} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    match Cli::parse().command {
        Bench::Aging { customers, runs } => aging(customers, runs),
        Bench::Import {
            lines,
            customers,
            runs,
            keep,
            postgres,
            no_postgres,
        } => import(
            lines,
            customers,
            runs,
            keep,
            &pg::Choice::from_args(postgres, no_postgres),
        ),
        Bench::ImportChild { file, db } => import_child(&file, &db),
        Bench::All {
            dir,
            lines,
            customers,
            runs,
            as_of,
            letters,
            postgres,
            no_postgres,
        } => all::run(&all::Args {
            dir,
            lines,
            customers,
            runs,
            as_of,
            letters,
            postgres: pg::Choice::from_args(postgres, no_postgres),
        }),
        Bench::ColdChild { db, as_of, dashboard } => all::cold_child(&db, as_of, dashboard),
        Bench::Bank {
            entries,
            invoices,
            customers,
            statement,
            runs,
        } => bank::run(&bank::Args {
            entries,
            invoices,
            customers,
            statement,
            runs,
        }),
        Bench::Reports { db, as_of, runs } => reports::run(&db, as_of, runs),
        Bench::Letters {
            n,
            customers,
            runs,
            threads,
            out,
        } => letters(n, customers, runs, threads, out),
    }
}

fn aging(customers: u32, runs: u32) -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    let dir = std::env::temp_dir().join(format!("encaisse-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let app = App::open(&dir.join("bench.db"), Box::new(FixedClock(today)))?;
    let start = Instant::now();
    let demo = app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(customers),
        end: Some(today),
        replace: None,
    })?;
    let create = start.elapsed();
    let (aging_t, aging) = best_of(runs, || app.aging(None));
    let listed = aging?.customers.len();
    let (dso_t, dso) = best_of(runs, || app.dso(None, None));
    dso?;
    let (dash_t, dash) = best_of(runs, || app.dashboard(None));
    dash?;
    println!(
        "book: {} customers, {} invoices, {} ledger lines",
        demo.customers, demo.invoices, demo.lines
    );
    println!("{:<38} {}", "demo create (generate + store)", ms(create));
    println!(
        "{:<38} {}  ({listed} customers listed)",
        "aging as of today, best of runs",
        ms(aging_t)
    );
    println!("{:<38} {}", "dso as of today, best of runs", ms(dso_t));
    println!("{:<38} {}", "dashboard as of today, best of runs", ms(dash_t));
    drop(app);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

type Error = Box<dyn std::error::Error>;

/// Writes a tab-separated UTF-8 FEC of about `target` lines: each invoice is an entry of three lines
/// (411 customer, 706 sales, 44571 VAT); each payment an entry of two (512 bank, 411 customer), lettered with
/// its invoice when it pays it in full or in part.
pub(crate) fn generate_fec(path: &std::path::Path, target: usize, customers: usize) -> Result<usize, Error> {
    use rand::{Rng, SeedableRng};
    use std::io::BufWriter;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        w,
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t\
         PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
    )?;
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let amount = |c: i64| format!("{},{:02}", c / 100, c % 100);
    let mut letters = vec![0u32; customers];
    let (mut lines, mut entry) = (0usize, 0usize);
    while lines < target {
        entry += 1;
        let c = rng.random_range(0..customers);
        let day = start + chrono::Days::new(rng.random_range(0..365));
        let ht: i64 = rng.random_range(2_000..500_000);
        let ttc = ht * 6 / 5;
        let d = day.format("%Y%m%d");
        let (key, name) = (format!("C{c:06}"), format!("Client numéro {c}"));
        let piece = format!("F{entry:07}");
        let paid = match rng.random_range(0..100) {
            0..80 => ttc,
            80..88 => ttc / 2,
            _ => 0,
        };
        let letter = if paid > 0 {
            letters[c] += 1;
            format!("L{}", letters[c])
        } else {
            String::new()
        };
        let pay_day = day + chrono::Days::new(rng.random_range(10..90));
        let let_date = if paid > 0 && pay_day.year() == 2026 {
            pay_day.format("%Y%m%d").to_string()
        } else {
            String::new()
        };
        let letter = if let_date.is_empty() {
            String::new()
        } else {
            letter
        };
        writeln!(w, "VE\tVentes\t{entry}\t{d}\t411000\tClients\t{key}\t{name}\t{piece}\t{d}\tFacture {piece}\t{}\t0,00\t{letter}\t{let_date}\t{d}\t\t", amount(ttc))?;
        writeln!(w, "VE\tVentes\t{entry}\t{d}\t706000\tVentes\t\t\t{piece}\t{d}\tFacture {piece}\t0,00\t{}\t\t\t{d}\t\t", amount(ht))?;
        writeln!(w, "VE\tVentes\t{entry}\t{d}\t445710\tTVA collectée\t\t\t{piece}\t{d}\tFacture {piece}\t0,00\t{}\t\t\t{d}\t\t", amount(ttc - ht))?;
        lines += 3;
        if paid > 0 && pay_day.year() == 2026 {
            let p = pay_day.format("%Y%m%d");
            writeln!(w, "BQ\tBanque\t{entry}\t{p}\t512000\tBanque\t\t\tVIR{entry}\t{p}\tVirement {name}\t{}\t0,00\t\t\t{p}\t\t", amount(paid))?;
            writeln!(w, "BQ\tBanque\t{entry}\t{p}\t411000\tClients\t{key}\t{name}\tVIR{entry}\t{p}\tVirement {name}\t0,00\t{}\t{letter}\t{let_date}\t{p}\t\t", amount(paid))?;
            lines += 2;
        }
    }
    w.flush()?;
    Ok(lines)
}

pub(crate) fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn import_child(file: &std::path::Path, db: &std::path::Path) -> Result<(), Error> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 31).ok_or("date")?;
    let start = Instant::now();
    let app = App::open_location(db, Box::new(FixedClock(today)))?;
    let report = app.import_fec(file, &encaisse_app::FecImportOptions::default(), &mut |_| {})?;
    let elapsed = start.elapsed();
    println!(
        "{} {} {} {}",
        elapsed.as_millis(),
        peak_memory_kb().unwrap_or(0),
        report.customer_lines,
        report.open_amount
    );
    Ok(())
}

fn import(
    target: usize,
    customers: usize,
    runs: u32,
    keep: Option<std::path::PathBuf>,
    postgres: &pg::Choice,
) -> Result<(), Error> {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("encaisse-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = keep
        .clone()
        .unwrap_or_else(|| dir.join("123456782FEC20261231.txt"));
    if keep.as_ref().is_some_and(|k| k.exists()) {
        println!("FEC: {} (kept from an earlier run)", file.display());
    } else {
        let t = Instant::now();
        let lines = generate_fec(&file, target, customers.max(1))?;
        println!(
            "FEC: {lines} lines, {customers} customers, generated in {}",
            ms(t.elapsed())
        );
    }
    println!("FEC size: {} kB", std::fs::metadata(&file)?.len() / 1000);
    let raw_db = dir.join("raw.db");
    let ours_db = dir.join("ours.db");
    let mut raw = Duration::MAX;
    let mut ours = Duration::MAX;
    let mut peak = 0u64;
    let mut summary = String::new();
    for _ in 0..runs.max(1) {
        for db in [&raw_db, &ours_db] {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
        }
        let t = Instant::now();
        let status = Command::new("sqlite3")
            .arg(&raw_db)
            .arg(".mode tabs")
            .arg(format!(".import '{}' fec", file.display()))
            .status()?;
        if !status.success() {
            return Err("sqlite3 .import failed (is the sqlite3 command installed?)".into());
        }
        raw = raw.min(t.elapsed());
        let t = Instant::now();
        let out = Command::new(std::env::current_exe()?)
            .arg("import-child")
            .arg(&file)
            .arg(&ours_db)
            .output()?;
        let wall = t.elapsed();
        if !out.status.success() {
            return Err(format!("import failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        ours = ours.min(wall);
        let text = String::from_utf8(out.stdout)?;
        let fields: Vec<&str> = text.split_whitespace().collect();
        peak = peak.max(fields.get(1).and_then(|v| v.parse().ok()).unwrap_or(0));
        summary = format!(
            "{} customer lines kept, open at year end {}",
            fields.get(2).unwrap_or(&"?"),
            fields.get(3).unwrap_or(&"?")
        );
    }
    println!("{summary}");
    println!(
        "{:<44} {}",
        "sqlite3 .import (raw load, no checks), best",
        ms(raw)
    );
    println!("{:<44} {}", "encaisse import fec (whole process), best", ms(ours));
    println!(
        "{:<44} {:>10.2} x",
        "ratio encaisse / sqlite3",
        ours.as_secs_f64() / raw.as_secs_f64()
    );
    println!("{:<44} {:>10} MB", "encaisse peak memory (VmHWM)", peak / 1024);
    if let Some(server) = pg::Server::get(postgres)? {
        let exe = std::env::current_exe()?;
        let f = pg::measure(
            &server,
            &exe,
            &file,
            runs,
            NaiveDate::from_ymd_opt(2026, 12, 31).ok_or("date")?,
        )?;
        println!("PostgreSQL import: {}", f.summary);
        println!("{:<44} {}", "psql \\copy (raw load, unindexed), best", ms(f.copy));
        println!(
            "{:<44} {}",
            "encaisse import fec into PostgreSQL, best",
            ms(f.import)
        );
        println!(
            "{:<44} {:>10.2} x",
            "ratio encaisse / psql \\copy",
            f.import.as_secs_f64() / f.copy.as_secs_f64()
        );
        println!(
            "{:<44} {}",
            "the same as a manager login (not owner), best",
            ms(f.as_manager)
        );
        println!(
            "{:<44} {:>10} MB",
            "encaisse peak memory (VmHWM)",
            f.peak_kb / 1024
        );
        println!("{:<44} {}", "first aged balance of a new process", ms(f.first));
        println!("{:<44} {}", "aged balance, warm, best", ms(f.warm));
    }
    if keep.is_none() {
        std::fs::remove_dir_all(&dir)?;
    } else {
        std::fs::remove_dir_all(&dir).ok();
    }
    Ok(())
}

/// What `letters` measures.
pub(crate) struct LetterFigures {
    late: usize,
    invoices: usize,
    aging: Duration,
    threads: std::num::NonZeroUsize,
    /// The batch on `threads` threads, its CPU time (mean of runs), on 1 thread.
    batch: Duration,
    cpu: Option<Duration>,
    one_thread: Duration,
    pdf: Vec<u8>,
}

fn letters(
    n: usize,
    customers: u32,
    runs: u32,
    threads: Option<std::num::NonZeroUsize>,
    out: Option<std::path::PathBuf>,
) -> Result<(), Error> {
    let f = letter_figures(n, customers, runs, threads)?;
    println!(
        "book: {customers} customers, {} late; {n} notices ({} distinct customers), {} invoices claimed",
        f.late,
        f.late.min(n),
        f.invoices
    );
    println!("{:<44} {}", "aged balance alone, best of runs", ms(f.aging));
    println!(
        "{:<44} {}",
        format!("batch of notices (data + PDF), {} threads", f.threads),
        ms(f.batch)
    );
    if let Some(cpu) = f.cpu {
        println!("{:<44} {}", "  its CPU time (all threads), mean of runs", ms(cpu));
    }
    println!(
        "{:<44} {}",
        "same batch on 1 thread, best of runs",
        ms(f.one_thread)
    );
    println!("{:<44} {:>10}", "same bytes on 1 thread", "yes");
    // Sizes as integers: tenths of a kB per letter.
    let tenths = f.pdf.len() * 10 / 1000 / n.max(1);
    println!(
        "{:<44} {:>10} kB ({}.{} kB a letter)",
        "batch PDF size",
        f.pdf.len() / 1000,
        tenths / 10,
        tenths % 10
    );
    if let Some(path) = out {
        std::fs::write(path, &f.pdf)?;
    }
    Ok(())
}

/// N notices in one batch on `threads` threads (default: the machine's parallelism) and on 1 thread, best of
/// runs; an error when the bytes differ.
pub(crate) fn letter_figures(
    n: usize,
    customers: u32,
    runs: u32,
    threads: Option<std::num::NonZeroUsize>,
) -> Result<LetterFigures, Error> {
    use encaisse_app::letters::{LetterSettings, NoticeOptions};
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    let dir = std::env::temp_dir().join(format!("encaisse-bench-letters-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let app = App::open(&dir.join("bench.db"), Box::new(FixedClock(today)))?;
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(customers),
        end: Some(today),
        replace: None,
    })?;
    app.set_letter_settings(&LetterSettings {
        signatory_name: Some("Élodie Marchand".into()),
        iban: Some("FR7630006000011234567890189".into()),
        bic: Some("AGRIFRPP".into()),
        ..LetterSettings::default()
    })?;
    let aging = app.aging(None)?;
    let late: Vec<String> = aging
        .customers
        .iter()
        .filter(|c| c.buckets.iter().skip(1).any(|b| b.as_str() != "0.00"))
        .map(|c| c.id.clone())
        .collect();
    if late.is_empty() {
        return Err("no customer is late in the demo book".into());
    }
    // Customers in turn, again from the first when there are fewer late customers than letters.
    let ids: Vec<String> = late.iter().cycle().take(n).cloned().collect();
    let (aging_t, _) = best_of(runs, || app.aging(None));
    let cpu_before = cpu_ns();
    // What `notices_pdf` uses by default.
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN));
    let (t, batch) = best_of(runs, || {
        app.notices_pdf_on(&ids, None, &NoticeOptions::default(), threads)
    });
    let cpu = cpu_ns()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / u64::from(runs.max(1)));
    let (pdf, claims) = batch?;
    let (t1, one) = best_of(runs, || {
        app.notices_pdf_on(&ids, None, &NoticeOptions::default(), std::num::NonZeroUsize::MIN)
    });
    let same = one?.0 == pdf;
    let invoices: usize = claims.iter().map(|c| c.invoices.len()).sum();
    drop(app);
    std::fs::remove_dir_all(&dir)?;
    if !same {
        return Err("the batch on 1 thread differs from the batch on several threads".into());
    }
    Ok(LetterFigures {
        late: late.len(),
        invoices,
        aging: aging_t,
        threads,
        batch: t,
        cpu: cpu.map(Duration::from_nanos),
        one_thread: t1,
        pdf,
    })
}

/// CPU time of this process, every thread (Linux, in clock ticks of 10 ms), so that a loaded machine does not
/// inflate the figure.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) end with ')': utime and stime are the 12th and 13th.
    let rest = s.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) * 10_000_000)
}
