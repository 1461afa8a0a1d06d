//! Properties of the DAF's views over random multi-customer ledgers: groupings, forecast and payments neither
//! create nor lose money.

use chrono::{Days, NaiveDate};
use encaisse_analytics::dso::{dso_indexed, SalesIndex};
use encaisse_analytics::forecast::{forecast, ForecastInputs, ForecastOptions, Promise};
use encaisse_analytics::grouping::{aged_invoices, group_aged};
use encaisse_analytics::settlement::{paid_invoices, payments};
use encaisse_analytics::{aged_balance_by, dso, position, AgeBasis, Buckets};
use encaisse_domain::ledger::OPENING_JOURNALS;
use encaisse_domain::testing::line;
use encaisse_domain::{Customer, LedgerLine, Terms};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

fn line_strategy() -> impl Strategy<Value = LedgerLine> {
    (
        0u64..400,
        -500_000i64..1_000_000,
        proptest::option::of(0u8..4),
        proptest::option::of(0u64..400),
    )
        .prop_filter("no zero lines", |(_, cents, _, _)| *cents != 0)
        .prop_map(|(day, cents, letter, letter_day)| {
            let line = line(
                "",
                base() + Days::new(day),
                &format!("P{day}"),
                Decimal::new(cents, 2),
            )
            .with_entry_num(&day.to_string());
            match (letter.map(|l| ["A", "B", "C", "D"][l as usize]), letter_day) {
                (Some(code), Some(on)) => line.lettered_on(code, base() + Days::new(on)),
                (Some(code), None) => line.lettered(code),
                (None, _) => line,
            }
        })
}

fn ledger_strategy() -> impl Strategy<Value = Vec<(Customer, Vec<LedgerLine>)>> {
    proptest::collection::vec((proptest::collection::vec(line_strategy(), 0..15), 0u8..3), 1..6).prop_map(
        |customers| {
            customers
                .into_iter()
                .enumerate()
                .map(|(i, (lines, seg))| {
                    let mut c = Customer::new(format!("C{i}"), format!("Customer {i}"));
                    c.segment = (seg > 0).then(|| format!("S{seg}"));
                    (c, lines)
                })
                .collect()
        },
    )
}

fn buckets_strategy() -> impl Strategy<Value = Buckets> {
    proptest::collection::btree_set(1i64..200, 1..7)
        .prop_map(|set| Buckets::new(set.into_iter().collect()).expect("increasing positive limits"))
}

