//! What the collections workflow tells the reports, as of a date: promises kept, broken and running,
//! disputes open, read from the workflow's records and the cached ledger.
//!
//! As-of rules: a promise counts from the day it was made (`made_on <= as_of`), with its status at `as_of` computed
//! as the workflow computes it (kept when the money came by the promised date + grace, broken after); a dispute is
//! open at `as_of` when opened by then and not closed by then. Only running promises move the forecast; the
//! backtest asks the same question at each past date, so it uses what was known then.
use crate::book::Book;
use crate::{App, AppResult};
use chrono::{Months, NaiveDate};
use encaisse_analytics::behaviour::reminders_before_payment;
use encaisse_analytics::forecast::{ForecastInputs, Promise};
use encaisse_analytics::settlement::paid_invoices;
use encaisse_analytics::{position, OpenItem};
use encaisse_domain::collections::{ActionKind, PromiseStatus};
use encaisse_dunning::promise;
use encaisse_store::workflow::{Attached, DisputeRecord, InvoiceIdentity, PromiseRecord};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Promises, disputes and per-customer counts from the collections workflow as of a date (see
/// `collection.rs` for the rules); every report takes them from [`App::collection_inputs`] only.
#[derive(Debug, Clone, Default)]
pub struct CollectionInputs {
    /// Running promises (invoice → promised date, and the amount when only part of it is promised) and the
    /// invoices of open disputes.
    pub forecast: ForecastInputs,
    /// Promises made by the date, kept or broken at it, per customer key.
    pub kept_promises: HashMap<String, u32>,
    pub broken_promises: HashMap<String, u32>,
    /// Disputes open at the date, per customer key.
    pub open_disputes: HashMap<String, u32>,
}

/// The workflow's promises and disputes and the invoices they name, read once for any number of dates.
pub(crate) struct CollectionRecords {
    invoices: HashMap<i64, InvoiceIdentity>,
    by_number: HashMap<(String, String), Vec<i64>>,
    promises: Vec<PromiseRecord>,
    disputes: Vec<DisputeRecord>,
    /// The e-invoicing platform's statuses received (for 205 Approuvée and 211 Paiement transmis).
    statuses: Vec<encaisse_store::einvoice_status::StatusRecord>,
}

impl CollectionRecords {
    pub(crate) fn load(store: &Store) -> AppResult<CollectionRecords> {
        let promises = store.promises(Attached::All)?;
        let disputes = store.disputes(Attached::All)?;
        // Only the invoices of customers with records (a large ledger has hundreds of thousands).
        let mut invoices = HashMap::new();
        let mut by_number: HashMap<(String, String), Vec<i64>> = HashMap::new();
        for inv in identities_of(
            store,
            promises
                .iter()
                .map(|p| p.customer_key.as_str())
                .chain(disputes.iter().map(|d| d.customer_key.as_str())),
        )? {
            by_number
                .entry((inv.customer_key.clone(), inv.piece_ref.clone()))
                .or_default()
                .push(inv.id);
            invoices.insert(inv.id, inv);
        }
        Ok(CollectionRecords {
            invoices,
            by_number,
            promises,
            disputes,
            statuses: store.einvoice_statuses(None)?,
        })
    }

    /// The invoice id an open item is (as the workflow decides it): same customer and number, then the same amount
    /// and date, not missing, the earliest.
    fn id_of(&self, customer: &str, item: &OpenItem) -> Option<i64> {
        let ids = self
            .by_number
            .get(&(customer.to_string(), item.piece_ref.clone()))?;
        ids.iter().copied().max_by_key(|id| {
            let i = &self.invoices[id];
            (
                2 * u8::from(i.amount == item.amount) + u8::from(i.invoice_date == item.invoice_date),
                u8::from(i.missing_since.is_none()),
                std::cmp::Reverse(*id),
            )
        })
    }

    /// Promises, disputes and per-customer counts as of `as_of`.
    pub(crate) fn inputs_at(&self, book: &Book, as_of: NaiveDate) -> CollectionInputs {
        let mut out = CollectionInputs::default();
        let mut positions = Positions::new(book);

        let mut disputed = Vec::new();
        for d in self.disputes.iter().filter(|d| d.rule().open_on(as_of)) {
            *out.open_disputes.entry(d.customer_key.clone()).or_default() += 1;
            disputed.extend(
                d.invoice_ids
                    .iter()
                    .filter_map(|id| self.invoices.get(id))
                    .map(|i| (i.customer_key.clone(), i.piece_ref.clone())),
            );
        }

        // Running promises, the latest made first, so that it wins on an invoice promised twice.
        let mut running: Vec<(&PromiseRecord, Decimal)> = Vec::new();
        for p in self.promises.iter().filter(|p| p.made_on <= as_of) {
            let rule = p.rule();
            let at_made = self.residual(&mut positions, p, p.made_on);
            let check_day = as_of.min(rule.deadline());
            let then = self.residual(&mut positions, p, check_day);
            let settled = promise::settled(p.amount, at_made, then);
            match rule.status(as_of, |d| d == check_day && settled) {
                PromiseStatus::Kept => *out.kept_promises.entry(p.customer_key.clone()).or_default() += 1,
                PromiseStatus::Broken => *out.broken_promises.entry(p.customer_key.clone()).or_default() += 1,
                // Still to come: the promised amount less what was paid on its invoices since it was made.
                PromiseStatus::Running => running.push((p, p.amount - (at_made - then).max(Decimal::ZERO))),
            }
        }
        running.sort_by_key(|(p, _)| std::cmp::Reverse((p.made_on, p.id)));
        let mut promised: Vec<Promise> = Vec::new();
        for (p, left) in running {
            // Its invoices still open at as_of, by number, earliest due first; the amount still promised goes to
            // them in turn (all of an invoice's residual: no amount, the forecast takes it whole).
            let mut items: Vec<&OpenItem> = positions
                .open_items(&p.customer_key, as_of)
                .iter()
                .filter(|i| {
                    self.id_of(&p.customer_key, i)
                        .is_some_and(|id| p.invoice_ids.contains(&id))
                })
                .collect();
            items.sort_by_key(|i| (i.due_date, i.line));
            let mut parts: Vec<(&str, Decimal)> = Vec::new();
            for item in items {
                match parts.iter_mut().find(|(piece, _)| *piece == item.piece_ref) {
                    Some(part) => part.1 += item.residual,
                    None => parts.push((item.piece_ref.as_str(), item.residual)),
                }
            }
            let mut cover = left;
            for (piece, residual) in parts {
                let take = residual.min(cover);
                cover -= take.max(Decimal::ZERO);
                let spoken_for = promised
                    .iter()
                    .any(|q| q.customer_key == p.customer_key && q.piece_ref == piece);
                if take <= Decimal::ZERO || spoken_for {
                    continue; // nothing left of the promise, or a later promise speaks for this invoice
                }
                promised.push(Promise {
                    customer_key: p.customer_key.clone(),
                    piece_ref: piece.to_string(),
                    date: p.promised_on,
                    amount: (take < residual).then_some(take),
                });
            }
        }
        // The platform's statuses standing at as_of: 211 Paiement transmis is expected a transfer's time after it
        // (this week once that day has passed) while the agenda holds its chase, unless a promise speaks for the
        // invoice; 205 and 211 make what is expected of the invoice confirmed.
        let mut approved = Vec::new();
        for ((customer, piece), (code, on)) in
            crate::einvoice_status::standing_statuses(&self.statuses, as_of)
        {
            let days = |n| on.checked_add_days(chrono::Days::new(n)).unwrap_or(on);
            let holding = as_of <= days(crate::einvoice_status::ANNOUNCED_HOLD_DAYS);
            match code {
                211 if holding => {
                    if !promised
                        .iter()
                        .any(|q| q.customer_key == customer && q.piece_ref == piece)
                    {
                        promised.push(Promise {
                            customer_key: customer.clone(),
                            piece_ref: piece.clone(),
                            date: days(crate::einvoice_status::ANNOUNCED_TRANSFER_DAYS).max(as_of),
                            amount: None,
                        });
                    }
                    approved.push((customer, piece));
                }
                205 => approved.push((customer, piece)),
                _ => {}
            }
        }
        out.forecast = ForecastInputs::new(&promised, disputed);
        out.forecast.approved = approved.into_iter().collect();
        out
    }

    /// What is left to pay on a promise's invoices on a day.
    fn residual(&self, positions: &mut Positions<'_>, p: &PromiseRecord, day: NaiveDate) -> Decimal {
        positions
            .open_items(&p.customer_key, day)
            .iter()
            .filter(|i| {
                self.id_of(&p.customer_key, i)
                    .is_some_and(|id| p.invoice_ids.contains(&id))
            })
            .map(|i| i.residual)
            .sum()
    }
}

/// Customers' open items at a day, from the book's ledger in force then, computed once per (customer, day).
pub(crate) struct Positions<'b> {
    book: &'b Book,
    index: HashMap<*const CustomerLedger, HashMap<&'b str, usize>>,
    open: HashMap<(String, NaiveDate), Vec<OpenItem>>,
}

