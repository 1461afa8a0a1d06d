//! The payment-terms table of article D441-6 of the Commercial Code at a fiscal year end.

use crate::reports::days;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::d441_6::d441_6;
use encaisse_analytics::{AgeBasis, Buckets};
use encaisse_domain::format_amount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The D441-6 table (issued invoices) at a fiscal year end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct D4416Report {
    pub year_end: NaiveDate,
    /// Always true: the table reads the FEC alone, never the bank's provisional receipts (a statutory table).
    pub ledger_only: bool,
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

impl App {
    /// Records the turnover excl. VAT of the fiscal year closing on `year_end`, as entered by the user.
    pub fn set_turnover(&self, year_end: NaiveDate, turnover: Decimal) -> AppResult<()> {
        if turnover <= Decimal::ZERO {
            return Err(AppError::InvalidInput("turnover: must be above 0".into()));
        }
        self.store().set_fiscal_turnover(year_end, turnover, "user")?;
        Ok(())
    }

    /// The D441-6 table at a fiscal year end. `turnover` (excl. VAT) overrides the recorded one.
    pub fn d441_6(&self, year_end: NaiveDate, turnover: Option<Decimal>) -> AppResult<D4416Report> {
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let book = self.ledger_book(&store)?; // statutory: the FEC alone, never the bank's provisional receipts
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
            ledger_only: true,
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
