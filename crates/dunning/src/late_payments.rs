//! Penalties on invoices paid late (the penalty statement, "relevé des pénalités de retard"): what the law lets the
//! creditor claim once an invoice was paid after its due date (shared/domain/french-rules.md).
//!
//! - Each part paid after the due date owes interest from the day after the due date to its payment date, on the
//!   amount of that part, with the half-year splitting and the rates of [`crate::claims`] (ECB + 10 by half-year or a
//!   contractual rate, L441-10; ECB + 8 of the half-year interest began, R2192-31).
//! - A part's interest is rounded half-up to the cent once, after its half-year stretches are added up exactly; an
//!   invoice's interest is the sum of its parts' (the statement adds up as printed).
//! - The fixed EUR 40 recovery indemnity is owed once per invoice paid late (D441-5, D2192-35).
//! - A private person owes neither (no L441-10 penalty nor EUR 40 between a company and a consumer): the caller
//!   leaves them out.

use crate::claims::{self, Basis, PenaltyError, RateTable, DIVISOR, RECOVERY_INDEMNITY};
use chrono::NaiveDate;
use encaisse_domain::money::round_cents;
use rust_decimal::Decimal;

/// An invoice fully paid, with every part of its payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidInvoiceParts {
    pub number: String,
    pub due_date: NaiveDate,
    /// (payment date, amount), in any order.
    pub parts: Vec<(NaiveDate, Decimal)>,
}

/// One part of a payment and what its delay costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidPart {
    pub date: NaiveDate,
    pub amount: Decimal,
    /// Days from the due date to the payment; 0 when paid on time.
    pub days_late: i64,
    /// The half-year stretches of its delay (empty when on time).
    pub stretches: Vec<claims::Part>,
    /// Rounded half-up to the cent.
    pub interest: Decimal,
}

/// One invoice paid late on the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePaidInvoice {
    pub number: String,
    pub due_date: NaiveDate,
    /// Every part of its payment, by date (parts paid on time too, at 0 days and 0.00).
    pub parts: Vec<PaidPart>,
    /// Σ of the parts' interest.
    pub interest: Decimal,
    /// EUR 40 (D441-5 / D2192-35).
    pub indemnity: Decimal,
}

impl LatePaidInvoice {
    /// The date of the last part paid after the due date.
    pub fn last_late_payment(&self) -> Option<NaiveDate> {
        self.parts
            .iter()
            .filter(|p| p.days_late > 0)
            .map(|p| p.date)
            .max()
    }
}

/// The statement of one invoice: `None` when no part was paid after its due date.
pub fn late_paid_invoice(
    invoice: &PaidInvoiceParts,
    table: &RateTable,
    basis: Basis,
) -> Result<Option<LatePaidInvoice>, PenaltyError> {
    let mut sorted = invoice.parts.clone();
    sorted.sort();
    let mut parts = Vec::with_capacity(sorted.len());
    for (date, amount) in sorted {
        let stretches = claims::parts(invoice.due_date, date, table, basis)?;
        let mut accrual = Decimal::ZERO;
        for s in &stretches {
            accrual = accrual
                .checked_add(s.accrual(amount)?)
                .ok_or_else(|| PenaltyError::Overflow(invoice.number.clone()))?;
        }
        parts.push(PaidPart {
            date,
            amount,
            days_late: (date - invoice.due_date).num_days().max(0),
            interest: round_cents(accrual / DIVISOR),
            stretches,
        });
    }
    if parts.iter().all(|p| p.days_late == 0) {
        return Ok(None);
    }
    Ok(Some(LatePaidInvoice {
        number: invoice.number.clone(),
        due_date: invoice.due_date,
        interest: parts.iter().map(|p| p.interest).sum(),
        indemnity: RECOVERY_INDEMNITY,
        parts,
    }))
}

/// A part of the invoice was paid after its due date, on a day of `from..=to` (either end open).
pub fn late_in_period(invoice: &PaidInvoiceParts, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    let in_period = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    invoice
        .parts
        .iter()
        .any(|&(date, _)| date > invoice.due_date && in_period(date))
}

