//! The aged balance over a compact form of a ledger, for a ledger aged at many dates: amounts as integer minor
//! units, dates as day numbers, the lettering groups resolved once (their span of dates, whether they net to zero,
//! and for those that do not, the residuals left once their credits paid their debits, earliest due first). Ageing
//! at a date then only walks groups and unlettered lines with integer sums, and gives exactly what
//! [`crate::aged_balance_by`] gives (tested against it here, and on a demo book by the app).

use crate::{AgeBasis, Buckets};
use chrono::{Datelike, NaiveDate};
use encaisse_domain::money::{from_minor, to_minor};
use encaisse_domain::{Customer, LedgerLine, Terms};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

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

/// A ledger in compact form, built once and aged at any number of dates.
#[derive(Debug, Default)]
pub struct CompactLedger {
    /// The customers' indices (their order in the ledger given to `build`), by key: the order of the rows.
    order: Vec<u32>,
    customers: Vec<Span>,
    lines: Vec<Line>,
    groups: Vec<Group>,
    residuals: Vec<Line>,
    /// Per line of `lines`, then of `residuals`: the index of its ledger line in its customer's lines.
    line_index: Vec<u32>,
    residual_index: Vec<u32>,
    /// The currency's minor digits: amounts are integers of 10^-digits.
    digits: u32,
    /// Built on first use: the sum of every line by entry day, running (the balance at any date).
    running: OnceLock<Vec<(i32, i64)>>,
}

/// One open item at a date, from [`CompactLedger::open_items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactItem {
    /// The index of the invoice's line in its customer's lines (as `OpenItem::line`).
    pub line: usize,
    /// The due date, as a day number ([`day`]).
    pub due: i32,
    /// What is left to pay, in minor units.
    pub residual: i64,
    /// The order `crate::position` lists the item in before sorting its items by due date and piece: first the
    /// residuals of the lettered groups, then the unlettered lines, then the lines of groups not lettered yet.
    pub rank: (u8, u32),
}

/// An aged balance without the open items: the totals per customer and overall.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactAged {
    pub as_of: NaiveDate,
    pub labels: Vec<String>,
    /// Customers with an open item or an unapplied credit, by key.
    pub customers: Vec<CompactRow>,
    pub balance: Decimal,
    pub unapplied: Decimal,
    pub buckets: Vec<Decimal>,
}

/// One customer's totals at the date.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactRow {
    /// The customer's index in the ledger given to [`CompactLedger::build`].
    pub customer: usize,
    pub balance: Decimal,
    pub unapplied: Decimal,
    pub buckets: Vec<Decimal>,
    /// Days past due of the oldest open item (0 when none is late or there is none).
    pub max_days_late: i64,
}

/// A date as the day number the compact forms use.
pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok()
}

