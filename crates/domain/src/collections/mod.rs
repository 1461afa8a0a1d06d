//! The collections workflow's vocabulary, shared by the store that keeps its records, the dunning rules that read
//! them and the app that shows them: scenarios and their steps, the actions log's kinds and outcomes, promises to
//! pay and disputes. Every word here is a code a user can see; its spelling is the one stored and sent as JSON.

pub mod action;
pub mod dispute;
pub mod portfolio;
pub mod promise;
pub mod scenario;

pub use action::{ActionKind, Outcome};
pub use dispute::{Department, Dispute, DisputeKind, DisputeStatus};
pub use portfolio::{collector_for, PortfolioRule};
pub use promise::{Promise, PromiseStatus};
pub use scenario::{AssignBy, Assignment, Channel, Scenario, ScenarioError, Step, StepId};

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn json_words<T: Serialize + Copy>(all: &[T], word: impl Fn(T) -> &'static str) {
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), word(*v));
        }
    }

    /// The JSON (and TypeScript) words are the words stored and parsed.
    #[test]
    fn json_words_are_the_stored_words() {
        json_words(ActionKind::ALL, ActionKind::as_str);
        json_words(Outcome::ALL, Outcome::as_str);
        json_words(DisputeKind::ALL, DisputeKind::as_str);
        json_words(Department::ALL, Department::as_str);
        json_words(DisputeStatus::ALL, DisputeStatus::as_str);
        json_words(StepId::ALL, StepId::as_str);
        json_words(&Channel::ALL, Channel::as_str);
        json_words(&[AssignBy::Segment, AssignBy::Category], AssignBy::as_str);
        let statuses = [PromiseStatus::Running, PromiseStatus::Kept, PromiseStatus::Broken];
        json_words(&statuses, PromiseStatus::as_str);
    }
}
