//! The DAF's views (issue 4): aged balance options and drill-down, the DSO set, customers' payment behaviour and
//! scores, credit-limit alerts, the cash-in forecast and its measured accuracy, the D441-6 table.
//! The DTOs that cross to the CLI and the UI live here too (TypeScript bindings generated like dto.rs's).

use crate::collection::{reminder_dates, reminders_by_customer, CollectionRecords};
use crate::dto::{AgingReport, AgingTotals};
use crate::{App, AppError, AppResult};
use chrono::{Days, Months, NaiveDate};
use encaisse_analytics::behaviour::{behaviour, lateness, Behaviour};
use encaisse_analytics::d441_6::d441_6;
use encaisse_analytics::dso::{dso_indexed, SalesIndex};
use encaisse_analytics::dso_set::{best_possible_dso, month_ends};
use encaisse_analytics::forecast::{
    backtest, forecast, habit_days, monday_of, paid_by_week, weighted_absolute_error,
    weighted_absolute_error_of_week, Backtest, ForecastInputs, ForecastOptions,
};
use encaisse_analytics::grouping::{aged_invoices, group_aged};
use encaisse_analytics::scoring::{score, Score, ScoreInput};
use encaisse_analytics::settlement::{paid_invoices, payments, PaidInvoice};
use encaisse_analytics::{aged_balance_by, AgeBasis, AgedBalance, AgedCustomer, Buckets, Dso};
use encaisse_domain::{days_to_f64, format_amount, Customer, Terms};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use ts_rs::TS;

// ---------------------------------------------------------------------------------------------------------------
// DTOs

/// How to age: buckets (upper limits in days, e.g. [15, 30, 45, 60, 90, 120]), basis and grouping. Absent fields
/// give the #2 contract: [30, 60, 90], due date, by customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingOptions {
    pub as_of: Option<NaiveDate>,
    pub buckets: Option<Vec<u32>>,
    /// "due_date" (default) or "invoice_date".
    pub basis: Option<String>,
    /// "customer" (default), "segment" (behaviour), "category" (user category), "customer_segment" (the
    /// customers file's segment), "collector" or "risk_class".
    pub group_by: Option<String>,
}

/// The aged balance summed by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupedAgingReport {
    pub as_of: NaiveDate,
    pub currency: String,
    pub basis: String,
    pub group_by: String,
    pub buckets: Vec<String>,
    pub groups: Vec<AgingGroup>,
    pub totals: AgingTotals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingGroup {
    /// The group's value; "" for customers without one.
    pub key: String,
    pub customers: u32,
    pub balance: String,
    pub unapplied: String,
    pub buckets: Vec<String>,
}

/// The open invoices behind an aged balance (drill-down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingInvoices {
    pub as_of: NaiveDate,
    pub currency: String,
    pub basis: String,
    pub buckets: Vec<String>,
    pub invoices: Vec<AgingInvoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingInvoice {
    pub customer_id: String,
    pub customer_name: String,
    pub piece_ref: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Days late (or since issue, by invoice date).
    pub days: i32,
    pub bucket: String,
    pub amount: String,
    pub residual: String,
}

/// DSO, the #2 contract's figures plus best possible DSO, weighted days late and the 12 month ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoSetReport {
    pub as_of: NaiveDate,
    pub period_days: u32,
    pub receivables: String,
    pub sales: String,
    pub dso_average: Option<f64>,
    pub dso_countback: Option<f64>,
    /// Not-yet-due receivables / sales × period: the DSO if everybody paid on time.
    pub dso_best: Option<f64>,
    /// Days late weighted by amount of the invoices paid in the last 12 months (early payments count 0).
    pub avg_days_late: Option<f64>,
    pub paid_invoices: u32,
    /// DSO at each of the last 12 month ends, oldest first.
    pub trend: Vec<DsoPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoPoint {
    pub date: NaiveDate,
    pub receivables: String,
    pub dso_average: Option<f64>,
    pub dso_countback: Option<f64>,
}

/// `encaisse customers --format json`: one row per customer, keys in this order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub balance: String,
    pub overdue: String,
    pub avg_days_late: Option<f64>,
    pub score: u8,
    pub class: String,
    pub credit_limit: Option<String>,
    /// Behaviour segment: on_time, slightly_late, late, very_late; null without paid invoices in 12 months.
    pub segment: Option<String>,
}

