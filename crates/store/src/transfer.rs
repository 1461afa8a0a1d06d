//! Copying a whole database between the two backends (`encaisse team migrate`): a single user's file onto the team's
//! server, or the server into a file for working offline. Every table is copied row for row, ids included (so
//! what hangs off an invoice or an action still does), in one transaction of the target, then the row counts and
//! the ledger's and invoices' totals are compared before it commits.
//!
//! The tables and their columns come from the SQLite schema, which the server's equals (crates/team's drift test);
//! each table after the tables it references, so a row's references are there before it. The kept ledger forms are
//! a cache and are not copied (the first report builds them again).

use crate::db::{Conn, Datum, Dialect, Param, Value};
use crate::{Result, Store, StoreError};
use std::borrow::Cow;

/// What a copy wrote: each table with its rows, in the order copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(String, u64)>,
}

/// The cache of the kept ledger forms: rebuilt, never copied.
const NOT_COPIED: &[&str] = &["ledger_form"];

/// The append-only audit trail: never emptied on the target; copied rows get new ids when it already has some.
const AUDIT: &str = "audit_log";

/// Every table of the schema (creation order) with its columns.
fn layout() -> Result<Vec<(String, Vec<String>)>> {
    let schema = Store::open_in_memory()?;
    let conn = schema.conn.lite()?;
    let mut tables = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )?;
    let names = tables
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut pending: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for table in names.into_iter().filter(|t| !NOT_COPIED.contains(&t.as_str())) {
        let mut info = conn.prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))?;
        let columns = info
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut refs = conn.prepare(&format!(
            "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('{table}')"
        ))?;
        let references = refs
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|t| *t != table)
            .collect();
        pending.push((table, columns, references));
    }
    // Each table after those it references (a later migration may add a reference to a newer table).
    let mut ordered: Vec<(String, Vec<String>)> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, _, refs)| refs.iter().all(|r| ordered.iter().any(|(t, _)| t == r)))
            .ok_or_else(|| StoreError::Refused("the schema's references go round in a circle".into()))?;
        let (table, columns, _) = pending.remove(ready);
        ordered.push((table, columns));
    }
    Ok(ordered)
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn owned(d: Datum<'_>) -> Value<'static> {
    match d {
        Datum::Null => Value::Null,
        Datum::Int(n) => Value::Int(n),
        Datum::Text(t) => Value::Text(Cow::Owned(t.to_string())),
        Datum::Blob(b) => Value::Blob(Cow::Owned(b.to_vec())),
    }
}

/// What must be equal on both sides once copied: rows of every table, and the ledger's and invoices' sums.
fn totals(conn: &Conn, tables: &[(String, Vec<String>)]) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for (table, _) in tables {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        out.push((format!("rows of {table}"), n));
    }
    for (what, sql) in [
        (
            "sum of the ledger lines",
            "SELECT CAST(coalesce(sum(amount_minor), 0) AS BIGINT) FROM ledger_line",
        ),
        (
            "sum of the invoices",
            "SELECT CAST(coalesce(sum(amount_minor), 0) AS BIGINT) FROM invoice",
        ),
    ] {
        out.push((what.to_string(), conn.query_row(sql, [], |r| r.get(0))?));
    }
    Ok(out)
}

impl Store {
    /// Copies everything this database holds into `target`, replacing what `target` holds (its audit trail, which
    /// is append-only, is kept and this one's added after it). One transaction: when a count or total differs
    /// once copied, nothing is written.
    pub fn copy_into(&self, target: &mut Store) -> Result<Copied> {
        let tables = layout()?;
        let audit_before: i64 = target
            .conn
            .query_row(&format!("SELECT count(*) FROM {AUDIT}"), [], |r| r.get(0))?;
        let source_totals = totals(&self.conn, &tables)?;
        let tx = target.conn.transaction()?;
        for (table, _) in tables.iter().rev().filter(|(t, _)| t != AUDIT) {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let mut copied = Vec::new();
        for (table, columns) in &tables {
            // An audit trail already there keeps its ids: the copied entries come after it.
            let keep_ids = !(table == AUDIT && audit_before > 0);
            let cols: Vec<String> = columns
                .iter()
                .filter(|c| keep_ids || c.as_str() != "id")
                .cloned()
                .collect();
            let rows = self
                .conn
                .prepare(&format!("SELECT {} FROM {table} ORDER BY 1", quoted(&cols)))?
                .query_map([], |r| {
                    (0..cols.len())
                        .map(|i| r.cell(i).map(owned))
                        .collect::<Result<Vec<_>>>()
                })?
                .collect::<Result<Vec<_>>>()?;
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
            let mut insert = tx.prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                quoted(&cols),
                marks.join(", ")
            ))?;
            for row in &rows {
                let params: Vec<&dyn Param> = row.iter().map(|v| v as &dyn Param).collect();
                insert.execute(params.as_slice())?;
            }
            drop(insert);
            if tx.dialect() == Dialect::Postgres && columns.iter().any(|c| c == "id") {
                // The identity goes on after the copied ids (tables whose id is given, as company's, have none).
                let sequence: Option<String> = tx.query_row(
                    &format!("SELECT pg_get_serial_sequence('{table}', 'id')"),
                    [],
                    |r| r.get(0),
                )?;
                if let Some(sequence) = sequence {
                    tx.query_row(
                        &format!("SELECT setval(CAST(?1 AS TEXT)::regclass, (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"),
                        [sequence],
                        |r| r.get::<_, i64>(0),
                    )?;
                }
            }
            copied.push((table.clone(), rows.len() as u64));
        }
        check_totals(&source_totals, &totals(&tx, &tables)?, audit_before)?;
        tx.commit()?;
        Ok(Copied { tables: copied })
    }
}

fn check_totals(source: &[(String, i64)], target: &[(String, i64)], audit_before: i64) -> Result<()> {
    for ((what, a), (_, b)) in source.iter().zip(target) {
        let expected = if what == &format!("rows of {AUDIT}") {
            a + audit_before
        } else {
            *a
        };
        if expected != *b {
            return Err(StoreError::Refused(format!(
                "the copy is not equal to its source ({what}: {a} there, {b} here): nothing was written"
            )));
        }
    }
    Ok(())
}

/// The setting that makes a file a read-only copy of a team's server (`team migrate` without `--detach`): its value
/// is the server it was copied from.
pub const COPY_OF: &str = "team_copy_of";
