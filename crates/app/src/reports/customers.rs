//! Every customer with its balance, payment behaviour, explained score and credit limit; the credit-limit alerts.

use crate::book::Loaded;
use crate::collection::{reminder_dates, reminders_by_customer};
use crate::reports::{days, facts, i32_days, one_decimal, strings};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::{AgeBasis, AgedCustomer, Buckets};
use encaisse_domain::customer::{BehaviourSegment, Category};
use encaisse_domain::{days_to_f64, format_amount};
use encaisse_store::Store;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

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
    /// Behaviour segment; null without paid invoices in 12 months.
    pub segment: Option<BehaviourSegment>,
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
    /// The user category.
    pub category: Option<Category>,
    /// The customers file's segment.
    pub customer_segment: Option<String>,
    /// The collector following the customer (portfolios: by hand, the customers file, its category's or its
    /// segment's), by login.
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
    pub segment: Option<BehaviourSegment>,
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

/// The Clients screen's list: for each customer only what its table shows and filters on (the whole analysis is
/// in [`CustomersReport`], its export and each customer's file). A third of the report's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerList {
    pub as_of: NaiveDate,
    pub currency: String,
    pub customers: Vec<CustomerListRow>,
}

/// One customer of [`CustomerList`]: the fields of its [`CustomerAnalysis`], same values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerListRow {
    pub id: String,
    pub name: String,
    pub balance: String,
    pub overdue: String,
    /// The behaviour's weighted days late over 12 months; null without paid invoices.
    pub avg_days_late: Option<f64>,
    pub score: u8,
    pub class: String,
    pub credit_limit: Option<String>,
    pub limit_exceeded: bool,
    /// The behaviour segment; null without paid invoices in 12 months.
    pub segment: Option<BehaviourSegment>,
    /// The user category.
    pub category: Option<Category>,
}

impl From<&CustomerAnalysis> for CustomerListRow {
    fn from(c: &CustomerAnalysis) -> Self {
        CustomerListRow {
            id: c.id.clone(),
            name: c.name.clone(),
            balance: c.balance.clone(),
            overdue: c.overdue.clone(),
            avg_days_late: c.behaviour.avg_days_late,
            score: c.score,
            class: c.class.clone(),
            credit_limit: c.credit_limit.clone(),
            limit_exceeded: c.limit_exceeded,
            segment: c.behaviour.segment,
            category: c.category,
        }
    }
}

impl App {
    /// Every customer with its balance, behaviour, score and limit; the credit-limit alerts. The score's factors
    /// are in each customer's file (`customer_file`): the list of a large portfolio stays light.
    pub fn customers_report(&self, as_of: Option<NaiveDate>) -> AppResult<CustomersReport> {
        Ok(self.customers_cached(as_of)?.as_ref().clone())
    }

    /// The Clients screen's list (see [`CustomerList`]), from the same report.
    pub fn customer_list(&self, as_of: Option<NaiveDate>) -> AppResult<CustomerList> {
        let report = self.customers_cached(as_of)?;
        Ok(CustomerList {
            as_of: report.as_of,
            currency: report.currency.clone(),
            customers: report.customers.iter().map(CustomerListRow::from).collect(),
        })
    }

    /// The customers report, kept with the cached book until the as-of date, the ledger or any other table
    /// changes (a promise, a dispute, an action, a category, a setting: any write of this App or another
    /// connection): a second visit of the Clients screen costs no computation.
    fn customers_cached(&self, as_of: Option<NaiveDate>) -> AppResult<std::sync::Arc<CustomersReport>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let book = self.book(&store)?;
        let stamp = crate::book::ReportStamp::read(&store, as_of)?;
        book.customers_report(stamp, || Ok(self.analyse_with(&store, &book, as_of, None)?.0))
    }

    /// The customers' report, and the score's factors of the customer `factors_of` (empty when none).
    pub(crate) fn analyse_customers(
        &self,
        as_of: Option<NaiveDate>,
        factors_of: Option<&str>,
    ) -> AppResult<(CustomersReport, Vec<ScoreFactor>)> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let book = self.book(&store)?;
        self.analyse_with(&store, &book, as_of, factors_of)
    }

    fn analyse_with(
        &self,
        store: &Store,
        book: &Loaded,
        as_of: NaiveDate,
        factors_of: Option<&str>,
    ) -> AppResult<(CustomersReport, Vec<ScoreFactor>)> {
        let mut factors = Vec::new();
        let (_, currency) = Self::company_currency(store)?;
        let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
        let inputs = self.collection_inputs(store, as_of)?;
        let facts = facts(book, &aged, &inputs, as_of);
        let reminders = reminders_by_customer(book, &reminder_dates(store)?, as_of);
        let categories = store.customer_categories()?;
        let portfolio = crate::workflow::Portfolio::load(store)?;
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
            if factors_of == Some(c.key.as_str()) {
                factors = f
                    .score
                    .factors
                    .iter()
                    .map(|x| ScoreFactor {
                        code: x.kind.code().into(),
                        value: days(x.value),
                        weight: x.kind.weight(),
                        points_lost: days_to_f64(x.points_lost),
                    })
                    .collect();
            }
            let b = &f.behaviour;
            customers.push(CustomerAnalysis {
                id: c.key.clone(),
                name: c.name.clone(),
                category: categories
                    .get(&c.key)
                    .map(|s| s.parse::<Category>())
                    .transpose()
                    .map_err(|e| AppError::Database(format!("customer {}: category {e}", c.key)))?,
                customer_segment: c.segment.clone(),
                collector: portfolio.collector_of(c).map(str::to_string),
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
                    segment: b.segment,
                    reminders_before_payment: days(match reminders.get(&c.key) {
                        Some(r) => *r,
                        None => (b.year.invoices > 0).then_some(Decimal::ZERO),
                    }),
                },
                score: f.score.score,
                class: f.score.class.to_string(),
                credit_limit: limit.map(format_amount),
                limit_use: limit.map(|l| days_to_f64(one_decimal(balance / l * Decimal::ONE_HUNDRED))),
                limit_exceeded: exceeded,
            });
        }
        alerts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
        let report = CustomersReport {
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
        };
        Ok((report, factors))
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
}
