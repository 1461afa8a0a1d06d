//! Dunning scenarios, who follows which, and pausing a customer's dunning.

use crate::workflow::{invalid, parse_word, to_json};
use crate::{App, AppError, AppResult};
use encaisse_domain::collections::{AssignBy, Channel, Scenario, Step};
use encaisse_dunning::scenario::scenario_for;
use encaisse_store::{edits, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioStep {
    pub id: String,
    pub offset_days: i32,
    /// email, letter, call, sms_task
    pub channels: Vec<String>,
    pub template: String,
    pub needs_validation: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioDto {
    pub id: String,
    pub name: String,
    pub steps: Vec<ScenarioStep>,
    /// The saved scenario's version as read (absent for the built-in one): sent back with a change, so that a
    /// change a colleague saved meanwhile is not overwritten (team mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioAssignment {
    pub by: AssignBy,
    pub value: String,
    pub scenario: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Scenarios {
    /// The standard scenario first (saved or built in), then the others by id.
    pub scenarios: Vec<ScenarioDto>,
    pub assignments: Vec<ScenarioAssignment>,
}

impl From<&Scenario> for ScenarioDto {
    fn from(s: &Scenario) -> Self {
        ScenarioDto {
            version: None,
            id: s.id.clone(),
            name: s.name.clone(),
            steps: s
                .steps
                .iter()
                .map(|st| ScenarioStep {
                    id: st.id.clone(),
                    offset_days: st.offset_days,
                    channels: st.channels.iter().map(|c| c.as_str().to_string()).collect(),
                    template: st.template.clone(),
                    needs_validation: st.needs_validation,
                })
                .collect(),
        }
    }
}

impl TryFrom<&ScenarioDto> for Scenario {
    type Error = AppError;
    fn try_from(s: &ScenarioDto) -> AppResult<Scenario> {
        let steps = s
            .steps
            .iter()
            .map(|st| {
                Ok(Step {
                    id: st.id.trim().to_string(),
                    offset_days: st.offset_days,
                    channels: st
                        .channels
                        .iter()
                        .map(|c| c.parse::<Channel>().map_err(invalid))
                        .collect::<AppResult<_>>()?,
                    template: st.template.trim().to_string(),
                    needs_validation: st.needs_validation,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let scenario = Scenario {
            id: s.id.trim().to_string(),
            name: s.name.trim().to_string(),
            steps,
        };
        scenario.validate().map_err(invalid)?;
        Ok(scenario)
    }
}

impl App {
    /// The scenario of each id: the saved ones and the standard one (unless a user saved one with its id).
    pub(crate) fn scenario_book(store: &Store) -> AppResult<Vec<Scenario>> {
        let mut all = store.scenarios()?;
        if !all.iter().any(|s| s.id == Scenario::DEFAULT_ID) {
            all.insert(0, Scenario::standard());
        } else if let Some(i) = all.iter().position(|s| s.id == Scenario::DEFAULT_ID) {
            let d = all.remove(i);
            all.insert(0, d);
        }
        Ok(all)
    }

    pub(crate) fn customer_scenario(&self, store: &Store, key: &str) -> AppResult<Scenario> {
        let customer = store
            .customers()?
            .into_iter()
            .find(|c| c.key == key.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("no customer with key {key}")))?;
        let own = store
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == customer.key);
        let categories = store.customer_categories()?;
        let assignments = store.scenario_assignments()?;
        let id = scenario_for(
            own.as_ref().and_then(|o| o.scenario_id.as_deref()),
            customer.segment.as_deref(),
            categories.get(&customer.key).map(String::as_str),
            &assignments,
        );
        let mut book = Self::scenario_book(store)?;
        let i = book.iter().position(|s| s.id == id).unwrap_or(0);
        Ok(book.swap_remove(i))
    }

    /// A customer's own dunning settings as the audit trail shows them.
    pub(crate) fn dunning_of(&self, key: &str) -> AppResult<String> {
        let own = self
            .store()
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == key)
            .unwrap_or_default();
        Ok(serde_json::json!({
            "scenario": own.scenario_id,
            "paused": own.paused,
            "pause_reason": own.pause_reason,
        })
        .to_string())
    }

    /// Gives a customer its own scenario (None: the one of its category or segment). `version`: the customer's
    /// chase as the screen read it (`WorkflowRecords::chase_version`), so that a colleague's change saved since is
    /// refused rather than overwritten; `None`: whatever it is (the CLI).
    pub fn set_customer_scenario(
        &self,
        customer: &str,
        scenario: Option<&str>,
        version: Option<i64>,
    ) -> AppResult<()> {
        let key = customer.trim();
        let before = self.dunning_of(key)?;
        self.edited(&edits::customer_subject(key), version, |store| {
            store.set_customer_scenario(key, scenario)
        })?;
        let after = self.dunning_of(key)?;
        self.audit("", "customer_dunning", key, "scenario", Some(before), Some(after))
    }

    pub fn scenarios(&self) -> AppResult<Scenarios> {
        let store = self.store();
        let versions: std::collections::HashMap<String, i64> =
            store.scenario_versions()?.into_iter().collect();
        Ok(Scenarios {
            scenarios: Self::scenario_book(&store)?
                .iter()
                .map(|s| ScenarioDto {
                    version: versions.get(&s.id).copied(),
                    ..ScenarioDto::from(s)
                })
                .collect(),
            assignments: store
                .scenario_assignments()?
                .into_iter()
                .map(|a| ScenarioAssignment {
                    by: a.by,
                    value: a.value,
                    scenario: a.scenario_id,
                })
                .collect(),
        })
    }

    /// Creates or replaces a scenario (saving one with id `default` replaces the standard one).
    pub fn save_scenario(&self, scenario: &ScenarioDto) -> AppResult<()> {
        let s = Scenario::try_from(scenario)?;
        let before = self
            .scenarios()?
            .scenarios
            .into_iter()
            .find(|x| x.id == s.id)
            .map(|x| to_json(&x));
        {
            let mut store = self.store();
            let (by, at) = self.changed_by(&store)?;
            let edit = encaisse_store::workflow::Edit {
                version: scenario.version,
                by: &by,
                at: &at,
            };
            store.save_scenario(&s, self.today(), &edit)?;
        }
        let after = Some(to_json(&ScenarioDto::from(&s)));
        self.audit("", "scenario", &s.id, "saved", before, after)
    }

    /// Assigns a scenario to every customer of a segment or category (None removes the assignment).
    pub fn assign_scenario(&self, by: &str, value: &str, scenario: Option<&str>) -> AppResult<()> {
        let by: AssignBy = parse_word("by", by)?;
        let value = value.trim();
        let before = self
            .store()
            .scenario_assignments()?
            .into_iter()
            .find(|a| a.by == by && a.value == value)
            .map(|a| a.scenario_id);
        self.store().assign_scenario(by, value, scenario)?;
        let what = if scenario.is_some() { "assigned" } else { "removed" };
        let id = format!("{}:{value}", by.as_str());
        self.audit(
            "",
            "scenario_assignment",
            &id,
            what,
            before,
            scenario.map(str::to_string),
        )
    }

    /// Pauses (or resumes) the chase of a customer; `version` as for [`App::set_customer_scenario`].
    pub fn set_customer_paused(
        &self,
        customer: &str,
        paused: bool,
        reason: &str,
        version: Option<i64>,
    ) -> AppResult<()> {
        let key = customer.trim();
        let before = self.dunning_of(key)?;
        self.edited(&edits::customer_subject(key), version, |store| {
            store.set_customer_paused(key, paused, reason)
        })?;
        let what = if paused { "paused" } else { "resumed" };
        let after = self.dunning_of(key)?;
        self.audit("", "customer_dunning", key, what, Some(before), Some(after))
    }
}