impl CompactLedger {
    /// The compact form of a ledger (customers with their lines, by entry date), or None when an amount does not
    /// fit the currency's minor unit or the ledger is too large for 32-bit indices: age the lines themselves then.
    pub fn build<'a>(
        ledger: impl IntoIterator<Item = (&'a Customer, &'a [LedgerLine])>,
        default_terms: Terms,
        digits: u32,
    ) -> Option<CompactLedger> {
        let mut out = CompactLedger {
            digits,
            ..CompactLedger::default()
        };
        let mut keys: Vec<&str> = Vec::new();
        let mut debits: Vec<(i32, i32, Line, u32)> = Vec::new();
        for (customer, lines) in ledger {
            keys.push(customer.key.as_str());
            let terms = customer.terms.unwrap_or(default_terms);
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
            let mut groups: BTreeMap<&str, Vec<(u32, &LedgerLine)>> = BTreeMap::new();
            let loose_start = to_u32(out.lines.len())?;
            for (i, l) in lines.iter().enumerate() {
                let i = to_u32(i)?;
                match l.letter.as_deref().map(str::trim) {
                    Some(code) if !code.is_empty() => groups.entry(code).or_default().push((i, l)),
                    _ => {
                        out.lines.push(line(l)?);
                        out.line_index.push(i);
                    }
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
                for &(i, l) in members {
                    let cl = line(l)?;
                    out.lines.push(cl);
                    out.line_index.push(i);
                    complete_on = complete_on.max(cl.entry).max(l.letter_date.map_or(cl.entry, day));
                    sum = sum.checked_add(cl.amount)?;
                    if cl.amount > 0 {
                        debits.push((cl.due, cl.entry, cl, i));
                    } else {
                        credit = credit.checked_sub(cl.amount)?;
                    }
                }
                let residual_start = to_u32(out.residuals.len())?;
                let mut leftover = 0;
                if sum != 0 {
                    // The credits pay the debits, earliest due date (then entry date) first.
                    debits.sort_by_key(|(due, entry, _, _)| (*due, *entry));
                    for (_, _, d, i) in &debits {
                        let paid = credit.min(d.amount);
                        credit -= paid;
                        let left = d.amount - paid;
                        if left > 0 {
                            out.residuals.push(Line { amount: left, ..*d });
                            out.residual_index.push(*i);
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
        let mut order: Vec<u32> = (0..to_u32(keys.len())?).collect();
        order.sort_by_key(|&i| keys[i as usize]);
        out.order = order;
        Some(out)
    }

    /// The currency's minor digits of the amounts.
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// The number of customers (their indices are those of the ledger given to `build`).
    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    /// The aged balance's balance at `as_of` (open items and unapplied credits): every line entered by then, summed
    /// (a lettered group's residuals and leftover credit sum to its lines), so one search in running totals.
    pub fn balance(&self, as_of: NaiveDate) -> Decimal {
        let running = self.running.get_or_init(|| {
            let mut days: Vec<(i32, i64)> = self.lines.iter().map(|l| (l.entry, l.amount)).collect();
            days.sort_unstable_by_key(|(d, _)| *d);
            let mut out: Vec<(i32, i64)> = Vec::new();
            let mut sum = 0i64;
            for (d, a) in days {
                sum += a;
                match out.last_mut() {
                    Some(last) if last.0 == d => last.1 = sum,
                    _ => out.push((d, sum)),
                }
            }
            out
        });
        let at = day(as_of);
        let n = running.partition_point(|(d, _)| *d <= at);
        from_minor(n.checked_sub(1).map_or(0, |i| running[i].1), self.digits)
    }

    /// The open items not yet due at `as_of` (due on or after it), summed: the first bucket of the aged balance by
    /// due date.
    pub fn not_yet_due(&self, as_of: NaiveDate) -> Decimal {
        let at = day(as_of);
        let mut sum = 0i64;
        for span in &self.customers {
            for g in &self.groups[span.groups.start as usize..span.groups.end as usize] {
                if g.complete_on <= at {
                    if !g.nets_to_zero {
                        for r in &self.residuals[g.residuals.start as usize..g.residuals.end as usize] {
                            if r.due >= at {
                                sum += r.amount;
                            }
                        }
                    }
                } else {
                    for l in &self.lines[g.lines.start as usize..g.lines.end as usize] {
                        if l.entry <= at && l.amount > 0 && l.due >= at {
                            sum += l.amount;
                        }
                    }
                }
            }
            for l in &self.lines[span.loose.start as usize..span.loose.end as usize] {
                if l.entry > at {
                    break;
                }
                if l.amount > 0 && l.due >= at {
                    sum += l.amount;
                }
            }
        }
        from_minor(sum, self.digits)
    }

    /// Each open item of `customer` at `as_of`, as `crate::position` finds them (see [`CompactItem::rank`] for
    /// their order).
    pub fn open_items(&self, customer: usize, as_of: NaiveDate, mut f: impl FnMut(CompactItem)) {
        let at = day(as_of);
        let span = &self.customers[customer];
        let (mut settled, mut late) = (0u32, 0u32);
        for g in span.groups.start as usize..span.groups.end as usize {
            let g = &self.groups[g];
            if g.complete_on <= at {
                if !g.nets_to_zero {
                    for r in g.residuals.start as usize..g.residuals.end as usize {
                        f(CompactItem {
                            line: self.residual_index[r] as usize,
                            due: self.residuals[r].due,
                            residual: self.residuals[r].amount,
                            rank: (0, settled),
                        });
                        settled += 1;
                    }
                }
            } else {
                for i in g.lines.start as usize..g.lines.end as usize {
                    let l = &self.lines[i];
                    if l.entry <= at && l.amount > 0 {
                        f(CompactItem {
                            line: self.line_index[i] as usize,
                            due: l.due,
                            residual: l.amount,
                            rank: (2, late),
                        });
                        late += 1;
                    }
                }
            }
        }
        for i in span.loose.start as usize..span.loose.end as usize {
            let l = &self.lines[i];
            if l.entry > at {
                break;
            }
            if l.amount > 0 {
                f(CompactItem {
                    line: self.line_index[i] as usize,
                    due: l.due,
                    residual: l.amount,
                    rank: (1, u32::try_from(i).unwrap_or(u32::MAX)),
                });
            }
        }
    }

    /// The aged balance at `as_of`: exactly what [`crate::aged_balance_by`] gives, summed per customer.
    pub fn age(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> CompactAged {
        let digits = self.digits;
        let at = day(as_of);
        let n = buckets.len();
        let mut totals = vec![0i64; n];
        let (mut balance, mut unapplied) = (0i64, 0i64);
        let mut rows = Vec::new();
        let mut row = vec![0i64; n];
        let money = |m: i64| from_minor(m, digits);
        for &customer in &self.order {
            let span = &self.customers[customer as usize];
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
            rows.push(CompactRow {
                customer: customer as usize,
                balance: money(open_sum + credit),
                unapplied: money(credit),
                buckets: row.iter().map(|&m| money(m)).collect(),
                max_days_late: if open == 0 { 0 } else { i64::from(at - oldest) },
            });
        }
        CompactAged {
            as_of,
            labels: buckets.labels(),
            customers: rows,
            balance: money(balance),
            unapplied: money(unapplied),
            buckets: totals.into_iter().map(money).collect(),
        }
    }
}

/// The version of [`CompactLedger::to_bytes`]' layout: a form written by another version is not read.
pub const FORM_VERSION: u32 = 1;

/// Little-endian writing of the compact form ([`CompactLedger::to_bytes`]).
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn range(&mut self, r: &Range<u32>) {
        self.u32(r.start);
        self.u32(r.end);
    }
    fn line(&mut self, l: &Line) {
        self.i64(l.amount);
        self.i32(l.entry);
        self.i32(l.due);
        self.i32(l.doc);
    }
}

/// Reading what [`Writer`] wrote: None past the end.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn i32(&mut self) -> Option<i32> {
        self.take().map(i32::from_le_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take().map(i64::from_le_bytes)
    }
    /// A count of items of at least `size` bytes each: never more than the bytes left can hold.
    fn len(&mut self, size: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(size)? <= self.0.len()).then_some(n)
    }
    fn range(&mut self, within: usize) -> Option<Range<u32>> {
        let (start, end) = (self.u32()?, self.u32()?);
        (start <= end && end as usize <= within).then_some(start..end)
    }
    fn line(&mut self) -> Option<Line> {
        Some(Line {
            amount: self.i64()?,
            entry: self.i32()?,
            due: self.i32()?,
            doc: self.i32()?,
        })
    }
    fn vec<T>(&mut self, size: usize, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len(size)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Some(out)
    }
}

impl CompactLedger {
    /// The form as bytes (layout [`FORM_VERSION`]), to be kept and read back by [`CompactLedger::from_bytes`]
    /// instead of being built again from the lines.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            16 + self.order.len() * 4
                + self.customers.len() * 16
                + (self.lines.len() + self.residuals.len()) * 24
                + self.groups.len() * 33,
        ));
        w.u32(self.digits);
        w.len(self.order.len());
        self.order.iter().for_each(|&o| w.u32(o));
        w.len(self.customers.len());
        for s in &self.customers {
            w.range(&s.loose);
            w.range(&s.groups);
        }
        w.len(self.lines.len());
        self.lines.iter().for_each(|l| w.line(l));
        w.len(self.groups.len());
        for g in &self.groups {
            w.range(&g.lines);
            w.i32(g.complete_on);
            w.0.push(u8::from(g.nets_to_zero));
            w.range(&g.residuals);
            w.i64(g.leftover);
        }
        w.len(self.residuals.len());
        self.residuals.iter().for_each(|l| w.line(l));
        w.len(self.line_index.len());
        self.line_index.iter().for_each(|&i| w.u32(i));
        w.len(self.residual_index.len());
        self.residual_index.iter().for_each(|&i| w.u32(i));
        w.0
    }

    /// A form written by [`CompactLedger::to_bytes`] (same [`FORM_VERSION`]); None when the bytes are not one
    /// (cut, or an index out of its table: every range is checked, so ageing it cannot go out of bounds).
    pub fn from_bytes(bytes: &[u8]) -> Option<CompactLedger> {
        let mut r = Reader(bytes);
        let digits = r.u32()?;
        let order = r.vec(4, Reader::u32)?;
        // Ranges are checked against the tables once all are read.
        let customers = r.vec(16, |r| {
            Some(Span {
                loose: r.range(u32::MAX as usize)?,
                groups: r.range(u32::MAX as usize)?,
            })
        })?;
        let lines = r.vec(20, Reader::line)?;
        let groups = r.vec(29, |r| {
            Some(Group {
                lines: r.range(u32::MAX as usize)?,
                complete_on: r.i32()?,
                nets_to_zero: match r.take::<1>()? {
                    [0] => false,
                    [1] => true,
                    _ => return None,
                },
                residuals: r.range(u32::MAX as usize)?,
                leftover: r.i64()?,
            })
        })?;
        let residuals = r.vec(20, Reader::line)?;
        let line_index = r.vec(4, Reader::u32)?;
        let residual_index = r.vec(4, Reader::u32)?;
        let fits = |range: &Range<u32>, len: usize| range.end as usize <= len;
        let valid = r.0.is_empty()
            && order.len() == customers.len()
            && order.iter().all(|&o| (o as usize) < customers.len())
            && customers
                .iter()
                .all(|s| fits(&s.loose, lines.len()) && fits(&s.groups, groups.len()))
            && groups
                .iter()
                .all(|g| fits(&g.lines, lines.len()) && fits(&g.residuals, residuals.len()))
            && line_index.len() == lines.len()
            && residual_index.len() == residuals.len();
        valid.then_some(CompactLedger {
            order,
            customers,
            lines,
            groups,
            residuals,
            line_index,
            residual_index,
            digits,
            running: OnceLock::new(),
        })
    }
}

