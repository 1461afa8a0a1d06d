//! The forecast and the payment habits over compact forms: the open items from a [`CompactLedger`] (minor units,
//! day numbers, no piece reference copied), the habits from paid invoices in minor units. Both give exactly what
//! [`crate::forecast::forecast`] over positions and [`crate::behaviour::lateness`] give (property tests below).

use crate::compact_aging::{day, CompactItem, CompactLedger};
use crate::forecast::{Forecast, ForecastBuilder, ForecastInputs, ForecastOptions};
use crate::settlement::PaidInvoice;
use chrono::NaiveDate;
use encaisse_domain::money::{from_minor, to_minor};
use encaisse_domain::LedgerLine;
use rust_decimal::Decimal;

/// The forecast at `as_of` over the open items of a compact ledger: `customer(i)` gives the key and the lines of
/// the ledger's customer `i` (the ledger given to [`CompactLedger::build`]), `habit(i)` its habit in whole days.
pub fn forecast_compact<'a>(
    ledger: &CompactLedger,
    customer: impl Fn(usize) -> (&'a str, &'a [LedgerLine]),
    mut habit: impl FnMut(usize) -> i64,
    inputs: &ForecastInputs,
    options: &ForecastOptions,
    as_of: NaiveDate,
) -> Forecast {
    let mut b = ForecastBuilder::new(inputs, options, as_of, ledger.digits());
    let mut items: Vec<CompactItem> = Vec::new();
    for c in 0..ledger.customers() {
        items.clear();
        ledger.open_items(c, as_of, |i| items.push(i));
        if items.is_empty() {
            continue;
        }
        let h = habit(c);
        let (key, lines) = customer(c);
        if !b.is_named(key) {
            for i in &items {
                b.plain(i.due, i.residual, h);
            }
            continue;
        }
        // A partial promise is shared in the order of the customer's position: by due date, piece, then as listed.
        items.sort_by(|x, y| {
            (x.due, &lines[x.line].piece_ref, x.rank).cmp(&(y.due, &lines[y.line].piece_ref, y.rank))
        });
        for i in &items {
            b.item(
                key,
                &lines[i.line].piece_ref,
                i.due,
                from_minor(i.residual, ledger.digits()),
                h,
            );
        }
    }
    b.finish()
}

/// A paid invoice as the lateness needs it: day numbers and minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidRow {
    pub paid_on: i32,
    pub lettered_on: i32,
    /// Days late, early payments counting 0.
    pub days_late: i64,
    pub amount: i64,
}

impl PaidRow {
    /// None when the amount does not fit the currency's minor unit.
    pub fn new(p: &PaidInvoice, digits: u32) -> Option<PaidRow> {
        Some(PaidRow {
            paid_on: day(p.paid_on),
            lettered_on: day(p.lettered_on),
            days_late: p.days_late().max(0),
            amount: to_minor(p.amount, digits).ok()?,
        })
    }
}

/// Sums of paid invoices for [`Lateness::avg_days_late`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lateness {
    pub invoices: u32,
    weighted: i128,
    amount: i128,
}

