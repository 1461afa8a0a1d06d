//! The creditor references ("RF…", ISO 11649) issued to customers (migration 0013): one per customer, recorded
//! with the first letter or email that carries it, never changed afterwards.

use crate::db::{params, Optional, Tx};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;

/// Records that `reference` went out to `customer_key` (nothing when it already did). Refused when the customer
/// already has another reference, or the reference is another customer's.
pub(crate) fn keep_payment_reference(
    tx: &Tx<'_>,
    customer_key: &str,
    reference: &str,
    on: NaiveDate,
) -> Result<()> {
    let holder: Option<String> = tx
        .query_row(
            "SELECT customer_key FROM payment_reference WHERE reference = ?1",
            [reference],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(holder) = holder.filter(|h| h != customer_key) {
        return Err(StoreError::Refused(format!(
            "payment reference {reference} is customer {holder}'s, not {customer_key}'s"
        )));
    }
    tx.execute(
        "INSERT INTO payment_reference (customer_key, reference, issued_on) VALUES (?1, ?2, ?3)
         ON CONFLICT (customer_key) DO NOTHING",
        params![customer_key, reference, on],
    )?;
    let kept: String = tx.query_row(
        "SELECT reference FROM payment_reference WHERE customer_key = ?1",
        [customer_key],
        |r| r.get(0),
    )?;
    if kept != reference {
        return Err(StoreError::Refused(format!(
            "customer {customer_key} already has the payment reference {kept}, not {reference}"
        )));
    }
    Ok(())
}

impl Store {
    /// Every issued reference: (customer key, reference), by customer.
    pub fn payment_references(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT customer_key, reference FROM payment_reference ORDER BY customer_key")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The reference issued to a customer, if any.
    pub fn payment_reference(&self, customer_key: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT reference FROM payment_reference WHERE customer_key = ?1",
                [customer_key],
                |r| r.get(0),
            )
            .optional()
    }

    /// The customer a reference was issued to, if any.
    pub fn payment_reference_holder(&self, reference: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT customer_key FROM payment_reference WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()
    }
}
