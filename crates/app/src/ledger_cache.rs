//! The reports' in-memory ledger: read from the store once (every fiscal year in one table scan), then shared by
//! every report until the ledger can have changed.
//!
//! Staleness is decided by a stamp the store gives cheaply at each report:
//! - an in-process generation, bumped by every App method that writes customers or ledger lines (imports, demo,
//!   customer updates, e-invoices) after it wrote — [`App::ledger_changed`];
//! - SQLite's `PRAGMA data_version` on the App's connection, which changes when another connection (the desktop and
//!   the CLI share a file, or a second App in one process) committed anything;
//! - the default payment terms setting, which the due dates below depend on.
//!
//! For the aged balance, each year's ledger is also kept in a compact form built once from the cached lines: amounts
//! as integer minor units, dates as day numbers, the lettering groups resolved (their span of dates, whether they
//! net to zero, and for those that do not, the residuals left once their credits paid their debits, earliest due
//! first). Ageing at a date then only walks groups and unlettered lines with integer sums, and gives exactly what
//! `encaisse_analytics::aged_balance_by` gives (tested against it).

use crate::reports::Book;
use crate::{App, AppResult};
use chrono::{Datelike, NaiveDate};
use encaisse_analytics::{aged_balance_by, AgeBasis, AgedBalance, Buckets};
use encaisse_domain::money::{from_minor, to_minor};
use encaisse_domain::{Customer, LedgerLine, Terms};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::{Deref, Range};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Default)]
pub(crate) struct LedgerCache {
    generation: AtomicU64,
    slot: Mutex<Option<(Stamp, Arc<Loaded>)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    data_version: i64,
    generation: u64,
    terms: Terms,
}

/// The cached book and, per ledger of it, its compact form for ageing (built on first use).
pub(crate) struct Loaded {
    book: Book,
    digits: u32,
    /// One per `book.ledgers`, then one for `book.all`.
    compact: Vec<OnceLock<Option<Compact>>>,
}

impl Deref for Loaded {
    type Target = Book;
    fn deref(&self) -> &Book {
        &self.book
    }
}

impl App {
    /// Tells the cache the ledger (customers, lines) may have changed. Called by writers AFTER their write: a
    /// report that reads in between reloads once more, never keeps old data.
    pub(crate) fn ledger_changed(&self) {
        self.ledger.generation.fetch_add(1, Ordering::SeqCst);
        *self.ledger.slot.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// For a method about to write customers or ledger lines while holding the store: declared after the store's
    /// guard, it is dropped before it (whatever way the method returns), so the cache is told once the write is
    /// over and before another caller can read.
    pub(crate) fn ledger_write(&self) -> LedgerWrite<'_> {
        LedgerWrite(self)
    }

    /// The book every report reads, from the cache when it is still the database's.
    pub(crate) fn book(&self, store: &Store) -> AppResult<Arc<Loaded>> {
        let stamp = Stamp {
            data_version: store.data_version()?,
            generation: self.ledger.generation.load(Ordering::SeqCst),
            terms: App::default_terms(store)?,
        };
        let mut slot = self.ledger.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, loaded)) = slot.as_ref() {
            if *s == stamp {
                return Ok(Arc::clone(loaded));
            }
        }
        *slot = None; // free the old book before reading the new one
        let book = Book::load(store, NaiveDate::MIN)?;
        let loaded = Arc::new(Loaded {
            compact: (0..=book.ledgers.len()).map(|_| OnceLock::new()).collect(),
            digits: store.currency()?.minor_digits(),
            book,
        });
        *slot = Some((stamp, Arc::clone(&loaded)));
        Ok(loaded)
    }
}

/// See [`App::ledger_write`].
pub(crate) struct LedgerWrite<'a>(&'a App);

impl Drop for LedgerWrite<'_> {
    fn drop(&mut self) {
        self.0.ledger_changed();
    }
}

