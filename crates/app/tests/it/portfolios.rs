//! Portfolios on one computer's database: who follows which customers (by hand, by the customers file, by
//! category, by segment), each agenda its collector's by default, reassignment, and the audit trail of each change.

use encaisse_app::workflow::PortfolioScope;
use encaisse_app::{Actor, App, DemoOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

const TODAY: &str = "2026-11-26";

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The demo company (its customers file names three collectors: Claire Martin, Julien Roux, Sophie Lambert).
fn demo(dir: &std::path::Path) -> App {
    demo_at(dir, Box::new(FixedClock(d(TODAY)))).with_actor(Actor::named("marie"))
}

/// The same demo company on a given clock.
fn demo_at(dir: &std::path::Path, clock: Box<dyn encaisse_domain::Clock>) -> App {
    let app = crate::backend::open(&dir.join("e.db"), clock).unwrap();
    app.create_demo(&DemoOptions {
        seed: None,
        customers: Some(60),
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    app
}

fn customers_of(app: &App, scope: PortfolioScope) -> HashSet<String> {
    app.agenda_for(None, Some(scope))
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.action.customer)
        .collect()
}

#[test]
fn each_collector_sees_their_portfolio_and_every_change_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path());

    // Nothing given to marie: her agenda is the team's; every customer follows the customers file's collector.
    let team = app.agenda_for(None, None).unwrap();
    assert_eq!(team.portfolio.shown, PortfolioScope::Team);
    assert!(!team.items.is_empty());
    assert_eq!(team.portfolio.team as usize, team.items.len());
    let p = app.portfolios(None).unwrap();
    let names: Vec<&str> = p.collectors.iter().map(|c| c.login.as_str()).collect();
    assert_eq!(names, ["Claire Martin", "Julien Roux", "Sophie Lambert"]);
    assert_eq!(p.unassigned.customers, 0);
    // The portfolios split the aged balance exactly.
    let total: Decimal = p.collectors.iter().map(|c| dec(&c.totals.balance)).sum();
    assert_eq!(total, dec(&app.aging(None).unwrap().totals.balance));
    assert_eq!(p.collectors.iter().map(|c| c.totals.customers).sum::<u32>(), 60);

    // The manager gives a customer of Claire's to marie by hand: marie's agenda is now hers alone by default.
    let claire = customers_of(&app, PortfolioScope::Collector("Claire Martin".into()));
    let taken = claire.iter().min().unwrap().clone();
    app.assign_portfolio("customer", &taken, Some("marie")).unwrap();
    let mine = app.agenda_for(None, None).unwrap();
    assert_eq!(mine.portfolio.shown, PortfolioScope::Collector("marie".into()));
    assert_eq!(
        mine.items
            .iter()
            .map(|i| i.action.customer.as_str())
            .collect::<Vec<_>>(),
        [taken.as_str()]
    );
    assert_eq!(mine.items[0].collector.as_deref(), Some("marie"));
    // "Toute l'équipe" still lists everybody's, with the counts by collector.
    let all = app.agenda_for(None, Some(PortfolioScope::Team)).unwrap();
    assert_eq!(all.items.len(), team.items.len());
    let counts: u32 = all.portfolio.collectors.iter().map(|c| c.actions).sum();
    assert_eq!(counts + all.portfolio.unassigned, all.portfolio.team);
    assert!(!customers_of(&app, PortfolioScope::Collector("Claire Martin".into())).contains(&taken));

    // A rule by category outranks the customers file; by hand outranks the rule.
    app.set_customer_category(&taken, Some("public_body")).unwrap();
    let other = claire.iter().filter(|c| **c != taken).min().unwrap().clone();
    app.set_customer_category(&other, Some("public_body")).unwrap();
    app.assign_portfolio("category", "public_body", Some("paul"))
        .unwrap();
    assert_eq!(
        customers_of(&app, PortfolioScope::Collector("paul".into())),
        HashSet::from([other.clone()])
    );
    // Grouped by collector, the aged balance follows the portfolios.
    let grouped = app
        .aging_grouped(&encaisse_app::reports::AgingOptions {
            group_by: Some("collector".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(grouped.groups.iter().any(|g| g.key == "paul"), "{grouped:?}");

    // Refused: an unknown category, an empty collector, a customer that does not exist.
    assert!(app.assign_portfolio("category", "vip", Some("paul")).is_err());
    assert!(app.assign_portfolio("customer", &taken, Some("  ")).is_err());
    assert!(app.assign_portfolio("customer", "NOPE", Some("paul")).is_err());

    // Julien leaves: his customers (from the customers file) and paul's rule move in one go.
    let julien = app.portfolios(None).unwrap();
    let julien_count = julien
        .collectors
        .iter()
        .find(|c| c.login == "Julien Roux")
        .unwrap()
        .totals
        .customers;
    let moved = app.reassign_portfolio("Julien Roux", "marie").unwrap();
    assert_eq!(moved.customers, julien_count);
    let after = app.portfolios(None).unwrap();
    assert!(after.collectors.iter().all(|c| c.login != "Julien Roux"));
    let marie = after.collectors.iter().find(|c| c.login == "marie").unwrap();
    assert_eq!(marie.totals.customers, julien_count + 1);
    assert!(app.reassign_portfolio("marie", "marie").is_err());

    // Taken back, the customer follows its category's collector again.
    app.assign_portfolio("customer", &taken, None).unwrap();
    assert_eq!(
        customers_of(&app, PortfolioScope::Collector("paul".into())),
        HashSet::from([other.clone(), taken.clone()])
    );

    // Every change in the audit trail, by marie, in words the journal knows.
    let trail = app.audit_trail(None, None).unwrap();
    let kinds: Vec<_> = trail
        .iter()
        .filter(|e| e.entity == "portfolio")
        .map(|e| (e.kind, e.user.as_str()))
        .collect();
    use encaisse_app::audit::AuditKind::*;
    // On a server, its login.
    let marie = crate::backend::login("marie");
    assert_eq!(
        kinds,
        [
            (PortfolioAssigned, marie),
            (PortfolioAssigned, marie),
            (PortfolioReassigned, marie),
            (PortfolioUnassigned, marie),
        ]
    );
    let reassigned = trail.iter().find(|e| e.kind == PortfolioReassigned).unwrap();
    assert_eq!(reassigned.facts.collector_before.as_deref(), Some("Julien Roux"));
    assert_eq!(reassigned.facts.collector.as_deref(), Some("marie"));
    assert_eq!(reassigned.facts.moved_customers, Some(julien_count));
    let first = trail.iter().find(|e| e.kind == PortfolioAssigned).unwrap();
    assert_eq!(first.facts.customer.as_deref(), Some(taken.as_str()));
    assert!(first.facts.customer_name.is_some());
}

#[test]
fn a_customers_file_imported_again_keeps_the_collectors_given_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-02-20"))))
        .unwrap()
        .with_actor(Actor::named("marie"));
    let fec = crate::workflow::write_fec(dir.path(), "v1", &crate::workflow::first_year());
    app.import_fec(&fec, &Default::default(), &mut |_| {}).unwrap();
    let file = |collector: &str| {
        let csv = dir.path().join("clients.csv");
        std::fs::write(
            &csv,
            format!("key;name;collector\nC1;Client Un;{collector}\nC2;Client Deux;julien\n"),
        )
        .unwrap();
        app.import_customers_file(&csv, &Default::default()).unwrap();
    };
    file("julien");
    assert_eq!(
        customers_of(&app, PortfolioScope::Collector("julien".into())),
        HashSet::from(["C1".to_string(), "C2".to_string()])
    );
    app.assign_portfolio("customer", "C1", Some("marie")).unwrap();
    // The file names another collector for C1: its column changes, the choice made by hand stays.
    file("paul");
    assert_eq!(
        customers_of(&app, PortfolioScope::Mine),
        HashSet::from(["C1".to_string()])
    );
    assert_eq!(
        customers_of(&app, PortfolioScope::Collector("julien".into())),
        HashSet::from(["C2".to_string()])
    );
    // Taken back, the file's collector applies again.
    app.assign_portfolio("customer", "C1", None).unwrap();
    assert_eq!(
        customers_of(&app, PortfolioScope::Collector("paul".into())),
        HashSet::from(["C1".to_string()])
    );
    assert_eq!(
        app.agenda_for(None, None).unwrap().portfolio.shown,
        PortfolioScope::Team
    );
}

#[test]
fn the_daily_report_goes_per_collector_and_the_portfolios_add_up_to_the_team() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path());
    let team = app.daily_report(None).unwrap();
    assert_eq!(team.collector, None);
    let mut agenda = 0;
    let mut collections = Decimal::ZERO;
    for login in ["Claire Martin", "Julien Roux", "Sophie Lambert"] {
        let theirs = app.daily_report_of(None, Some(login)).unwrap();
        assert_eq!(theirs.collector.as_deref(), Some(login));
        assert!(theirs.subject.contains(login), "{}", theirs.subject);
        assert_eq!(
            theirs.agenda_count as usize,
            customers_of(&app, PortfolioScope::Collector(login.into())).len()
        );
        agenda += theirs.agenda_count;
        collections += dec(&theirs.collections);
    }
    assert_eq!(agenda, team.agenda_count);
    assert_eq!(collections, dec(&team.collections));
    // Nobody's portfolio: an empty report, not the team's.
    let nobody = app.daily_report_of(None, Some("personne")).unwrap();
    assert_eq!((nobody.agenda_count, nobody.collections.as_str()), (0, "0.00"));
}

