//! The kind of each debtor (professional, public body, private person), which decides what a letter may claim:
//! from the customer's category, else from its segment through a mapping the user sets (Settings → Lettres et
//! taux), else professional. The mapping is kept in the `setting` table under `letters.debtor_kinds` (JSON).

use crate::{App, AppError, AppResult};
use encaisse_domain::DebtorKind;
use encaisse_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

const KINDS_KEY: &str = "letters.debtor_kinds";

/// One segment and the kind of debtor its customers are (unless their category says otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentKind {
    pub segment: String,
    pub kind: DebtorKind,
}

/// The segment → kind mapping, sorted by segment; a segment not listed is professional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebtorKindMapping {
    pub segments: Vec<SegmentKind>,
}

impl DebtorKindMapping {
    fn to_map(&self) -> BTreeMap<String, DebtorKind> {
        self.segments
            .iter()
            .map(|s| (s.segment.trim().to_string(), s.kind))
            .collect()
    }

    fn from_map(map: &BTreeMap<String, DebtorKind>) -> DebtorKindMapping {
        DebtorKindMapping {
            segments: map
                .iter()
                .map(|(segment, kind)| SegmentKind {
                    segment: segment.clone(),
                    kind: *kind,
                })
                .collect(),
        }
    }
}

/// The segments that are public bodies in the demo company.
pub(crate) const DEMO_PUBLIC_SEGMENT: &str = "secteur_public";

pub(crate) fn segment_kinds(store: &Store) -> AppResult<BTreeMap<String, DebtorKind>> {
    match store.setting(KINDS_KEY)? {
        Some(json) => serde_json::from_str::<DebtorKindMapping>(&json)
            .map(|m| m.to_map())
            .map_err(|e| AppError::Database(format!("debtor kinds: {e}"))),
        None => Ok(BTreeMap::new()),
    }
}

/// The kind of every customer of the database, by customer key.
pub(crate) fn debtor_kinds(store: &Store) -> AppResult<HashMap<String, DebtorKind>> {
    let segments = segment_kinds(store)?;
    let categories = store.customer_categories()?;
    Ok(store
        .customers()?
        .into_iter()
        .map(|c| {
            let kind = DebtorKind::resolve(
                categories.get(&c.key).map(String::as_str),
                c.segment.as_deref(),
                &segments,
            );
            (c.key, kind)
        })
        .collect())
}

/// The kind of one customer (professional when the customer is unknown: its letter fails on that elsewhere).
pub(crate) fn debtor_kind_of(store: &Store, customer: &str) -> AppResult<DebtorKind> {
    Ok(debtor_kinds(store)?
        .remove(customer.trim())
        .unwrap_or(DebtorKind::Professional))
}

impl App {
    /// The segment → debtor kind mapping (Settings → Lettres et taux).
    pub fn debtor_kind_mapping(&self) -> AppResult<DebtorKindMapping> {
        Ok(DebtorKindMapping::from_map(&segment_kinds(&self.store())?))
    }

    /// Replaces the mapping; a segment named twice or blank is refused. Audited (before/after) by `user`.
    pub fn save_debtor_kind_mapping(
        &self,
        mapping: &DebtorKindMapping,
        user: &str,
    ) -> AppResult<DebtorKindMapping> {
        let mut map = BTreeMap::new();
        for s in &mapping.segments {
            let segment = s.segment.trim();
            if segment.is_empty() {
                return Err(AppError::InvalidInput(
                    "debtor kinds: a segment name is empty".into(),
                ));
            }
            if map.insert(segment.to_string(), s.kind).is_some() {
                return Err(AppError::InvalidInput(format!(
                    "debtor kinds: the segment '{segment}' is listed twice"
                )));
            }
        }
        let before = self.debtor_kind_mapping()?;
        let after = DebtorKindMapping::from_map(&map);
        if before != after {
            let json = |m: &DebtorKindMapping| serde_json::to_string(m).ok();
            self.store().set_setting(
                KINDS_KEY,
                &json(&after).ok_or_else(|| AppError::Io("debtor kinds".into()))?,
            )?;
            self.audit(
                user,
                "debtor_kinds",
                "letters.debtor_kinds",
                "changed",
                json(&before),
                json(&after),
            )?;
        }
        Ok(after)
    }

    /// The kind of every customer, by customer key (one read for a batch of letters or a report).
    pub fn debtor_kinds(&self) -> AppResult<HashMap<String, DebtorKind>> {
        debtor_kinds(&self.store())
    }

    /// The kind of one customer's debt: its category, else its segment's mapping, else professional.
    pub fn debtor_kind(&self, customer: &str) -> AppResult<DebtorKind> {
        debtor_kinds(&self.store())?
            .remove(customer.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("customer {customer}: no such customer")))
    }

    /// Maps the demo's public-sector segment to public bodies when no mapping names it.
    pub(crate) fn fill_demo_debtor_kinds(&self) -> AppResult<()> {
        let store = self.store();
        let mut map = segment_kinds(&store)?;
        if !map.contains_key(DEMO_PUBLIC_SEGMENT) {
            map.insert(DEMO_PUBLIC_SEGMENT.to_string(), DebtorKind::PublicBody);
            let json = serde_json::to_string(&DebtorKindMapping::from_map(&map))
                .map_err(|e| AppError::Io(e.to_string()))?;
            store.set_setting(KINDS_KEY, &json)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_round_trips_sorted_by_segment() {
        let m = DebtorKindMapping {
            segments: vec![
                SegmentKind {
                    segment: " z ".into(),
                    kind: DebtorKind::PrivatePerson,
                },
                SegmentKind {
                    segment: "a".into(),
                    kind: DebtorKind::PublicBody,
                },
            ],
        };
        let back = DebtorKindMapping::from_map(&m.to_map());
        assert_eq!(back.segments[0].segment, "a");
        assert_eq!(back.segments[1].segment, "z");
        assert_eq!(back.segments[1].kind, DebtorKind::PrivatePerson);
    }
}
