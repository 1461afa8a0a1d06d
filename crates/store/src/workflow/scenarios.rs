//! The scenarios users saved, which segment or category follows which, and each customer's own settings (its
//! scenario, a pause).

use super::{check_customer, rules_by_kind, Edit};
use crate::db::{params, Optional};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::collections::{AssignBy, Assignment, Channel, Scenario, Step};

/// A customer's own collections settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDunning {
    pub customer_key: String,
    /// Its own scenario, over the one assigned to its segment or category.
    pub scenario_id: Option<String>,
    pub paused: bool,
    pub pause_reason: String,
}

impl Store {
    /// The scenarios users saved (the standard one is in the code until a user saves one with id `default`).
    pub fn scenarios(&self) -> Result<Vec<Scenario>> {
        let mut out: Vec<Scenario> = {
            let mut stmt = self.conn.prepare("SELECT id, name FROM scenario ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(Scenario {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    steps: Vec::new(),
                })
            })?;
            rows.collect::<crate::Result<Vec<_>>>()?
        };
        let mut stmt = self.conn.prepare(
            "SELECT scenario_id, step_id, offset_days, channels, template_id, needs_validation FROM scenario_step
             ORDER BY scenario_id, position",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        for (scenario_id, id, offset_days, channels, template, needs_validation) in rows {
            let channels = Channel::split(&channels).map_err(|_| StoreError::Corrupt {
                what: format!("channels of step {id} of scenario {scenario_id}"),
                value: channels.clone(),
            })?;
            if let Some(s) = out.iter_mut().find(|s| s.id == scenario_id) {
                s.steps.push(Step {
                    id,
                    offset_days,
                    channels,
                    template,
                    needs_validation,
                });
            }
        }
        Ok(out)
    }

    /// Creates or replaces a scenario (validated first).
    /// Saves a scenario. `edit` is the version the user's screen read (`None`: saved without one, as the CLI
    /// does), and who saves at what time: a scenario changed by someone else since that version is refused with
    /// their name and time ([`StoreError::Conflict`]), nothing written.
    pub fn save_scenario(&mut self, s: &Scenario, updated_on: NaiveDate, edit: &Edit<'_>) -> Result<()> {
        s.validate().map_err(|e| StoreError::Refused(e.to_string()))?;
        let tx = self.conn.transaction()?;
        let current: Option<(i64, String, Option<String>)> = tx
            .query_row(
                "SELECT version, changed_by, changed_at FROM scenario WHERE id = ?1",
                [&s.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let (Some(read), Some((version, by, at))) = (edit.version, &current) {
            if read != *version {
                return Err(StoreError::Conflict {
                    what: format!("scenario {}", s.id),
                    by: by.clone(),
                    at: at.clone().unwrap_or_default(),
                });
            }
        }
        tx.execute(
            "INSERT INTO scenario (id, name, updated_on, version, changed_by, changed_at) VALUES (?1, ?2, ?3, 1, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_on = excluded.updated_on,
                 version = scenario.version + 1, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            params![s.id, s.name, updated_on, edit.by, edit.at],
        )?;
        tx.execute("DELETE FROM scenario_step WHERE scenario_id = ?1", [&s.id])?;
        for (i, step) in s.steps.iter().enumerate() {
            tx.execute(
                "INSERT INTO scenario_step (scenario_id, position, step_id, offset_days, channels, template_id,
                                            needs_validation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    s.id,
                    i as i64,
                    step.id,
                    step.offset_days,
                    Channel::join(&step.channels),
                    step.template,
                    step.needs_validation
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Each saved scenario's version (what a screen sends back with its change).
    pub fn scenario_versions(&self) -> Result<Vec<(String, i64)>> {
        self.conn
            .prepare("SELECT id, version FROM scenario ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    pub fn scenario_assignments(&self) -> Result<Vec<Assignment>> {
        Ok(rules_by_kind(self, "scenario_assignment", "scenario_id")?
            .into_iter()
            .map(|(by, value, scenario_id)| Assignment {
                by,
                value,
                scenario_id,
            })
            .collect())
    }

    /// Assigns a scenario to a segment or category; None removes the assignment.
    pub fn assign_scenario(&self, by: AssignBy, value: &str, scenario_id: Option<&str>) -> Result<()> {
        match scenario_id {
            Some(id) => {
                self.check_scenario(id)?;
                self.conn.execute(
                    "INSERT INTO scenario_assignment (by_kind, value, scenario_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT(by_kind, value) DO UPDATE SET scenario_id = excluded.scenario_id",
                    params![by.as_str(), value, id],
                )?;
            }
            None => {
                self.conn.execute(
                    "DELETE FROM scenario_assignment WHERE by_kind = ?1 AND value = ?2",
                    params![by.as_str(), value],
                )?;
            }
        }
        Ok(())
    }

    fn check_scenario(&self, id: &str) -> Result<()> {
        let exists: bool =
            self.conn
                .query_row("SELECT EXISTS(SELECT 1 FROM scenario WHERE id = ?1)", [id], |r| {
                    r.get(0)
                })?;
        if exists || id == Scenario::DEFAULT_ID {
            Ok(())
        } else {
            Err(StoreError::Refused(format!("no scenario with id {id}")))
        }
    }

    /// Every customer's own collections settings (customers without any are absent).
    pub fn customer_dunning(&self) -> Result<Vec<CustomerDunning>> {
        let mut stmt = self.conn.prepare(
            "SELECT customer_key, scenario_id, paused, pause_reason FROM customer_dunning ORDER BY customer_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomerDunning {
                customer_key: r.get(0)?,
                scenario_id: r.get(1)?,
                paused: r.get(2)?,
                pause_reason: r.get(3)?,
            })
        })?;
        rows.collect::<crate::Result<Vec<_>>>()
    }

    /// Gives a customer its own scenario (None: back to its segment's or category's).
    pub fn set_customer_scenario(&self, key: &str, scenario_id: Option<&str>) -> Result<()> {
        check_customer(&self.conn, key)?;
        if let Some(id) = scenario_id {
            self.check_scenario(id)?;
        }
        self.conn.execute(
            "INSERT INTO customer_dunning (customer_key, scenario_id) VALUES (?1, ?2)
             ON CONFLICT(customer_key) DO UPDATE SET scenario_id = excluded.scenario_id",
            params![key, scenario_id],
        )?;
        Ok(())
    }

    /// Pauses (or resumes) the chase of a customer.
    pub fn set_customer_paused(&self, key: &str, paused: bool, reason: &str) -> Result<()> {
        check_customer(&self.conn, key)?;
        self.conn.execute(
            "INSERT INTO customer_dunning (customer_key, paused, pause_reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(customer_key) DO UPDATE SET paused = excluded.paused, pause_reason = excluded.pause_reason",
            params![key, paused, reason],
        )?;
        Ok(())
    }
}
