//! Dunning scenarios: ordered steps, each at an offset in days from the due date, through one or more channels,
//! with a template and whether a person must validate it before it goes.

use crate::words::word_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

word_enum!(
    /// The steps of the standard scenario, in order. A user's own scenario may name its steps otherwise (any word
    /// of letters, digits, - and _), so a step id read from the store is a `String`; these are the built-in ones,
    /// which also name the default templates.
    StepId {
        PreReminder = "pre_reminder",
        Reminder1 = "reminder_1",
        Reminder2 = "reminder_2",
        Reminder3 = "reminder_3",
        PersonalLetter = "personal_letter",
        FormalNotice = "formal_notice",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
/// How a step reaches the customer.
pub enum Channel {
    Email,
    Letter,
    Call,
    /// A text message to send by hand (no SMS gateway): a task on the agenda.
    SmsTask,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Letter, Channel::Call, Channel::SmsTask];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::Call => "call",
            Channel::SmsTask => "sms_task",
        }
    }

    /// Several channels of one step as one word: `letter+call`.
    pub fn join(channels: &[Channel]) -> String {
        channels.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("+")
    }

    /// The inverse of [`Channel::join`]: `letter+call` → [Letter, Call]; refuses an empty list and repeats.
    pub fn split(s: &str) -> Result<Vec<Channel>, ScenarioError> {
        let mut out = Vec::new();
        for part in s.split('+') {
            let c: Channel = part.parse()?;
            if out.contains(&c) {
                return Err(ScenarioError::Channel(s.to_string()));
            }
            out.push(c);
        }
        Ok(out)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = ScenarioError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| ScenarioError::Channel(s.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id, recorded in the actions log when the step is done (`reminder_1`).
    pub id: String,
    /// Days from the due date: negative before it (a preventive reminder), positive after.
    pub offset_days: i32,
    /// At least one; `letter` + `call` for a letter followed by a phone call.
    pub channels: Vec<Channel>,
    /// The template the step's message is written from.
    pub template: String,
    /// A person validates the action before it goes (never fully automatic).
    pub needs_validation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    /// By offset, strictly increasing.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("'{0}' is not a channel (expected email, letter, call or sms_task, joined by +)")]
    Channel(String),
    #[error("scenario '{0}' has no step")]
    NoStep(String),
    #[error("scenario id and step ids must be non-empty words of letters, digits, - and _: '{0}'")]
    BadId(String),
    #[error("scenario '{scenario}': step '{step}' appears twice")]
    DuplicateStep { scenario: String, step: String },
    #[error("scenario '{scenario}': step '{step}' must come strictly after the previous step")]
    Order { scenario: String, step: String },
    #[error("scenario '{scenario}': step '{step}' has no channel")]
    NoChannel { scenario: String, step: String },
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Scenario {
    /// The id of the scenario used when nothing else is assigned.
    pub const DEFAULT_ID: &'static str = "default";

    /// The seeds' scenario: a preventive email 3 days before the due date, three email reminders, then a personal
    /// letter listing the unpaid invoices with a phone call, then the formal notice; the last two validated by a
    /// person.
    pub fn standard() -> Scenario {
        let step = |id: StepId, offset_days, channels: &[Channel], needs_validation| Step {
            id: id.as_str().into(),
            offset_days,
            channels: channels.to_vec(),
            template: id.as_str().into(),
            needs_validation,
        };
        use Channel::*;
        use StepId::*;
        Scenario {
            id: Self::DEFAULT_ID.into(),
            name: "Standard".into(),
            steps: vec![
                step(PreReminder, -3, &[Email], false),
                step(Reminder1, 5, &[Email], false),
                step(Reminder2, 15, &[Email], false),
                step(Reminder3, 30, &[Email], false),
                step(PersonalLetter, 60, &[Letter, Call], true),
                step(FormalNotice, 75, &[Letter], true),
            ],
        }
    }

    pub fn validate(&self) -> Result<(), ScenarioError> {
        if !is_word(&self.id) {
            return Err(ScenarioError::BadId(self.id.clone()));
        }
        if self.steps.is_empty() {
            return Err(ScenarioError::NoStep(self.id.clone()));
        }
        for (i, s) in self.steps.iter().enumerate() {
            let err_ctx = || (self.id.clone(), s.id.clone());
            if !is_word(&s.id) {
                return Err(ScenarioError::BadId(s.id.clone()));
            }
            if s.channels.is_empty() {
                let (scenario, step) = err_ctx();
                return Err(ScenarioError::NoChannel { scenario, step });
            }
            if self.steps[..i].iter().any(|p| p.id == s.id) {
                let (scenario, step) = err_ctx();
                return Err(ScenarioError::DuplicateStep { scenario, step });
            }
            if i > 0 && self.steps[i - 1].offset_days >= s.offset_days {
                let (scenario, step) = err_ctx();
                return Err(ScenarioError::Order { scenario, step });
            }
        }
        Ok(())
    }

    /// The index of the last step an invoice `days_late` days past due has reached (offset ≤ days late).
    pub fn reached(&self, days_late: i64) -> Option<usize> {
        self.steps
            .iter()
            .rposition(|s| i64::from(s.offset_days) <= days_late)
    }

    pub fn step_index(&self, step_id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == step_id)
    }
}

/// What a scenario is assigned by, besides a per-customer override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AssignBy {
    /// The customer's segment (customer.segment).
    Segment,
    /// A user category (key account, public body…).
    Category,
}