impl Loaded {
    /// The compact form of one of the book's ledgers (None when an amount does not fit the currency's minor unit:
    /// the caller then ages the lines themselves).
    fn compact(&self, ledger: &[CustomerLedger]) -> Option<&Compact> {
        let i = self
            .book
            .ledgers
            .iter()
            .position(|l| std::ptr::eq(l.as_slice(), ledger))
            .unwrap_or(self.book.ledgers.len());
        self.compact[i]
            .get_or_init(|| Compact::build(ledger, self.book.terms, self.digits))
            .as_ref()
    }

    /// The aged balance at `as_of` (the ledger of the fiscal year in force), summed per customer.
    pub(crate) fn aged_totals(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> AgedTotals<'_> {
        let ledger = self.book.at(as_of);
        match self.compact(ledger) {
            Some(c) => c.age(ledger, buckets, basis, as_of, self.digits),
            None => AgedTotals::from_positions(
                ledger,
                &aged_balance_by(
                    ledger.iter().map(|c| (&c.customer, c.lines.as_slice())),
                    self.book.terms,
                    buckets,
                    basis,
                    as_of,
                ),
            ),
        }
    }
}

/// An aged balance without the open items: what the aging, DSO and dashboard reports print.
pub(crate) struct AgedTotals<'a> {
    pub(crate) as_of: NaiveDate,
    pub(crate) labels: Vec<String>,
    /// Customers with an open item or an unapplied credit, by key.
    pub(crate) customers: Vec<AgedRow<'a>>,
    pub(crate) balance: Decimal,
    pub(crate) unapplied: Decimal,
    pub(crate) buckets: Vec<Decimal>,
}

pub(crate) struct AgedRow<'a> {
    pub(crate) customer: &'a Customer,
    pub(crate) balance: Decimal,
    pub(crate) unapplied: Decimal,
    pub(crate) buckets: Vec<Decimal>,
    /// Days past due of the oldest open item (0 when none is late or there is none).
    pub(crate) max_days_late: i64,
}

impl AgedRow<'_> {
    pub(crate) fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }
}

impl<'a> AgedTotals<'a> {
    pub(crate) fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }

    fn from_positions(ledger: &'a [CustomerLedger], aged: &AgedBalance) -> AgedTotals<'a> {
        let by_key: std::collections::HashMap<&str, &Customer> = ledger
            .iter()
            .map(|c| (c.customer.key.as_str(), &c.customer))
            .collect();
        AgedTotals {
            as_of: aged.as_of,
            labels: aged.labels.clone(),
            customers: aged
                .customers
                .iter()
                .filter_map(|c| {
                    Some(AgedRow {
                        customer: by_key.get(c.key.as_str())?,
                        balance: c.balance,
                        unapplied: c.unapplied,
                        buckets: c.buckets.clone(),
                        max_days_late: c
                            .position
                            .open_items
                            .iter()
                            .map(|i| (aged.as_of - i.due_date).num_days())
                            .max()
                            .unwrap_or(0),
                    })
                })
                .collect(),
            balance: aged.balance,
            unapplied: aged.unapplied,
            buckets: aged.buckets.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The compact ledger

/// One customer's position being summed at a date.
struct Position<'r> {
    row: &'r mut [i64],
    buckets: &'r Buckets,
    basis: AgeBasis,
    at: i32,
    /// Unapplied credits (≤ 0).
    credit: i64,
    open: usize,
    /// The earliest due date of the open items.
    oldest: i32,
}

impl Position<'_> {
    fn open_item(&mut self, l: &Line, residual: i64) {
        let days = match self.basis {
            AgeBasis::DueDate => self.at - l.due,
            AgeBasis::InvoiceDate => self.at - l.doc,
        };
        self.row[self.buckets.index(i64::from(days))] += residual;
        self.open += 1;
        self.oldest = self.oldest.min(l.due);
    }

    fn unlettered(&mut self, l: &Line) {
        if l.amount > 0 {
            self.open_item(l, l.amount);
        } else {
            self.credit += l.amount;
        }
    }
}

/// A line as the aged balance needs it: minor units and day numbers.
#[derive(Debug, Clone, Copy)]
struct Line {
    amount: i64,
    entry: i32,
    due: i32,
    /// The invoice date (PieceDate, else EcritureDate), for ageing by invoice date.
    doc: i32,
}

/// A lettering group of one customer.
#[derive(Debug, Clone)]
struct Group {
    lines: Range<u32>,
    /// The day from which the group counts as lettered: its last line's date or lettering date.
    complete_on: i32,
    nets_to_zero: bool,
    /// Once lettered and not netting to zero: the debits its credits did not pay (amount = what is left) …
    residuals: Range<u32>,
    /// … and the credit left over (≤ 0).
    leftover: i64,
}

#[derive(Debug, Clone)]
struct Span {
    /// Unlettered lines, by entry date.
    loose: Range<u32>,
    groups: Range<u32>,
}

#[derive(Debug, Default)]
struct Compact {
    customers: Vec<Span>,
    lines: Vec<Line>,
    groups: Vec<Group>,
    residuals: Vec<Line>,
}

fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok()
}