/// Each collector given an address in the mail settings gets their own report at the report's time, beside the
/// team's; a collector's report sent by hand earlier that day does not stand for the team's.
#[test]
fn each_collector_gets_their_own_report_at_the_set_time() {
    use crate::smtp_sink::Sink;
    use encaisse_app::mail::schedule::Scheduled;
    use encaisse_app::mail::{CollectorReport, Keyring, MailSettings};
    use encaisse_app::AppError;
    use encaisse_domain::ManualClock;

    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let clock = ManualClock::new(d(TODAY).and_hms_opt(7, 0, 0).unwrap());
    let app =
        demo_at(dir.path(), Box::new(clock.clone())).with_secrets(std::sync::Arc::new(Keyring::in_memory()));
    crate::common::smtp_to_local_sink(&app, sink.port);
    let report = |collector: &str, address: &str| CollectorReport {
        collector: collector.into(),
        address: address.into(),
    };
    let settings = |reports: Vec<CollectorReport>| MailSettings {
        report_time: "08:00".into(),
        collector_reports: reports,
        ..app.mail_settings().unwrap()
    };
    // Refused: a bad address, a row without its collector, a collector given twice.
    for bad in [
        vec![report("Claire Martin", "claire@")],
        vec![report("", "x@atelier.test")],
        vec![
            report("Claire Martin", "c@atelier.test"),
            report(" Claire Martin ", "d@atelier.test"),
        ],
    ] {
        assert!(
            matches!(
                app.save_mail_settings(&settings(bad.clone()), "marie"),
                Err(AppError::InvalidInput(_))
            ),
            "{bad:?}"
        );
    }
    // The collectors' reports alone may have a time (no team recipient); empty rows are left out.
    let saved = app
        .save_mail_settings(
            &settings(vec![
                report(" Claire Martin ", " claire@atelier.test "),
                report("", ""),
                report("Julien Roux", "julien@atelier.test"),
            ]),
            "marie",
        )
        .unwrap();
    assert_eq!(
        saved.collector_reports,
        [
            report("Claire Martin", "claire@atelier.test"),
            report("Julien Roux", "julien@atelier.test")
        ]
    );
    assert!(saved.report_recipients.is_empty());

    clock.set(d(TODAY).and_hms_opt(8, 5, 0).unwrap());
    let Scheduled::Sent { reports, failed } = app.send_scheduled_daily_report("app").unwrap() else {
        panic!("not sent")
    };
    assert!(failed.is_empty(), "{failed:?}");
    let sent: Vec<(Option<&str>, &[String], u32)> = reports
        .iter()
        .map(|r| (r.collector.as_deref(), r.sent_to.as_slice(), r.agenda_count))
        .collect();
    let expected = |login: &str| app.daily_report_of(None, Some(login)).unwrap().agenda_count;
    assert_eq!(
        sent,
        [
            (
                Some("Claire Martin"),
                ["claire@atelier.test".to_string()].as_slice(),
                expected("Claire Martin")
            ),
            (
                Some("Julien Roux"),
                ["julien@atelier.test".to_string()].as_slice(),
                expected("Julien Roux")
            )
        ]
    );
    let mails = sink.received();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0].to, ["claire@atelier.test"]);
    assert!(
        mails[0].subject().contains("Claire Martin"),
        "{}",
        mails[0].subject()
    );
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::Done);

    // The next day, with team recipients too: Sophie's report sent by hand at 7:00 is not the team's.
    clock.set(d("2026-11-27").and_hms_opt(7, 0, 0).unwrap());
    app.send_daily_report_of(
        None,
        "marie",
        Some("Sophie Lambert"),
        &["sophie@atelier.test".into()],
    )
    .unwrap();
    let with_team = MailSettings {
        report_recipients: vec!["daf@atelier.test".into()],
        ..app.mail_settings().unwrap()
    };
    app.save_mail_settings(&with_team, "marie").unwrap();
    clock.set(d("2026-11-27").and_hms_opt(8, 0, 0).unwrap());
    let Scheduled::Sent { reports, .. } = app.send_scheduled_daily_report("app").unwrap() else {
        panic!("the team's report was not sent")
    };
    let who: Vec<Option<&str>> = reports.iter().map(|r| r.collector.as_deref()).collect();
    assert_eq!(who, [None, Some("Claire Martin"), Some("Julien Roux")]);
    assert_eq!(sink.received().len(), 2 + 1 + 3);
}