/// The invoices of one debtor paid late with a part paid after the due date dated in `from..=to` (either end open),
/// by due date then number.
pub fn statement(
    invoices: &[PaidInvoiceParts],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    table: &RateTable,
    basis: Basis,
) -> Result<Vec<LatePaidInvoice>, PenaltyError> {
    let mut out = Vec::new();
    for inv in invoices {
        if !late_in_period(inv, from, to) {
            continue;
        }
        if let Some(line) = late_paid_invoice(inv, table, basis)? {
            out.push(line);
        }
    }
    out.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn invoice(number: &str, due: &str, parts: &[(&str, Decimal)]) -> PaidInvoiceParts {
        PaidInvoiceParts {
            number: number.into(),
            due_date: d(due),
            parts: parts.iter().map(|&(date, a)| (d(date), a)).collect(),
        }
    }

    #[test]
    fn a_delay_over_three_half_years_is_split_at_each_rate() {
        // Due 2024-12-15, paid 2025-07-20: 16 days of 2024 H2 at 4.25 + 10, 181 days of 2025 H1 at 3.15 + 10,
        // 20 days of 2025 H2 at 2.15 + 10 (built-in ECB rates).
        // 1,200 × (16 × 14.25 + 181 × 13.15 + 20 × 12.15) / 36,500 = 1,200 × 2,851.15 / 36,500 = 93.7364… → 93.74
        let inv = invoice("F1", "2024-12-15", &[("2025-07-20", dec!(1200))]);
        let line = late_paid_invoice(&inv, &RateTable::builtin(), Basis::Statutory)
            .unwrap()
            .unwrap();
        assert_eq!(line.parts.len(), 1);
        let p = &line.parts[0];
        assert_eq!(p.days_late, 217);
        assert_eq!(
            p.stretches.iter().map(|s| (s.days, s.rate)).collect::<Vec<_>>(),
            vec![(16, dec!(14.25)), (181, dec!(13.15)), (20, dec!(12.15))]
        );
        assert_eq!(p.interest, dec!(93.74));
        assert_eq!((line.interest, line.indemnity), (dec!(93.74), dec!(40)));
        assert_eq!(line.last_late_payment(), Some(d("2025-07-20")));
    }

    #[test]
    fn parts_are_each_late_from_the_due_date_and_on_time_parts_cost_nothing() {
        // Due 2025-03-31: 400 on 03-20 (on time), 600 on 08-09: 91 days at 13.15 + 40 days at 12.15.
        // 600 × (91 × 13.15 + 40 × 12.15) / 36,500 = 600 × 1,682.65 / 36,500 = 27.66
        let inv = invoice(
            "F2",
            "2025-03-31",
            &[("2025-08-09", dec!(600)), ("2025-03-20", dec!(400))],
        );
        let line = late_paid_invoice(&inv, &RateTable::builtin(), Basis::Statutory)
            .unwrap()
            .unwrap();
        let parts: Vec<_> = line
            .parts
            .iter()
            .map(|p| (p.date, p.amount, p.days_late, p.interest))
            .collect();
        assert_eq!(
            parts,
            vec![
                (d("2025-03-20"), dec!(400), 0, dec!(0)),
                (d("2025-08-09"), dec!(600), 131, dec!(27.66)),
            ]
        );
        assert_eq!((line.interest, line.indemnity), (dec!(27.66), dec!(40)));
    }

    #[test]
    fn on_time_invoices_are_not_listed_and_the_period_filters_late_payment_dates() {
        let table = RateTable::builtin();
        let invoices = [
            invoice("F3", "2025-05-01", &[("2025-04-25", dec!(500))]),
            invoice("F3b", "2025-05-01", &[("2025-05-01", dec!(500))]),
            invoice("F4", "2025-05-31", &[("2025-06-30", dec!(300))]),
            invoice("F1", "2024-12-15", &[("2025-07-20", dec!(1200))]),
        ];
        let all = statement(&invoices, None, None, &table, Basis::Statutory).unwrap();
        let numbers: Vec<&str> = all.iter().map(|l| l.number.as_str()).collect();
        assert_eq!(
            numbers,
            ["F1", "F4"],
            "paid on or before the due date: not listed"
        );
        let h2 = statement(
            &invoices,
            Some(d("2025-07-01")),
            Some(d("2025-12-31")),
            &table,
            Basis::Statutory,
        )
        .unwrap();
        assert_eq!(h2.len(), 1);
        assert_eq!(h2[0].number, "F1");
        // 300 × 13.15 × 30 / 36,500 = 3.2424… → 3.24
        assert_eq!(all[1].interest, dec!(3.24));
    }

    #[test]
    fn a_public_body_pays_the_rate_of_the_half_year_interest_began_and_a_contract_its_rate() {
        // R2192-31: ECB of 2024 H2 (4.25) + 8 = 12.25 for the whole delay (217 days).
        // 1,200 × 12.25 × 217 / 36,500 = 87.3945… → 87.39
        let inv = invoice("F1", "2024-12-15", &[("2025-07-20", dec!(1200))]);
        let table = RateTable::builtin();
        let public = late_paid_invoice(&inv, &table, Basis::PublicBody)
            .unwrap()
            .unwrap();
        assert_eq!(public.interest, dec!(87.39));
        assert_eq!(public.indemnity, dec!(40));
        // 15 % contractual: 1,200 × 15 × 217 / 36,500 = 107.0136… → 107.01
        let contract = late_paid_invoice(&inv, &table, Basis::Contractual(dec!(15)))
            .unwrap()
            .unwrap();
        assert_eq!(contract.interest, dec!(107.01));
    }

    #[test]
    fn a_missing_rate_names_its_half_year() {
        let inv = invoice("F9", "2027-01-10", &[("2027-02-10", dec!(100))]);
        assert_eq!(
            late_paid_invoice(&inv, &RateTable::builtin(), Basis::Statutory),
            Err(PenaltyError::MissingRate(d("2027-01-01")))
        );
    }
}
