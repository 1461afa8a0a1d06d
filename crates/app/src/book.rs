//! The book: every fiscal year's ledger, read from the store once (one table scan), then shared by every report
//! and use case that reads the ledger (reports, the workflow's promises and agenda, mail's thank-you and daily
//! report) until the ledger can have changed. This is the app's one ledger loader.
//!
//! Staleness is decided by a stamp the store gives cheaply at each report:
//! - an in-process generation, bumped by every App method that writes customers or ledger lines (imports, demo,
//!   customer updates, e-invoices) after it wrote — [`App::ledger_changed`];
//! - SQLite's `PRAGMA data_version` on the App's connection, which changes when another connection (the desktop and
//!   the CLI share a file, or a second App in one process) committed anything;
//! - the default payment terms setting, which the due dates below depend on.
//!
//! Unless the App reads the ledger only ([`App::set_ledger_only`]), the book holds the provisional receipts of the
//! bank statements: each entry matched to invoices or booked on account, not yet shown by the FEC, added to its
//! customer's lines by `encaisse_analytics::provisional` (reconciled with the FEC: lettered invoice, or a payment of
//! the amount within 10 days), and the e-invoicing platform's 212 Encaissée for what no bank entry pays of its
//! invoice. The two books are cached apart; a bank import or decision and a statuses import call
//! [`App::ledger_changed`] like a ledger import does.
//!
//! For the aged balance, the forecast and the DSO set, each year's ledger is also kept in the compact form of
//! `encaisse_analytics::compact_aging`, built once from the cached lines on first use, and every year's paid
//! invoices in minor units ([`PaidIndex`]: the forecast's habits, the DSO set's days late).
//!
//! The customers report (the Clients screen, the dashboard's alerts) also reads the workflow's records and the
//! categories, which the stamp above does not follow: it is kept with the book under a [`ReportStamp`] of its own
//! (the as-of date, `data_version` and the connection's `total_changes`, which moves on every write of this App).

use crate::reports::CustomersReport;
use crate::{App, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::compact_aging::{CompactAged, CompactLedger, FORM_VERSION};
use encaisse_analytics::compact_forecast::{Lateness, PaidRow};
use encaisse_analytics::dso::{dso_indexed, SalesIndex};
use encaisse_analytics::provisional::{with_receipts, Receipt};
use encaisse_analytics::settlement::{paid_invoices, PaidInvoice};
use encaisse_analytics::{
    aged_balance_by, aged_balance_of, aged_customer, AgeBasis, AgedBalance, Buckets, Dso,
};
use encaisse_domain::cores;
use encaisse_domain::{Customer, Terms};
use encaisse_store::ledger_form::{LedgerForm, SALES_PART};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Default)]
pub(crate) struct LedgerCache {
    generation: AtomicU64,
    /// The book with the provisional receipts, and the FEC's alone.
    slot: Mutex<Option<(Stamp, Arc<Loaded>)>>,
    ledger_only: Mutex<Option<(Stamp, Arc<Loaded>)>>,
    /// The kept forms read from the database (see [`Light`]): for the book with the receipts when there were
    /// none at the stamp, and for the FEC's alone.
    light: Mutex<Option<(Stamp, Arc<Light>)>>,
    light_ledger_only: Mutex<Option<(Stamp, Arc<Light>)>>,
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
    compact: Vec<OnceLock<Option<CompactLedger>>>,
    /// Every year's paid invoices in minor units, by customer key (built on first use; None when an amount does
    /// not fit the minor unit): the habits of the forecast and the days late of the DSO set.
    paid_rows: OnceLock<Option<PaidIndex>>,
    /// The customers report last computed from this book, with the date and store stamp it was computed at: it
    /// also reads the workflow's records (promises, disputes, actions) and the categories, which the book's stamp
    /// does not follow. Dropped with the book.
    customers: Mutex<Option<(ReportStamp, Arc<CustomersReport>)>>,
}

/// What a report computed from the book and the store's other tables was computed at: the as-of date, and the
/// store's write stamp (the other connections' commits, this connection's changed rows), read before the report's
/// own reads, so that a write that lands during them makes the next call compute again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReportStamp {
    as_of: NaiveDate,
    data_version: i64,
    changes: u64,
}

impl ReportStamp {
    pub(crate) fn read(store: &Store, as_of: NaiveDate) -> AppResult<ReportStamp> {
        let (data_version, changes) = store.write_stamp()?;
        Ok(ReportStamp {
            as_of,
            data_version,
            changes,
        })
    }
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
        *self.ledger.ledger_only.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.ledger.light.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self
            .ledger
            .light_ledger_only
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Whether the reports read the FEC alone (true) or with the bank's provisional receipts (false, the default).
    /// The CLI's `--ledger-only`, the app's "ledger only" view.
    pub fn set_ledger_only(&self, ledger_only: bool) {
        self.ledger_only.store(ledger_only, Ordering::SeqCst);
    }

    pub fn is_ledger_only(&self) -> bool {
        self.ledger_only.load(Ordering::SeqCst)
    }

    /// The book every report reads: with the provisional receipts unless the App reads the ledger only.
    pub(crate) fn book(&self, store: &Store) -> AppResult<Arc<Loaded>> {
        self.book_of(store, self.is_ledger_only())
    }

