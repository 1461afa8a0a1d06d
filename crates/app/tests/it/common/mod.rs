//! Helpers shared by the app's integration tests.
// Each test binary uses a different subset of these.
#![allow(dead_code)]

use std::path::Path;

/// Every row of the tables, as text: of the SQLite file, or on PostgreSQL of the database that stands for it
/// (crate::backend; `sqlite_master` there is the schema's tables and indexes).
pub fn dump_tables(path: &Path, tables: &[&str]) -> String {
    if crate::backend::on_postgres() {
        return dump_server_tables(&crate::backend::database_for(path), tables);
    }
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

/// Runs one statement on the test's database as another program would (`?1`… are text parameters); the number
/// of rows changed.
pub fn execute(path: &Path, sql: &str, params: &[&str]) -> u64 {
    if crate::backend::on_postgres() {
        let url = crate::backend::database_for(path);
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let mut sql = sql.to_string();
        for i in (1..=params.len()).rev() {
            sql = sql.replace(&format!("?{i}"), &format!("${i}"));
        }
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|p| p as &(dyn postgres::types::ToSql + Sync))
            .collect();
        return client.execute(&sql, &params).unwrap();
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(sql, rusqlite::params_from_iter(params)).unwrap() as u64
}

/// The rows of a query on the test's database, each value as text (None for NULL): what a test reads beside the
/// app's API, on either backend.
pub fn query(path: &Path, sql: &str) -> Vec<Vec<Option<String>>> {
    if crate::backend::on_postgres() {
        let url = crate::backend::database_for(path);
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        return client
            .simple_query(sql)
            .unwrap()
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => {
                    Some((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect())
                }
                _ => None,
            })
            .collect();
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => None,
                rusqlite::types::ValueRef::Integer(v) => Some(v.to_string()),
                rusqlite::types::ValueRef::Real(v) => Some(v.to_string()),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    Some(String::from_utf8_lossy(t).into_owned())
                }
            })
            .collect())
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The one value of a query's one row, as text.
pub fn value(path: &Path, sql: &str) -> String {
    let rows = query(path, sql);
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    assert_eq!(rows[0].len(), 1, "{sql}: {rows:?}");
    rows[0][0].clone().unwrap_or_else(|| panic!("{sql}: NULL"))
}

/// [`dump_tables`] on PostgreSQL: each row as the server writes a record, by its first column as on SQLite.
fn dump_server_tables(url: &str, tables: &[&str]) -> String {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let mut out = String::new();
    for table in tables {
        let sql = if *table == "sqlite_master" {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()
             UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
                .to_string()
        } else {
            let first: String = client
                .query_one(
                    "SELECT column_name::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = $1 AND ordinal_position = 1",
                    &[table],
                )
                .unwrap()
                .get(0);
            format!("SELECT t::text FROM {table} t ORDER BY t.\"{first}\", 1")
        };
        for row in client.query(&sql, &[]).unwrap() {
            out.push_str(&format!("{table}: {}\n", row.get::<_, String>(0)));
        }
    }
    out
}

/// Sends the app's mail through the local test SMTP server on `port` (no security, no password), from
/// relances@atelier.test.
pub fn smtp_to_local_sink(app: &encaisse_app::App, port: u16) {
    use encaisse_app::mail::{SaveSmtp, Security, SmtpSettings};
    app.save_smtp(
        &SaveSmtp {
            settings: SmtpSettings {
                host: "127.0.0.1".into(),
                port,
                security: Security::None,
                from_address: "relances@atelier.test".into(),
                ..SmtpSettings::default()
            },
            password: None,
        },
        "anne",
    )
    .unwrap();
}
