//! The DAF's views through the app API: consistency between reports on the demo company, snapshots of their
//! JSON, and the D441-6 table on a small hand-built ledger.

use chrono::NaiveDate;
use encaisse_app::reports::AgingOptions;
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::{Company, Customer, FixedClock, LedgerLine, Terms};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::backend::open(&dir.path().join("demo.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    app.create_demo(&DemoOptions {
        seed: None,
        customers: None,
        end: Some(d("2026-11-26")),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn demo_reports_agree_with_each_other_and_match_their_snapshots() {
    let (_dir, app) = demo();
    let as_of = Some(d("2026-11-26"));

    // Default options give exactly the plain aged balance (`encaisse aging`'s contract).
    let aging = app.aging(as_of).unwrap();
    let with = app
        .aging_with(&AgingOptions {
            as_of,
            ..AgingOptions::default()
        })
        .unwrap();
    assert_eq!(aging, with);
    let open: Decimal = aging.totals.buckets.iter().map(|b| dec(b)).sum();

    // Other buckets and grouping: same totals.
    for group_by in [
        "segment",
        "category",
        "customer_segment",
        "collector",
        "risk_class",
    ] {
        let g = app
            .aging_grouped(&AgingOptions {
                as_of,
                buckets: Some(vec![15, 30, 45, 60, 90, 120]),
                basis: Some("invoice_date".into()),
                group_by: Some(group_by.into()),
            })
            .unwrap();
        assert_eq!(g.buckets.len(), 8);
        assert_eq!(g.totals.balance, aging.totals.balance, "{group_by}");
        let sum: Decimal = g.groups.iter().map(|x| dec(&x.balance)).sum();
        assert_eq!(sum, dec(&aging.totals.balance), "{group_by}");
    }
    let by_class = app
        .aging_grouped(&AgingOptions {
            as_of,
            group_by: Some("risk_class".into()),
            ..AgingOptions::default()
        })
        .unwrap();
    insta::assert_json_snapshot!("aging_by_risk_class", by_class);

    // Drill-down: the invoices add up to the buckets.
    let invoices = app
        .aging_invoices(
            &AgingOptions {
                as_of,
                ..AgingOptions::default()
            },
            None,
        )
        .unwrap();
    let residuals: Decimal = invoices.invoices.iter().map(|i| dec(&i.residual)).sum();
    assert_eq!(residuals, open);
    let one = &aging.customers[0].id;
    let mine = app
        .aging_invoices(
            &AgingOptions {
                as_of,
                ..AgingOptions::default()
            },
            Some(one),
        )
        .unwrap();
    assert!(mine.invoices.iter().all(|i| &i.customer_id == one));

    // The forecast adds up to the open invoices of the aged balance.
    let f = app.forecast(as_of, None).unwrap();
    assert_eq!(f.weeks.len(), 13);
    assert_eq!(f.weeks[0].start, d("2026-11-23"));
    assert_eq!(f.total, encaisse_domain::format_amount(open));
    let placed: Decimal =
        f.weeks.iter().map(|w| dec(&w.expected)).sum::<Decimal>() + dec(&f.later) + dec(&f.uncertain);
    assert_eq!(placed, open);
    insta::assert_json_snapshot!("forecast", f);

    // DSO set: the plain DSO's figures unchanged, and the best possible DSO below the average.
    let dso = app.dso(as_of, None).unwrap();
    let set = app.dso_set(as_of, None).unwrap();
    assert_eq!(
        (set.dso_average, set.dso_countback),
        (dso.dso_average, dso.dso_countback)
    );
    assert_eq!(set.receivables, dso.receivables);
    assert!(set.dso_best.unwrap() <= set.dso_average.unwrap());
    assert_eq!(set.trend.len(), 12);
    assert_eq!(set.trend[11].date, d("2026-10-31"));
    insta::assert_json_snapshot!("dso_set", set);

    // Customers: one row per customer, balances as in the aged balance, alerts only above the limit.
    let report = app.customers_report(as_of).unwrap();
    let status = app.status().unwrap();
    assert_eq!(report.customers.len() as u32, status.customers);
    let balances: Decimal = report.customers.iter().map(|c| dec(&c.balance)).sum();
    assert_eq!(balances, dec(&aging.totals.balance));
    for a in &report.limit_alerts {
        assert!(dec(&a.balance) > dec(&a.credit_limit));
    }
    // The score is 100 minus the points its factors cost (the factors are in the file; one customer in ten).
    for c in report.customers.iter().step_by(10) {
        let file = app.customer_file(&c.id, as_of).unwrap();
        assert_eq!(
            (file.analysis.score, file.analysis.id.as_str()),
            (c.score, c.id.as_str())
        );
        let lost: f64 = file.factors.iter().map(|f| f.points_lost).sum();
        assert_eq!(
            f64::from(c.score),
            (100.0 - lost).round().clamp(0.0, 100.0),
            "{}",
            c.id
        );
    }
    let rows = app.customer_rows(as_of).unwrap();
    let first = serde_json::to_value(&rows[0]).unwrap();
    let keys: Vec<_> = first.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "balance",
            "overdue",
            "avg_days_late",
            "score",
            "class",
            "credit_limit",
            "segment"
        ]
    );
    insta::assert_json_snapshot!("customers_first_10", &rows[..10]);
    insta::assert_json_snapshot!("limit_alerts", report.limit_alerts);
    // The Clients screen's list: the report's customers in the same order, with the columns the screen shows.
    let list = app.customer_list(as_of).unwrap();
    assert_eq!((list.as_of, &list.currency), (report.as_of, &report.currency));
    assert_eq!(list.customers.len(), report.customers.len());
    for (l, c) in list.customers.iter().zip(&report.customers) {
        assert_eq!(
            (&l.id, &l.name, &l.balance, &l.overdue, &l.class, &l.credit_limit),
            (&c.id, &c.name, &c.balance, &c.overdue, &c.class, &c.credit_limit)
        );
        assert_eq!(
            (l.avg_days_late, l.score, l.limit_exceeded, l.segment, l.category),
            (
                c.behaviour.avg_days_late,
                c.score,
                c.limit_exceeded,
                c.behaviour.segment,
                c.category
            ),
            "{}",
            c.id
        );
    }
    assert_eq!(
        list.customers.iter().filter(|c| c.limit_exceeded).count(),
        report.limit_alerts.len()
    );
    let light = serde_json::to_vec(&list).unwrap().len();
    let full = serde_json::to_vec(&report).unwrap().len();
    assert!(light * 2 < full, "list {light} bytes, report {full}");

    // Accuracy: 26 backtests of 4 weeks, all in the past.
    let acc = app.forecast_accuracy(as_of, None, None).unwrap();
    assert_eq!(acc.backtests.len(), 26);
    let last = acc.backtests.last().unwrap();
    assert!(last.weeks[3].end <= d("2026-11-26"));
    assert!(acc.weighted_absolute_error.is_some());
    insta::assert_json_snapshot!(
        "forecast_accuracy_by_week",
        (acc.weighted_absolute_error, &acc.by_week)
    );

    let t = app.d441_6(d("2025-12-31"), None).unwrap();
    assert_eq!(t.turnover, None);
    assert!(t.bands.iter().all(|b| b.share.is_none()));
    insta::assert_json_snapshot!("d441_6_2025", t);
}

