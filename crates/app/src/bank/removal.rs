//! What removing a statement would take away, told before the user confirms (nothing written).

use super::BankStatementRemoved;
use crate::{App, AppResult};

impl App {
    /// The entries removing statement `id` would take away and how many of them carry a match or a decision:
    /// the removal run in a transaction that is rolled back.
    pub fn bank_statement_removal(&self, id: i64) -> AppResult<BankStatementRemoved> {
        let mut guard = self.store();
        let mut store = guard.lock_for_import()?;
        let removed = store.remove_statement(id)?;
        // Dropping the lock uncommitted rolls the removal back.
        drop(store);
        Ok(BankStatementRemoved {
            id,
            file: removed.statement.file_name.clone(),
            account: removed.statement.account.clone(),
            entries_removed: removed.entries_removed,
            decisions_removed: removed.decisions_removed,
        })
    }
}