impl AssignBy {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignBy::Segment => "segment",
            AssignBy::Category => "category",
        }
    }
}

impl FromStr for AssignBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "segment" => Ok(AssignBy::Segment),
            "category" => Ok(AssignBy::Category),
            other => Err(format!("'{other}' is not segment or category")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub by: AssignBy,
    pub value: String,
    pub scenario_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_scenario_is_the_issue_table() {
        let s = Scenario::standard();
        s.validate().unwrap();
        let rows: Vec<_> = s
            .steps
            .iter()
            .map(|st| {
                (
                    st.id.as_str(),
                    st.offset_days,
                    Channel::join(&st.channels),
                    st.needs_validation,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("pre_reminder", -3, "email".to_string(), false),
                ("reminder_1", 5, "email".into(), false),
                ("reminder_2", 15, "email".into(), false),
                ("reminder_3", 30, "email".into(), false),
                ("personal_letter", 60, "letter+call".into(), true),
                ("formal_notice", 75, "letter".into(), true),
            ]
        );
    }

    #[test]
    fn reached_step_at_each_edge() {
        let s = Scenario::standard();
        let id = |days| s.reached(days).map(|i| s.steps[i].id.as_str());
        assert_eq!(id(-4), None);
        assert_eq!(id(-3), Some("pre_reminder"));
        assert_eq!(id(4), Some("pre_reminder"));
        assert_eq!(id(5), Some("reminder_1"));
        assert_eq!(id(14), Some("reminder_1"));
        assert_eq!(id(15), Some("reminder_2"));
        assert_eq!(id(29), Some("reminder_2"));
        assert_eq!(id(30), Some("reminder_3"));
        assert_eq!(id(59), Some("reminder_3"));
        assert_eq!(id(60), Some("personal_letter"));
        assert_eq!(id(74), Some("personal_letter"));
        assert_eq!(id(75), Some("formal_notice"));
        assert_eq!(id(4000), Some("formal_notice"));
    }

    #[test]
    fn channels_round_trip_and_refuse_nonsense() {
        assert_eq!(
            Channel::split("letter+call").unwrap(),
            [Channel::Letter, Channel::Call]
        );
        assert_eq!(Channel::join(&[Channel::SmsTask]), "sms_task");
        assert!(Channel::split("fax").is_err());
        assert!(Channel::split("").is_err());
        assert!(Channel::split("email+email").is_err());
    }

    #[test]
    fn invalid_scenarios_are_refused() {
        let mut s = Scenario::standard();
        s.steps.swap(1, 2);
        assert!(matches!(s.validate(), Err(ScenarioError::Order { .. })));
        let mut s = Scenario::standard();
        s.steps[2].offset_days = 5;
        assert!(
            matches!(s.validate(), Err(ScenarioError::Order { .. })),
            "equal offsets"
        );
        let mut s = Scenario::standard();
        s.steps[3].id = "reminder_1".into();
        assert!(matches!(s.validate(), Err(ScenarioError::DuplicateStep { .. })));
        let mut s = Scenario::standard();
        s.steps[0].channels.clear();
        assert!(matches!(s.validate(), Err(ScenarioError::NoChannel { .. })));
        let mut s = Scenario::standard();
        s.id = "with space".into();
        assert!(matches!(s.validate(), Err(ScenarioError::BadId(_))));
        s.id = "x".into();
        s.steps.clear();
        assert!(matches!(s.validate(), Err(ScenarioError::NoStep(_))));
    }

    #[test]
    fn standard_step_ids_are_the_words_of_the_standard_scenario() {
        let ids: Vec<_> = Scenario::standard().steps.into_iter().map(|s| s.id).collect();
        let words: Vec<_> = StepId::ALL.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(ids, words);
    }
}
