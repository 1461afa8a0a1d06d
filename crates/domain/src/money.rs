//! Money is a `Decimal` in a currency; stored as integer minor units.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// ISO 4217 code with its number of minor digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency(pub String);

impl Currency {
    pub fn eur() -> Self {
        Currency("EUR".into())
    }
    pub fn minor_digits(&self) -> u32 {
        match self.0.as_str() {
            "JPY" | "KRW" | "XOF" | "XAF" | "XPF" => 0,
            _ => 2,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("amount {0} has more decimals than the currency allows")]
    TooPrecise(Decimal),
    #[error("amount {0} is too large")]
    Overflow(Decimal),
}

/// Exact conversion to minor units; refuses to round.
pub fn to_minor(amount: Decimal, digits: u32) -> Result<i64, MoneyError> {
    let scaled = amount
        .checked_mul(Decimal::from(10i64.pow(digits)))
        .ok_or(MoneyError::Overflow(amount))?;
    if scaled.fract() != Decimal::ZERO {
        return Err(MoneyError::TooPrecise(amount));
    }
    i64::try_from(scaled.trunc()).map_err(|_| MoneyError::Overflow(amount))
}

pub fn from_minor(minor: i64, digits: u32) -> Decimal {
    Decimal::new(minor, digits)
}

/// Half-up rounding to cents, the rule for interest and display.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The machine format of the contracts: a dot and exactly two decimals ("1234.50", "-100.00").
pub fn format_amount(amount: Decimal) -> String {
    let mut r = round_cents(amount);
    if r.is_zero() {
        r = Decimal::ZERO;
    }
    r.rescale(2);
    r.to_string()
}

/// The French display of an amount in euros: "1 234,56 €", "-40,00 €". The spaces are no-break spaces (U+00A0),
/// so that a line is never broken inside an amount.
pub fn format_amount_fr(amount: Decimal) -> String {
    let plain = format_amount(amount);
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 * 2);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{frac}\u{a0}€")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn minor_units_round_trip_and_refuse_rounding() {
        assert_eq!(to_minor(dec!(1234.56), 2), Ok(123456));
        assert_eq!(to_minor(dec!(-0.5), 2), Ok(-50));
        assert_eq!(to_minor(dec!(1.005), 2), Err(MoneyError::TooPrecise(dec!(1.005))));
        assert_eq!(from_minor(123456, 2), dec!(1234.56));
    }

    #[test]
    fn contract_format_has_two_decimals() {
        assert_eq!(format_amount(dec!(1234.5)), "1234.50");
        assert_eq!(format_amount(dec!(-100)), "-100.00");
        assert_eq!(format_amount(dec!(0)), "0.00");
        assert_eq!(format_amount(dec!(-0.001)), "0.00");
        assert_eq!(format_amount(dec!(0.005)), "0.01");
    }

    #[test]
    fn french_format_groups_thousands_with_no_break_spaces() {
        let fr = |d| format_amount_fr(d).replace('\u{a0}', " ");
        assert_eq!(fr(dec!(1234.56)), "1 234,56 €");
        assert_eq!(fr(dec!(40)), "40,00 €");
        assert_eq!(fr(dec!(0.005)), "0,01 €");
        assert_eq!(fr(dec!(-1234567.8)), "-1 234 567,80 €");
        assert_eq!(fr(dec!(999)), "999,00 €");
        assert_eq!(fr(dec!(100000)), "100 000,00 €");
        assert!(!format_amount_fr(dec!(1234)).contains(' '), "no breakable space");
    }

    proptest! {
        #[test]
        fn any_cent_amount_survives_storage(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let d = from_minor(minor, 2);
            prop_assert_eq!(to_minor(d, 2), Ok(minor));
            prop_assert_eq!(format_amount(d).replace('.', "").trim_start_matches('-').trim_start_matches('0').to_string(),
                minor.unsigned_abs().to_string().trim_start_matches('0').to_string());
        }
    }
}
