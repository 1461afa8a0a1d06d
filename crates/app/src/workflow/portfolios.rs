//! Portfolios: which collector follows which customers. A customer's collector is, in this order: the one a
//! manager gave it by hand, the one its category is given, the one its segment is given (the manager's choices in
//! the app), the one of the customers file (its `collector` column, the accounting software's default); none:
//! nobody's, on every agenda of the team. The agenda shows the acting
//! user's portfolio by default when they have one ("Mon portefeuille"), else the whole team's. Every change is
//! audited (entity `portfolio`); on a team's server only managers may make one (the server refuses the others).

use crate::workflow::{parse_amount, parse_word, to_json};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::{collector_for, AssignBy, PortfolioRule};
use encaisse_domain::{format_amount, Customer};
use encaisse_store::Store;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// Which customers an agenda (or a daily report) covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "login", rename_all = "snake_case")]
#[ts(export)]
pub enum PortfolioScope {
    /// Everybody's ("toute l'équipe").
    Team,
    /// The acting user's.
    Mine,
    /// The customers nobody follows.
    Unassigned,
    /// One collector's, by login.
    Collector(String),
}

/// Who follows each customer: what the rules resolve, read once.
pub(crate) struct Portfolio {
    rules: Vec<PortfolioRule>,
    by_hand: HashMap<String, String>,
    categories: HashMap<String, String>,
}

impl Portfolio {
    pub(crate) fn load(store: &Store) -> AppResult<Portfolio> {
        Ok(Portfolio {
            rules: store.portfolio_rules()?,
            by_hand: store.customer_collectors()?,
            categories: store.customer_categories()?,
        })
    }

    /// The collector following a customer, if any.
    pub(crate) fn collector_of<'a>(&'a self, customer: &'a Customer) -> Option<&'a str> {
        collector_for(
            self.by_hand.get(&customer.key).map(String::as_str),
            customer.segment.as_deref(),
            self.categories.get(&customer.key).map(String::as_str),
            &self.rules,
        )
        .or(customer.collector.as_deref().filter(|c| !c.trim().is_empty()))
    }

    /// The collector a rule (category, segment) gives a customer.
    fn by_rule(&self, customer: &Customer) -> Option<&str> {
        collector_for(
            None,
            customer.segment.as_deref(),
            self.categories.get(&customer.key).map(String::as_str),
            &self.rules,
        )
    }
}

