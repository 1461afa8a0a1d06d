//! E-invoicing lifecycle statuses kept per invoice (migration 0012): those received from the accredited
//! platform and the 212 "Encaissée" Encaisse wrote. A status is inserted once: its (direction, message id,
//! rank) is its identity.

use crate::db::{params, Optional};
use crate::{minor, Result, Store};
use chrono::NaiveDate;
use encaisse_domain::money::from_minor;
use rust_decimal::Decimal;

/// `in`: from the platform; `out`: written by Encaisse.
pub const IN: &str = "in";
pub const OUT: &str = "out";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub id: i64,
    pub direction: String,
    pub message_id: String,
    pub rank: i64,
    pub customer_key: Option<String>,
    pub invoice: String,
    pub invoice_date: Option<NaiveDate>,
    pub seller_siren: Option<String>,
    pub buyer_siren: Option<String>,
    pub code: u16,
    pub status_date: NaiveDate,
    pub issuer: Option<String>,
    pub issuer_role: Option<String>,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub amount: Option<Decimal>,
    pub file_name: String,
    pub recorded_on: NaiveDate,
    pub echo: bool,
    pub dispute_id: Option<i64>,
}

impl Store {
    /// Inserts a status unless the same (direction, message id, rank) is already there: its new id, or None.
    pub fn add_einvoice_status(&self, s: &StatusRecord) -> Result<Option<i64>> {
        let currency = self.currency()?;
        let amount = s
            .amount
            .map(|a| {
                minor(a, &currency, || {
                    format!("the amount of status {} of {}", s.code, s.invoice)
                })
            })
            .transpose()?;
        // No row back: the same status of the same message was recorded before.
        self.conn.query_row(
            "INSERT INTO einvoice_status (direction, message_id, rank, customer_key, invoice, invoice_date,
             seller_siren, buyer_siren, code, status_date, issuer, issuer_role, reason, reason_text, amount_minor,
             file_name, recorded_on, echo, dispute_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
             ON CONFLICT DO NOTHING RETURNING id",
            params![
                s.direction,
                s.message_id,
                s.rank,
                s.customer_key,
                s.invoice,
                s.invoice_date,
                s.seller_siren,
                s.buyer_siren,
                s.code,
                s.status_date,
                s.issuer,
                s.issuer_role,
                s.reason,
                s.reason_text,
                amount,
                s.file_name,
                s.recorded_on,
                s.echo,
                s.dispute_id,
            ],
            |r| r.get(0),
        )
        .optional()
    }

    /// Records the dispute a status opened.
    pub fn set_einvoice_status_dispute(&self, id: i64, dispute_id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE einvoice_status SET dispute_id = ?2 WHERE id = ?1",
            params![id, dispute_id],
        )?;
        Ok(())
    }

    /// Whether Encaisse wrote a message with this id.
    pub fn einvoice_message_sent(&self, message_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM einvoice_status WHERE direction = 'out' AND message_id = ?1",
                params![message_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Every status (one customer's when given), by customer, invoice, date and id.
    pub fn einvoice_statuses(&self, customer: Option<&str>) -> Result<Vec<StatusRecord>> {
        let digits = self.currency()?.minor_digits();
        let mut stmt = self.conn.prepare(
            "SELECT id, direction, message_id, rank, customer_key, invoice, invoice_date, seller_siren, buyer_siren,
             code, status_date, issuer, issuer_role, reason, reason_text, amount_minor, file_name, recorded_on,
             echo, dispute_id
             FROM einvoice_status WHERE CAST(?1 AS TEXT) IS NULL OR customer_key = ?1
             ORDER BY customer_key, invoice, status_date, id",
        )?;
        let rows = stmt.query_map(params![customer], |r| {
            Ok(StatusRecord {
                id: r.get(0)?,
                direction: r.get(1)?,
                message_id: r.get(2)?,
                rank: r.get(3)?,
                customer_key: r.get(4)?,
                invoice: r.get(5)?,
                invoice_date: r.get(6)?,
                seller_siren: r.get(7)?,
                buyer_siren: r.get(8)?,
                code: r.get(9)?,
                status_date: r.get(10)?,
                issuer: r.get(11)?,
                issuer_role: r.get(12)?,
                reason: r.get(13)?,
                reason_text: r.get(14)?,
                amount: r.get::<_, Option<i64>>(15)?.map(|m| from_minor(m, digits)),
                file_name: r.get(16)?,
                recorded_on: r.get(17)?,
                echo: r.get(18)?,
                dispute_id: r.get(19)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }
}
