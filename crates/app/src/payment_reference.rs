//! The customer's payment reference: an ISO 11649 creditor reference ("RF…", `encaisse_bank::rf`) that the
//! letters print ("Référence à rappeler"), the SEPA QR code carries in its structured field and the reminder
//! emails give (`{{ reference_paiement }}`), so that a transfer quoting it comes back to the customer through the
//! bank matching.
//!
//! One reference per customer, not per letter: any payment quoting it is that customer's, and the matching then
//! allocates it by amount (one invoice, several, or earliest due first). It is derived from the customer's key
//! (its letters and digits, upper case, when they are 1 to 21), else from the key's SHA-256 ("H" and 20 base-36
//! digits: a long key, a key without letters or digits, or a key whose derived reference another customer
//! holds). It is recorded the first time a letter is printed or an email sent with it (store
//! `payment_references`, migration 0013), with the reference on the action, and never changes afterwards.

use crate::{App, AppError, AppResult};
use encaisse_bank::matching::IssuedReference;
use encaisse_bank::rf;
use encaisse_store::Store;
use std::collections::HashMap;

/// The reference of a key taken from its SHA-256: "RF", check digits, "H" and 20 base-36 digits.
fn hashed(key: &str) -> String {
    let hex = encaisse_store::documents::sha256_hex(key.as_bytes());
    let mut n = u128::from_str_radix(&hex[..32], 16).unwrap_or_default();
    let mut body = String::from("H");
    for _ in 0..20 {
        let d = u32::try_from(n % 36).unwrap_or(0);
        body.push(char::from_digit(d, 36).unwrap_or('0').to_ascii_uppercase());
        n /= 36;
    }
    // 21 letters and digits: always a valid reference.
    rf::rf_reference(&body).unwrap_or_default()
}

/// The reference a key derives to before any other customer is considered.
fn derived(key: &str) -> String {
    rf::rf_reference(key).unwrap_or_else(|_| hashed(key))
}

/// The references issued so far, and what each customer gets.
pub(crate) struct PaymentReferences {
    /// Customer key → its issued reference.
    issued: HashMap<String, String>,
    /// Issued reference → its customer.
    holders: HashMap<String, String>,
}

impl PaymentReferences {
    pub(crate) fn load(store: &Store) -> AppResult<PaymentReferences> {
        let rows = store.payment_references()?;
        Ok(PaymentReferences {
            holders: rows.iter().map(|(k, r)| (r.clone(), k.clone())).collect(),
            issued: rows.into_iter().collect(),
        })
    }

    /// A customer's reference (compact): the one issued to it, else the one its next letter or email will carry.
    pub(crate) fn of(&self, customer: &str) -> String {
        if let Some(r) = self.issued.get(customer) {
            return r.clone();
        }
        let r = derived(customer);
        match self.holders.get(&r) {
            Some(holder) if holder != customer => hashed(customer),
            _ => r,
        }
    }

    /// What the bank matching knows: every issued reference, and the reference each of `customers` without one
    /// would get (a letter saved as a PDF, or previewed and printed outside Encaisse, carries it too) unless two
    /// customers would get the same.
    pub(crate) fn for_matching<'a>(&self, customers: impl Iterator<Item = &'a str>) -> Vec<IssuedReference> {
        let mut out: Vec<IssuedReference> = self
            .issued
            .iter()
            .map(|(customer, reference)| IssuedReference {
                reference: reference.clone(),
                customer: customer.clone(),
                invoices: Vec::new(),
            })
            .collect();
        let mut coming: HashMap<String, Vec<&str>> = HashMap::new();
        for c in customers.filter(|c| !self.issued.contains_key(*c)) {
            coming.entry(self.of(c)).or_default().push(c);
        }
        out.extend(
            coming
                .into_iter()
                .filter(|(_, who)| who.len() == 1)
                .map(|(reference, who)| IssuedReference {
                    reference,
                    customer: who[0].to_string(),
                    invoices: Vec::new(),
                }),
        );
        out.sort_by(|a, b| a.reference.cmp(&b.reference));
        out
    }
}

impl App {
    /// A customer's payment reference, compact ("RF08C00012"): issued, or the one its next letter or email will
    /// carry.
    pub fn payment_reference(&self, customer: &str) -> AppResult<String> {
        let store = self.store();
        let customer = customer.trim();
        if !store.customers()?.iter().any(|c| c.key == customer) {
            return Err(AppError::InvalidInput(format!("no customer with key {customer}")));
        }
        Ok(PaymentReferences::load(&store)?.of(customer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(issued: &[(&str, &str)]) -> PaymentReferences {
        PaymentReferences {
            issued: issued
                .iter()
                .map(|(k, r)| (k.to_string(), r.to_string()))
                .collect(),
            holders: issued
                .iter()
                .map(|(k, r)| (r.to_string(), k.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_customer_gets_a_valid_reference_from_its_key() {
        let none = refs(&[]);
        // 98 − ("C00012RF00" mod 97) = 8.
        assert_eq!(none.of("C00012"), "RF08C00012");
        assert_eq!(none.of("411-dupont"), rf::rf_reference("411DUPONT").unwrap());
        // Too long, or no letter nor digit: from the key's hash, valid, stable, different per key.
        for key in ["4110000000000000000000000042", "---", "é"] {
            let r = none.of(key);
            assert_eq!(rf::rf_valid(&r).as_deref(), Some(r.as_str()), "{key}");
            assert_eq!(r.len(), 25, "{key}");
            assert_eq!(r, none.of(key));
        }
        assert_ne!(none.of("---"), none.of("--"));
    }

    #[test]
    fn an_issued_reference_stays_and_is_never_given_to_another_customer() {
        let r = rf::rf_reference("C1").unwrap();
        // "c-1" derives to C1's reference, which C1 holds: it gets its hashed one.
        let issued = refs(&[("C1", &r)]);
        assert_eq!(issued.of("C1"), r);
        assert_ne!(issued.of("c-1"), r);
        assert_eq!(issued.of("c-1"), hashed("c-1"));
        // Issued under an older rule: kept as issued.
        let old = refs(&[("C2", "RF18539007547034")]);
        assert_eq!(old.of("C2"), "RF18539007547034");
        // For the matching: the issued ones, and the coming ones that are not ambiguous.
        let known = refs(&[("C1", &r)]).for_matching(["C1", "C2", "c2", "C3"].into_iter());
        let pairs: Vec<(&str, &str)> = known
            .iter()
            .map(|i| (i.reference.as_str(), i.customer.as_str()))
            .collect();
        assert!(pairs.contains(&(r.as_str(), "C1")));
        let c3 = rf::rf_reference("C3").unwrap();
        assert!(pairs.contains(&(c3.as_str(), "C3")));
        // C2 and c2 would both get RF…C2: neither is known by it.
        assert!(!pairs.iter().any(|(_, c)| *c == "C2" || *c == "c2"), "{pairs:?}");
        assert_eq!(pairs.len(), 2);
    }
}
