//! The accredited platform's flows (migration 0014): each lifecycle flow received and what became of it, each
//! 212 message posted. A flow's (direction, id) is its identity.

use crate::db::{params, Optional};
use crate::{Result, Store};
use chrono::NaiveDate;

/// `in`: a flow received from the platform; `out`: one Encaisse posted.
pub const IN: &str = "in";
pub const OUT: &str = "out";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaFlow {
    pub direction: String,
    pub flow_id: String,
    pub updated_at: Option<String>,
    pub message_id: Option<String>,
    /// `imported`, `failed` or `sent`.
    pub outcome: String,
    pub reason: Option<String>,
    pub recorded_on: NaiveDate,
}

fn row(r: &crate::db::Row<'_>) -> crate::Result<PaFlow> {
    Ok(PaFlow {
        direction: r.get(0)?,
        flow_id: r.get(1)?,
        updated_at: r.get(2)?,
        message_id: r.get(3)?,
        outcome: r.get(4)?,
        reason: r.get(5)?,
        recorded_on: r.get(6)?,
    })
}

const COLUMNS: &str = "direction, flow_id, updated_at, message_id, outcome, reason, recorded_on";

impl Store {
    /// Records a flow, replacing what was known of it (a flow that failed and is imported later).
    pub fn record_pa_flow(&self, f: &PaFlow) -> Result<()> {
        self.conn.execute(
            &format!(
                "INSERT INTO pa_flow ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (direction, flow_id) DO UPDATE SET updated_at = excluded.updated_at,
                 message_id = excluded.message_id, outcome = excluded.outcome, reason = excluded.reason,
                 recorded_on = excluded.recorded_on"
            ),
            params![
                f.direction,
                f.flow_id,
                f.updated_at,
                f.message_id,
                f.outcome,
                f.reason,
                f.recorded_on
            ],
        )?;
        Ok(())
    }

    pub fn pa_flow(&self, direction: &str, flow_id: &str) -> Result<Option<PaFlow>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM pa_flow WHERE direction = ?1 AND flow_id = ?2"),
                params![direction, flow_id],
                row,
            )
            .optional()
    }

    /// Every flow of a direction, the latest recorded first.
    pub fn pa_flows(&self, direction: &str) -> Result<Vec<PaFlow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM pa_flow WHERE direction = ?1 ORDER BY recorded_on DESC, {} DESC",
            self.conn.insertion_order("pa_flow")
        ))?;
        let rows = stmt.query_map([direction], row)?;
        rows.collect::<crate::Result<Vec<_>>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_is_recorded_once_and_its_outcome_replaced() {
        let store = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut f = PaFlow {
            direction: IN.into(),
            flow_id: "F1".into(),
            updated_at: Some("2026-12-01T08:00:00Z".into()),
            message_id: None,
            outcome: "failed".into(),
            reason: Some("download refused".into()),
            recorded_on: day,
        };
        store.record_pa_flow(&f).unwrap();
        f.outcome = "imported".into();
        f.reason = None;
        f.message_id = Some("M1".into());
        store.record_pa_flow(&f).unwrap();
        assert_eq!(store.pa_flow(IN, "F1").unwrap(), Some(f.clone()));
        assert_eq!(store.pa_flows(IN).unwrap(), vec![f]);
        assert_eq!(store.pa_flow(OUT, "F1").unwrap(), None);
    }
}
