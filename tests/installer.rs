//! The Linux installer: the Debian package `scripts/package.sh deb --debug` made from the test build holds the app
//! and the `encaisse` CLI, and both run from the extracted package.
//!
//! Ignored by a plain `cargo test` (it needs the package built first); `scripts/test.sh` builds the package and
//! runs it: `bash scripts/package.sh deb --debug && cargo test --test installer -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The newest .deb of the debug bundle folder.
fn debian_package() -> PathBuf {
    let folder = target_dir().join("debug/bundle/deb");
    let mut debs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run `bash scripts/package.sh deb --debug` first)",
                folder.display()
            )
        })
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "deb"))
        .collect();
    debs.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    debs.pop()
        .unwrap_or_else(|| panic!("no .deb in {}", folder.display()))
}

fn run(command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "needs the .deb: bash scripts/package.sh deb --debug"]
fn the_debian_package_installs_the_app_and_the_cli_and_both_run() {
    let deb = debian_package();
    let root = tempfile::tempdir().unwrap();

    // What apt would check: the package's name, version and the libraries the window needs.
    let info = text(&run(Command::new("dpkg-deb")
        .arg("--field")
        .arg(&deb)
        .args(["Package", "Version", "Depends"])));
    assert!(info.contains("Package: encaisse"), "{info}");
    assert!(
        info.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{info}"
    );
    assert!(info.contains("libwebkit2gtk-4.1"), "{info}");

    run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(root.path()));
    let bin = root.path().join("usr/bin");
    let cli = bin.join("encaisse");
    let desktop = bin.join("encaisse-desktop");
    assert!(
        root.path()
            .join("usr/share/applications/Encaisse.desktop")
            .is_file(),
        "the menu entry is missing"
    );

    let version = text(&run(Command::new(&desktop).arg("--version")));
    assert_eq!(
        version.trim(),
        format!("encaisse-desktop {}", env!("CARGO_PKG_VERSION"))
    );
    let version = text(&run(Command::new(&cli).arg("--version")));
    assert_eq!(version.trim(), format!("encaisse {}", env!("CARGO_PKG_VERSION")));

    // The packaged CLI works on a database of its own: the demo company, then its status.
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("encaisse.db");
    let home = data.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let cli_command = || {
        let mut c = Command::new(&cli);
        c.env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("ENCAISSE_TODAY", "2026-11-20");
        c.env_remove("ENCAISSE_DB");
        c
    };
    run(cli_command()
        .arg("--db")
        .arg(&db)
        .args(["demo", "--customers", "12"]));
    let status = text(&run(cli_command().arg("--db").arg(&db).args(["status"])));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap_or_else(|e| panic!("{e}: {status}"));
    assert_eq!(status["customers"], 12, "{status}");
}
