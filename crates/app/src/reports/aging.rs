//! The aged balance: by customer (the default contract or other buckets and basis), summed by group, and the open
//! invoices behind it.

use crate::reports::{basis_of, buckets_of, facts, i32_days, strings, AgingOptions, GROUPS};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::grouping::{aged_invoices, group_aged};
use encaisse_analytics::{AgeBasis, Buckets};
use encaisse_domain::{format_amount, Customer};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// The aged balance, exactly the `encaisse aging --format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingReport {
    pub as_of: NaiveDate,
    pub currency: String,
    pub buckets: Vec<String>,
    pub customers: Vec<AgingRow>,
    pub totals: AgingTotals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingRow {
    pub id: String,
    pub name: String,
    pub balance: String,
    pub unapplied: String,
    pub buckets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingTotals {
    pub balance: String,
    pub unapplied: String,
    pub buckets: Vec<String>,
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

pub(crate) fn aging_report(aged: &crate::book::AgedTotals<'_>, currency: String) -> AgingReport {
    let strings = |v: &[Decimal]| v.iter().copied().map(format_amount).collect::<Vec<_>>();
    AgingReport {
        as_of: aged.as_of,
        currency,
        buckets: aged.labels.clone(),
        customers: aged
            .customers
            .iter()
            .map(|c| AgingRow {
                id: c.customer.key.clone(),
                name: c.customer.name.clone(),
                balance: format_amount(c.balance),
                unapplied: format_amount(c.unapplied),
                buckets: strings(&c.buckets),
            })
            .collect(),
        totals: AgingTotals {
            balance: format_amount(aged.balance),
            unapplied: format_amount(aged.unapplied),
            buckets: strings(&aged.buckets),
        },
    }
}

impl App {
    /// The aged balance as of a date (today when absent).
    pub fn aging(&self, as_of: Option<NaiveDate>) -> AppResult<AgingReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.ageing(&store)?;
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        Ok(aging_report(&aged, currency))
    }

    /// The aged balance by customer with other buckets or basis (the default shape, other bucket labels).
    pub fn aging_with(&self, options: &AgingOptions) -> AppResult<AgingReport> {
        let as_of = options.as_of.unwrap_or_else(|| self.today());
        let buckets = buckets_of(options.buckets.as_deref())?;
        let (basis, _) = basis_of(options.basis.as_deref())?;
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.ageing(&store)?;
        let aged = book.aged_totals(&buckets, basis, as_of);
        Ok(aging_report(&aged, currency))
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
        let portfolio = crate::workflow::Portfolio::load(&store)?;
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
                "collector" => customer.and_then(|c| portfolio.collector_of(c).map(str::to_string)),
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
}
