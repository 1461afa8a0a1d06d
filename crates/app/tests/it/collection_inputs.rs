//! The collections workflow's records in the DAF's reports, hand-computed on a small imported FEC: broken promises
//! and open disputes in the score, a running promise moving its invoice (or the promised part of it) to the promised
//! date in the forecast, a disputed invoice in "uncertain", everything as known at the as-of date (also in the
//! forecast's backtest).

use chrono::NaiveDate;
use encaisse_app::reports::{CustomerAnalysis, CustomersReport, ForecastReport};
use encaisse_app::workflow::{ActionInput, DisputeInput, PromiseInput};
use encaisse_app::{App, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// (date, piece, customer, cents: invoice > 0, payment < 0, lettering code, lettering date)
type E = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

fn fec(entries: &[E]) -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    let money = |c: i64| format!("{},{:02}", c / 100, c % 100);
    for (n, (date, piece, customer, cents, letter, letter_date)) in entries.iter().enumerate() {
        let date = date.replace('-', "");
        let let_date = letter_date.replace('-', "");
        let (journal, other) = if *cents > 0 {
            ("VE", "706000")
        } else {
            ("BQ", "512000")
        };
        let (debit, credit) = if *cents > 0 { (*cents, 0) } else { (0, -cents) };
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t411000\tClients\t{customer}\tClient {customer}\t{piece}\t{date}\t\
             {piece}\t{}\t{}\t{letter}\t{let_date}\t{date}\t\t\n",
            money(debit),
            money(credit),
        ));
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t{other}\tContrepartie\t\t\t{piece}\t{date}\t{piece}\t{}\t{}\t\t\t\
             {date}\t\t\n",
            money(credit),
            money(debit)
        ));
    }
    out
}

/// 30 days net. C1: F0 (01-02, due 02-01) paid 03-03, 30 days late; F1 (01-10, due 02-09) 1 200; F2 (02-01, due
/// 03-03) 300. C2 (no payment yet): F3 (01-15, due 02-14) 500; F4 (02-20, due 03-22) 800.
fn setup(dir: &Path) -> App {
    let app = crate::backend::open(&dir.join("w.db"), Box::new(FixedClock(d("2026-03-15")))).unwrap();
    let entries: [E; 6] = [
        ("2026-01-02", "F0", "C1", 50_000, "A", "2026-03-03"),
        ("2026-01-10", "F1", "C1", 120_000, "", ""),
        ("2026-02-01", "F2", "C1", 30_000, "", ""),
        ("2026-01-15", "F3", "C2", 50_000, "", ""),
        ("2026-02-20", "F4", "C2", 80_000, "", ""),
        ("2026-03-03", "VIR0", "C1", -50_000, "A", "2026-03-03"),
    ];
    let path = dir.join("123456789FEC20261231.txt");
    std::fs::write(&path, fec(&entries)).unwrap();
    app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();

    let promise = |customer: &str, invoice: &str, made: &str, date: &str, amount: &str| {
        app.add_promise(&PromiseInput {
            customer: customer.into(),
            invoices: vec![invoice.into()],
            date: d(date),
            amount: amount.into(),
            grace_days: Some(3),
            made_on: Some(d(made)),
            ..PromiseInput::default()
        })
        .unwrap()
    };
    // F1: promised on 02-12 for 02-25 (deadline 02-28), never paid: broken from 03-01.
    promise("C1", "F1", "2026-02-12", "2026-02-25", "1200");
    // F0: promised on 02-20 for 03-02, paid 03-03 (inside the grace): kept.
    promise("C1", "F0", "2026-02-20", "2026-03-02", "500");
    // F2: 100 of its 300 promised on 03-05 for 03-25: running at 03-10.
    promise("C1", "F2", "2026-03-05", "2026-03-25", "100");
    // F4: a promise made after 03-10 does not exist at 03-10.
    promise("C2", "F4", "2026-03-12", "2026-03-13", "800");

    let dispute = |invoice: &str, opened: &str| {
        app.open_dispute(&DisputeInput {
            customer: "C2".into(),
            invoices: vec![invoice.into()],
            kind: "quality".into(),
            department: "quality".into(),
            opened_on: Some(d(opened)),
            ..DisputeInput::default()
        })
        .unwrap()
    };
    dispute("F3", "2026-03-01");
    let f4 = dispute("F4", "2026-03-01");
    app.close_dispute(f4.id, Some(d("2026-03-08")), "credit note")
        .unwrap();
    app
}

fn customer<'a>(r: &'a CustomersReport, key: &str) -> &'a CustomerAnalysis {
    r.customers.iter().find(|c| c.id == key).unwrap()
}

