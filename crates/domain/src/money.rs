//! Money is a `Decimal` in a currency; stored as integer minor units.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

// The displays of an amount live in `format`; these paths stay for the callers that name them here.

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

    proptest! {
        #[test]
        fn any_cent_amount_survives_storage(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let d = from_minor(minor, 2);
            prop_assert_eq!(to_minor(d, 2), Ok(minor));
            prop_assert_eq!(crate::format::format_amount(d).replace('.', "").trim_start_matches('-').trim_start_matches('0').to_string(),
                minor.unsigned_abs().to_string().trim_start_matches('0').to_string());
        }
    }
}
