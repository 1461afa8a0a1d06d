//! Promises to pay: the chase of the promised invoices pauses until the promised date plus a grace period; the
//! promise is kept when the money came by then, broken when it did not. `Promise` and its status live in
//! `encaisse_domain` (the store builds them from its records); whether the money came is decided here.

use rust_decimal::Decimal;

pub use encaisse_domain::collections::promise::{Promise, PromiseStatus};

/// Whether a promise of `amount` is honoured, from what its invoices had left to pay when it was made and at the
/// day looked at: every invoice cleared, or at least the promised amount paid since.
pub fn settled(amount: Decimal, residual_when_made: Decimal, residual_then: Decimal) -> bool {
    residual_then <= Decimal::ZERO || residual_when_made - residual_then >= amount
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn settled_by_clearing_or_by_the_promised_amount() {
        assert!(settled(dec!(500), dec!(800), dec!(0)));
        assert!(settled(dec!(500), dec!(800), dec!(300)));
        assert!(!settled(dec!(500), dec!(800), dec!(300.01)));
        assert!(!settled(dec!(500), dec!(800), dec!(800)));
    }
}