impl Compact {
    fn build(ledger: &[CustomerLedger], default_terms: Terms, digits: u32) -> Option<Compact> {
        let mut out = Compact {
            customers: Vec::with_capacity(ledger.len()),
            lines: Vec::with_capacity(ledger.iter().map(|c| c.lines.len()).sum()),
            ..Compact::default()
        };
        let mut debits: Vec<(i32, i32, Line)> = Vec::new();
        for c in ledger {
            let terms = c.customer.terms.unwrap_or(default_terms);
            let line = |l: &LedgerLine| -> Option<Line> {
                let amount = if l.amount.scale() == digits {
                    i64::try_from(l.amount.mantissa()).ok()?
                } else {
                    to_minor(l.amount, digits).ok()?
                };
                Some(Line {
                    amount,
                    entry: day(l.entry_date),
                    due: day(l.due_date.unwrap_or_else(|| terms.due_date(l.document_date()))),
                    doc: day(l.document_date()),
                })
            };
            // Groups by trimmed code, as `position` does; lines keep their ledger order inside a group.
            let mut groups: BTreeMap<&str, Vec<&LedgerLine>> = BTreeMap::new();
            let loose_start = to_u32(out.lines.len())?;
            for l in &c.lines {
                match l.letter.as_deref().map(str::trim) {
                    Some(code) if !code.is_empty() => groups.entry(code).or_default().push(l),
                    _ => out.lines.push(line(l)?),
                }
            }
            let loose = loose_start..to_u32(out.lines.len())?;
            let groups_start = to_u32(out.groups.len())?;
            for members in groups.values() {
                let start = to_u32(out.lines.len())?;
                let mut complete_on = i32::MIN;
                let mut sum = 0i64;
                let mut credit = 0i64;
                debits.clear();
                for l in members {
                    let cl = line(l)?;
                    out.lines.push(cl);
                    complete_on = complete_on.max(cl.entry).max(l.letter_date.map_or(cl.entry, day));
                    sum = sum.checked_add(cl.amount)?;
                    if cl.amount > 0 {
                        debits.push((cl.due, cl.entry, cl));
                    } else {
                        credit = credit.checked_sub(cl.amount)?;
                    }
                }
                let residual_start = to_u32(out.residuals.len())?;
                let mut leftover = 0;
                if sum != 0 {
                    // The credits pay the debits, earliest due date (then entry date) first.
                    debits.sort_by_key(|(due, entry, _)| (*due, *entry));
                    for (_, _, d) in &debits {
                        let paid = credit.min(d.amount);
                        credit -= paid;
                        let left = d.amount - paid;
                        if left > 0 {
                            out.residuals.push(Line { amount: left, ..*d });
                        }
                    }
                    leftover = -credit;
                }
                out.groups.push(Group {
                    lines: start..to_u32(out.lines.len())?,
                    complete_on,
                    nets_to_zero: sum == 0,
                    residuals: residual_start..to_u32(out.residuals.len())?,
                    leftover,
                });
            }
            out.customers.push(Span {
                loose,
                groups: groups_start..to_u32(out.groups.len())?,
            });
        }
        Some(out)
    }

