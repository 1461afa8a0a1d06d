//! Penalties waived on invoices paid late: one row per customer and invoice number, with the reason the user typed.
//! Keyed by the invoice's number, not its identity row, so that re-imports never touch them.

use crate::db::{params, Optional};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyWaiver {
    pub customer_key: String,
    pub invoice: String,
    pub reason: String,
    pub waived_on: NaiveDate,
    pub user: String,
}

impl Store {
    /// Records (or rewrites) the waiver of one invoice's penalties; the reason may not be empty.
    pub fn waive_penalty(&self, w: &PenaltyWaiver) -> Result<()> {
        if w.reason.trim().is_empty() {
            return Err(StoreError::Refused("a waiver needs its reason".into()));
        }
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM customer WHERE key = ?1)",
            [&w.customer_key],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::Refused(format!(
                "no customer with key {}",
                w.customer_key
            )));
        }
        self.conn.execute(
            "INSERT INTO penalty_waiver (customer_key, invoice, reason, waived_on, \"user\") VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (customer_key, invoice) DO UPDATE SET reason = excluded.reason,
                 waived_on = excluded.waived_on, \"user\" = excluded.\"user\"",
            params![w.customer_key, w.invoice, w.reason.trim(), w.waived_on, w.user],
        )?;
        Ok(())
    }

    /// Removes a waiver; the waiver removed, if there was one.
    pub fn unwaive_penalty(&self, customer_key: &str, invoice: &str) -> Result<Option<PenaltyWaiver>> {
        let before = self.penalty_waiver(customer_key, invoice)?;
        self.conn.execute(
            "DELETE FROM penalty_waiver WHERE customer_key = ?1 AND invoice = ?2",
            params![customer_key, invoice],
        )?;
        Ok(before)
    }

    pub fn penalty_waiver(&self, customer_key: &str, invoice: &str) -> Result<Option<PenaltyWaiver>> {
        self.conn
            .query_row(
                "SELECT customer_key, invoice, reason, waived_on, \"user\" FROM penalty_waiver
                 WHERE customer_key = ?1 AND invoice = ?2",
                params![customer_key, invoice],
                |r| {
                    Ok(PenaltyWaiver {
                        customer_key: r.get(0)?,
                        invoice: r.get(1)?,
                        reason: r.get(2)?,
                        waived_on: r.get(3)?,
                        user: r.get(4)?,
                    })
                },
            )
            .optional()
    }

    /// Every waiver, by customer then invoice.
    pub fn penalty_waivers(&self) -> Result<Vec<PenaltyWaiver>> {
        let mut stmt = self.conn.prepare(
            "SELECT customer_key, invoice, reason, waived_on, \"user\" FROM penalty_waiver ORDER BY customer_key, invoice",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(PenaltyWaiver {
                    customer_key: r.get(0)?,
                    invoice: r.get(1)?,
                    reason: r.get(2)?,
                    waived_on: r.get(3)?,
                    user: r.get(4)?,
                })
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