/// Every customer with its behaviour, score (explained) and limit, and the credit-limit alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomersReport {
    pub as_of: NaiveDate,
    pub currency: String,
    pub customers: Vec<CustomerAnalysis>,
    /// Customers whose balance (due and not yet due) exceeds their credit limit, largest excess first.
    pub limit_alerts: Vec<CreditLimitAlert>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerAnalysis {
    pub id: String,
    pub name: String,
    /// key_account, occasional, private_person, public_body (user category).
    pub category: Option<String>,
    /// The customers file's segment.
    pub customer_segment: Option<String>,
    pub collector: Option<String>,
    pub balance: String,
    pub overdue: String,
    pub not_due: String,
    pub unapplied: String,
    /// not_due, 1-30, 31-60, 61-90, 91+
    pub buckets: Vec<String>,
    pub behaviour: PaymentBehaviour,
    pub score: u8,
    pub class: String,
    pub factors: Vec<ScoreFactor>,
    pub credit_limit: Option<String>,
    /// Balance / limit in percent, one decimal.
    pub limit_use: Option<f64>,
    pub limit_exceeded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentBehaviour {
    /// Invoices paid in the last 12 months and their amount.
    pub paid_invoices: u32,
    pub paid_amount: String,
    pub avg_days_late: Option<f64>,
    pub median_days_late: Option<i32>,
    /// Share of the paid amount paid by the due date, percent.
    pub on_time_share: Option<f64>,
    /// Weighted days late of the last 3 months and of the 12 before; trend = their difference (> 0: later).
    pub recent_days_late: Option<f64>,
    pub previous_days_late: Option<f64>,
    pub trend: Option<f64>,
    pub segment: Option<String>,
    /// Reminders (emails, letters, calls of the actions log) before payment, on average over the invoices paid in
    /// the last 12 months; null without such invoice.
    pub reminders_before_payment: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreFactor {
    /// days_late, trend, overdue_over_60, credit_limit_use, broken_promises, open_disputes
    pub code: String,
    /// Days, days, percent, percent, count, count; null when unknown.
    pub value: Option<f64>,
    pub weight: u32,
    pub points_lost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditLimitAlert {
    pub id: String,
    pub name: String,
    pub credit_limit: String,
    pub balance: String,
    pub excess: String,
}

/// `encaisse forecast --format json`, exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastReport {
    pub as_of: NaiveDate,
    pub weeks: Vec<ForecastWeek>,
    pub later: String,
    pub uncertain: String,
    /// Equals the open invoices of the aged balance (its buckets' sum) at the date.
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastWeek {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: String,
}

/// The forecast's backtest: forecasts made at past Mondays from what was known then, against what came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastAccuracy {
    pub as_of: NaiveDate,
    pub horizon_weeks: u32,
    /// Σ |expected − actual| / Σ actual over the horizon of every backtest, percent; null when nothing came.
    pub weighted_absolute_error: Option<f64>,
    /// The same per week ahead (1 = the forecast's first week), with the sums.
    pub by_week: Vec<AccuracyWeek>,
    pub backtests: Vec<BacktestReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccuracyWeek {
    pub week: u32,
    pub expected: String,
    pub actual: String,
    pub weighted_absolute_error: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BacktestReport {
    pub as_of: NaiveDate,
    pub weeks: Vec<BacktestWeekReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BacktestWeekReport {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: String,
    pub actual: String,
}

/// The D441-6 table (issued invoices) at a fiscal year end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct D4416Report {
    pub year_end: NaiveDate,
    pub currency: String,
    /// 1-30, 31-60, 61-90, 91+
    pub bands: Vec<D4416Band>,
    pub total: D4416Band,
    /// Past-due invoices left out of the bands because disputed.
    pub disputed: D4416Excluded,
    /// The year's turnover excl. VAT; null when neither imported nor entered.
    pub turnover: Option<String>,
    /// "fec", "user" or null.
    pub turnover_source: Option<String>,
    /// "contractual" when customers have their own terms, else "legal".
    pub reference_terms: String,
    /// The terms of customers without their own (net:30 = the L441-10 default).
    pub default_terms: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct D4416Band {
    pub band: String,
    pub invoices: u32,
    /// Still unpaid, incl. VAT.
    pub amount: String,
    /// Of the turnover excl. VAT, percent with two decimals.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct D4416Excluded {
    pub invoices: u32,
    pub amount: String,
}

// ---------------------------------------------------------------------------------------------------------------
// What the collections workflow knows

/// Promises, disputes and per-customer counts from the collections workflow (issue 5) as of a date (see
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

// ---------------------------------------------------------------------------------------------------------------
// The book: every fiscal year's ledger, loaded once per report

pub(crate) struct Book {
    pub(crate) terms: Terms,
    pub(crate) years: Vec<NaiveDate>,
    /// One ledger per fiscal year (lines of no year included), or the whole ledger when no year is known.
    pub(crate) ledgers: Vec<Vec<CustomerLedger>>,
    /// The whole ledger, for dates before the first fiscal year (as the #2 aging does).
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
    /// Every fiscal year's ledger in one read; `_earliest` is kept for callers that still name the first date they
    /// need (the whole ledger is always there now). Reports take the cached book from [`App::book`].
    pub(crate) fn load(store: &Store, _earliest: NaiveDate) -> AppResult<Book> {
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

    /// The DSO at `as_of` over `period` days (sales of every year, as in #2).
    pub(crate) fn dso(&self, receivables: Decimal, as_of: NaiveDate, period: u32) -> Dso {
        let index = self.sales.get_or_init(|| {
            SalesIndex::new(
                self.whole().iter().flat_map(|c| c.lines.iter()),
                &encaisse_analytics::dso::OPENING_JOURNALS,
            )
        });
        dso_indexed(index, receivables, as_of, period)
    }

    /// Every line of every year (for sales: the #2 DSO reads them all).
    pub(crate) fn whole(&self) -> &[CustomerLedger] {
        self.all.as_deref().unwrap_or(&self.ledgers[0])
    }

    /// The ledger whose positions hold at `as_of`: the fiscal year in force (its opening entries carry the past).
    pub(crate) fn at(&self, as_of: NaiveDate) -> &[CustomerLedger] {
        if self.years.is_empty() {
            return &self.ledgers[0];
        }
        match self.years.iter().rposition(|y| *y <= as_of) {
            Some(i) => &self.ledgers[i],
            None => self.all.as_deref().unwrap_or(&self.ledgers[0]),
        }
    }

    pub(crate) fn terms_of(&self, c: &Customer) -> Terms {
        c.terms.unwrap_or(self.terms)
    }

    fn aged(&self, buckets: &Buckets, basis: AgeBasis, as_of: NaiveDate) -> AgedBalance {
        aged_balance_by(
            self.at(as_of).iter().map(|c| (&c.customer, c.lines.as_slice())),
            self.terms,
            buckets,
            basis,
            as_of,
        )
    }

    /// Invoices paid by `as_of`, per customer key, from every fiscal year up to it (lettering codes restart
    /// each year, so each year is matched on its own).
    pub(crate) fn paid(&self, as_of: NaiveDate) -> HashMap<&str, Vec<PaidInvoice>> {
        let mut out: HashMap<&str, Vec<PaidInvoice>> = HashMap::new();
        for (i, ledger) in self.ledgers.iter().enumerate() {
            if self.years.get(i).is_some_and(|y| *y > as_of) {
                continue;
            }
            let ever = self.paid_ever[i].get_or_init(|| {
                ledger
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
            });
            for (c, paid) in ever {
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

/// One customer's facts at a date.
struct Facts {
    behaviour: Behaviour,
    score: Score,
}

fn facts(
    book: &Book,
    aged: &AgedBalance,
    inputs: &CollectionInputs,
    as_of: NaiveDate,
) -> HashMap<String, Facts> {
    let paid = book.paid(as_of);
    let rows: HashMap<&str, &AgedCustomer> = aged.customers.iter().map(|c| (c.key.as_str(), c)).collect();
    let mut out = HashMap::new();
    for c in book.at(as_of) {
        let key = c.customer.key.as_str();
        let b = behaviour(paid.get(key).map_or(&[][..], Vec::as_slice), as_of);
        let row = rows.get(key);
        let (open, over_60, exposure) = row.map_or((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |r| {
            let open: Decimal = r.buckets.iter().sum();
            let over_60: Decimal = r
                .position
                .open_items
                .iter()
                .filter(|i| (as_of - i.due_date).num_days() > 60)
                .map(|i| i.residual)
                .sum();
            (open, over_60, r.balance)
        });
        let s = score(&ScoreInput {
            avg_days_late: b.year.avg_days_late,
            trend: b.trend,
            open,
            overdue_over_60: over_60,
            exposure,
            credit_limit: c.customer.credit_limit,
            broken_promises: inputs.broken_promises.get(key).copied().unwrap_or(0),
            open_disputes: inputs.open_disputes.get(key).copied().unwrap_or(0),
        });
        out.insert(
            key.to_string(),
            Facts {
                behaviour: b,
                score: s,
            },
        );
    }
    out
}

fn days(d: Option<Decimal>) -> Option<f64> {
    d.map(days_to_f64)
}

fn strings(v: &[Decimal]) -> Vec<String> {
    v.iter().copied().map(format_amount).collect()
}

fn i32_days(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

fn basis_of(s: Option<&str>) -> AppResult<(AgeBasis, &'static str)> {
    match s.map(|s| s.trim().replace('-', "_")).as_deref() {
        None | Some("due_date") | Some("due") => Ok((AgeBasis::DueDate, "due_date")),
        Some("invoice_date") | Some("invoice") => Ok((AgeBasis::InvoiceDate, "invoice_date")),
        Some(other) => Err(AppError::InvalidInput(format!(
            "basis: '{other}' (expected due_date or invoice_date)"
        ))),
    }
}

const GROUPS: [&str; 6] = [
    "customer",
    "segment",
    "category",
    "customer_segment",
    "collector",
    "risk_class",
];

fn buckets_of(limits: Option<&[u32]>) -> AppResult<Buckets> {
    match limits {
        None => Ok(Buckets::default()),
        Some(l) => Buckets::new(l.iter().map(|&d| i64::from(d)).collect()).ok_or_else(|| {
            AppError::InvalidInput(format!(
                "buckets: {l:?} must be increasing day counts above 0 (e.g. 15,30,45,60,90,120)"
            ))
        }),
    }
}

/// Parses "15,30,45" as typed on a command line.
pub fn parse_buckets(s: &str) -> AppResult<Vec<u32>> {
    s.split(',')
        .map(|p| {
            p.trim().parse::<u32>().map_err(|_| {
                AppError::InvalidInput(format!("--buckets: '{s}' is not a list of days like 15,30,45"))
            })
        })
        .collect()
}

fn one_decimal(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

impl App {
    /// Promises, disputes, kept and broken promises and open disputes per customer as of `as_of`, from the
    /// collections workflow's records and the ledger.
    pub fn collection_inputs(&self, store: &Store, as_of: NaiveDate) -> AppResult<CollectionInputs> {
        let book = self.book(store)?;
        Ok(CollectionRecords::load(store)?.inputs_at(&book, as_of))
    }

    fn book_at(
        &self,
        store: &Store,
        _earliest: NaiveDate,
    ) -> AppResult<std::sync::Arc<crate::ledger_cache::Loaded>> {
        Self::company_currency(store)?;
        self.book(store)
    }

    /// The aged balance by customer with other buckets or basis (the #2 shape, other bucket labels).
    pub fn aging_with(&self, options: &AgingOptions) -> AppResult<AgingReport> {
        let as_of = options.as_of.unwrap_or_else(|| self.today());
        let buckets = buckets_of(options.buckets.as_deref())?;
        let (basis, _) = basis_of(options.basis.as_deref())?;
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged_totals(&buckets, basis, as_of);
        Ok(crate::aging_report(&aged, currency))
    }

    /// The aged balance summed by segment, category, collector, risk class… (`group_by` of the options).
    pub fn aging_grouped(&self, options: &AgingOptions) -> AppResult<GroupedAgingReport> {
        let as_of = options.as_of.unwrap_or_else(|| self.today());
        let buckets = buckets_of(options.buckets.as_deref())?;
        let (basis, basis_name) = basis_of(options.basis.as_deref())?;
        let group_by = options
            .group_by
            .as_deref()
            .unwrap_or("customer")
            .trim()
            .replace('-', "_");
        if !GROUPS.contains(&group_by.as_str()) {
            return Err(AppError::InvalidInput(format!(
                "group by: '{group_by}' (expected one of {})",
                GROUPS.join(", ")
            )));
        }
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged(&buckets, basis, as_of);
        let customers: HashMap<&str, &Customer> = book
            .at(as_of)
            .iter()
            .map(|c| (c.customer.key.as_str(), &c.customer))
            .collect();
        let categories = if group_by == "category" {
            store.customer_categories()?
        } else {
            HashMap::new()
        };
        let facts = if matches!(group_by.as_str(), "segment" | "risk_class") {
            let default_aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
            let inputs = self.collection_inputs(&store, as_of)?;
            facts(&book, &default_aged, &inputs, as_of)
        } else {
            HashMap::new()
        };
        let groups = group_aged(&aged, |c| {
            let customer = customers.get(c.key.as_str());
            match group_by.as_str() {
                "segment" => facts
                    .get(&c.key)
                    .and_then(|f| f.behaviour.segment)
                    .map(|s| s.code().to_string()),
                "category" => categories.get(&c.key).cloned(),
                "customer_segment" => customer.and_then(|c| c.segment.clone()),
                "collector" => customer.and_then(|c| c.collector.clone()),
                "risk_class" => facts.get(&c.key).map(|f| f.score.class.to_string()),
                _ => Some(c.key.clone()),
            }
            .unwrap_or_default()
        });
        Ok(GroupedAgingReport {
            as_of,
            currency,
            basis: basis_name.into(),
            group_by,
            buckets: aged.labels.clone(),
            groups: groups
                .iter()
                .map(|g| AgingGroup {
                    key: g.key.clone(),
                    customers: g.customers,
                    balance: format_amount(g.balance),
                    unapplied: format_amount(g.unapplied),
                    buckets: strings(&g.buckets),
                })
                .collect(),
            totals: AgingTotals {
                balance: format_amount(aged.balance),
                unapplied: format_amount(aged.unapplied),
                buckets: strings(&aged.buckets),
            },
        })
    }

    /// The open invoices behind the aged balance, all or one customer's.
    pub fn aging_invoices(&self, options: &AgingOptions, customer: Option<&str>) -> AppResult<AgingInvoices> {
        let as_of = options.as_of.unwrap_or_else(|| self.today());
        let buckets = buckets_of(options.buckets.as_deref())?;
        let (basis, basis_name) = basis_of(options.basis.as_deref())?;
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged(&buckets, basis, as_of);
        let names: HashMap<&str, &str> = aged
            .customers
            .iter()
            .map(|c| (c.key.as_str(), c.name.as_str()))
            .collect();
        let invoices = aged_invoices(&aged, &buckets, basis, |c| customer.is_none_or(|k| c.key == k));
        Ok(AgingInvoices {
            as_of,
            currency,
            basis: basis_name.into(),
            buckets: aged.labels.clone(),
            invoices: invoices
                .into_iter()
                .map(|i| AgingInvoice {
                    customer_name: names
                        .get(i.customer_key.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                    customer_id: i.customer_key,
                    piece_ref: i.piece_ref,
                    invoice_date: i.invoice_date,
                    due_date: i.due_date,
                    days: i32_days(i.days),
                    bucket: aged.labels[i.bucket].clone(),
                    amount: format_amount(i.amount),
                    residual: format_amount(i.residual),
                })
                .collect(),
        })
    }

    /// The DSO set: the #2 figures, best possible DSO, weighted days late and the 12 month ends.
    pub fn dso_set(&self, as_of: Option<NaiveDate>, period_days: Option<u32>) -> AppResult<DsoSetReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let period = crate::check_period(period_days)?;
        let ends = month_ends(as_of, 12);
        let store = self.store();
        let book = self.book_at(&store, ends.first().copied().unwrap_or(as_of))?;
        let at = |date: NaiveDate| {
            let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, date);
            let d = book.dso(aged.balance, date, period);
            (aged, d)
        };
        let (aged, now) = at(as_of);
        let paid = book.paid(as_of);
        let year = lateness(
            paid.values().flatten(),
            as_of
                .checked_sub_months(Months::new(12))
                .unwrap_or(NaiveDate::MIN),
            as_of,
        );
        let trend = ends
            .iter()
            .map(|&date| {
                let (_, d) = at(date);
                DsoPoint {
                    date,
                    receivables: format_amount(d.receivables),
                    dso_average: days(d.average),
                    dso_countback: days(d.countback),
                }
            })
            .collect();
        Ok(DsoSetReport {
            as_of,
            period_days: period,
            receivables: format_amount(now.receivables),
            sales: format_amount(now.sales),
            dso_average: days(now.average),
            dso_countback: days(now.countback),
            dso_best: days(best_possible_dso(aged.buckets[0], now.sales, period)),
            avg_days_late: days(year.avg_days_late),
            paid_invoices: year.invoices,
            trend,
        })
    }

    /// Every customer with its balance, behaviour, explained score and limit; the credit-limit alerts.
    pub fn customers_report(&self, as_of: Option<NaiveDate>) -> AppResult<CustomersReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
        let inputs = self.collection_inputs(&store, as_of)?;
        let facts = facts(&book, &aged, &inputs, as_of);
        let reminders = reminders_by_customer(&book, &reminder_dates(&store)?, as_of);
        let categories = store.customer_categories()?;
        let rows: HashMap<&str, &AgedCustomer> = aged.customers.iter().map(|c| (c.key.as_str(), c)).collect();
        let zero = vec![Decimal::ZERO; aged.labels.len()];
        let mut customers = Vec::new();
        let mut alerts = Vec::new();
        for c in book.at(as_of) {
            let c = &c.customer;
            let Some(f) = facts.get(&c.key) else { continue };
            let row = rows.get(c.key.as_str());
            let balance = row.map_or(Decimal::ZERO, |r| r.balance);
            let buckets = row.map_or(&zero, |r| &r.buckets);
            let limit = c.credit_limit.filter(|l| *l > Decimal::ZERO);
            let exceeded = limit.is_some_and(|l| balance > l);
            if let (true, Some(l)) = (exceeded, limit) {
                alerts.push((balance - l, c, l, balance));
            }
            let b = &f.behaviour;
            customers.push(CustomerAnalysis {
                id: c.key.clone(),
                name: c.name.clone(),
                category: categories.get(&c.key).cloned(),
                customer_segment: c.segment.clone(),
                collector: c.collector.clone(),
                balance: format_amount(balance),
                overdue: format_amount(buckets.iter().skip(1).sum()),
                not_due: format_amount(buckets[0]),
                unapplied: format_amount(row.map_or(Decimal::ZERO, |r| r.unapplied)),
                buckets: strings(buckets),
                behaviour: PaymentBehaviour {
                    paid_invoices: b.year.invoices,
                    paid_amount: format_amount(b.year.amount),
                    avg_days_late: days(b.year.avg_days_late),
                    median_days_late: b.year.median_days_late.map(i32_days),
                    on_time_share: days(b.year.on_time_share),
                    recent_days_late: days(b.recent),
                    previous_days_late: days(b.previous),
                    trend: days(b.trend),
                    segment: b.segment.map(|s| s.code().to_string()),
                    reminders_before_payment: days(match reminders.get(&c.key) {
                        Some(r) => *r,
                        None => (b.year.invoices > 0).then_some(Decimal::ZERO),
                    }),
                },
                score: f.score.score,
                class: f.score.class.to_string(),
                factors: f
                    .score
                    .factors
                    .iter()
                    .map(|x| ScoreFactor {
                        code: x.kind.code().into(),
                        value: days(x.value),
                        weight: x.kind.weight(),
                        points_lost: days_to_f64(x.points_lost),
                    })
                    .collect(),
                credit_limit: limit.map(format_amount),
                limit_use: limit.map(|l| days_to_f64(one_decimal(balance / l * Decimal::ONE_HUNDRED))),
                limit_exceeded: exceeded,
            });
        }
        alerts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
        Ok(CustomersReport {
            as_of,
            currency,
            customers,
            limit_alerts: alerts
                .into_iter()
                .map(|(excess, c, limit, balance)| CreditLimitAlert {
                    id: c.key.clone(),
                    name: c.name.clone(),
                    credit_limit: format_amount(limit),
                    balance: format_amount(balance),
                    excess: format_amount(excess),
                })
                .collect(),
        })
    }

    /// `encaisse customers --format json` rows.
    pub fn customer_rows(&self, as_of: Option<NaiveDate>) -> AppResult<Vec<CustomerRow>> {
        Ok(self
            .customers_report(as_of)?
            .customers
            .into_iter()
            .map(|c| CustomerRow {
                id: c.id,
                name: c.name,
                balance: c.balance,
                overdue: c.overdue,
                avg_days_late: c.behaviour.avg_days_late,
                score: c.score,
                class: c.class,
                credit_limit: c.credit_limit,
                segment: c.behaviour.segment,
            })
            .collect())
    }

    /// Sets a customer's user category (key_account, occasional, private_person, public_body) or clears it.
    pub fn set_customer_category(&self, key: &str, category: Option<&str>) -> AppResult<()> {
        let store = self.store();
        if !store.set_customer_category(key, category)? {
            return Err(AppError::InvalidInput(format!(
                "customer {key}: no such customer"
            )));
        }
        Ok(())
    }

    /// Records the turnover excl. VAT of the fiscal year closing on `year_end`, as entered by the user.
    pub fn set_turnover(&self, year_end: NaiveDate, turnover: Decimal) -> AppResult<()> {
        if turnover <= Decimal::ZERO {
            return Err(AppError::InvalidInput("turnover: must be above 0".into()));
        }
        self.store().set_fiscal_turnover(year_end, turnover, "user")?;
        Ok(())
    }

    /// The cash-in forecast over `weeks` weeks (13 by default), "later" and "uncertain".
    pub fn forecast(&self, as_of: Option<NaiveDate>, weeks: Option<u32>) -> AppResult<ForecastReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let weeks = weeks.unwrap_or(13);
        if !(1..=104).contains(&weeks) {
            return Err(AppError::InvalidInput(format!(
                "--weeks: {weeks} is out of range (1 to 104)"
            )));
        }
        let store = self.store();
        let book = self.book_at(&store, as_of)?;
        let inputs = self.collection_inputs(&store, as_of)?;
        let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
        let f = forecast_from(&aged, &book.paid(as_of), &inputs.forecast, weeks, as_of);
        Ok(ForecastReport {
            as_of,
            weeks: f
                .weeks
                .iter()
                .map(|w| ForecastWeek {
                    start: w.start,
                    end: w.end,
                    expected: format_amount(w.expected),
                })
                .collect(),
            later: format_amount(f.later),
            uncertain: format_amount(f.uncertain),
            total: format_amount(f.total),
        })
    }

    /// The forecast's backtest: at each of the last `origins` Mondays whose `horizon` weeks are over by `as_of`,
    /// the forecast from what was known then (positions, habits, the promises running and disputes open then)
    /// against the payments that came on the invoices open then.
    pub fn forecast_accuracy(
        &self,
        as_of: Option<NaiveDate>,
        origins: Option<u32>,
        horizon: Option<u32>,
    ) -> AppResult<ForecastAccuracy> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let origins = origins.unwrap_or(26);
        let horizon = horizon.unwrap_or(4);
        if !(1..=260).contains(&origins) || !(1..=13).contains(&horizon) {
            return Err(AppError::InvalidInput(format!(
                "origins {origins} (1 to 260) or horizon {horizon} weeks (1 to 13) out of range"
            )));
        }
        // The latest Monday whose horizon ended on or before as_of.
        let last = monday_of(as_of - Days::new(7 * u64::from(horizon) - 1));
        let last = if last + Days::new(7 * u64::from(horizon) - 1) > as_of {
            last - Days::new(7)
        } else {
            last
        };
        let mondays: Vec<NaiveDate> = (0..u64::from(origins))
            .rev()
            .filter_map(|i| last.checked_sub_days(Days::new(7 * i)))
            .collect();
        let store = self.store();
        let book = self.book_at(&store, mondays.first().copied().unwrap_or(as_of))?;
        // What came, as known today, per ledger and customer, sorted by line.
        let mut paid_now: HashMap<
            (*const CustomerLedger, usize),
            Vec<encaisse_analytics::settlement::Payment>,
        > = HashMap::new();
        let records = CollectionRecords::load(&store)?;
        // Paid invoices as known today; each backtest keeps those lettered by its date.
        let paid = book.paid(as_of);
        let mut tests: Vec<Backtest> = Vec::new();
        for &origin in &mondays {
            let ledger = book.at(origin);
            let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, origin);
            let known = records.inputs_at(&book, origin);
            let f = forecast_from(&aged, &paid, &known.forecast, horizon, origin);
            let index: HashMap<&str, usize> = ledger
                .iter()
                .enumerate()
                .map(|(i, c)| (c.customer.key.as_str(), i))
                .collect();
            let mut actual = vec![Decimal::ZERO; horizon as usize];
            for row in &aged.customers {
                let Some(&i) = index.get(row.key.as_str()) else {
                    continue;
                };
                let c = &ledger[i];
                let pays = paid_now.entry((ledger.as_ptr(), i)).or_insert_with(|| {
                    let mut p = payments(&c.lines, book.terms_of(&c.customer), as_of);
                    p.sort_by_key(|p| (p.line, p.date));
                    p
                });
                paid_by_week(&row.position.open_items, pays, origin, &mut actual);
            }
            tests.push(backtest(&f, &actual));
        }
        let by_week = (0..horizon as usize)
            .map(|w| {
                let (e, a) = tests
                    .iter()
                    .filter_map(|t| t.weeks.get(w))
                    .fold((Decimal::ZERO, Decimal::ZERO), |(e, a), x| {
                        (e + x.expected, a + x.actual)
                    });
                AccuracyWeek {
                    week: u32::try_from(w + 1).unwrap_or(u32::MAX),
                    expected: format_amount(e),
                    actual: format_amount(a),
                    weighted_absolute_error: days(weighted_absolute_error_of_week(&tests, w)),
                }
            })
            .collect();
        Ok(ForecastAccuracy {
            as_of,
            horizon_weeks: horizon,
            weighted_absolute_error: days(weighted_absolute_error(&tests, horizon as usize)),
            by_week,
            backtests: tests
                .iter()
                .map(|t| BacktestReport {
                    as_of: t.as_of,
                    weeks: t
                        .weeks
                        .iter()
                        .map(|w| BacktestWeekReport {
                            start: w.start,
                            end: w.end,
                            expected: format_amount(w.expected),
                            actual: format_amount(w.actual),
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// The D441-6 table at a fiscal year end. `turnover` (excl. VAT) overrides the recorded one.
    pub fn d441_6(&self, year_end: NaiveDate, turnover: Option<Decimal>) -> AppResult<D4416Report> {
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.book(&store)?;
        let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, year_end);
        let inputs = self.collection_inputs(&store, year_end)?;
        let (turnover, source) = match turnover {
            Some(t) => (Some(t), Some("user".to_string())),
            None => store
                .fiscal_turnover(year_end)?
                .map_or((None, None), |(t, s)| (Some(t), Some(s))),
        };
        let t = d441_6(
            aged.customers
                .iter()
                .map(|c| (c.key.as_str(), c.position.open_items.as_slice())),
            &inputs.forecast,
            turnover,
            year_end,
        );
        let contractual = book.at(year_end).iter().any(|c| c.customer.terms.is_some());
        let band = |b: &encaisse_analytics::d441_6::Band| D4416Band {
            band: b.label.clone(),
            invoices: b.invoices,
            amount: format_amount(b.amount),
            share: days(b.share),
        };
        Ok(D4416Report {
            year_end,
            currency,
            bands: t.bands.iter().map(band).collect(),
            total: band(&t.total),
            disputed: D4416Excluded {
                invoices: t.disputed_invoices,
                amount: format_amount(t.disputed_amount),
            },
            turnover: t.turnover.map(format_amount),
            turnover_source: source,
            reference_terms: if contractual { "contractual" } else { "legal" }.into(),
            default_terms: book.terms.to_string(),
        })
    }
}

/// The forecast at `as_of` from its aged balance, habits from the invoices known paid by then (`paid` may hold
/// invoices lettered later: they are left out).
fn forecast_from(
    aged: &AgedBalance,
    paid: &HashMap<&str, Vec<PaidInvoice>>,
    inputs: &ForecastInputs,
    weeks: u32,
    as_of: NaiveDate,
) -> encaisse_analytics::forecast::Forecast {
    let mut known: Vec<PaidInvoice> = Vec::new();
    // The habit is the behaviour's 12-month weighted days late (behaviour().year), without its trend.
    let year_before = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let habits: Vec<i64> = aged
        .customers
        .iter()
        .map(|c| {
            known.clear();
            if let Some(list) = paid.get(c.key.as_str()) {
                known.extend(list.iter().filter(|p| p.lettered_on <= as_of));
            }
            habit_days(lateness(&known, year_before, as_of).avg_days_late)
        })
        .collect();
    forecast(
        aged.customers
            .iter()
            .zip(&habits)
            .map(|(c, h)| (c.key.as_str(), c.position.open_items.as_slice(), *h)),
        inputs,
        &ForecastOptions {
            weeks,
            ..ForecastOptions::default()
        },
        as_of,
    )
}