impl<'b> Positions<'b> {
    fn new(book: &'b Book) -> Self {
        Positions {
            book,
            index: HashMap::new(),
            open: HashMap::new(),
        }
    }

    fn open_items(&mut self, customer: &str, day: NaiveDate) -> &[OpenItem] {
        let key = (customer.to_string(), day);
        if !self.open.contains_key(&key) {
            let ledger = self.book.at(day);
            let index = self.index.entry(ledger.as_ptr()).or_insert_with(|| {
                ledger
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.customer.key.as_str(), i))
                    .collect()
            });
            let items = index.get(customer).map_or_else(Vec::new, |&i| {
                let c = &ledger[i];
                position(&c.lines, self.book.terms_of(&c.customer), day).open_items
            });
            self.open.insert(key.clone(), items);
        }
        &self.open[&key]
    }
}

/// The days each invoice (customer key, number) was reminded: the emails, letters and calls of the actions log
/// linked to it.
pub(crate) fn reminder_dates(store: &Store) -> AppResult<HashMap<(String, String), Vec<NaiveDate>>> {
    let actions: Vec<_> = store
        .actions(Attached::All)?
        .into_iter()
        .filter(|a| matches!(a.kind, ActionKind::Email | ActionKind::Letter | ActionKind::Call))
        .collect();
    let identities: HashMap<i64, InvoiceIdentity> =
        identities_of(store, actions.iter().map(|a| a.customer_key.as_str()))?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
    let mut out: HashMap<(String, String), Vec<NaiveDate>> = HashMap::new();
    for a in actions {
        for i in a.invoice_ids.iter().filter_map(|id| identities.get(id)) {
            out.entry((i.customer_key.clone(), i.piece_ref.clone()))
                .or_default()
                .push(a.done_on);
        }
    }
    Ok(out)
}

