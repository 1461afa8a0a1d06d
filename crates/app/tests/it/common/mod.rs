//! Helpers shared by the app's integration tests.
// Each test binary uses a different subset of these.
#![allow(dead_code)]

use std::path::Path;

/// Every row of the tables, as text.
pub fn dump_tables(path: &Path, tables: &[&str]) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.unwrap()));
        }
    }
    out
}

/// Everything the database holds, as text: proves that a refused import changed nothing.
pub fn dump(path: &Path) -> String {
    dump_tables(
        path,
        &[
            "company",
            "customer",
            "ledger_line",
            "invoice",
            "import_batch",
            "note",
            "setting",
            "fiscal_turnover",
            // Indexes included: a large import drops and rebuilds them.
            "sqlite_master",
        ],
    )
}