/// (value, points lost) of a score factor of a customer as of a date, from its file.
fn factor(app: &App, key: &str, as_of: &str, code: &str) -> (Option<f64>, f64) {
    let file = app.customer_file(key, Some(d(as_of))).unwrap();
    let f = file.factors.iter().find(|f| f.code == code).unwrap();
    (f.value, f.points_lost)
}

fn weeks(f: &ForecastReport, n: usize) -> Vec<&str> {
    f.weeks.iter().take(n).map(|w| w.expected.as_str()).collect()
}

#[test]
fn promises_and_disputes_move_the_score_and_the_forecast_as_of_each_date() {
    let dir = tempfile::tempdir().unwrap();
    let app = setup(dir.path());

    // 03-10: C1 has one broken promise (F1) and one kept (F0); C2 one open dispute (F4's closed on 03-08).
    let r = app.customers_report(Some(d("2026-03-10"))).unwrap();
    let c1 = customer(&r, "C1");
    // Days late 30 → 30/60 of 35 = 17.5; one broken promise → a third of 10 = 3.3; 100 − 20.8 = 79.2 → 79, B.
    assert_eq!(factor(&app, "C1", "2026-03-10", "days_late"), (Some(30.0), 17.5));
    assert_eq!(
        factor(&app, "C1", "2026-03-10", "broken_promises"),
        (Some(1.0), 3.3)
    );
    assert_eq!(
        factor(&app, "C1", "2026-03-10", "open_disputes"),
        (Some(0.0), 0.0)
    );
    assert_eq!((c1.score, c1.class.as_str()), (79, "B"));
    let c2 = customer(&r, "C2");
    // No paid invoice (days late unknown); one open dispute → half of 10 = 5: 95, A.
    assert_eq!(
        factor(&app, "C2", "2026-03-10", "open_disputes"),
        (Some(1.0), 5.0)
    );
    assert_eq!(
        factor(&app, "C2", "2026-03-10", "broken_promises"),
        (Some(0.0), 0.0)
    );
    assert_eq!((c2.score, c2.class.as_str()), (95, "A"));

    // 03-05: both disputes open (2 → all 10 points), and at 02-27 F1's promise still runs (deadline 02-28).
    let r = app.customers_report(Some(d("2026-03-05"))).unwrap();
    assert_eq!(
        factor(&app, "C2", "2026-03-05", "open_disputes"),
        (Some(2.0), 10.0)
    );
    assert_eq!(customer(&r, "C2").score, 90);
    assert_eq!(
        factor(&app, "C1", "2026-02-27", "broken_promises"),
        (Some(0.0), 0.0)
    );
    assert_eq!(
        factor(&app, "C2", "2026-02-27", "open_disputes"),
        (Some(0.0), 0.0)
    );

    // The forecast at Tuesday 03-10 (week 0: 03-09 to 03-15). C1's habit: 30 days.
    // F1 1 200: its promise is broken → habit, 02-09 + 30 = 03-11: week 0.
    // F2 300: 100 promised for 03-25 → week 2; the other 200 by habit, 03-03 + 30 = 04-02 → week 3.
    // F3 500: disputed → uncertain. F4 800: its dispute closed, its promise not yet made → habit 0, 03-22: week 1.
    let f = app.forecast(Some(d("2026-03-10")), None).unwrap();
    assert_eq!(weeks(&f, 5), ["1200.00", "800.00", "100.00", "200.00", "0.00"]);
    assert_eq!((f.later.as_str(), f.uncertain.as_str()), ("0.00", "500.00"));
    assert_eq!(f.total, "2800.00");
    let aging = app.aging(Some(d("2026-03-10"))).unwrap();
    let open: rust_decimal::Decimal = aging
        .totals
        .buckets
        .iter()
        .map(|b| b.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(f.total, open.to_string());

    // Monday 02-16: F1 promised for 02-25 (running) → week 1 instead of now; F0 (due 02-01, no habit yet) and F3
    // (due 02-14, not yet disputed) are expected now; F2 on its due date 03-03, week 2.
    let f = app.forecast(Some(d("2026-02-16")), None).unwrap();
    assert_eq!(weeks(&f, 4), ["1000.00", "1200.00", "300.00", "0.00"]);
    // Tuesday 02-10: the promise is not made yet: F1 (due 02-09) is expected now with F0 and F3.
    let f = app.forecast(Some(d("2026-02-10")), None).unwrap();
    assert_eq!(weeks(&f, 2), ["2200.00", "0.00"]);

    // The backtest made at Monday 02-16 (the one whose 2 weeks end on 03-01) knew F1's promise: 1 000 then 1 200.
    let acc = app
        .forecast_accuracy(Some(d("2026-03-01")), Some(1), Some(2))
        .unwrap();
    assert_eq!(acc.backtests.len(), 1);
    let b = &acc.backtests[0];
    assert_eq!(b.as_of, d("2026-02-16"));
    let expected: Vec<&str> = b.weeks.iter().map(|w| w.expected.as_str()).collect();
    assert_eq!(expected, ["1000.00", "1200.00"]);
}

#[test]
fn reminders_before_payment_in_the_customer_file() {
    let dir = tempfile::tempdir().unwrap();
    let app = setup(dir.path());
    let action = |kind: &str, invoice: &str, date: &str| {
        app.record_action(&ActionInput {
            customer: "C1".into(),
            kind: kind.into(),
            invoices: vec![invoice.into()],
            date: Some(d(date)),
            ..ActionInput::default()
        })
        .unwrap();
    };
    // F0 (01-02) paid 03-03: an email and a call before; a note (no reminder) and a letter on the payment day.
    action("email", "F0", "2026-02-05");
    action("call", "F0", "2026-02-20");
    action("note", "F0", "2026-02-21");
    action("letter", "F0", "2026-03-03");
    // F1 is not paid: its reminders do not count.
    action("email", "F1", "2026-02-15");
    let file = app.customer_file("C1", Some(d("2026-03-10"))).unwrap();
    assert_eq!(file.analysis.behaviour.reminders_before_payment, Some(2.0));
    // Before F0 was paid, C1 had paid nothing: unknown. C2 never paid: unknown.
    let r = app.customers_report(Some(d("2026-03-02"))).unwrap();
    assert_eq!(customer(&r, "C1").behaviour.reminders_before_payment, None);
    let r = app.customers_report(Some(d("2026-03-10"))).unwrap();
    assert_eq!(customer(&r, "C2").behaviour.reminders_before_payment, None);
}

/// The customers report is kept with the cached book: each write that moves a score or a column (a promise, a
/// dispute, an action, a category, in this App or through another connection) is seen by the next report, which
/// equals a fresh App's.
#[test]
fn the_kept_customers_report_follows_each_write() {
    let dir = tempfile::tempdir().unwrap();
    let app = setup(dir.path());
    let at = Some(d("2026-03-10"));
    let fresh =
        || crate::backend::open(&dir.path().join("w.db"), Box::new(FixedClock(d("2026-03-15")))).unwrap();
    let same_as_fresh = |what: &str| {
        let r = app.customers_report(at).unwrap();
        let other = fresh();
        assert_eq!(r, other.customers_report(at).unwrap(), "{what}");
        assert_eq!(
            app.customer_list(at).unwrap(),
            other.customer_list(at).unwrap(),
            "{what}"
        );
        r
    };
    let before = same_as_fresh("warm");
    // Asked again with nothing written: the kept report, equal.
    assert_eq!(app.customers_report(at).unwrap(), before);

    // A promise made on 02-16 for 02-20 on C2's F3, never paid: broken at 03-10.
    app.add_promise(&PromiseInput {
        customer: "C2".into(),
        invoices: vec!["F3".into()],
        date: d("2026-02-20"),
        amount: "500".into(),
        grace_days: Some(3),
        made_on: Some(d("2026-02-16")),
        ..PromiseInput::default()
    })
    .unwrap();
    let promised = same_as_fresh("promise");
    assert_ne!(customer(&promised, "C2").score, customer(&before, "C2").score);

    // A dispute opened on C1's F1.
    app.open_dispute(&DisputeInput {
        customer: "C1".into(),
        invoices: vec!["F1".into()],
        kind: "quality".into(),
        department: "quality".into(),
        opened_on: Some(d("2026-03-02")),
        ..DisputeInput::default()
    })
    .unwrap();
    let disputed = same_as_fresh("dispute");
    assert_ne!(customer(&disputed, "C1").score, customer(&promised, "C1").score);

    // An email before F0's payment: a reminder before payment.
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "email".into(),
        invoices: vec!["F0".into()],
        date: Some(d("2026-02-05")),
        ..ActionInput::default()
    })
    .unwrap();
    let reminded = same_as_fresh("action");
    assert_eq!(
        (
            customer(&disputed, "C1").behaviour.reminders_before_payment,
            customer(&reminded, "C1").behaviour.reminders_before_payment
        ),
        (Some(0.0), Some(1.0))
    );

    // A category.
    app.set_customer_category("C1", Some("public_body")).unwrap();
    let categorised = same_as_fresh("category");
    assert_eq!(
        customer(&categorised, "C1").category.map(|c| c.as_str()),
        Some("public_body")
    );

    // Another connection on the same file (the CLI beside the desktop) opens a dispute on C1's F2.
    fresh()
        .open_dispute(&DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F2".into()],
            kind: "quality".into(),
            department: "quality".into(),
            opened_on: Some(d("2026-03-03")),
            ..DisputeInput::default()
        })
        .unwrap();
    let elsewhere = same_as_fresh("another connection");
    assert_ne!(
        customer(&elsewhere, "C1").score,
        customer(&categorised, "C1").score
    );
}
