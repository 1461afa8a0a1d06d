//! The actions log's vocabulary: what was done and what came of it. The words live in `encaisse_domain`, which
//! the store shares; they are re-exported here at their former paths.

pub use encaisse_domain::collections::action::{ActionKind, Outcome};