    /// The FEC alone, whatever the App's view: the statutory and period figures (DSO, D441-6) and the bank
    /// matching (which subtracts matched entries itself).
    pub(crate) fn ledger_book(&self, store: &Store) -> AppResult<Arc<Loaded>> {
        self.book_of(store, true)
    }

    /// For a method about to write customers or ledger lines while holding the store: declared after the store's
    /// guard, it is dropped before it (whatever way the method returns), so the cache is told once the write is
    /// over and before another caller can read.
    pub(crate) fn ledger_write(&self) -> LedgerWrite<'_> {
        LedgerWrite(self)
    }

    fn stamp(&self, store: &Store) -> AppResult<Stamp> {
        Ok(Stamp {
            data_version: store.data_version()?,
            generation: self.ledger.generation.load(Ordering::SeqCst),
            terms: App::default_terms(store)?,
        })
    }

    /// The cached book, if it is still the database's.
    fn cached_book(&self, stamp: Stamp, ledger_only: bool) -> Option<Arc<Loaded>> {
        let slot = if ledger_only {
            &self.ledger.ledger_only
        } else {
            &self.ledger.slot
        };
        let slot = slot.lock().unwrap_or_else(|p| p.into_inner());
        slot.as_ref()
            .filter(|(s, _)| *s == stamp)
            .map(|(_, loaded)| Arc::clone(loaded))
    }

    /// A book from the cache when it is still the database's.
    fn book_of(&self, store: &Store, ledger_only: bool) -> AppResult<Arc<Loaded>> {
        let stamp = self.stamp(store)?;
        let slot = if ledger_only {
            &self.ledger.ledger_only
        } else {
            &self.ledger.slot
        };
        let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, loaded)) = slot.as_ref() {
            if *s == stamp {
                return Ok(Arc::clone(loaded));
            }
        }
        *slot = None; // free the old book before reading the new one
        let mut book = Book::load(store)?;
        let receipts = if ledger_only {
            HashMap::new()
        } else {
            Book::receipts(store)?
        };
        let plain = receipts.is_empty();
        book.add_receipts(receipts);
        let loaded = Arc::new(Loaded {
            compact: (0..=book.ledgers.len()).map(|_| OnceLock::new()).collect(),
            paid_rows: OnceLock::new(),
            customers: Mutex::new(None),
            digits: store.currency()?.minor_digits(),
            book,
        });
        if plain {
            // The FEC's lines alone: what the kept forms hold, for the next process.
            loaded.keep_forms(store, stamp)?;
        }
        *slot = Some((stamp, Arc::clone(&loaded)));
        Ok(loaded)
    }

    /// What the aged balance and the DSO read, in the App's view: the cached book when it is fresh, else the
    /// forms kept in the database ([`Light`]: no line read) when they are the database's, else the book, loaded.
    pub(crate) fn ageing(&self, store: &Store) -> AppResult<Ageing> {
        self.ageing_of(store, self.is_ledger_only())
    }

    /// [`App::ageing`] of the FEC alone (see [`App::ledger_book`]).
    pub(crate) fn ledger_ageing(&self, store: &Store) -> AppResult<Ageing> {
        self.ageing_of(store, true)
    }

    fn ageing_of(&self, store: &Store, ledger_only: bool) -> AppResult<Ageing> {
        let stamp = self.stamp(store)?;
        if let Some(loaded) = self.cached_book(stamp, ledger_only) {
            return Ok(Ageing::Full(loaded));
        }
        let slot = if ledger_only {
            &self.ledger.light_ledger_only
        } else {
            &self.ledger.light
        };
        let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, light)) = slot.as_ref() {
            if *s == stamp {
                return Ok(Ageing::Light(Arc::clone(light)));
            }
        }
        *slot = None;
        // The kept forms are the FEC's alone: with receipts to add, the book is read.
        if ledger_only || Book::receipts(store)?.is_empty() {
            if let Some(light) = Light::read(store, stamp)? {
                let light = Arc::new(light);
                *slot = Some((stamp, Arc::clone(&light)));
                drop(slot);
                if !ledger_only {
                    // Also the FEC's alone (the dashboard asks for both views).
                    *self
                        .ledger
                        .light_ledger_only
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()) = Some((stamp, Arc::clone(&light)));
                }
                return Ok(Ageing::Light(light));
            }
        }
        drop(slot);
        Ok(Ageing::Full(self.book_of(store, ledger_only)?))
    }
}

/// What the kept forms were built with besides the lines and customers: the layout's version, the default terms
/// (the due dates of lines without one) and the currency's minor digits.
fn built_with(terms: Terms, digits: u32) -> String {
    format!("compact form {FORM_VERSION}; default terms {terms}; minor digits {digits}")
}

/// The index of the ledger in force at `as_of` among a book's ledgers then its whole one (see [`Book::at`]).
fn ledger_at(years: &[NaiveDate], as_of: NaiveDate) -> usize {
    if years.is_empty() {
        return 0;
    }
    match years.iter().rposition(|y| *y <= as_of) {
        Some(i) => i,
        None if years.len() > 1 => years.len(),
        None => 0,
    }
}

/// The aged balance and the DSO without the lines: the compact form of each ledger and the sales index, as kept
/// in the database by the process that last read the lines (`Store::ledger_forms`), with the customers. What a new
/// process reads first: a few megabytes instead of every line.
pub(crate) struct Light {
    years: Vec<NaiveDate>,
    customers: Vec<Customer>,
    /// One per ledger of the book, then its whole one (as `Loaded::compact`).
    compact: Vec<CompactLedger>,
    sales: SalesIndex,
}

