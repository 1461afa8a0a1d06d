//! The company that is owed money and the customers who owe it.

use crate::terms::Terms;
use crate::words::word_enum;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

word_enum!(
    /// The category a user puts a customer in; a public body is a public buyer for late-payment interest
    /// (R2192-31), and a category can choose the dunning scenario.
    Category {
        KeyAccount = "key_account",
        Occasional = "occasional",
        PrivatePerson = "private_person",
        PublicBody = "public_body",
    }
);

word_enum!(
    /// What the law lets a creditor claim from a debtor: a professional (L441-10: ECB + 10 points by half-year or the
    /// contractual rate, EUR 40 per invoice under D441-5), a public body (Code de la commande publique: R2192-31 ECB
    /// + 8 points of the half-year interest began, EUR 40 under D2192-35, the administrative route) or a private person
    /// (no L441-10 penalty nor EUR 40; interest at the legal rate from the formal notice, Code civil 1231-6).
    DebtorKind {
        Professional = "professional",
        PublicBody = "public_body",
        PrivatePerson = "private_person",
    }
);

impl DebtorKind {
    /// The kind of a customer: its category when it is `public_body` or `private_person`; else its segment through
    /// `segments` (segment → kind, set in Settings → Lettres et taux); else professional.
    pub fn resolve(
        category: Option<&str>,
        segment: Option<&str>,
        segments: &std::collections::BTreeMap<String, DebtorKind>,
    ) -> DebtorKind {
        match category.map(str::trim) {
            Some("public_body") => return DebtorKind::PublicBody,
            Some("private_person") => return DebtorKind::PrivatePerson,
            _ => {}
        }
        segment
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| segments.get(s).copied())
            .unwrap_or(DebtorKind::Professional)
    }
}

/// How a customer pays, by its days late weighted by amount over 12 months: on time (≤ 5 days: bank and posting
/// delays), slightly late (≤ 15), late (≤ 45), very late (more). Computed, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum BehaviourSegment {
    #[serde(rename = "on_time")]
    OnTime,
    #[serde(rename = "slightly_late")]
    SlightlyLate,
    #[serde(rename = "late")]
    Late,
    #[serde(rename = "very_late")]
    VeryLate,
}

impl BehaviourSegment {
    pub const ALL: [BehaviourSegment; 4] = [
        BehaviourSegment::OnTime,
        BehaviourSegment::SlightlyLate,
        BehaviourSegment::Late,
        BehaviourSegment::VeryLate,
    ];

    pub fn of(avg_days_late: Decimal) -> BehaviourSegment {
        if avg_days_late <= Decimal::from(5) {
            BehaviourSegment::OnTime
        } else if avg_days_late <= Decimal::from(15) {
            BehaviourSegment::SlightlyLate
        } else if avg_days_late <= Decimal::from(45) {
            BehaviourSegment::Late
        } else {
            BehaviourSegment::VeryLate
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            BehaviourSegment::OnTime => "on_time",
            BehaviourSegment::SlightlyLate => "slightly_late",
            BehaviourSegment::Late => "late",
            BehaviourSegment::VeryLate => "very_late",
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

    #[test]
    fn debtor_kind_from_category_then_segment_then_professional() {
        let mut segments = std::collections::BTreeMap::new();
        segments.insert("secteur_public".to_string(), DebtorKind::PublicBody);
        segments.insert("particuliers".to_string(), DebtorKind::PrivatePerson);
        let kind = |c, s| DebtorKind::resolve(c, s, &segments);
        assert_eq!(
            kind(Some("public_body"), Some("particuliers")),
            DebtorKind::PublicBody
        );
        assert_eq!(kind(Some("private_person"), None), DebtorKind::PrivatePerson);
        assert_eq!(
            kind(Some("key_account"), Some("secteur_public")),
            DebtorKind::PublicBody
        );
        assert_eq!(kind(None, Some(" particuliers ")), DebtorKind::PrivatePerson);
        assert_eq!(kind(None, Some("industrie")), DebtorKind::Professional);
        assert_eq!(kind(None, None), DebtorKind::Professional);
        assert_eq!("public_body".parse::<DebtorKind>(), Ok(DebtorKind::PublicBody));
        assert!("public".parse::<DebtorKind>().is_err());
    }

    #[test]
    fn words_are_the_json_words() {
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
        }
        for s in BehaviourSegment::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }
}
