//! The company that is owed money and the customers who owe it.

use crate::terms::Terms;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub siren: Option<String>,
    pub address: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The ledger key: CompAuxNum, else CompteNum.
    pub key: String,
    pub name: String,
    pub siren: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// None: the company's default terms (30 days net unless set).
    pub terms: Option<Terms>,
    pub credit_limit: Option<Decimal>,
    pub segment: Option<String>,
    pub collector: Option<String>,
    pub notes: Option<String>,
}

impl Customer {
    pub fn new(key: impl Into<String>, name: impl Into<String>) -> Self {
        Customer {
            key: key.into(),
            name: name.into(),
            siren: None,
            address: None,
            email: None,
            phone: None,
            terms: None,
            credit_limit: None,
            segment: None,
            collector: None,
            notes: None,
        }
    }
}

/// A SIREN is 9 digits with a Luhn check digit.
pub fn siren_is_valid(siren: &str) -> bool {
    siren.len() == 9 && siren.bytes().all(|b| b.is_ascii_digit()) && luhn_sum(siren).is_multiple_of(10)
}

/// Completes 8 digits with the Luhn check digit.
pub fn siren_with_check_digit(first8: &str) -> String {
    let sum = luhn_sum(&format!("{first8}0"));
    format!("{first8}{}", (10 - sum % 10) % 10)
}

fn luhn_sum(digits: &str) -> u32 {
    digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = v * 2;
                if d > 9 {
                    d - 9
                } else {
                    d
                }
            } else {
                v
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_luhn() {
        assert!(siren_is_valid("732829320"));
        assert!(!siren_is_valid("732829321"));
        assert!(!siren_is_valid("12345678"));
        let s = siren_with_check_digit("40483304");
        assert!(siren_is_valid(&s), "{s}");
    }
}