/// The average number of reminders before payment of the invoices paid in the 12 months before `as_of`, for the
/// customers with at least one reminder (the others needed none: 0 when they paid an invoice, else unknown).
pub(crate) fn reminders_by_customer(
    book: &Book,
    dates: &HashMap<(String, String), Vec<NaiveDate>>,
    as_of: NaiveDate,
) -> HashMap<String, Option<Decimal>> {
    let reminded: std::collections::HashSet<&str> = dates.keys().map(|(c, _)| c.as_str()).collect();
    let mut paid: HashMap<&str, Vec<(encaisse_analytics::settlement::PaidInvoice, &str)>> = HashMap::new();
    // Every fiscal year up to the date (lettering restarts each year), as the reports' paid invoices.
    for (i, ledger) in book.ledgers.iter().enumerate() {
        if book.years.get(i).is_some_and(|y| *y > as_of) {
            continue;
        }
        for c in ledger
            .iter()
            .filter(|c| reminded.contains(c.customer.key.as_str()))
        {
            let list = paid.entry(c.customer.key.as_str()).or_default();
            for p in paid_invoices(&c.lines, book.terms_of(&c.customer), as_of) {
                list.push((p, c.lines[p.line].piece_ref.as_str()));
            }
        }
    }
    let year_before = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    paid.into_iter()
        .map(|(key, list)| {
            let with_dates = list.iter().map(|(p, piece)| {
                let d = dates
                    .get(&(key.to_string(), (*piece).to_string()))
                    .map_or(&[][..], Vec::as_slice);
                (p, d)
            });
            (
                key.to_string(),
                reminders_before_payment(with_dates, year_before, as_of),
            )
        })
        .collect()
}

/// The invoice identities of some customers (each read once).
pub(crate) fn identities_of<'k>(
    store: &Store,
    customers: impl Iterator<Item = &'k str>,
) -> AppResult<Vec<InvoiceIdentity>> {
    let keys: std::collections::BTreeSet<&str> = customers.collect();
    let mut out = Vec::new();
    for key in keys {
        out.extend(store.invoices(Some(key))?);
    }
    Ok(out)
}

impl App {
    /// Promises, disputes, kept and broken promises and open disputes per customer as of `as_of`, from the
    /// collections workflow's records and the ledger.
    pub fn collection_inputs(&self, store: &Store, as_of: NaiveDate) -> AppResult<CollectionInputs> {
        let book = self.book(store)?;
        Ok(CollectionRecords::load(store)?.inputs_at(&book, as_of))
    }
}