impl Light {
    /// The kept forms when they are the database's lines and customers at `stamp` (None: not kept, kept with
    /// other terms, digits or layout, unreadable, or another connection committed since the stamp was read).
    fn read(store: &Store, stamp: Stamp) -> AppResult<Option<Light>> {
        let digits = store.currency()?.minor_digits();
        let forms = store.ledger_forms()?;
        let with = built_with(stamp.terms, digits);
        if forms.is_empty() || forms.iter().any(|f| f.built_with != with) {
            return Ok(None);
        }
        let Some((sales, ledgers)) = forms.split_first().filter(|(s, _)| s.part == SALES_PART) else {
            return Ok(None);
        };
        let years: Vec<NaiveDate> = ledgers.iter().filter_map(|f| f.fiscal_year).collect();
        let parts = match years.len() {
            0 | 1 => 1,
            n => n + 1,
        };
        let in_order = ledgers.len() == parts
            && ledgers.iter().enumerate().all(|(i, f)| {
                f.part == i as i64 && (f.fiscal_year == years.get(i).copied() || years.is_empty())
            })
            && years.windows(2).all(|w| w[0] < w[1]);
        if !in_order {
            return Ok(None);
        }
        let customers = store.customers()?;
        let mut compact = Vec::with_capacity(parts);
        for f in ledgers {
            match CompactLedger::from_bytes(&f.data) {
                Some(c) if c.customers() == customers.len() && c.digits() == digits => compact.push(c),
                _ => return Ok(None),
            }
        }
        let Some(sales) = SalesIndex::from_bytes(&sales.data) else {
            return Ok(None);
        };
        if store.data_version()? != stamp.data_version {
            return Ok(None); // the forms and the customers may be of two states of the file
        }
        Ok(Some(Light {
            years,
            customers,
            compact,
            sales,
        }))
    }
}

/// What the aged balance and the DSO read ([`App::ageing`]).
pub(crate) enum Ageing {
    Full(Arc<Loaded>),
    Light(Arc<Light>),
}

impl Ageing {
    /// The aged balance at `as_of`, as [`Loaded::aged_totals`].
    pub(crate) fn aged_totals(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> AgedTotals<'_> {
        match self {
            Ageing::Full(loaded) => loaded.aged_totals(buckets, basis, as_of),
            Ageing::Light(light) => {
                let compact = &light.compact[ledger_at(&light.years, as_of)];
                AgedTotals::from_compact(|i| &light.customers[i], compact.age(buckets, basis, as_of))
            }
        }
    }