impl Lateness {
    /// Adds the rows paid in (from, to] and known paid by `known` (lettered by then).
    pub fn add<'r>(
        &mut self,
        rows: impl IntoIterator<Item = &'r PaidRow>,
        from: NaiveDate,
        to: NaiveDate,
        known: NaiveDate,
    ) {
        let (from, to, known) = (day(from), day(to), day(known));
        for r in rows {
            if r.paid_on > from && r.paid_on <= to && r.lettered_on <= known && r.amount > 0 {
                self.invoices += 1;
                self.weighted += i128::from(r.days_late) * i128::from(r.amount);
                self.amount += i128::from(r.amount);
            }
        }
    }

    /// Σ amount × days late / Σ amount, one decimal (half away from zero): `lateness(..).avg_days_late`.
    pub fn avg_days_late(&self) -> Option<Decimal> {
        self.tenths()
            .and_then(|t| i64::try_from(t).ok())
            .map(|t| Decimal::new(t, 1))
    }

    fn tenths(&self) -> Option<i128> {
        // weighted ≥ 0 and amount > 0: half up is floor((20 w + a) / 2a).
        (self.amount > 0).then(|| (20 * self.weighted + self.amount) / (2 * self.amount))
    }

    /// The habit: the average in whole days, half away from zero ([`crate::forecast::habit_days`]).
    pub fn habit_days(&self) -> i64 {
        self.tenths()
            .and_then(|t| i64::try_from((t + 5) / 10).ok())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::lateness;
    use crate::dso::{dso, dso_indexed, SalesIndex};
    use crate::forecast::{forecast, habit_days};
    use crate::{aged_balance_by, AgeBasis, Buckets};
    use chrono::Days;
    use encaisse_domain::{Customer, Terms};
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn d(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(u64::from(n))
    }

    /// A random ledger: a few customers, lines over ~200 days, some lettered (groups that net to zero or not,
    /// lettering dates after the lines), pieces shared by several lines.
    fn ledger() -> impl Strategy<Value = Vec<(Customer, Vec<LedgerLine>)>> {
        let line = (
            0u32..200,
            0u8..6,
            -500i64..2000,
            prop::option::of((0u8..4, prop::option::of(0u32..60))),
            prop::option::of(0u32..90),
        );
        prop::collection::vec(prop::collection::vec(line, 0..14), 1..5).prop_map(|customers| {
            customers
                .into_iter()
                .enumerate()
                .map(|(c, lines)| {
                    let key = format!("C{c}");
                    let mut customer = Customer::new(&key, &key);
                    if c == 2 {
                        customer.terms = Some(Terms::EndOfMonthPlus(10));
                    }
                    let mut lines: Vec<LedgerLine> = lines
                        .into_iter()
                        .map(|(date, piece, cents, letter, due)| LedgerLine {
                            customer_key: key.clone(),
                            journal: "VE".into(),
                            entry_num: format!("E{date}"),
                            entry_date: d(date),
                            piece_ref: format!("F{piece}"),
                            piece_date: None,
                            label: String::new(),
                            amount: Decimal::new(cents, 2),
                            letter: letter.map(|(l, _)| ["A", "B", " C", "D"][usize::from(l)].to_string()),
                            letter_date: letter.and_then(|(_, after)| after).map(|a| d(date + a)),
                            due_date: due.map(|x| d(date + x)),
                        })
                        .collect();
                    lines.sort_by_key(|l| l.entry_date);
                    (customer, lines)
                })
                .collect()
        })
    }

    /// Promises (whole or part), disputes and approvals on some of the ledger's pieces.
    fn inputs() -> impl Strategy<Value = ForecastInputs> {
        let piece = (0usize..5, 0u8..6);
        (
            prop::collection::vec((piece.clone(), 100u32..300, prop::option::of(0i64..1500)), 0..6),
            prop::collection::vec(piece.clone(), 0..3),
            prop::collection::vec(piece, 0..3),
        )
            .prop_map(|(promises, disputed, approved)| {
                let key = |(c, p): (usize, u8)| (format!("C{c}"), format!("F{p}"));
                let mut i = ForecastInputs::default();
                for (p, date, amount) in promises {
                    i.promises.insert(key(p), d(date));
                    if let Some(a) = amount {
                        i.promised_amounts.insert(key(p), Decimal::new(a, 2));
                    }
                }
                i.disputed = disputed.into_iter().map(key).collect::<HashSet<_>>();
                i.approved = approved.into_iter().map(key).collect::<HashSet<_>>();
                i
            })
    }

    proptest! {
        /// The forecast over the compact form equals the forecast over the positions, week by week and confirmed
        /// part included; the balance and the not-yet-due sum equal the aged balance's.
        #[test]
        fn compact_forecast_equals_the_positions(
            ledger in ledger(),
            inputs in inputs(),
            at in 0u32..260,
            weeks in 1u32..20,
            habits in prop::collection::vec(-20i64..80, 5),
        ) {
            let as_of = d(at);
            let terms = Terms::Net(30);
            let pairs = || ledger.iter().map(|(c, l)| (c, l.as_slice()));
            let compact = CompactLedger::build(pairs(), terms, 2).expect("cents");
            let options = ForecastOptions { weeks, ..ForecastOptions::default() };
            let aged = aged_balance_by(pairs(), terms, &Buckets::default(), AgeBasis::DueDate, as_of);
            let habit_of = |key: &str| habits[key[1..].parse::<usize>().unwrap()];
            let want = forecast(
                aged.customers.iter().map(|c| (c.key.as_str(), c.position.open_items.as_slice(), habit_of(&c.key))),
                &inputs,
                &options,
                as_of,
            );
            let got = forecast_compact(
                &compact,
                |i| (ledger[i].0.key.as_str(), ledger[i].1.as_slice()),
                |i| habit_of(&ledger[i].0.key),
                &inputs,
                &options,
                as_of,
            );
            prop_assert_eq!(got, want);
            prop_assert_eq!(compact.balance(as_of), aged.balance);
            prop_assert_eq!(compact.not_yet_due(as_of), aged.buckets[0]);
        }

        /// The form read back from its bytes (what the app keeps in the database) gives the aged balance of the
        /// lines (two bucket sets, both bases), the same balance, not-yet-due sum and open items; bytes cut short
        /// or lengthened are refused. The sales index read back gives the DSO of the lines.
        #[test]
        fn the_form_read_back_from_its_bytes_gives_the_full_computation(
            ledger in ledger(),
            at in 0u32..260,
            cut in 1usize..64,
        ) {
            let as_of = d(at);
            let terms = Terms::Net(30);
            let pairs = || ledger.iter().map(|(c, l)| (c, l.as_slice()));
            let built = CompactLedger::build(pairs(), terms, 2).expect("cents");
            let bytes = built.to_bytes();
            let read = CompactLedger::from_bytes(&bytes).expect("its own bytes");
            prop_assert_eq!(read.to_bytes(), bytes.clone());
            prop_assert!(CompactLedger::from_bytes(&bytes[..bytes.len().saturating_sub(cut)]).is_none());
            let mut longer = bytes.clone();
            longer.push(0);
            prop_assert!(CompactLedger::from_bytes(&longer).is_none());
            for buckets in [Buckets::default(), Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap()] {
                for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                    let want = aged_balance_by(pairs(), terms, &buckets, basis, as_of);
                    let got = read.age(&buckets, basis, as_of);
                    prop_assert_eq!((got.balance, got.unapplied, &got.buckets), (want.balance, want.unapplied, &want.buckets));
                    prop_assert_eq!(got.customers.len(), want.customers.len());
                    for (a, b) in got.customers.iter().zip(&want.customers) {
                        prop_assert_eq!(&ledger[a.customer].0.key, &b.key);
                        prop_assert_eq!((a.balance, a.unapplied, &a.buckets), (b.balance, b.unapplied, &b.buckets));
                    }
                }
            }
            prop_assert_eq!(read.balance(as_of), built.balance(as_of));
            prop_assert_eq!(read.not_yet_due(as_of), built.not_yet_due(as_of));
            for c in 0..ledger.len() {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                read.open_items(c, as_of, |i| a.push(i));
                built.open_items(c, as_of, |i| b.push(i));
                prop_assert_eq!(a, b);
            }
            let lines = || ledger.iter().flat_map(|(_, l)| l.iter());
            let sales = SalesIndex::new(lines(), &["AN"]);
            let sales_bytes = sales.to_bytes();
            let back = SalesIndex::from_bytes(&sales_bytes).expect("its own bytes");
            prop_assert_eq!(&back, &sales);
            prop_assert!(SalesIndex::from_bytes(&sales_bytes[..sales_bytes.len() - 1]).is_none());
            let receivables = built.balance(as_of);
            for period in [30, 90] {
                prop_assert_eq!(
                    dso_indexed(&back, receivables, as_of, period),
                    dso(lines(), receivables, as_of, period, &["AN"])
                );
            }
        }

        /// Lateness in minor units equals `lateness`: the count, the average and the habit in whole days.
        #[test]
        fn lateness_in_minor_units_equals_the_decimal_one(
            paid in prop::collection::vec((0u32..400, -30i64..120, -100i64..100_000, 0u32..40), 0..40),
            from in 0u32..200,
            span in 0u32..400,
            known in 0u32..500,
        ) {
            let rows: Vec<PaidInvoice> = paid
                .iter()
                .map(|&(due, late, cents, lag)| {
                    let due = d(due);
                    let paid_on = if late >= 0 { due + Days::new(late as u64) } else { due - Days::new(late.unsigned_abs()) };
                    PaidInvoice {
                        line: 0,
                        invoice_date: due,
                        due_date: due,
                        amount: Decimal::new(cents, 2),
                        paid_on,
                        lettered_on: paid_on + Days::new(u64::from(lag)),
                    }
                })
                .collect();
            let (from, to, known) = (d(from), d(from + span), d(known));
            let want = lateness(rows.iter().filter(|p| p.lettered_on <= known), from, to);
            let compact: Vec<PaidRow> = rows.iter().map(|p| PaidRow::new(p, 2).unwrap()).collect();
            let mut got = Lateness::default();
            got.add(&compact, from, to, known);
            prop_assert_eq!(got.invoices, want.invoices);
            prop_assert_eq!(got.avg_days_late(), want.avg_days_late);
            prop_assert_eq!(got.habit_days(), habit_days(want.avg_days_late));
        }
    }
}
