//! Portfolios: the collector of every customer of a segment or category, a customer's own collector, and the
//! people of a team's server who can be given one.

use super::{check_customer, rules_by_kind};
use crate::db::{params, Dialect};
use crate::{Result, Store};
use encaisse_domain::collections::{AssignBy, PortfolioRule};
use std::collections::HashMap;

/// One sign-in of a team's server and its Encaisse role (manager, collector or viewer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub login: String,
    pub role: String,
}

/// What a reassignment moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reassigned {
    pub customers: u64,
    pub rules: u64,
}

impl Store {
    pub fn portfolio_rules(&self) -> Result<Vec<PortfolioRule>> {
        Ok(rules_by_kind(self, "portfolio_rule", "collector")?
            .into_iter()
            .map(|(by, value, collector)| PortfolioRule { by, value, collector })
            .collect())
    }

    /// Gives every customer of a segment or category to a collector; None removes the rule.
    pub fn set_portfolio_rule(&self, by: AssignBy, value: &str, collector: Option<&str>) -> Result<()> {
        match collector {
            Some(c) => self.conn.execute(
                "INSERT INTO portfolio_rule (by_kind, value, collector) VALUES (?1, ?2, ?3)
                 ON CONFLICT(by_kind, value) DO UPDATE SET collector = excluded.collector",
                params![by.as_str(), value, c],
            )?,
            None => self.conn.execute(
                "DELETE FROM portfolio_rule WHERE by_kind = ?1 AND value = ?2",
                params![by.as_str(), value],
            )?,
        };
        Ok(())
    }

    /// Each customer's own collector, by customer key.
    pub fn customer_collectors(&self) -> Result<HashMap<String, String>> {
        self.conn
            .prepare("SELECT customer_key, collector FROM customer_collector")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// Gives a customer its own collector; None takes it back to its segment's or category's.
    pub fn set_customer_collector(&mut self, customer_key: &str, collector: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction()?;
        check_customer(&tx, customer_key)?;
        match collector {
            Some(c) => tx.execute(
                "INSERT INTO customer_collector (customer_key, collector) VALUES (?1, ?2)
                 ON CONFLICT(customer_key) DO UPDATE SET collector = excluded.collector",
                params![customer_key, c],
            )?,
            None => tx.execute(
                "DELETE FROM customer_collector WHERE customer_key = ?1",
                params![customer_key],
            )?,
        };
        tx.commit()?;
        Ok(())
    }

    /// Hands what `from` follows over to `to`, in one transaction: the customers given by hand and the rules, and
    /// `also` (customers `from` follows through the customers file), given to `to` by hand.
    pub fn reassign_portfolio(&mut self, from: &str, to: &str, also: &[String]) -> Result<Reassigned> {
        let tx = self.conn.transaction()?;
        let mut customers = tx.execute(
            "UPDATE customer_collector SET collector = ?2 WHERE collector = ?1",
            params![from, to],
        )? as u64;
        let rules = tx.execute(
            "UPDATE portfolio_rule SET collector = ?2 WHERE collector = ?1",
            params![from, to],
        )? as u64;
        for key in also {
            check_customer(&tx, key)?;
            customers += tx.execute(
                "INSERT INTO customer_collector (customer_key, collector) VALUES (?1, ?2)
                 ON CONFLICT(customer_key) DO NOTHING",
                params![key, to],
            )? as u64;
        }
        tx.commit()?;
        Ok(Reassigned { customers, rules })
    }

    /// The Encaisse role of the signed-in login on a team's server: `manager` (a member of `encaisse_manager`, or
    /// of the tables' owner, who ran `team init`), `collector`, or `viewer` (any other reader); `None` on a file.
    /// What the screens show; the server enforces the rights whatever a screen shows.
    pub fn team_role(&self) -> Result<Option<String>> {
        if self.conn.dialect() == Dialect::Sqlite {
            return Ok(None);
        }
        let role: String = self.conn.query_row(
            "SELECT CASE
                 WHEN pg_has_role(current_user, (SELECT relowner FROM pg_class
                                                 WHERE oid = CAST('ledger_line' AS regclass)), 'USAGE')
                   OR pg_has_role(current_user, 'encaisse_manager', 'USAGE') THEN 'manager'
                 WHEN pg_has_role(current_user, 'encaisse_collector', 'USAGE') THEN 'collector'
                 ELSE 'viewer' END",
            [],
            |r| r.get(0),
        )?;
        Ok(Some(role))
    }

    /// The sign-ins of a team's server that are Encaisse users, by login (none on SQLite: one computer's file has
    /// no users of its own). Logins disabled by `team remove-user` are left out.
    pub fn team_members(&self) -> Result<Vec<TeamMember>> {
        if self.conn.dialect() == Dialect::Sqlite {
            return Ok(Vec::new());
        }
        self.conn
            .prepare(
                "SELECT r.rolname::text, substr(g.rolname::text, 10)
                 FROM pg_roles r
                 JOIN pg_auth_members m ON m.member = r.oid
                 JOIN pg_roles g ON g.oid = m.roleid
                 WHERE r.rolcanlogin
                   AND g.rolname IN ('encaisse_manager', 'encaisse_collector', 'encaisse_viewer')
                 ORDER BY 1, 2",
            )?
            .query_map([], |r| {
                Ok(TeamMember {
                    login: r.get(0)?,
                    role: r.get(1)?,
                })
            })?
            .collect()
    }
}
