//! `encaisse team …` against encaisse-team's throwaway PostgreSQL cluster (SKIPPED without PostgreSQL).

use encaisse_team::testing::{cluster, SUPERUSER_PASSWORD};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn team(db: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_encaisse"));
    if let Some(db) = db {
        command.arg("--db").arg(db);
    }
    let mut child = command
        .args(args)
        // The password of URLs without one.
        .env("PGPASSWORD", SUPERUSER_PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run encaisse");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(db: Option<&str>, args: &[&str], stdin: &str) -> String {
    let out = team(db, args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn team_init_twice_then_users_added_and_removed_with_rights_the_server_enforces() {
    let Some(cluster) = cluster("encaisse team") else {
        return;
    };
    // The superuser's URL without its password: PGPASSWORD gives it. postgresql:// is accepted too.
    let with_password = cluster.new_database("cli_team");
    let url = with_password
        .replace(&format!(":{SUPERUSER_PASSWORD}@"), "@")
        .replace("postgres://", "postgresql://");
    use encaisse_team::LATEST_VERSION;
    let created = ok(None, &["team", "init", &url], "");
    assert!(
        created.contains(&format!("Encaisse schema created (version {LATEST_VERSION})")),
        "{created}"
    );
    let again = ok(None, &["team", "init", &url], "");
    assert!(
        again.contains(&format!(
            "the Encaisse schema is already there (version {LATEST_VERSION}): nothing changed"
        )),
        "{again}"
    );

    let added = ok(
        Some(&url),
        &[
            "team",
            "add-user",
            "cli_viewer",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        "view-pass\n",
    );
    assert_eq!(added, "cli_viewer: created, member of encaisse_viewer\n");
    let viewer_url = url.replace("postgres@", "cli_viewer:view-pass@");
    let mut viewer = postgres::Client::connect(&viewer_url, postgres::NoTls).unwrap();
    let e = viewer
        .execute("INSERT INTO setting (key, value) VALUES ('a', 'b')", &[])
        .unwrap_err();
    assert_eq!(
        e.as_db_error().unwrap().message(),
        "permission denied for table setting"
    );
    drop(viewer);

    assert_eq!(
        ok(Some(&url), &["team", "remove-user", "cli_viewer"], ""),
        "cli_viewer: login disabled\n"
    );
    let e = postgres::Client::connect(&viewer_url, postgres::NoTls)
        .err()
        .expect("login refused");
    let message = e.as_db_error().expect("the server's refusal").message();
    assert!(message.contains("not permitted to log in"), "{message}");

    let out = team(
        Some(&url),
        &["team", "add-user", "x", "--role", "viewer", "--password-stdin"],
        "",
    );
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "encaisse: --password-stdin: standard input is empty\n"
    );
    let out = team(None, &["team", "remove-user", "cli_viewer"], "");
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("encaisse: --db: give the team's server as postgres://"));
}

#[test]
fn a_server_url_is_never_opened_as_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .current_dir(dir.path())
        .args(["--db", "postgres://marie@db.invalid/encaisse", "status"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot connect to marie@db.invalid:5432/encaisse"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file created"
    );
}

/// The real FEC samples (shared/samples/fec).
fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

fn run(db: &str, user: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_encaisse"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2023-12-31")
        .env(
            "PGPASSWORD",
            user.map_or(SUPERUSER_PASSWORD, |_| "pw-of-the-test"),
        );
    command.output().expect("run encaisse")
}

#[test]
fn the_cli_on_a_server_gives_the_figures_of_a_file_and_the_server_refuses_a_viewer() {
    let Some(cluster) = cluster("encaisse --db postgres://") else {
        return;
    };
    let (admin, database) = cluster.new_named_database("cli_server");
    ok(None, &["team", "init", &admin], "");
    let login = format!("viewer_{database}");
    ok(
        Some(&admin),
        &["team", "add-user", &login, "--role", "viewer", "--password-stdin"],
        "pw-of-the-test\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local.db");
    let file = file.to_str().unwrap();
    let fec = sample("000000000FEC20231231.txt");
    for db in [&admin, &file.to_string()] {
        let out = run(db, None, &["import", "fec", fec.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{db}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let viewer = cluster
        .url(&login, "pw-of-the-test", &database)
        .replace(":pw-of-the-test@", "@");
    for args in [
        &["aging"][..],
        &["dso"],
        &["customers"],
        &["agenda"],
        &["forecast"],
    ] {
        let local = run(file, None, args);
        assert!(
            local.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&local.stderr)
        );
        let server = run(&viewer, Some(&login), args);
        assert!(
            server.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&server.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&server.stdout),
            String::from_utf8_lossy(&local.stdout),
            "{args:?}"
        );
    }
    // The server itself refuses a viewer's write (the app would hide the control; the CLI asks anyway).
    let refused = run(
        &viewer,
        Some(&login),
        &["settings", "collections", "--min-gap", "9"],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("permission denied"), "{stderr}");
}

#[test]
fn a_collector_leaving_hands_their_portfolio_over_and_only_a_manager_assigns() {
    let Some(cluster) = cluster("encaisse portfolio") else {
        return;
    };
    let (admin, database) = cluster.new_named_database("cli_portfolio");
    ok(None, &["team", "init", &admin], "");
    let fec = sample("000000000FEC20231231.txt");
    let imported = run(&admin, None, &["import", "fec", fec.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let [alice, bob] = ["alice", "bob"].map(|n| format!("{n}_{database}"));
    for login in [&alice, &bob] {
        ok(
            Some(&admin),
            &[
                "team",
                "add-user",
                login,
                "--role",
                "collector",
                "--password-stdin",
            ],
            "pw-of-the-test\n",
        );
    }
    let as_user = |login: &str| {
        cluster
            .url(login, "pw-of-the-test", &database)
            .replace(":pw-of-the-test@", "@")
    };
    let json = |out: Output| -> serde_json::Value {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let aging = json(run(&admin, None, &["aging", "--format", "json"]));
    let key = aging["customers"][0]["id"].as_str().unwrap().to_string();

    // A collector may not give a customer to anyone: the server refuses.
    let refused = run(
        &as_user(&bob),
        Some(&bob),
        &["portfolio", "assign", "--customer", &key, "--to", &bob],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("permission denied"));

    // The owner of the database (a manager) gives it to alice: her agenda is her portfolio by default.
    let given = run(
        &admin,
        None,
        &["portfolio", "assign", "--customer", &key, "--to", &alice],
    );
    assert!(
        given.status.success(),
        "{}",
        String::from_utf8_lossy(&given.stderr)
    );
    let agenda = run(&as_user(&alice), Some(&alice), &["agenda"]);
    let text = String::from_utf8_lossy(&agenda.stdout);
    assert!(
        text.starts_with(&format!("Agenda of 2023-12-31 ({alice}'s portfolio)")),
        "{text}"
    );
    let team_agenda = run(&as_user(&bob), Some(&bob), &["agenda"]);
    assert!(String::from_utf8_lossy(&team_agenda.stdout).contains("(the whole team)"));

    // Alice leaves: her customer goes to bob first, then her login is disabled.
    let out = ok(
        Some(&admin),
        &["team", "remove-user", &alice, "--reassign-to", &bob],
        "",
    );
    assert_eq!(
        out,
        format!("{alice}: 1 customer(s) and 0 rule(s) now followed by {bob}\n{alice}: login disabled\n")
    );
    let list = json(run(&admin, None, &["portfolio", "list", "--format", "json"]));
    let collectors = list["collectors"].as_array().unwrap();
    let of = |login: &str| collectors.iter().find(|c| c["login"] == login).cloned();
    assert!(of(&alice).is_none(), "{list}");
    assert_eq!(of(&bob).unwrap()["totals"]["customers"], 1);
    assert_eq!(of(&bob).unwrap()["role"], "collector");
    assert_eq!(list["by_hand"][0]["customer"], key.as_str());
}
