//! What the reports need beside the ledger: customers' user categories and the year's turnover (D441-6).

use crate::db::{params, Optional};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::customer::Category;
use encaisse_domain::money::{from_minor, to_minor};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The user categories a customer can be put in.
pub const CATEGORIES: [&str; 4] = [
    Category::KeyAccount.as_str(),
    Category::Occasional.as_str(),
    Category::PrivatePerson.as_str(),
    Category::PublicBody.as_str(),
];

impl Store {
    /// Sets (or clears, with None) a customer's category; false when there is no such customer.
    pub fn set_customer_category(&self, key: &str, category: Option<&str>) -> Result<bool> {
        if let Some(c) = category.filter(|c| !CATEGORIES.contains(c)) {
            return Err(StoreError::Refused(format!(
                "category '{c}': expected one of {}",
                CATEGORIES.join(", ")
            )));
        }
        let n = self.conn.execute(
            "UPDATE customer SET category = ?2 WHERE key = ?1",
            params![key, category],
        )?;
        Ok(n > 0)
    }

    /// Every customer that has a category, by key.
    pub fn customer_categories(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, category FROM customer WHERE category IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<crate::Result<_>>()
    }

    /// Records the turnover excl. VAT of the fiscal year closing on `year_end` ("fec" or "user").
    pub fn set_fiscal_turnover(&self, year_end: NaiveDate, turnover: Decimal, source: &str) -> Result<()> {
        let digits = self.currency()?.minor_digits();
        let minor = to_minor(turnover, digits).map_err(|source| StoreError::Money {
            what: format!("turnover of {year_end}"),
            source,
        })?;
        self.conn.execute(
            "INSERT INTO fiscal_turnover (year_end, turnover_minor, source) VALUES (?1, ?2, ?3)
             ON CONFLICT(year_end) DO UPDATE SET turnover_minor = excluded.turnover_minor, source = excluded.source",
            params![year_end, minor, source],
        )?;
        Ok(())
    }

    /// The turnover excl. VAT recorded for the year closing on `year_end`, with its source.
    pub fn fiscal_turnover(&self, year_end: NaiveDate) -> Result<Option<(Decimal, String)>> {
        let digits = self.currency()?.minor_digits();
        self.conn
            .query_row(
                "SELECT turnover_minor, source FROM fiscal_turnover WHERE year_end = ?1",
                [year_end],
                |r| Ok((from_minor(r.get(0)?, digits), r.get(1)?)),
            )
            .optional()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn categories_and_turnover_round_trip() {
        let mut store = Store::open_in_memory().unwrap();
        let company = encaisse_domain::Company {
            name: "X".into(),
            siren: None,
            address: None,
            currency: "EUR".into(),
        };
        let customers = [
            encaisse_domain::Customer::new("C1", "Un"),
            encaisse_domain::Customer::new("C2", "Deux"),
        ];
        store.replace_with_demo(&company, &customers, &[]).unwrap();
        assert!(store.set_customer_category("C1", Some("public_body")).unwrap());
        assert!(!store.set_customer_category("C9", Some("occasional")).unwrap());
        assert!(store.set_customer_category("C2", Some("vip")).is_err());
        let cats = store.customer_categories().unwrap();
        assert_eq!(cats.len(), 1);
        assert_eq!(cats["C1"], "public_body");
        assert!(store.set_customer_category("C1", None).unwrap());
        assert!(store.customer_categories().unwrap().is_empty());

        let end = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(store.fiscal_turnover(end).unwrap(), None);
        store.set_fiscal_turnover(end, dec!(1234567.89), "fec").unwrap();
        store.set_fiscal_turnover(end, dec!(1000000), "user").unwrap();
        assert_eq!(
            store.fiscal_turnover(end).unwrap(),
            Some((dec!(1000000), "user".into()))
        );
        assert!(store.set_fiscal_turnover(end, dec!(0.001), "user").is_err());
    }
}