/// The portfolios screen: each collector's customers and money, the rules, the customers given by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Portfolios {
    pub as_of: NaiveDate,
    pub currency: String,
    /// The acting user's login ("Mon portefeuille").
    pub me: String,
    /// Every collector known (given customers, a rule, or a sign-in of the team's server), by name.
    pub collectors: Vec<CollectorPortfolio>,
    /// The customers nobody follows.
    pub unassigned: PortfolioTotals,
    pub rules: Vec<PortfolioRuleView>,
    /// Customers given to a collector by hand, by name.
    pub by_hand: Vec<CustomerCollector>,
    /// The customers files' segments (customer.segment), for a rule.
    pub segments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectorPortfolio {
    pub login: String,
    /// The display name (Settings → "Mon nom"), else the login.
    pub name: String,
    /// On a team's server: manager, collector or viewer; None for a name that signs in nowhere.
    pub role: Option<String>,
    pub totals: PortfolioTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortfolioTotals {
    pub customers: u32,
    /// Of them, those with something open.
    pub open_customers: u32,
    /// What they owe (the aged balance), and the part overdue.
    pub balance: String,
    pub overdue: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortfolioRuleView {
    pub by: AssignBy,
    pub value: String,
    pub collector: String,
    pub collector_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerCollector {
    pub customer: String,
    pub name: String,
    pub collector: String,
    pub collector_name: String,
}

/// What a reassignment moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reassignment {
    pub from: String,
    pub to: String,
    /// Customers given by hand, and segment/category rules, now `to`'s.
    pub customers: u32,
    pub rules: u32,
}

#[derive(Default)]
struct Sums {
    customers: u32,
    open_customers: u32,
    balance: Decimal,
    overdue: Decimal,
}

impl Sums {
    fn totals(&self) -> PortfolioTotals {
        PortfolioTotals {
            customers: self.customers,
            open_customers: self.open_customers,
            balance: format_amount(self.balance),
            overdue: format_amount(self.overdue),
        }
    }
}

fn check_login(field: &str, login: &str) -> AppResult<String> {
    let login = login.trim();
    if login.is_empty() || login.chars().count() > 63 {
        return Err(AppError::InvalidInput(format!(
            "{field}: 1 to 63 characters (a sign-in name)"
        )));
    }
    Ok(login.to_string())
}

impl App {
    /// Resolves a scope: "mine" is the acting user's login; None is theirs when they follow a customer, else the
    /// team's.
    pub(crate) fn resolve_scope(
        &self,
        scope: Option<PortfolioScope>,
        customers: &[Customer],
        portfolio: &Portfolio,
    ) -> PortfolioScope {
        let me = self.actor().0;
        match scope {
            Some(PortfolioScope::Mine) => PortfolioScope::Collector(me),
            Some(s) => s,
            None if customers
                .iter()
                .any(|c| portfolio.collector_of(c) == Some(me.as_str())) =>
            {
                PortfolioScope::Collector(me)
            }
            None => PortfolioScope::Team,
        }
    }

    /// Each collector's customers and money as of a day, the rules and the customers given by hand.
    pub fn portfolios(&self, as_of: Option<NaiveDate>) -> AppResult<Portfolios> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let aging = self.aging(Some(as_of))?;
        let store = self.store();
        let portfolio = Portfolio::load(&store)?;
        let customers = store.customers()?;
        let names = self.names(&store)?;
        let members = store.team_members()?;
        let me = self.actor().0;
        let open: HashMap<&str, (Decimal, Decimal)> = aging
            .customers
            .iter()
            .map(|r| {
                let balance = parse_amount("balance", &r.balance)?;
                let overdue = r
                    .buckets
                    .iter()
                    .skip(1)
                    .map(|b| parse_amount("bucket", b))
                    .sum::<AppResult<Decimal>>()?;
                Ok((r.id.as_str(), (balance, overdue)))
            })
            .collect::<AppResult<_>>()?;
        let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
        for m in &members {
            sums.entry(m.login.clone()).or_default();
        }
        for r in &portfolio.rules {
            sums.entry(r.collector.clone()).or_default();
        }
        let mut unassigned = Sums::default();
        let mut segments: Vec<String> = Vec::new();
        for c in &customers {
            if let Some(s) = c.segment.as_deref().filter(|s| !s.is_empty()) {
                segments.push(s.to_string());
            }
            let s = match portfolio.collector_of(c) {
                Some(login) => sums.entry(login.to_string()).or_default(),
                None => &mut unassigned,
            };
            s.customers += 1;
            if let Some((balance, overdue)) = open.get(c.key.as_str()) {
                s.open_customers += 1;
                s.balance += balance;
                s.overdue += overdue;
            }
        }
        segments.sort();
        segments.dedup();
        let mut collectors: Vec<CollectorPortfolio> = sums
            .iter()
            .map(|(login, s)| CollectorPortfolio {
                login: login.clone(),
                name: names.of(login),
                role: members.iter().find(|m| &m.login == login).map(|m| m.role.clone()),
                totals: s.totals(),
            })
            .collect();
        collectors.sort_by(|a, b| (a.name.to_lowercase(), &a.login).cmp(&(b.name.to_lowercase(), &b.login)));
        let customer_name: HashMap<&str, &str> = customers
            .iter()
            .map(|c| (c.key.as_str(), c.name.as_str()))
            .collect();
        let mut by_hand: Vec<CustomerCollector> = portfolio
            .by_hand
            .iter()
            .map(|(key, login)| CustomerCollector {
                customer: key.clone(),
                name: customer_name.get(key.as_str()).unwrap_or(&"").to_string(),
                collector: login.clone(),
                collector_name: names.of(login),
            })
            .collect();
        by_hand
            .sort_by(|a, b| (a.name.to_lowercase(), &a.customer).cmp(&(b.name.to_lowercase(), &b.customer)));
        Ok(Portfolios {
            as_of,
            currency: aging.currency.clone(),
            me,
            collectors,
            unassigned: unassigned.totals(),
            rules: portfolio
                .rules
                .iter()
                .map(|r| PortfolioRuleView {
                    by: r.by,
                    value: r.value.clone(),
                    collector: r.collector.clone(),
                    collector_name: names.of(&r.collector),
                })
                .collect(),
            by_hand,
            segments,
        })
    }

    /// Gives a customer (`by` = "customer"), or every customer of a segment or category, to a collector; None
    /// takes the assignment back. Audited (entity `portfolio`, id `BY:VALUE`).
    pub fn assign_portfolio(&self, by: &str, value: &str, collector: Option<&str>) -> AppResult<()> {
        let value = value.trim();
        if value.is_empty() {
            return Err(AppError::InvalidInput(format!("{by}: empty")));
        }
        let collector = collector.map(|c| check_login("collector", c)).transpose()?;
        let before = if by.trim() == "customer" {
            let mut store = self.store();
            let before = store.customer_collectors()?.remove(value);
            store.set_customer_collector(value, collector.as_deref())?;
            before
        } else {
            let by: AssignBy = parse_word("by", by)?;
            if by == AssignBy::Category {
                parse_word::<encaisse_domain::customer::Category>("category", value)?;
            }
            let store = self.store();
            let before = store
                .portfolio_rules()?
                .into_iter()
                .find(|r| r.by == by && r.value == value)
                .map(|r| r.collector);
            store.set_portfolio_rule(by, value, collector.as_deref())?;
            before
        };
        if before == collector {
            return Ok(());
        }
        let id = format!("{}:{value}", by.trim());
        let what = if collector.is_some() {
            "assigned"
        } else {
            "removed"
        };
        self.audit("", "portfolio", &id, what, before, collector)
    }

    /// Hands everything `from` follows by hand or by a rule over to `to` (someone leaving the team). Audited.
    pub fn reassign_portfolio(&self, from: &str, to: &str) -> AppResult<Reassignment> {
        let from = check_login("from", from)?;
        let to = check_login("to", to)?;
        if from == to {
            return Err(AppError::InvalidInput(format!(
                "to: '{to}' is the collector the portfolio is taken from"
            )));
        }
        let mut store = self.store();
        let portfolio = Portfolio::load(&store)?;
        // Those `from` follows through the customers file alone are given `to` by hand (a later file changes
        // them no more); those of a rule move with the rule.
        let from_file: Vec<String> = store
            .customers()?
            .into_iter()
            .filter(|c| {
                portfolio.collector_of(c) == Some(from.as_str())
                    && !portfolio.by_hand.contains_key(&c.key)
                    && portfolio.by_rule(c).is_none()
            })
            .map(|c| c.key)
            .collect();
        let moved = store.reassign_portfolio(&from, &to, &from_file)?;
        drop(store);
        let done = Reassignment {
            from: from.clone(),
            to: to.clone(),
            customers: u32::try_from(moved.customers).unwrap_or(u32::MAX),
            rules: u32::try_from(moved.rules).unwrap_or(u32::MAX),
        };
        self.audit("", "portfolio", &from, "reassigned", None, Some(to_json(&done)))?;
        Ok(done)
    }
}