fn line(key: &str, date: &str, piece: &str, amount: &str, letter: Option<&str>) -> LedgerLine {
    let line = encaisse_domain::testing::line(key, date, piece, dec(amount));
    match letter {
        Some(code) => line.lettered(code),
        None => line,
    }
}

#[test]
fn d441_6_on_a_hand_built_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let app = crate::backend::open(&path, Box::new(FixedClock(d("2026-03-01")))).unwrap();
    let mut store = crate::backend::store(&path);
    let company = Company {
        name: "Hand".into(),
        siren: None,
        address: None,
        currency: "EUR".into(),
    };
    let a = Customer::new("A", "Alpha");
    let mut b = Customer::new("B", "Beta");
    b.terms = Some(Terms::Net(60));
    // Year end 2025-12-31, default terms 30 days net.
    let lines = [
        line("A", "2025-12-01", "F1", "1200", None), // due 12-31: not expired
        line("A", "2025-11-30", "F2", "600", None),  // due 12-30: 1 day, 1-30
        line("A", "2025-10-01", "F3", "1000", Some("X")), // due 10-31: 61 days, part paid 400 → 600
        line("A", "2025-11-15", "R3", "-400", Some("X")),
        line("A", "2025-06-01", "F4", "300", Some("Y")), // paid in full
        line("A", "2025-06-20", "R4", "-300", Some("Y")),
        line("B", "2025-09-01", "F5", "240", None), // 60 days net: due 10-31, 61 days
        line("B", "2025-07-01", "F6", "480", None), // due 08-30: 123 days, 91+
        line("B", "2026-01-10", "F7", "999", None), // after the closing
    ];
    store.replace_with_demo(&company, &[a, b], &lines).unwrap();
    drop(store);
    app.set_turnover(d("2025-12-31"), dec("100000")).unwrap();
    let t = app.d441_6(d("2025-12-31"), None).unwrap();
    let bands: Vec<(&str, u32, &str, Option<f64>)> = t
        .bands
        .iter()
        .map(|b| (b.band.as_str(), b.invoices, b.amount.as_str(), b.share))
        .collect();
    assert_eq!(
        bands,
        [
            ("1-30", 1, "600.00", Some(0.6)),
            ("31-60", 0, "0.00", Some(0.0)),
            ("61-90", 2, "840.00", Some(0.84)),
            ("91+", 1, "480.00", Some(0.48)),
        ]
    );
    assert_eq!((t.total.invoices, t.total.amount.as_str()), (4, "1920.00"));
    assert_eq!(t.total.share, Some(1.92));
    assert_eq!(t.turnover_source.as_deref(), Some("user"));
    assert_eq!(t.reference_terms, "contractual");
    assert_eq!(t.default_terms, "net:30");
    // A turnover given for this report wins over the recorded one.
    let t = app.d441_6(d("2025-12-31"), Some(dec("192000"))).unwrap();
    assert_eq!(t.total.share, Some(1.0));

    // Categories: set, used as a group, refused when unknown.
    app.set_customer_category("B", Some("public_body")).unwrap();
    assert!(app.set_customer_category("B", Some("vip")).is_err());
    assert!(app.set_customer_category("Z", Some("occasional")).is_err());
    let g = app
        .aging_grouped(&AgingOptions {
            as_of: Some(d("2025-12-31")),
            group_by: Some("category".into()),
            ..AgingOptions::default()
        })
        .unwrap();
    let keys: Vec<(&str, &str)> = g
        .groups
        .iter()
        .map(|x| (x.key.as_str(), x.balance.as_str()))
        .collect();
    assert_eq!(keys, [("", "2400.00"), ("public_body", "720.00")]);

    // Behaviour: F4 due 07-01 paid 06-20 (early), so A pays on time; B has no paid invoice.
    let c = app.customers_report(Some(d("2025-12-31"))).unwrap();
    let a = &c.customers[0];
    assert_eq!(a.behaviour.avg_days_late, Some(0.0));
    assert_eq!(a.behaviour.segment.map(|s| s.code()), Some("on_time"));
    assert_eq!(c.customers[1].behaviour.segment, None);
    // A: open 2400, of which F3's 600 is 61 days late: 25 % of 20 points = 5 lost → 95, A.
    assert_eq!((a.score, a.class.as_str()), (95, "A"));
}
