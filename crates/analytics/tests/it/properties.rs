//! Properties of the open-item rules over random ledgers: nothing is created or lost.

use chrono::{Days, NaiveDate};
use encaisse_analytics::{aged_balance, position, Buckets};
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
            let date = base() + Days::new(day);
            let line =
                line("C1", date, &format!("P{day}"), Decimal::new(cents, 2)).with_entry_num(&day.to_string());
            match (letter.map(|l| ["A", "B", "C", "D"][l as usize]), letter_day) {
                (Some(code), Some(on)) => line.lettered_on(code, base() + Days::new(on)),
                (Some(code), None) => line.lettered(code),
                (None, _) => line,
            }
        })
}

proptest! {
    /// At any date, open items + unapplied = the sum of the lines that exist then, minus what cleared groups
    /// took away (zero by definition): the balance is always the plain sum of existing lines.
    #[test]
    fn balance_is_the_sum_of_existing_lines(lines in proptest::collection::vec(line_strategy(), 0..40), day in 0u64..450) {
        let as_of = base() + Days::new(day);
        let pos = position(&lines, Terms::Net(30), as_of);
        let existing: Decimal = lines.iter().filter(|l| l.entry_date <= as_of).map(|l| l.amount).sum();
        prop_assert_eq!(pos.balance(), existing);
        prop_assert!(pos.unapplied <= Decimal::ZERO);
        for item in &pos.open_items {
            prop_assert!(item.residual > Decimal::ZERO && item.residual <= item.amount);
        }
    }

    #[test]
    fn buckets_plus_unapplied_is_the_balance(lines in proptest::collection::vec(line_strategy(), 0..40), day in 0u64..450) {
        let as_of = base() + Days::new(day);
        let c = Customer::new("C1", "Test");
        let ab = aged_balance([(&c, lines.as_slice())], Terms::DaysEndOfMonth(45), &Buckets::default(), as_of);
        let buckets: Decimal = ab.buckets.iter().sum();
        prop_assert_eq!(buckets + ab.unapplied, ab.balance);
        for row in &ab.customers {
            prop_assert_eq!(row.buckets.iter().sum::<Decimal>() + row.unapplied, row.balance);
        }
    }
}
