//! Team mode: three people and a manager on one PostgreSQL server (a throwaway cluster this test binary starts,
//! see encaisse_team::testing; skipped with a SKIPPED line when the machine has no PostgreSQL, and failing then
//! in CI, where ENCAISSE_REQUIRE_POSTGRES=1). What one records the others see, both collectors' actions on one
//! customer are kept, the audit trail names the server's logins, and the server itself refuses a viewer's write.

use crate::workflow::{first_year, write_fec};
use encaisse_app::workflow::{ActionInput, PortfolioScope};
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;
use encaisse_team::{Role, ServerUrl, TlsOptions};

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A server database prepared by `team init`, with a manager, two collectors and a viewer (login names made
/// unique on the cluster by the database's number); the URL of each, by role.
struct Team {
    /// The database's owner (who ran `team init`).
    admin: String,
    manager: String,
    alice: String,
    bob: String,
    viewer: String,
    logins: [String; 4],
}

fn team(cluster: &encaisse_team::testing::Cluster) -> Team {
    let (admin, database) = cluster.new_named_database("team");
    let suffix = database.rsplit('_').next().unwrap().to_string();
    let server = ServerUrl::parse(&admin).unwrap();
    let mut client = encaisse_team::connect(&server, &TlsOptions::default()).unwrap();
    encaisse_team::init(&mut client, &server).unwrap();
    let mut url = |name: &str, role: Role| {
        let login = format!("{name}{suffix}");
        encaisse_team::add_user(&mut client, &server, &login, role, Some("secret-of-the-test")).unwrap();
        (cluster.url(&login, "secret-of-the-test", &database), login)
    };
    let (manager, m) = url("marie", Role::Manager);
    let (alice, a) = url("alice", Role::Collector);
    let (bob, b) = url("bob", Role::Collector);
    let (viewer, v) = url("victor", Role::Viewer);
    Team {
        admin,
        manager,
        alice,
        bob,
        viewer,
        logins: [m, a, b, v],
    }
}

fn open(url: &str, today: &str) -> App {
    App::open_server(url, Box::new(FixedClock(d(today)))).unwrap_or_else(|e| panic!("{url}: {e}"))
}

fn call(customer: &str, invoice: &str, user: &str) -> ActionInput {
    ActionInput {
        customer: customer.into(),
        kind: "call".into(),
        invoices: vec![invoice.into()],
        step: None,
        outcome: Some("no_answer".into()),
        date: None,
        user: user.into(),
        next_action_date: None,
        template: None,
        recipient: None,
        subject: None,
        body: String::new(),
    }
}

#[test]
fn a_team_shares_one_portfolio_on_one_server_with_rights_the_server_enforces() {
    let Some(cluster) = encaisse_team::testing::cluster("team story") else {
        return;
    };
    let team = team(cluster);
    let dir = tempfile::tempdir().unwrap();

    // The manager imports the ledger on the server; the same file in a local database gives the same figures.
    let manager = open(&team.manager, "2026-02-20");
    let fec = write_fec(dir.path(), "v1", &first_year());
    manager
        .import_fec(&fec, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    let local = App::open(
        &dir.path().join("local.db"),
        Box::new(FixedClock(d("2026-02-20"))),
    )
    .unwrap();
    local
        .import_fec(&fec, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(
        serde_json::to_value(manager.aging(None).unwrap()).unwrap(),
        serde_json::to_value(local.aging(None).unwrap()).unwrap()
    );
    assert_eq!(
        serde_json::to_value(manager.agenda(None).unwrap()).unwrap(),
        serde_json::to_value(local.agenda(None).unwrap()).unwrap()
    );

    // Two collectors act on the same customer at once: both actions are kept, each under its server login (the
    // name a client gives is not what the trail records).
    let alice = open(&team.alice, "2026-02-20");
    let bob = open(&team.bob, "2026-02-20");
    assert_eq!(alice.actor().name(), team.logins[1]);
    let before = bob.agenda(None).unwrap();
    assert!(before.actions.iter().any(|a| a.customer == "C1"), "{before:?}");
    std::thread::scope(|s| {
        s.spawn(|| alice.record_action(&call("C1", "F1", "")).unwrap());
        s.spawn(|| bob.record_action(&call("C1", "F1", "")).unwrap());
    });
    let actions = manager.workflow_records("C1", None).unwrap().actions;
    let mut by: Vec<&str> = actions.iter().map(|a| a.user.as_str()).collect();
    by.sort_unstable();
    assert_eq!(by, [team.logins[1].as_str(), team.logins[2].as_str()]);
    // What a colleague did leaves the other's agenda at once: alice's app (its cache warm) sees bob mark C2 done.
    assert!(alice
        .agenda(None)
        .unwrap()
        .actions
        .iter()
        .any(|a| a.customer == "C2"));
    bob.mark_done("C2", None).unwrap();
    let after = alice.agenda(None).unwrap();
    assert!(!after.actions.iter().any(|a| a.customer == "C2"), "{after:?}");
    let trail = manager.audit_trail(None, None).unwrap();
    for login in [&team.logins[0], &team.logins[1], &team.logins[2]] {
        assert!(trail.iter().any(|e| &e.user == login), "{login} in {trail:?}");
    }

    // The viewer reads the same portfolio; the server refuses its write, whatever the client does.
    let viewer = open(&team.viewer, "2026-02-20");
    // Each desktop knows its role, to offer only what it may do.
    let role = |app: &App| app.status().unwrap().role;
    assert_eq!(
        [role(&manager), role(&alice), role(&viewer)],
        [
            Some("manager".into()),
            Some("collector".into()),
            Some("viewer".into())
        ]
    );
    assert_eq!(local.status().unwrap().role, None, "a file has no roles");
    assert_eq!(
        serde_json::to_value(viewer.aging(None).unwrap()).unwrap(),
        serde_json::to_value(manager.aging(None).unwrap()).unwrap()
    );
    match viewer.record_action(&call("C1", "F1", "")) {
        Err(AppError::Database(m)) => assert!(m.contains("permission denied"), "{m}"),
        other => panic!("a viewer's action: {other:?}"),
    }
    assert_eq!(manager.workflow_records("C1", None).unwrap().actions.len(), 2);

    // No lost edit: two desktops edit the same scenario; the second save is refused with who changed it and when.
    let other_desk = open(&team.manager, "2026-02-20");
    let mine = manager.scenarios().unwrap().scenarios[0].clone();
    manager.save_scenario(&mine).unwrap();
    let mut first = manager.scenarios().unwrap().scenarios[0].clone();
    let mut second = other_desk.scenarios().unwrap().scenarios[0].clone();
    assert_eq!(first.version, Some(1));
    first.name = "Standard (révisé)".into();
    manager.save_scenario(&first).unwrap();
    second.name = "Standard (autre)".into();
    match other_desk.save_scenario(&second) {
        Err(AppError::Conflict { by, at, .. }) => {
            assert_eq!(by, team.logins[0]);
            assert_eq!(at.len(), 5, "HH:MM: {at}");
        }
        other => panic!("a save over a colleague's: {other:?}"),
    }
    assert_eq!(
        manager.scenarios().unwrap().scenarios[0].name,
        "Standard (révisé)"
    );
    // Reloaded, the same change goes through.
    let mut reloaded = other_desk.scenarios().unwrap().scenarios[0].clone();
    reloaded.name = "Standard (autre)".into();
    other_desk.save_scenario(&reloaded).unwrap();

    // A dispute two collectors close at once: one closes it, the other is told who did.
    let dispute = alice
        .open_dispute(&encaisse_app::workflow::DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F2".into()],
            kind: "price".into(),
            department: "sales".into(),
            amount: None,
            opened_on: None,
            user: String::new(),
            comment: String::new(),
        })
        .unwrap();
    alice.close_dispute(dispute.id, None, "Avoir émis").unwrap();
    match bob.close_dispute(dispute.id, None, "Geste commercial") {
        Err(AppError::Conflict { by, .. }) => assert_eq!(by, team.logins[1]),
        other => panic!("a second close: {other:?}"),
    }

    // A customer's chase: alice pauses C2 from its file while bob's file of C2 still shows it running; bob's
    // resume (made on what he read) is refused with her name; the collectors' rights cover the versions.
    let bobs_file = bob.workflow_records("C2", None).unwrap();
    let alices_file = alice.workflow_records("C2", None).unwrap();
    alice
        .set_customer_paused("C2", true, "plan de paiement", Some(alices_file.chase_version))
        .unwrap();
    match bob.set_customer_paused("C2", false, "", Some(bobs_file.chase_version)) {
        Err(AppError::Conflict { by, .. }) => assert_eq!(by, team.logins[1]),
        other => panic!("a resume over a colleague's pause: {other:?}"),
    }
    let now = bob.workflow_records("C2", None).unwrap();
    assert!(now.paused);
    bob.set_customer_paused("C2", false, "", Some(now.chase_version))
        .unwrap();
    // A setting two managers' desktops save: the second is told who saved first.
    let read = other_desk.collection_settings().unwrap();
    let gap = |days: u32, version: i64| encaisse_app::workflow::settings::CollectionSettingsInput {
        min_gap_days: Some(days),
        promise_grace_days: None,
        version: Some(version),
    };
    manager
        .save_collection_settings(&gap(7, read.version), "")
        .unwrap();
    match other_desk.save_collection_settings(&gap(9, read.version), "") {
        Err(AppError::Conflict { by, .. }) => assert_eq!(by, team.logins[0]),
        other => panic!("a setting saved over a colleague's: {other:?}"),
    }
    assert_eq!(other_desk.collection_settings().unwrap().min_gap_days, 7);

    // The same promise changed from two desktops: the first change goes through, the second (made on the version
    // it read) is refused with who changed it; reloaded, it goes through.
    let promise = bob
        .add_promise(&encaisse_app::workflow::PromiseInput {
            customer: "C2".into(),
            invoices: vec!["F3".into()],
            date: d("2026-02-27"),
            amount: "500.00".into(),
            ..Default::default()
        })
        .unwrap();
    let change = |version: i64, date: &str, amount: &str| encaisse_app::workflow::PromiseChangeInput {
        id: promise.id,
        version: Some(version),
        date: d(date),
        amount: amount.into(),
        grace_days: 3,
        comment: String::new(),
    };
    let moved = alice
        .change_promise(&change(promise.version, "2026-03-06", "500.00"))
        .unwrap();
    assert_eq!(
        (moved.date, moved.version),
        (d("2026-03-06"), promise.version + 1)
    );
    match bob.change_promise(&change(promise.version, "2026-02-27", "250.00")) {
        Err(AppError::Conflict { by, .. }) => assert_eq!(by, team.logins[1]),
        other => panic!("a change over a colleague's: {other:?}"),
    }
    let kept = manager.check_promises(None, false).unwrap();
    let p = kept.promises.iter().find(|p| p.id == promise.id).unwrap();
    assert_eq!((p.date, p.amount.as_str()), (d("2026-03-06"), "500.00"));
    bob.change_promise(&change(p.version, "2026-03-06", "250.00"))
        .unwrap();

    // Portfolios: the manager gives C1 to alice; her agenda is her portfolio by default, bob's (who follows
    // nobody) the team's; the server's users are listed with their roles; a collector cannot change a portfolio
    // (the server refuses it); the manager's reassignment is audited under the manager's login.
    let (alice_login, bob_login) = (&team.logins[1], &team.logins[2]);
    manager
        .assign_portfolio("customer", "C1", Some(alice_login))
        .unwrap();
    assert_eq!(
        alice.agenda_for(None, None).unwrap().portfolio.shown,
        PortfolioScope::Collector(alice_login.clone())
    );
    assert_eq!(
        bob.agenda_for(None, None).unwrap().portfolio.shown,
        PortfolioScope::Team
    );
    let p = bob.portfolios(None).unwrap();
    let of = |login: &str| p.collectors.iter().find(|c| c.login == login).cloned();
    assert_eq!(of(alice_login).unwrap().totals.customers, 1);
    assert_eq!(of(alice_login).unwrap().role.as_deref(), Some("collector"));
    assert_eq!(of(&team.logins[0]).unwrap().role.as_deref(), Some("manager"));
    assert_eq!(of(&team.logins[3]).unwrap().role.as_deref(), Some("viewer"));
    match bob.assign_portfolio("customer", "C1", Some(bob_login)) {
        Err(AppError::Database(m)) => assert!(m.contains("permission denied"), "{m}"),
        other => panic!("a collector's assignment: {other:?}"),
    }
    let moved = manager.reassign_portfolio(alice_login, bob_login).unwrap();
    assert_eq!((moved.customers, moved.rules), (1, 0));
    assert_eq!(
        bob.agenda_for(None, None).unwrap().portfolio.shown,
        PortfolioScope::Collector(bob_login.clone())
    );
    let trail = manager.audit_trail(None, None).unwrap();
    let portfolio: Vec<(&str, &str)> = trail
        .iter()
        .filter(|e| e.entity == "portfolio")
        .map(|e| (e.action.as_str(), e.user.as_str()))
        .collect();
    assert_eq!(
        portfolio,
        [
            ("assigned", team.logins[0].as_str()),
            ("reassigned", team.logins[0].as_str())
        ]
    );

    // Each person sets their own display name, a collector too (who may not write the settings): the server
    // writes the name of the login that asks, and a colleague's conflict then names them by it. A viewer writes
    // nothing, not even a name.
    alice.set_user_name("Alice Bernard").unwrap();
    assert_eq!(alice.user_profile().unwrap().name, "Alice Bernard");
    assert_eq!(
        bob.user_profile().unwrap().name,
        *bob_login,
        "bob's own name untouched"
    );
    let read = bob.workflow_records("C1", None).unwrap().chase_version;
    alice.set_customer_paused("C1", true, "", Some(read)).unwrap();
    match bob.set_customer_paused("C1", true, "", Some(read)) {
        Err(AppError::Conflict { by, .. }) => assert_eq!(by, "Alice Bernard"),
        other => panic!("a pause over a colleague's: {other:?}"),
    }
    match viewer.set_user_name("Le DAF") {
        Err(AppError::Database(m)) => assert!(m.contains("permission denied"), "{m}"),
        other => panic!("a viewer's name: {other:?}"),
    }
    alice.set_user_name("").unwrap();
    assert_eq!(alice.user_profile().unwrap().name, *alice_login);
}

fn clock() -> Box<dyn encaisse_domain::Clock> {
    Box::new(FixedClock(d("2026-02-20")))
}

fn json<T: serde::Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

#[test]
fn a_single_users_file_moves_to_the_server_and_back_with_equal_reports() {
    let Some(cluster) = encaisse_team::testing::cluster("team migrate") else {
        return;
    };
    let team = team(cluster);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.db");
    let mine = App::open(&file, clock()).unwrap();
    mine.import_fec(
        &write_fec(dir.path(), "v1", &first_year()),
        &FecImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    mine.record_action(&call("C1", "F1", "anne")).unwrap();
    let (aging, agenda, records) = (
        json(mine.aging(None).unwrap()),
        json(mine.agenda(None).unwrap()),
        json(mine.workflow_records("C1", None).unwrap()),
    );
    drop(mine);
    let file = file.to_str().unwrap();

    let up = encaisse_app::team::migrate(file, &team.admin, false, false, &clock).unwrap();
    assert!(
        up.tables.iter().any(|(t, n)| t == "ledger_line" && *n == 3),
        "{up:?}"
    );
    assert!(!up.read_only);
    // Once there, a second copy would replace the team's work: refused without force.
    match encaisse_app::team::migrate(file, &team.admin, false, false, &clock) {
        Err(AppError::InvalidInput(m)) => assert!(m.contains("already holds data"), "{m}"),
        other => panic!("{other:?}"),
    }
    let alice = open(&team.alice, "2026-02-20");
    assert_eq!(json(alice.aging(None).unwrap()), aging);
    assert_eq!(json(alice.agenda(None).unwrap()), agenda);
    assert_eq!(json(alice.workflow_records("C1", None).unwrap()), records);
    // New ids go on after the copied ones.
    alice.record_action(&call("C2", "F3", "")).unwrap();

    // Back to a file: a read-only copy for working offline, or a database of its own when detached.
    let copy = dir.path().join("copy.db");
    let down =
        encaisse_app::team::migrate(&team.manager, copy.to_str().unwrap(), false, false, &clock).unwrap();
    assert!(down.read_only);
    let offline = App::open(&copy, clock()).unwrap();
    assert_eq!(json(offline.aging(None).unwrap()), aging);
    assert_eq!(offline.workflow_records("C2", None).unwrap().actions.len(), 1);
    assert!(
        offline.record_action(&call("C1", "F1", "anne")).is_err(),
        "a read-only copy"
    );
    let own = dir.path().join("own.db");
    encaisse_app::team::migrate(&team.manager, own.to_str().unwrap(), false, true, &clock).unwrap();
    let own = App::open(&own, clock()).unwrap();
    own.record_action(&call("C1", "F1", "anne")).unwrap();
    assert_eq!(own.workflow_records("C1", None).unwrap().actions.len(), 2);
}

/// The daily report at its set time, with a team on one server: a collector's and a viewer's desktops do not try
/// (they may not record the day's attempt), and of two managers' desktops ticking at the same minute one sends it,
/// once.
#[test]
fn the_teams_daily_report_goes_once_from_one_managers_desktop() {
    use crate::smtp_sink::Sink;
    use encaisse_app::mail::schedule::Scheduled;
    use encaisse_app::mail::{Keyring, MailSettings};
    use std::sync::{Arc, Barrier};

    let Some(cluster) = encaisse_team::testing::cluster("team daily report") else {
        return;
    };
    let team = team(cluster);
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let keyring = Arc::new(Keyring::in_memory());
    let desktop = |url: &str| {
        let eight = d("2026-02-20").and_hms_opt(8, 0, 0).unwrap();
        App::open_server(url, Box::new(encaisse_domain::FixedDateTime(eight)))
            .unwrap()
            .with_secrets(keyring.clone())
    };
    let marie = desktop(&team.manager);
    marie
        .import_fec(
            &write_fec(dir.path(), "v1", &first_year()),
            &FecImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    crate::common::smtp_to_local_sink(&marie, sink.port);
    let mail = MailSettings {
        report_time: "08:00".into(),
        report_recipients: vec!["daf@atelier.test".into()],
        ..marie.mail_settings().unwrap()
    };
    marie.save_mail_settings(&mail, "").unwrap();

    for url in [&team.alice, &team.viewer] {
        assert_eq!(
            desktop(url).send_scheduled_daily_report("").unwrap(),
            Scheduled::Off,
            "{url}"
        );
    }
    assert!(sink.received().is_empty());

    // The manager's window and the owner's (who ran `team init`) tick at once.
    let start = Arc::new(Barrier::new(2));
    let ticks: Vec<Scheduled> = std::thread::scope(|scope| {
        let tick = |url: &str| {
            let app = desktop(url);
            let start = start.clone();
            scope.spawn(move || {
                start.wait();
                app.send_scheduled_daily_report("").unwrap()
            })
        };
        let (a, b) = (tick(&team.manager), tick(&team.admin));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    let sent = ticks
        .iter()
        .filter(|t| matches!(t, Scheduled::Sent { .. }))
        .count();
    assert_eq!(sent, 1, "{ticks:?}");
    assert!(ticks.contains(&Scheduled::Done), "{ticks:?}");
    assert_eq!(sink.received().len(), 1);
    assert_eq!(sink.received()[0].to, ["daf@atelier.test"]);
}