proptest! {
    /// Any grouping, any buckets, either basis: the groups add up to the totals, and each group's buckets plus
    /// unapplied make its balance; the drill-down's residuals add up to the buckets.
    #[test]
    fn buckets_add_up_under_any_grouping(
        ledger in ledger_strategy(),
        buckets in buckets_strategy(),
        by_invoice in any::<bool>(),
        modulo in 1usize..4,
        day in 0u64..450,
    ) {
        let as_of = base() + Days::new(day);
        let basis = if by_invoice { AgeBasis::InvoiceDate } else { AgeBasis::DueDate };
        let aged = aged_balance_by(ledger.iter().map(|(c, l)| (c, l.as_slice())), Terms::Net(30), &buckets, basis, as_of);
        prop_assert_eq!(aged.buckets.len(), buckets.len());
        for key_of in [0usize, 1, 2] {
            let groups = group_aged(&aged, |c| match key_of {
                0 => c.key.clone(),
                1 => ledger.iter().find(|(x, _)| x.key == c.key).and_then(|(x, _)| x.segment.clone()).unwrap_or_default(),
                _ => (c.key.len() % modulo).to_string(),
            });
            let customers: u32 = groups.iter().map(|g| g.customers).sum();
            prop_assert_eq!(customers as usize, aged.customers.len());
            prop_assert_eq!(groups.iter().map(|g| g.balance).sum::<Decimal>(), aged.balance);
            prop_assert_eq!(groups.iter().map(|g| g.unapplied).sum::<Decimal>(), aged.unapplied);
            for i in 0..buckets.len() {
                prop_assert_eq!(groups.iter().map(|g| g.buckets[i]).sum::<Decimal>(), aged.buckets[i]);
            }
            for g in &groups {
                prop_assert_eq!(g.buckets.iter().sum::<Decimal>() + g.unapplied, g.balance);
            }
        }
        let invoices = aged_invoices(&aged, &buckets, basis, |_| true);
        for i in 0..buckets.len() {
            let sum: Decimal = invoices.iter().filter(|x| x.bucket == i).map(|x| x.residual).sum();
            prop_assert_eq!(sum, aged.buckets[i]);
        }
    }

    /// The forecast puts every open amount in exactly one place: weeks + later + uncertain = the open debits of
    /// the aged balance at that date, whatever the habits, promises, disputes and horizon.
    #[test]
    fn forecast_adds_up_to_open_receivables(
        ledger in ledger_strategy(),
        habits in proptest::collection::vec(0i64..90, 6),
        weeks in 1u32..20,
        day in 0u64..450,
        promise_days in proptest::collection::vec((0usize..400, 0u64..500, proptest::option::of(0i64..200_000)), 0..5),
        disputed in proptest::collection::vec(0usize..400, 0..5),
    ) {
        let as_of = base() + Days::new(day);
        let aged = aged_balance_by(ledger.iter().map(|(c, l)| (c, l.as_slice())), Terms::Net(30), &Buckets::default(), AgeBasis::DueDate, as_of);
        let promises: Vec<Promise> = promise_days.iter().map(|(p, d, cents)| Promise {
            customer_key: "C0".into(),
            piece_ref: format!("P{p}"),
            date: base() + Days::new(*d),
            amount: cents.map(|c| Decimal::new(c, 2)),
        }).collect();
        let inputs = ForecastInputs::new(&promises, disputed.iter().map(|p| ("C1".to_string(), format!("P{p}"))));
        let options = ForecastOptions { weeks, ..ForecastOptions::default() };
        let f = forecast(
            aged.customers.iter().enumerate().map(|(i, c)| (c.key.as_str(), c.position.open_items.as_slice(), habits[i % habits.len()])),
            &inputs,
            &options,
            as_of,
        );
        let open: Decimal = aged.buckets.iter().sum();
        prop_assert_eq!(f.total, open);
        prop_assert_eq!(f.weeks.iter().map(|w| w.expected).sum::<Decimal>() + f.later + f.uncertain, open);
        prop_assert_eq!(f.weeks.len(), weeks as usize);
    }

    /// Payments never pay more than an invoice, a paid invoice is fully paid, and an invoice paid at a date is no
    /// longer open then.
    #[test]
    fn payments_match_the_open_items(lines in proptest::collection::vec(line_strategy(), 0..30), day in 0u64..450) {
        let as_of = base() + Days::new(day);
        let pays = payments(&lines, Terms::Net(30), as_of);
        for (i, line) in lines.iter().enumerate() {
            let paid: Decimal = pays.iter().filter(|p| p.line == i).map(|p| p.amount).sum();
            prop_assert!(paid >= Decimal::ZERO && paid <= line.amount.max(Decimal::ZERO));
        }
        let open = position(&lines, Terms::Net(30), as_of);
        for p in paid_invoices(&lines, Terms::Net(30), as_of) {
            prop_assert!(p.paid_on <= as_of);
            prop_assert!(open.open_items.iter().all(|o| o.line != p.line));
        }
        for o in &open.open_items {
            let paid: Decimal = pays.iter().filter(|p| p.line == o.line).map(|p| p.amount).sum();
            prop_assert_eq!(o.residual, lines[o.line].amount - paid);
        }
    }
}

proptest! {
    /// What was known paid at an earlier date is what is known today with its lettering done by then: a
    /// backtest can compute paid invoices once.
    #[test]
    fn paid_then_is_paid_now_filtered_by_lettering_date(
        lines in proptest::collection::vec(line_strategy(), 0..30),
        then in 0u64..450,
        later in 0u64..200,
    ) {
        let then = base() + Days::new(then);
        let now = then + Days::new(later);
        let known_then = paid_invoices(&lines, Terms::Net(30), then);
        let filtered: Vec<_> = paid_invoices(&lines, Terms::Net(30), now)
            .into_iter()
            .filter(|p| p.lettered_on <= then)
            .collect();
        prop_assert_eq!(known_then, filtered);
    }

    /// The DSO from the sales index built once equals the DSO walking the lines, at any date and period (opening
    /// journals left out, dates before, inside and after the lines, a zero-sales period).
    #[test]
    fn dso_from_the_sales_index_equals_dso_over_the_lines(
        lines in proptest::collection::vec((line_strategy(), 0u8..4), 0..40),
        day in 0u64..900,
        period in 1u32..400,
        receivables in -100_000i64..10_000_000,
    ) {
        let lines: Vec<LedgerLine> = lines
            .into_iter()
            .map(|(mut l, j)| {
                l.journal = ["VE", "AN", " ran ", "VT"][j as usize].into();
                l
            })
            .collect();
        let index = SalesIndex::new(&lines, &OPENING_JOURNALS);
        let as_of = base() + Days::new(day) - Days::new(200);
        let receivables = Decimal::new(receivables, 2);
        prop_assert_eq!(
            dso_indexed(&index, receivables, as_of, period),
            dso(&lines, receivables, as_of, period, &OPENING_JOURNALS)
        );
    }
}
