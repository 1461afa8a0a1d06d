//! The payment-delay table of art. D441-6 of the Code de commerce (annual management report), issued invoices side:
//! invoices issued and unpaid at the closing date whose term has expired, by delay band (1–30, 31–60, 61–90,
//! 91 days and more): number, amount incl. VAT (what is still unpaid: a part payment leaves its residual), share of
//! the year's turnover excl. VAT. Disputed invoices are shown apart, outside the bands.

use crate::aging::Buckets;
use crate::forecast::ForecastInputs;
use crate::open_items::OpenItem;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// "1-30", "31-60", "61-90", "91+"
    pub label: String,
    pub invoices: u32,
    pub amount: Decimal,
    /// Amount / turnover excl. VAT, percent with two decimals; None without turnover.
    pub share: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct D4416 {
    pub year_end: NaiveDate,
    pub bands: Vec<Band>,
    /// The four bands together.
    pub total: Band,
    /// Disputed invoices past due at closing, not in the bands.
    pub disputed_invoices: u32,
    pub disputed_amount: Decimal,
    pub turnover: Option<Decimal>,
}

fn share(amount: Decimal, turnover: Option<Decimal>) -> Option<Decimal> {
    turnover.filter(|t| *t > Decimal::ZERO).map(|t| {
        (amount / t * Decimal::ONE_HUNDRED).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// The table at `year_end` from each customer's open items at that date.
pub fn d441_6<'a>(
    customers: impl IntoIterator<Item = (&'a str, &'a [OpenItem])>,
    disputes: &ForecastInputs,
    turnover: Option<Decimal>,
    year_end: NaiveDate,
) -> D4416 {
    let buckets = Buckets::default();
    let mut bands: Vec<Band> = buckets
        .labels()
        .into_iter()
        .skip(1)
        .map(|label| Band {
            label,
            invoices: 0,
            amount: Decimal::ZERO,
            share: None,
        })
        .collect();
    let (mut disputed_invoices, mut disputed_amount) = (0u32, Decimal::ZERO);
    for (key, items) in customers {
        for item in items {
            let days = (year_end - item.due_date).num_days();
            if days < 1 || item.invoice_date > year_end || item.residual <= Decimal::ZERO {
                continue;
            }
            if disputes.is_disputed(key, &item.piece_ref) {
                disputed_invoices += 1;
                disputed_amount += item.residual;
                continue;
            }
            let band = &mut bands[buckets.index(days) - 1];
            band.invoices += 1;
            band.amount += item.residual;
        }
    }
    let mut total = Band {
        label: "1+".into(),
        invoices: bands.iter().map(|b| b.invoices).sum(),
        amount: bands.iter().map(|b| b.amount).sum(),
        share: None,
    };
    for b in &mut bands {
        b.share = share(b.amount, turnover);
    }
    total.share = share(total.amount, turnover);
    D4416 {
        year_end,
        bands,
        total,
        disputed_invoices,
        disputed_amount,
        turnover,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn late(piece: &str, days: u64, residual: Decimal) -> OpenItem {
        let due = d("2025-12-31") - Days::new(days);
        OpenItem {
            line: 0,
            piece_ref: piece.into(),
            invoice_date: due - Days::new(30),
            due_date: due,
            amount: residual + dec!(10),
            residual,
        }
    }

    #[test]
    fn hand_built_table() {
        let items = [
            late("F0", 0, dec!(1000)),  // due on closing day: term not expired
            late("F1", 1, dec!(100)),   // 1–30
            late("F2", 30, dec!(200)),  // 1–30
            late("F3", 31, dec!(300)),  // 31–60
            late("F4", 90, dec!(400)),  // 61–90
            late("F5", 91, dec!(500)),  // 91+
            late("F6", 200, dec!(600)), // disputed
        ];
        let disputes = ForecastInputs::new(&[], [("C".to_string(), "F6".to_string())]);
        let t = d441_6(
            [("C", &items[..])],
            &disputes,
            Some(dec!(100000)),
            d("2025-12-31"),
        );
        let rows: Vec<(&str, u32, Decimal, Option<Decimal>)> = t
            .bands
            .iter()
            .map(|b| (b.label.as_str(), b.invoices, b.amount, b.share))
            .collect();
        assert_eq!(
            rows,
            [
                ("1-30", 2, dec!(300), Some(dec!(0.30))),
                ("31-60", 1, dec!(300), Some(dec!(0.30))),
                ("61-90", 1, dec!(400), Some(dec!(0.40))),
                ("91+", 1, dec!(500), Some(dec!(0.50))),
            ]
        );
        assert_eq!(
            (t.total.invoices, t.total.amount, t.total.share),
            (5, dec!(1500), Some(dec!(1.50)))
        );
        assert_eq!((t.disputed_invoices, t.disputed_amount), (1, dec!(600)));
        let no_turnover = d441_6([("C", &items[..])], &disputes, None, d("2025-12-31"));
        assert_eq!(no_turnover.total.share, None);
    }
}