    /// The DSO at `as_of` over `period` days, as [`Book::dso`].
    pub(crate) fn dso(&self, receivables: Decimal, as_of: NaiveDate, period: u32) -> Dso {
        match self {
            Ageing::Full(loaded) => loaded.dso(receivables, as_of, period),
            Ageing::Light(light) => dso_indexed(&light.sales, receivables, as_of, period),
        }
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
    /// Keeps this book's compact forms and sales index in the database for the next process, unless the ones kept
    /// are already them, or another connection committed since the book was read (`stamp`), or a ledger has no
    /// compact form (an amount finer than the currency's minor unit).
    fn keep_forms(&self, store: &Store, stamp: Stamp) -> AppResult<()> {
        let with = built_with(self.book.terms, self.digits);
        let parts = self.compact.len() - usize::from(self.book.all.is_none());
        let kept = store.ledger_forms_built_with()?;
        let all_kept = kept.len() == parts + 1
            && kept
                .iter()
                .zip(std::iter::once(SALES_PART).chain(0..))
                .all(|((part, w), want)| *part == want && *w == with);
        if all_kept {
            return Ok(());
        }
        let mut forms = vec![LedgerForm {
            part: SALES_PART,
            fiscal_year: None,
            built_with: with.clone(),
            data: self.book.sales().to_bytes(),
        }];
        for i in 0..parts {
            let ledger = match self.book.ledgers.get(i) {
                Some(l) => l.as_slice(),
                None => self.book.whole(),
            };
            let Some(compact) = self.compact(ledger) else {
                return Ok(());
            };
            forms.push(LedgerForm {
                part: i as i64,
                fiscal_year: self.book.years.get(i).copied(),
                built_with: with.clone(),
                data: compact.to_bytes(),
            });
        }
        store.save_ledger_forms(stamp.data_version, &forms)?;
        Ok(())
    }

    /// The customers report computed at `stamp`, or `compute`'s (then kept for the next call at the same stamp).
    /// The caller holds the store from the stamp's reading to the end, so nothing of this App writes between.
    pub(crate) fn customers_report(
        &self,
        stamp: ReportStamp,
        compute: impl FnOnce() -> AppResult<CustomersReport>,
    ) -> AppResult<Arc<CustomersReport>> {
        let mut slot = self.customers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, report)) = slot.as_ref() {
            if *s == stamp {
                return Ok(Arc::clone(report));
            }
        }
        *slot = None;
        let report = Arc::new(compute()?);
        *slot = Some((stamp, Arc::clone(&report)));
        Ok(report)
    }

    /// The index of one of the book's ledgers in `book.ledgers` (`book.all`: their number).
    fn ledger_index(&self, ledger: &[CustomerLedger]) -> usize {
        self.book
            .ledgers
            .iter()
            .position(|l| std::ptr::eq(l.as_slice(), ledger))
            .unwrap_or(self.book.ledgers.len())
    }

    /// The ledger in force at `as_of`, its index ([`Loaded::ledger_index`]) and its compact form when it has one.
    pub(crate) fn compact_at(&self, as_of: NaiveDate) -> (&[CustomerLedger], usize, Option<&CompactLedger>) {
        let ledger = self.book.at(as_of);
        (ledger, self.ledger_index(ledger), self.compact(ledger))
    }

    /// The aged balance's balance at `as_of` (by due date, default buckets: what `aged_totals(..).balance` gives).
    pub(crate) fn receivables(&self, as_of: NaiveDate) -> Decimal {
        match self.compact_at(as_of).2 {
            Some(c) => c.balance(as_of),
            None => {
                self.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of)
                    .balance
            }
        }
    }

    /// The open items not yet due at `as_of` (the aged balance's first bucket by due date).
    pub(crate) fn not_yet_due(&self, as_of: NaiveDate) -> Decimal {
        match self.compact_at(as_of).2 {
            Some(c) => c.not_yet_due(as_of),
            None => {
                self.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of)
                    .buckets[0]
            }
        }
    }

    /// The paid invoices of every year in minor units (see [`PaidIndex`]).
    pub(crate) fn paid_index(&self) -> Option<&PaidIndex> {
        self.paid_rows
            .get_or_init(|| PaidIndex::build(&self.book, self.digits))
            .as_ref()
    }

    /// The compact form of one of the book's ledgers (None when an amount does not fit the currency's minor unit:
    /// the caller then ages the lines themselves).
    fn compact(&self, ledger: &[CustomerLedger]) -> Option<&CompactLedger> {
        let i = self.ledger_index(ledger);
        self.compact[i]
            .get_or_init(|| {
                CompactLedger::build(
                    ledger.iter().map(|c| (&c.customer, c.lines.as_slice())),
                    self.book.terms,
                    self.digits,
                )
            })
            .as_ref()
    }

    /// The aged balance at `as_of` (the ledger of the fiscal year in force), summed per customer.
    pub(crate) fn aged_totals(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> AgedTotals<'_> {
        let ledger = self.book.at(as_of);
        match self.compact(ledger) {
            Some(c) => AgedTotals::from_compact(|i| &ledger[i].customer, c.age(buckets, basis, as_of)),
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

    /// `customer`: the customer of an index of the compact form.
    fn from_compact(customer: impl Fn(usize) -> &'a Customer, aged: CompactAged) -> AgedTotals<'a> {
        AgedTotals {
            as_of: aged.as_of,
            labels: aged.labels,
            customers: aged
                .customers
                .into_iter()
                .map(|r| AgedRow {
                    customer: customer(r.customer),
                    balance: r.balance,
                    unapplied: r.unapplied,
                    buckets: r.buckets,
                    max_days_late: r.max_days_late,
                })
                .collect(),
            balance: aged.balance,
            unapplied: aged.unapplied,
            buckets: aged.buckets,
        }
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

impl App {
    /// The aged balance at `as_of` with its open items (letters need them), and the cached book it comes from.
    pub(crate) fn aged(
        &self,
        store: &Store,
        as_of: NaiveDate,
    ) -> AppResult<(AgedBalance, std::sync::Arc<crate::book::Loaded>)> {
        let book = self.book(store)?;
        Ok((Self::aged_of(&book, as_of), book))
    }

    /// The aged balance of the FEC alone (see [`App::ledger_book`]).
    pub(crate) fn ledger_aged(
        &self,
        store: &Store,
        as_of: NaiveDate,
    ) -> AppResult<(AgedBalance, std::sync::Arc<crate::book::Loaded>)> {
        let book = self.ledger_book(store)?;
        Ok((Self::aged_of(&book, as_of), book))
    }

    fn aged_of(book: &Loaded, as_of: NaiveDate) -> AgedBalance {
        Self::aged_on(book, as_of, cores::available())
    }

    fn aged_on(book: &Loaded, as_of: NaiveDate, threads: std::num::NonZeroUsize) -> AgedBalance {
        // The fiscal year in force at the date: its opening entries carry what the previous years left open. The
        // customers' rows on the machine's cores (the letters' context pays it before every batch), summed in
        // the ledger's order: the same figures as `aged_balance` over the lines.
        let buckets = Buckets::default();
        let rows = cores::map(book.at(as_of), threads, |c| {
            aged_customer(
                &c.customer,
                &c.lines,
                book.terms,
                &buckets,
                AgeBasis::DueDate,
                as_of,
            )
        });
        aged_balance_of(rows.into_iter().flatten(), &buckets, as_of)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The book: every fiscal year's ledger

pub(crate) struct Book {
    pub(crate) terms: Terms,
    pub(crate) years: Vec<NaiveDate>,
    /// One ledger per fiscal year (lines of no year included), or the whole ledger when no year is known.
    pub(crate) ledgers: Vec<Vec<CustomerLedger>>,
    /// The whole ledger, for dates before the first fiscal year (as the aging does).
    pub(crate) all: Option<Vec<CustomerLedger>>,
    /// The sales of the whole ledger by day, built on first use (the DSO at any date without walking the lines).
    sales: OnceLock<SalesIndex>,
    /// Per ledger: each customer's (by index) invoices paid at any date, built on first use; those paid by a date
    /// are the ones lettered by then (`paid_invoices` gives the same at that date).
    paid_ever: Vec<OnceLock<PaidEver>>,
}

/// One ledger's paid invoices at any date, per customer index (customers without any left out).
type PaidEver = Vec<(usize, Vec<PaidInvoice>)>;

impl Book {
    /// Every fiscal year's ledger in one read. Use cases take the cached book from [`App::book`].
    fn load(store: &Store) -> AppResult<Book> {
        let terms = App::default_terms(store)?;
        let read = store.ledger_book()?;
        Ok(Book {
            terms,
            years: read.years,
            paid_ever: read.ledgers.iter().map(|_| OnceLock::new()).collect(),
            ledgers: read.ledgers,
            all: read.all,
            sales: OnceLock::new(),
        })
    }

    /// The provisional receipts by customer key — the bank's (matched or on account) and the e-invoicing
    /// platform's 212 Encaissée.
    fn receipts(store: &Store) -> AppResult<HashMap<String, Vec<Receipt>>> {
        let mut receipts: HashMap<String, Vec<Receipt>> = HashMap::new();
        for e in store.bank_entries(None)? {
            let Some(m) = &e.matched else { continue };
            if m.status != "matched" && m.status != "on_account" {
                continue;
            }
            let mut parts: Vec<(String, Receipt)> = Vec::new();
            let part = |parts: &mut Vec<(String, Receipt)>, customer: &str| -> usize {
                match parts.iter().position(|(c, _)| c == customer) {
                    Some(i) => i,
                    None => {
                        parts.push((
                            customer.to_string(),
                            Receipt {
                                id: format!("BQ-{}", e.id),
                                date: e.booking_date,
                                amount: Decimal::ZERO,
                                allocations: Vec::new(),
                            },
                        ));
                        parts.len() - 1
                    }
                }
            };
            let mut allocated = Decimal::ZERO;
            for a in &m.allocations {
                let i = part(&mut parts, &a.customer_key);
                parts[i].1.amount += a.amount;
                parts[i].1.allocations.push((a.invoice.clone(), a.amount));
                allocated += a.amount;
            }
            let on_account = e.amount - allocated;
            if let Some(c) = m.customer_key.as_deref().filter(|_| on_account > Decimal::ZERO) {
                let i = part(&mut parts, c);
                parts[i].1.amount += on_account;
            }
            for (c, r) in parts.into_iter().filter(|(_, r)| r.amount > Decimal::ZERO) {
                receipts.entry(c).or_default().push(r);
            }
        }
        // The platform's 212 Encaissée: a receipt of its invoice for what no bank entry already pays on it (the
        // same money seen twice, on the statement and from the platform, counts once).
        let mut by_bank: HashMap<(String, String), Decimal> = HashMap::new();
        for (customer, rs) in &receipts {
            for r in rs {
                for (invoice, amount) in &r.allocations {
                    *by_bank.entry((customer.clone(), invoice.clone())).or_default() += *amount;
                }
            }
        }
        let mut from_platform: Vec<(String, Receipt)> = Vec::new();
        for s in store.einvoice_statuses(None)? {
            let (Some(customer), Some(amount)) = (s.customer_key.as_deref(), s.amount) else {
                continue;
            };
            if s.direction != encaisse_store::einvoice_status::IN || s.code != 212 || s.echo {
                continue;
            }
            let paid = by_bank
                .entry((customer.to_string(), s.invoice.clone()))
                .or_default();
            let left = amount - *paid;
            *paid = (*paid - amount).max(Decimal::ZERO);
            if left > Decimal::ZERO {
                from_platform.push((
                    customer.to_string(),
                    Receipt {
                        id: format!("PA-{}", s.id),
                        date: s.status_date,
                        amount: left,
                        allocations: vec![(s.invoice.clone(), left)],
                    },
                ));
            }
        }
        for (c, r) in from_platform {
            receipts.entry(c).or_default().push(r);
        }
        Ok(receipts)
    }

    /// Adds the provisional receipts ([`Book::receipts`]) to every ledger of the book, each customer's reconciled
    /// with that ledger's lines.
    fn add_receipts(&mut self, receipts: HashMap<String, Vec<Receipt>>) {
        if receipts.is_empty() {
            return;
        }
        // Each receipt goes to the ledger of the fiscal year its date falls in (the whole ledger: dates before the
        // first year), as the FEC's payment would: a year's ledger never pays twice what the next one carries.
        let terms = self.terms;
        let years = self.years.clone();
        let period = |i: Option<usize>| -> (NaiveDate, NaiveDate) {
            match i {
                _ if years.is_empty() => (NaiveDate::MIN, NaiveDate::MAX),
                None => (NaiveDate::MIN, years[0]),
                Some(i) => (years[i], years.get(i + 1).copied().unwrap_or(NaiveDate::MAX)),
            }
        };
        let ledgers = self.ledgers.iter_mut().enumerate().map(|(i, l)| (Some(i), l));
        for (i, ledger) in ledgers.chain(self.all.iter_mut().map(|l| (None, l))) {
            let (from, to) = period(i);
            for c in ledger.iter_mut() {
                let Some(rs) = receipts.get(&c.customer.key) else {
                    continue;
                };
                let rs: Vec<Receipt> = rs
                    .iter()
                    .filter(|r| r.date >= from && r.date < to)
                    .cloned()
                    .collect();
                if rs.is_empty() {
                    continue;
                }
                let t = c.customer.terms.unwrap_or(terms);
                c.lines = with_receipts(&c.customer.key, &c.lines, t, &rs).lines;
                c.lines.sort_by_key(|l| l.entry_date); // stable: the store's order, the receipts by date
            }
        }
    }

    /// The DSO at `as_of` over `period` days (sales of every year).
    pub(crate) fn dso(&self, receivables: Decimal, as_of: NaiveDate, period: u32) -> Dso {
        dso_indexed(self.sales(), receivables, as_of, period)
    }

    /// The sales of every year by day, built on first use.
    fn sales(&self) -> &SalesIndex {
        self.sales.get_or_init(|| {
            SalesIndex::new(
                self.whole().iter().flat_map(|c| c.lines.iter()),
                &encaisse_domain::ledger::OPENING_JOURNALS,
            )
        })
    }

    /// Every line of every year (the DSO's sales read them all).
    pub(crate) fn whole(&self) -> &[CustomerLedger] {
        self.all.as_deref().unwrap_or(&self.ledgers[0])
    }

    /// The ledger whose positions hold at `as_of`: the fiscal year in force (its opening entries carry the past).
    pub(crate) fn at(&self, as_of: NaiveDate) -> &[CustomerLedger] {
        match self.ledgers.get(ledger_at(&self.years, as_of)) {
            Some(ledger) => ledger,
            None => self.all.as_deref().unwrap_or(&self.ledgers[0]),
        }
    }

    pub(crate) fn terms_of(&self, c: &Customer) -> Terms {
        c.terms.unwrap_or(self.terms)
    }

    pub(crate) fn aged(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> AgedBalance {
        aged_balance_by(
            self.at(as_of).iter().map(|c| (&c.customer, c.lines.as_slice())),
            self.terms,
            buckets,
            basis,
            as_of,
        )
    }

    /// Ledger `i`'s paid invoices at any date, built on first use.
    fn paid_ever(&self, i: usize) -> &PaidEver {
        self.paid_ever[i].get_or_init(|| {
            self.ledgers[i]
                .iter()
                .enumerate()
                .map(|(c, l)| {
                    (
                        c,
                        paid_invoices(&l.lines, self.terms_of(&l.customer), NaiveDate::MAX),
                    )
                })
                .filter(|(_, paid)| !paid.is_empty())
                .collect()
        })
    }

    /// Whether ledger `i` counts in what is known paid at `as_of` (its fiscal year began by then), as in
    /// [`Book::paid`].
    fn paid_counts(&self, i: usize, as_of: NaiveDate) -> bool {
        self.years.get(i).is_none_or(|y| *y <= as_of)
    }

    /// Invoices paid by `as_of`, per customer key, from every fiscal year up to it (lettering codes restart
    /// each year, so each year is matched on its own).
    pub(crate) fn paid(&self, as_of: NaiveDate) -> HashMap<&str, Vec<PaidInvoice>> {
        let mut out: HashMap<&str, Vec<PaidInvoice>> = HashMap::new();
        for (i, ledger) in self.ledgers.iter().enumerate() {
            if !self.paid_counts(i, as_of) {
                continue;
            }
            for (c, paid) in self.paid_ever(i) {
                let mut known = paid.iter().filter(|p| p.lettered_on <= as_of).peekable();
                if known.peek().is_some() {
                    out.entry(ledger[*c].customer.key.as_str())
                        .or_default()
                        .extend(known.copied());
                }
            }
        }
        out
    }
}

/// Every fiscal year's paid invoices ([`Book::paid`] at the end of time) in minor units, grouped by customer key:
/// what is known paid at a date are the rows of the ledgers counted then ([`Book::paid_counts`]) lettered by then.
pub(crate) struct PaidIndex {
    /// Per ledger of the book (then `book.all`), per customer index: the customer's number here.
    ids: Vec<Vec<u32>>,
    /// Per customer number, its rows: `rows[start[n]..start[n + 1]]`, with the index of their ledger.
    start: Vec<usize>,
    rows: Vec<(usize, PaidRow)>,
}

impl PaidIndex {
    fn build(book: &Book, digits: u32) -> Option<PaidIndex> {
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let ledgers = book.ledgers.iter().chain(book.all.iter());
        let ids: Vec<Vec<u32>> = ledgers
            .map(|l| {
                l.iter()
                    .map(|c| {
                        let n = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
                        *numbers.entry(c.customer.key.as_str()).or_insert(n)
                    })
                    .collect()
            })
            .collect();
        let mut rows: Vec<(u32, usize, PaidRow)> = Vec::new();
        for (i, ids) in ids.iter().enumerate().take(book.ledgers.len()) {
            for (c, paid) in book.paid_ever(i) {
                for p in paid {
                    rows.push((ids[*c], i, PaidRow::new(p, digits)?));
                }
            }
        }
        rows.sort_by_key(|(n, _, _)| *n); // stable: each ledger's order kept
        let mut start = vec![0usize; numbers.len() + 1];
        for (n, _, _) in &rows {
            start[*n as usize + 1] += 1;
        }
        for n in 1..start.len() {
            start[n] += start[n - 1];
        }
        Some(PaidIndex {
            ids,
            start,
            rows: rows.into_iter().map(|(_, i, r)| (i, r)).collect(),
        })
    }

    /// Per ledger of the book, whether it counts at `as_of`, for [`PaidIndex::lateness`].
    pub(crate) fn counts(book: &Book, as_of: NaiveDate) -> Vec<bool> {
        (0..book.ledgers.len())
            .map(|i| book.paid_counts(i, as_of))
            .collect()
    }

    /// The lateness over the invoices known paid at `as_of` (`counts`: [`PaidIndex::counts`] at that date) and paid
    /// in (from, as_of]: of one customer (index `customer` of ledger `ledger`), or of all.
    pub(crate) fn lateness(
        &self,
        of: Option<(usize, usize)>,
        counts: &[bool],
        from: NaiveDate,
        as_of: NaiveDate,
    ) -> Lateness {
        let rows = match of {
            Some((ledger, customer)) => {
                let n = self.ids[ledger][customer] as usize;
                &self.rows[self.start[n]..self.start[n + 1]]
            }
            None => &self.rows[..],
        };
        let mut out = Lateness::default();
        if counts.iter().all(|c| *c) {
            out.add(rows.iter().map(|(_, r)| r), from, as_of, as_of);
        } else {
            out.add(
                rows.iter().filter(|(i, _)| counts[*i]).map(|(_, r)| r),
                from,
                as_of,
                as_of,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    fn assert_same_totals(fast: &AgedTotals<'_>, want: &AgedTotals<'_>, what: &str) {
        assert_eq!(
            (&fast.labels, fast.balance, fast.unapplied, &fast.buckets),
            (&want.labels, want.balance, want.unapplied, &want.buckets),
            "{what}"
        );
        assert_eq!(fast.customers.len(), want.customers.len(), "{what}");
        for (a, b) in fast.customers.iter().zip(&want.customers) {
            assert_eq!(
                (&a.customer, a.balance, a.unapplied, &a.buckets, a.max_days_late),
                (&b.customer, b.balance, b.unapplied, &b.buckets, b.max_days_late),
                "{what}"
            );
        }
    }

    /// Reads the App's ledger (which keeps its forms), then checks the kept forms alone against the full
    /// computation over the lines at each date: the aged balance (every customer, two bucket sets, both bases)
    /// and the DSO over 30 and 90 days.
    fn assert_kept_forms_give_the_full_computation(app: &App, dates: &[NaiveDate]) -> Arc<Loaded> {
        let store = app.store();
        let full = app.book_of(&store, true).unwrap(); // reads the lines, keeps the forms
        let light = Light::read(&store, app.stamp(&store).unwrap())
            .unwrap()
            .expect("the forms are kept");
        assert_eq!(light.years, full.years);
        let light = Ageing::Light(Arc::new(light));
        for &date in dates {
            for buckets in [
                Buckets::default(),
                Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap(),
            ] {
                for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                    let ledger = full.at(date);
                    let slow = aged_balance_by(
                        ledger.iter().map(|c| (&c.customer, c.lines.as_slice())),
                        full.terms,
                        &buckets,
                        basis,
                        date,
                    );
                    let want = AgedTotals::from_positions(ledger, &slow);
                    let fast = light.aged_totals(&buckets, basis, date);
                    assert_same_totals(&fast, &want, &format!("{date}, {basis:?}"));
                }
            }
            let receivables = light
                .aged_totals(&Buckets::default(), AgeBasis::DueDate, date)
                .balance;
            for period in [30, 90] {
                assert_eq!(
                    light.dso(receivables, date, period),
                    encaisse_analytics::dso::dso(
                        full.whole().iter().flat_map(|c| c.lines.iter()),
                        receivables,
                        date,
                        period,
                        &encaisse_domain::ledger::OPENING_JOURNALS
                    ),
                    "{date}"
                );
            }
        }
        full
    }

    /// The same on a large database (BENCHMARKS.md's 1,000,000-line FEC imported), at four month ends:
    /// `ENCAISSE_LARGE_DB=/tmp/fec1m.db cargo test -p encaisse-app --lib large -- --ignored` (not run in CI).
    #[test]
    #[ignore = "needs ENCAISSE_LARGE_DB"]
    fn kept_forms_equal_the_full_computation_on_a_large_database() {
        let path = std::env::var("ENCAISSE_LARGE_DB").expect("ENCAISSE_LARGE_DB: a database file");
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let app = App::open(
            std::path::Path::new(&path),
            Box::new(encaisse_domain::FixedClock(end)),
        )
        .unwrap();
        let dates: Vec<NaiveDate> = ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        assert_kept_forms_give_the_full_computation(&app, &dates);
    }

    /// What a new process reads first, the forms kept in the database, gives the full computation over the lines:
    /// the aged balance (every customer, two bucket sets, both bases) and the DSO, at every month end of the demo's
    /// two years and the two months after, with no fiscal year and then with three (and the whole ledger before
    /// the first).
    #[test]
    fn kept_forms_equal_the_full_computation_on_the_demo_at_every_month_end() {
        let dir = tempfile::tempdir().unwrap();
        let (app, path) = demo_book(&dir, 4, 60);
        let kept = |path: &std::path::Path| -> i64 {
            rusqlite::Connection::open(path)
                .unwrap()
                .query_row("SELECT count(*) FROM ledger_form", [], |r| r.get(0))
                .unwrap()
        };
        for years in [0, 3] {
            if years > 0 {
                // Another connection gives the lines a fiscal year each (the calendar year): the forms go.
                calendar_years(&path);
                assert_eq!(kept(&path), 0);
            }
            let dates = month_ends();
            assert_eq!(dates.len(), 27); // 2024-10-31 to 2026-12-31
            let full = assert_kept_forms_give_the_full_computation(&app, &dates);
            assert_eq!(full.years.len(), years);
            // The sales index and each ledger (each year's, then the whole one).
            assert_eq!(kept(&path), if years == 0 { 2 } else { years as i64 + 2 });
        }
    }

    /// The aged balance the letters and files read, computed on several threads, is `aged_balance` over the
    /// lines, to the row and the cent, at every month end of the demo (with no fiscal year and with three).
    #[test]
    fn the_aged_balance_on_several_threads_is_the_one_over_the_lines() {
        let dir = tempfile::tempdir().unwrap();
        let (app, path) = demo_book(&dir, 7, 80);
        for years in [false, true] {
            if years {
                calendar_years(&path);
            }
            let book = app.book(&app.store()).unwrap();
            let mut checked = 0;
            for date in month_ends() {
                let want = encaisse_analytics::aged_balance(
                    book.at(date).iter().map(|c| (&c.customer, c.lines.as_slice())),
                    book.terms,
                    &Buckets::default(),
                    date,
                );
                for threads in [1, 2, 3, 8] {
                    let threads = std::num::NonZeroUsize::new(threads).unwrap();
                    assert_eq!(
                        App::aged_on(&book, date, threads),
                        want,
                        "{date}, {threads} threads"
                    );
                }
                checked += usize::from(!want.customers.is_empty());
            }
            assert!(checked > 20, "{checked} dates with open items");
        }
    }

    /// A demo company of `customers` customers in a new database in `dir`, history up to 2026-11-26 (the clock's
    /// today), and the database's path.
    fn demo_book(dir: &tempfile::TempDir, seed: u32, customers: u32) -> (App, std::path::PathBuf) {
        let end = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let path = dir.path().join("demo.db");
        let app = App::open(&path, Box::new(encaisse_domain::FixedClock(end))).unwrap();
        app.create_demo(&crate::DemoOptions {
            seed: Some(seed),
            customers: Some(customers),
            end: Some(end),
            replace: None,
        })
        .unwrap();
        (app, path)
    }

    /// Another connection gives every line a fiscal year: its calendar year.
    fn calendar_years(path: &std::path::Path) {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch("UPDATE ledger_line SET fiscal_year = substr(entry_date, 1, 4) || '-01-01'")
            .unwrap();
    }

    /// Every month end of the demo's two years and the two months after its end: 2024-10-31 to 2026-12-31.
    fn month_ends() -> Vec<NaiveDate> {
        let last = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap() + Days::new(62);
        let mut dates = Vec::new();
        let mut date = NaiveDate::from_ymd_opt(2024, 10, 31).unwrap();
        while date <= last {
            dates.push(date);
            date = (date + Days::new(1))
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap();
        }
        dates
    }

    /// The compact ageing the book uses gives what ageing the lines gives, on a demo book at many dates.
    #[test]
    fn compact_ageing_equals_the_analytics_on_the_demo_book() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let demo = encaisse_demo::generate(5, 120, end);
        let ledger: Vec<CustomerLedger> = demo
            .customers
            .into_iter()
            .map(|customer| CustomerLedger {
                lines: demo
                    .lines
                    .iter()
                    .filter(|l| l.customer_key == customer.key)
                    .cloned()
                    .collect(),
                customer,
            })
            .collect();
        let check = |terms: Terms, as_of: NaiveDate| {
            let pairs = || ledger.iter().map(|c| (&c.customer, c.lines.as_slice()));
            let compact = CompactLedger::build(pairs(), terms, 2).expect("amounts in cents");
            for buckets in [
                Buckets::default(),
                Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap(),
            ] {
                for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                    let fast = AgedTotals::from_compact(
                        |i| &ledger[i].customer,
                        compact.age(&buckets, basis, as_of),
                    );
                    let slow = aged_balance_by(pairs(), terms, &buckets, basis, as_of);
                    let want = AgedTotals::from_positions(&ledger, &slow);
                    let what = format!("as of {as_of}, {basis:?}, {:?}", buckets.limits());
                    assert_eq!(
                        (&fast.labels, fast.balance, fast.unapplied, &fast.buckets),
                        (&want.labels, want.balance, want.unapplied, &want.buckets),
                        "{what}"
                    );
                    assert_eq!(fast.customers.len(), want.customers.len(), "{what}");
                    for (a, b) in fast.customers.iter().zip(&want.customers) {
                        assert_eq!(
                            (
                                &a.customer.key,
                                a.balance,
                                a.unapplied,
                                &a.buckets,
                                a.max_days_late
                            ),
                            (
                                &b.customer.key,
                                b.balance,
                                b.unapplied,
                                &b.buckets,
                                b.max_days_late
                            ),
                            "{what}"
                        );
                    }
                }
            }
        };
        let mut date = demo.start - Days::new(1);
        while date <= end + Days::new(40) {
            check(Terms::Net(30), date);
            date = date + Days::new(9);
        }
        check(Terms::DaysEndOfMonth(45), end);
    }
}