    fn age<'a>(
        &self,
        ledger: &'a [CustomerLedger],
        buckets: &Buckets,
        basis: AgeBasis,
        as_of: NaiveDate,
        digits: u32,
    ) -> AgedTotals<'a> {
        let at = day(as_of);
        let n = buckets.len();
        let mut totals = vec![0i64; n];
        let (mut balance, mut unapplied) = (0i64, 0i64);
        let mut rows = Vec::new();
        let mut row = vec![0i64; n];
        let money = |m: i64| from_minor(m, digits);
        for (c, span) in ledger.iter().zip(&self.customers) {
            row.fill(0);
            let mut acc = Position {
                row: &mut row,
                buckets,
                basis,
                at,
                credit: 0,
                open: 0,
                oldest: i32::MAX,
            };
            for g in &self.groups[span.groups.start as usize..span.groups.end as usize] {
                if g.complete_on <= at {
                    if !g.nets_to_zero {
                        for r in &self.residuals[g.residuals.start as usize..g.residuals.end as usize] {
                            acc.open_item(r, r.amount);
                        }
                        acc.credit += g.leftover;
                    }
                } else {
                    // Not lettered yet at the date: its lines count one by one.
                    for l in &self.lines[g.lines.start as usize..g.lines.end as usize] {
                        if l.entry <= at {
                            acc.unlettered(l);
                        }
                    }
                }
            }
            for l in &self.lines[span.loose.start as usize..span.loose.end as usize] {
                if l.entry > at {
                    break;
                }
                acc.unlettered(l);
            }
            let Position {
                credit, open, oldest, ..
            } = acc;
            if open == 0 && credit == 0 {
                continue;
            }
            let open_sum: i64 = row.iter().sum();
            for (t, v) in totals.iter_mut().zip(&row) {
                *t += v;
            }
            balance += open_sum + credit;
            unapplied += credit;
            rows.push(AgedRow {
                customer: &c.customer,
                balance: money(open_sum + credit),
                unapplied: money(credit),
                buckets: row.iter().map(|&m| money(m)).collect(),
                max_days_late: if open == 0 { 0 } else { i64::from(at - oldest) },
            });
        }
        rows.sort_by(|a, b| a.customer.key.cmp(&b.customer.key));
        AgedTotals {
            as_of,
            labels: buckets.labels(),
            customers: rows,
            balance: money(balance),
            unapplied: money(unapplied),
            buckets: totals.into_iter().map(money).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The compact ageing gives exactly the analytics' aged balance (customers, sums, oldest item).
    fn assert_same(ledger: &[CustomerLedger], terms: Terms, as_of: NaiveDate) {
        let compact = Compact::build(ledger, terms, 2).expect("amounts in cents");
        for buckets in [
            Buckets::default(),
            Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap(),
        ] {
            for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                let fast = compact.age(ledger, &buckets, basis, as_of, 2);
                let slow = aged_balance_by(
                    ledger.iter().map(|c| (&c.customer, c.lines.as_slice())),
                    terms,
                    &buckets,
                    basis,
                    as_of,
                );
                let want = AgedTotals::from_positions(ledger, &slow);
                let what = format!("as of {as_of}, {basis:?}, {:?}", buckets.limits());
                assert_eq!(fast.labels, want.labels, "{what}");
                assert_eq!(fast.balance, want.balance, "{what}");
                assert_eq!(fast.unapplied, want.unapplied, "{what}");
                assert_eq!(fast.buckets, want.buckets, "{what}");
                assert_eq!(fast.customers.len(), want.customers.len(), "{what}");
                for (a, b) in fast.customers.iter().zip(&want.customers) {
                    assert_eq!(a.customer.key, b.customer.key, "{what}");
                    assert_eq!(
                        (a.balance, a.unapplied, &a.buckets, a.max_days_late),
                        (b.balance, b.unapplied, &b.buckets, b.max_days_late),
                        "{what}, customer {}",
                        a.customer.key
                    );
                }
            }
        }
    }

    fn by_customer(customers: Vec<Customer>, lines: &[LedgerLine]) -> Vec<CustomerLedger> {
        customers
            .into_iter()
            .map(|customer| CustomerLedger {
                lines: lines
                    .iter()
                    .filter(|l| l.customer_key == customer.key)
                    .cloned()
                    .collect(),
                customer,
            })
            .collect()
    }

    #[test]
    fn compact_ageing_equals_the_analytics_on_the_demo_book() {
        let end = d("2026-11-26");
        let book = encaisse_demo::generate(5, 120, end);
        let ledger = by_customer(book.customers, &book.lines);
        let mut date = book.start - Days::new(1);
        while date <= end + Days::new(40) {
            assert_same(&ledger, Terms::Net(30), date);
            date = date + Days::new(9);
        }
        assert_same(&ledger, Terms::DaysEndOfMonth(45), end);
    }

    #[test]
    fn compact_ageing_equals_the_analytics_on_lettering_edge_cases() {
        let line =
            |key: &str, date: &str, piece: &str, amount, letter: Option<&str>, lettered: Option<&str>| {
                LedgerLine {
                    customer_key: key.into(),
                    journal: "VE".into(),
                    entry_num: piece.into(),
                    entry_date: d(date),
                    piece_ref: piece.into(),
                    piece_date: None,
                    label: String::new(),
                    amount,
                    letter: letter.map(Into::into),
                    letter_date: lettered.map(d),
                    due_date: None,
                }
            };
        let mut own_terms = Customer::new("C3", "Own terms");
        own_terms.terms = Some(Terms::EndOfMonthPlus(10));
        let customers = vec![
            Customer::new("C1", "Partial"),
            Customer::new("C2", "Unapplied"),
            own_terms,
            Customer::new("C4", "Nothing"),
        ];
        let mut due = line("C3", "2026-01-03", "F9", dec!(90), None, None);
        due.due_date = Some(d("2026-01-04"));
        let mut dated = line("C3", "2026-01-31", "F10", dec!(10), None, None);
        dated.piece_date = Some(d("2026-01-10"));
        let lines = [
            // Partial group: 350 pays F1 (due first) then 150 of F2; lettered on 02-15.
            line("C1", "2026-01-05", "F1", dec!(200), Some("B"), Some("2026-02-15")),
            line("C1", "2026-01-20", "F2", dec!(300), Some("B"), Some("2026-02-15")),
            line(
                "C1",
                "2026-02-15",
                "R1",
                dec!(-350),
                Some(" B "),
                Some("2026-02-15"),
            ),
            // Lettered after its last line: unlettered until 03-10.
            line("C1", "2026-02-01", "F3", dec!(100), Some("A"), Some("2026-03-10")),
            line(
                "C1",
                "2026-02-20",
                "R2",
                dec!(-100),
                Some("A"),
                Some("2026-03-10"),
            ),
            // A code of blanks is no code; a group with no lettering date counts from its last line.
            line("C1", "2026-02-02", "F4", dec!(40), Some("  "), None),
            line("C1", "2026-01-10", "F5", dec!(60), Some("C"), None),
            line("C1", "2026-04-01", "R3", dec!(-60), Some("C"), None),
            // Over-paid group and loose credits.
            line("C2", "2026-01-05", "F6", dec!(200), Some("D"), Some("2026-02-15")),
            line(
                "C2",
                "2026-02-15",
                "R4",
                dec!(-250),
                Some("D"),
                Some("2026-02-15"),
            ),
            line("C2", "2026-02-16", "AV1", dec!(-30), None, None),
            line("C2", "2026-02-17", "Z", dec!(0), None, None),
            // Customer terms, an explicit due date, a piece date.
            due,
            dated,
            line("C3", "2026-02-28", "F11", dec!(0.01), None, None),
        ];
        let ledger = by_customer(customers, &lines);
        let mut date = d("2025-12-30");
        while date <= d("2026-07-01") {
            assert_same(&ledger, Terms::Net(30), date);
            date = date + Days::new(1);
        }
    }
}