impl CompactRow {
    pub fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }
}

impl CompactAged {
    pub fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aged_balance_by;
    use chrono::Days;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The compact ageing gives exactly the analytics' aged balance (customers, sums, oldest item).
    fn assert_same(ledger: &[(Customer, Vec<LedgerLine>)], terms: Terms, as_of: NaiveDate) {
        let pairs = || ledger.iter().map(|(c, l)| (c, l.as_slice()));
        let compact = CompactLedger::build(pairs(), terms, 2).expect("amounts in cents");
        for buckets in [
            Buckets::default(),
            Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap(),
        ] {
            for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                let fast = compact.age(&buckets, basis, as_of);
                let want = aged_balance_by(pairs(), terms, &buckets, basis, as_of);
                let what = format!("as of {as_of}, {basis:?}, {:?}", buckets.limits());
                assert_eq!(fast.labels, want.labels, "{what}");
                assert_eq!(fast.balance, want.balance, "{what}");
                assert_eq!(fast.unapplied, want.unapplied, "{what}");
                assert_eq!(fast.buckets, want.buckets, "{what}");
                assert_eq!(fast.customers.len(), want.customers.len(), "{what}");
                for (a, b) in fast.customers.iter().zip(&want.customers) {
                    let key = &ledger[a.customer].0.key;
                    assert_eq!(key, &b.key, "{what}");
                    let max_days_late = b
                        .position
                        .open_items
                        .iter()
                        .map(|i| (as_of - i.due_date).num_days())
                        .max()
                        .unwrap_or(0);
                    assert_eq!(
                        (a.balance, a.unapplied, &a.buckets, a.max_days_late),
                        (b.balance, b.unapplied, &b.buckets, max_days_late),
                        "{what}, customer {key}"
                    );
                }
            }
        }
    }

    fn by_customer(customers: Vec<Customer>, lines: &[LedgerLine]) -> Vec<(Customer, Vec<LedgerLine>)> {
        customers
            .into_iter()
            .map(|customer| {
                let lines = lines
                    .iter()
                    .filter(|l| l.customer_key == customer.key)
                    .cloned()
                    .collect();
                (customer, lines)
            })
            .collect()
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
