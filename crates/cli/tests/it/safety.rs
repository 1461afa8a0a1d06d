//! What a file or a path given to `encaisse` cannot do: a customer's name from an imported file never becomes a
//! spreadsheet formula in a CSV export; a mistyped `--db` creates nothing.

use std::path::Path;
use std::process::{Command, Output};

use super::common::{encaisse_as_anne as encaisse, ok_as_anne as ok};

const HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

/// A one-invoice FEC whose customer is named `name`.
pub fn fec_with_customer(name: &str) -> String {
    format!(
        "{HEADER}\nVE\tVentes\t1\t20260105\t411000\tClients\tC1\t{name}\tF1\t20260105\tFacture F1\t120,00\t0,00\t\t\t20260105\t\t\n\
         VE\tVentes\t1\t20260105\t706000\tVentes\t\t\tF1\t20260105\tFacture F1\t0,00\t120,00\t\t\t20260105\t\t\n"
    )
}

const FORMULA: &str = "=cmd|' /C calc'!A0";

/// The cell of `column` on the first line whose first cell is `first`, in a CSV with `separator`.
fn cell<'a>(csv: &'a str, separator: char, first: &str, column: usize) -> &'a str {
    let line = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| l.split(separator).next() == Some(first))
        .unwrap_or_else(|| panic!("no line of {first} in\n{csv}"));
    line.split(separator).nth(column).unwrap()
}

#[test]
fn a_name_from_an_imported_file_is_never_a_formula_in_a_csv_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let fec = dir.path().join("export.txt");
    std::fs::write(&fec, fec_with_customer(FORMULA)).unwrap();
    ok(&db, &["import", "fec", fec.to_str().unwrap()]);
    let quoted = format!("'{FORMULA}");

    let aging = ok(&db, &["aging", "--format", "csv"]);
    assert_eq!(cell(&aging, ',', "C1", 1), quoted);
    // Amounts stay numbers, negative or not.
    assert_eq!(cell(&aging, ',', "C1", 2), "120.00");
    let invoices = ok(&db, &["aging", "--invoices", "--format", "csv"]);
    assert_eq!(cell(&invoices, ';', "C1", 1), quoted);
    assert_eq!(cell(&invoices, ';', "C1", 7), "120,00");
    let grouped = ok(&db, &["aging", "--buckets", "30,60", "--format", "csv"]);
    assert_eq!(cell(&grouped, ';', "C1", 1), quoted);
    let customers = ok(&db, &["customers", "--format", "csv"]);
    assert_eq!(cell(&customers, ';', "C1", 1), quoted);

    // The audit trail: a display name typed as a formula.
    ok(&db, &["settings", "name", "@SUM(1+1)*cmd|' /C calc'!A0"]);
    let audit = ok(&db, &["audit", "--format", "csv"]);
    assert_eq!(
        // Row 1 is the import's record; row 2 the name typed.
        cell(&audit, ';', "2", 3),
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "{audit}"
    );
    // The same export written to a file.
    let out = dir.path().join("audit.csv");
    ok(&db, &["audit", "--format", "csv", "--out", out.to_str().unwrap()]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(cell(&written, ';', "2", 3), "'@SUM(1+1)*cmd|' /C calc'!A0");
}

/// Runs `encaisse` with `input` on its standard input and `env` added.
fn encaisse_with(db: &Path, args: &[&str], input: &str, env: &[(&str, &str)], no_env: &[&str]) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_encaisse"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .env("ENCAISSE_KEYRING", "memory")
        .env("ENCAISSE_USER", "anne")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for k in no_env {
        cmd.env_remove(k);
    }
    let mut child = cmd.spawn().expect("run encaisse");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn an_smtp_login_without_encryption_needs_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&db, &["demo", "--customers", "3"]);
    let args = [
        "smtp",
        "set",
        "--host",
        "127.0.0.1",
        "--security",
        "none",
        "--user",
        "anne",
        "--from",
        "relances@demo.test",
        "--password-stdin",
    ];
    let out = encaisse_with(&db, &args, "s3cret\n", &[], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without encryption"), "{err}");
    assert!(err.contains("--allow-insecure-login"), "{err}");
    let shown = ok(&db, &["smtp", "show"]);
    assert!(shown.contains("\"host\":\"\""), "nothing saved: {shown}");

    let allowed: Vec<&str> = args.iter().copied().chain(["--allow-insecure-login"]).collect();
    let out = encaisse_with(&db, &allowed, "s3cret\n", &[], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"allow_insecure_login\":true"));
}

/// Without a Secret Service on the session bus, saving the password says what to do, not the D-Bus error first.
#[cfg(target_os = "linux")]
#[test]
fn no_keyring_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&db, &["demo", "--customers", "3"]);
    let out = encaisse_with(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "smtp.example.test",
            "--user",
            "anne",
            "--from",
            "relances@demo.test",
            "--password-stdin",
        ],
        "s3cret\n",
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/encaisse-test-bus",
        )],
        &["ENCAISSE_KEYRING"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("encaisse: no system keyring is available")
            || err.starts_with("encaisse: the system keyring could not be reached"),
        "{err}"
    );
    assert!(err.contains("start or install one"), "{err}");
    assert!(!err.contains("s3cret"));
}

/// A mistyped `--db` creates nothing: a folder that does not exist is refused, naming it; `status` on a file that
/// does not exist says so. The app's own folder (no `--db`) is created as before.
#[test]
fn a_mistyped_database_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let in_missing_folder = dir.path().join("Compta 2026/encaisse.db");
    for args in [&["status"][..], &["demo", "--customers", "3"], &["aging"]] {
        let out = encaisse(&in_missing_folder, args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("does not exist"), "{err}");
        assert!(err.contains(&in_missing_folder.display().to_string()), "{err}");
    }
    let typo = dir.path().join("encaise.db");
    let out = encaisse(&typo, &["status"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no such file") && err.contains(&typo.display().to_string()),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing created"
    );

    // No --db: the app's own database, its folder created.
    let data = dir.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .args(["demo", "--customers", "3"])
        .env_remove("ENCAISSE_DB")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", &data)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    #[cfg(target_os = "linux")]
    assert!(data.join("encaisse/encaisse.db").is_file());
}

/// A file that is not a database: the error names it.
#[test]
fn a_database_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "not a database ".repeat(100)).unwrap();
    let out = encaisse(&db, &["aging"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&db.display().to_string()), "{err}");
}
