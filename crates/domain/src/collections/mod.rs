//! The collections workflow's vocabulary, shared by the store that keeps its records, the dunning rules that read
//! them and the app that shows them: scenarios and their steps, the actions log's kinds and outcomes, promises to
//! pay and disputes. Every word here is a code a user can see; its spelling is the one stored and sent as JSON.

pub mod action;
pub mod dispute;
pub mod promise;
pub mod scenario;

pub use action::{ActionKind, Outcome};
pub use dispute::{Department, Dispute, DisputeKind, DisputeStatus};
pub use promise::{Promise, PromiseStatus};
pub use scenario::{AssignBy, Assignment, Channel, Scenario, ScenarioError, Step, StepId};
