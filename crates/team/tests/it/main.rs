//! Team mode against a real PostgreSQL server: the binary's throwaway cluster (encaisse_team::testing), one
//! database per test. Without PostgreSQL on the machine each test says SKIPPED (CI requires it).

use encaisse_team::testing::{cluster, Cluster};
use encaisse_team::{add_user, connect, init, open, remove_user, AddUser, Init, Role, ServerUrl, TlsOptions};
use encaisse_team::{upgrade, Upgrade, BULK_LOAD_TABLE, LATEST_VERSION, VERSION_TABLE};
use postgres::error::SqlState;
use postgres::Client;
use std::collections::BTreeMap;

fn admin(cluster: &Cluster, name: &str) -> (ServerUrl, Client) {
    let url = ServerUrl::parse(&cluster.new_database(name)).unwrap();
    let client = connect(&url, &TlsOptions::default()).unwrap();
    (url, client)
}

fn sign_in(url: &ServerUrl, user: &str, password: &str) -> Client {
    connect(&url.as_user(user, password), &TlsOptions::default()).unwrap()
}

fn connect_err(url: &ServerUrl, options: &TlsOptions) -> String {
    match connect(url, options) {
        Ok(_) => panic!("{url}: connected"),
        Err(e) => e.to_string(),
    }
}

fn refused(result: Result<u64, postgres::Error>) -> String {
    let e = result.expect_err("the server refuses it");
    assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e:?}");
    e.as_db_error().unwrap().message().to_string()
}

/// Table → (column → (type family, nullable)).
type Catalog = BTreeMap<String, BTreeMap<String, (String, bool)>>;

#[test]
fn the_server_schema_has_exactly_the_tables_and_columns_of_the_sqlite_schema() {
    let Some(cluster) = cluster("schema parity") else {
        return;
    };
    let (url, mut client) = admin(cluster, "parity");
    assert_eq!(init(&mut client, &url).unwrap(), Init::Created(LATEST_VERSION));

    let mut server = Catalog::new();
    for row in client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'YES'
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> ALL($1)",
            &[&vec![VERSION_TABLE, BULK_LOAD_TABLE]],
        )
        .unwrap()
    {
        let family = match row.get::<_, String>(2).as_str() {
            "bigint" => "integer",
            "text" => "text",
            "bytea" => "blob",
            other => panic!(
                "{}.{}: unexpected type {other}",
                row.get::<_, String>(0),
                row.get::<_, String>(1)
            ),
        };
        server
            .entry(row.get(0))
            .or_default()
            .insert(row.get(1), (family.to_string(), row.get(3)));
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local.db");
    drop(encaisse_store::Store::open(&file).unwrap());
    let sqlite = rusqlite::Connection::open(&file).unwrap();
    let mut local = Catalog::new();
    let mut statement = sqlite
        .prepare(
            "SELECT m.name, c.name, upper(c.type), c.\"notnull\" = 0 AND c.pk = 0
             FROM sqlite_schema m JOIN pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .unwrap();
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (table, column, kind, nullable) = row.unwrap();
        let family = match kind.as_str() {
            "INTEGER" => "integer",
            "TEXT" => "text",
            "BLOB" => "blob",
            other => panic!("{table}.{column}: unexpected SQLite type {other}"),
        };
        local
            .entry(table)
            .or_default()
            .insert(column, (family.to_string(), nullable));
    }
    assert!(local.len() > 30, "the SQLite schema read: {} tables", local.len());
    for (table, columns) in &local {
        assert_eq!(
            server.get(table),
            Some(columns),
            "table {table}: server vs SQLite"
        );
    }
    assert_eq!(
        server.keys().collect::<Vec<_>>(),
        local.keys().collect::<Vec<_>>(),
        "the same tables"
    );

    // The same named indexes, on the same columns (the keys' and unique constraints' own indexes aside).
    let server_indexes: BTreeMap<String, String> = client
        .query(
            "SELECT i.relname::text, t.relname::text || '(' || string_agg(a.attname::text, ', ' ORDER BY k.n) || ')'
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace s ON s.oid = t.relnamespace
             CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
             GROUP BY i.relname, t.relname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let local_indexes: BTreeMap<String, String> = sqlite
        .prepare(
            "SELECT name, tbl_name || '(' || group_concat(col, ', ') || ')'
             FROM (SELECT m.name, m.tbl_name, c.name AS col FROM sqlite_schema m JOIN pragma_index_info(m.name) c
                   WHERE m.type = 'index' AND m.sql IS NOT NULL ORDER BY m.name, c.seqno)
             GROUP BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        local_indexes.get("ledger_line_customer").map(String::as_str) == Some("ledger_line(customer_key)"),
        "{local_indexes:#?}"
    );
    assert_eq!(
        server_indexes, local_indexes,
        "the same indexes: server vs SQLite"
    );
}

#[test]
fn init_creates_the_schema_once_and_opening_only_reads() {
    let Some(cluster) = cluster("init twice") else {
        return;
    };
    let (url, mut client) = admin(cluster, "init");
    let e = open(&mut client, &url).unwrap_err();
    assert!(
        e.to_string().contains("no Encaisse schema in this database"),
        "{e}"
    );

    assert_eq!(init(&mut client, &url).unwrap(), Init::Created(LATEST_VERSION));
    assert_eq!(
        init(&mut client, &url).unwrap(),
        Init::AlreadyThere(LATEST_VERSION)
    );
    assert_eq!(open(&mut client, &url).unwrap(), LATEST_VERSION);
    // Step 21 dropped the lines' index by year.
    let year_index: Option<String> = client
        .query_one("SELECT to_regclass('ledger_line_year')::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(year_index, None);

    // A viewer, who may write nothing, opens it.
    add_user(&mut client, &url, "init_viewer", Role::Viewer, Some("v-pass")).unwrap();
    let mut viewer = sign_in(&url, "init_viewer", "v-pass");
    assert_eq!(open(&mut viewer, &url).unwrap(), LATEST_VERSION);

    // The test cluster's databases sort byte by byte (initdb --locale=C): nothing to say.
    assert_eq!(encaisse_team::text_order(&mut client, &url).unwrap(), None);
    // One in a language's order (ICU's French, when the server was built with ICU): said, with the way back.
    let superuser = |database: &str| {
        ServerUrl::parse(&cluster.url(
            encaisse_team::testing::SUPERUSER,
            encaisse_team::testing::SUPERUSER_PASSWORD,
            database,
        ))
        .unwrap()
    };
    let created = connect(&superuser("postgres"), &TlsOptions::default())
        .unwrap()
        .batch_execute(
        "CREATE DATABASE init_french TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR' LOCALE 'C'",
    );
    match created {
        Ok(()) => {
            let french = superuser("init_french");
            let mut client = connect(&french, &TlsOptions::default()).unwrap();
            let said = encaisse_team::text_order(&mut client, &french)
                .unwrap()
                .expect("said");
            assert!(
                said.contains("createdb --locale=C --template=template0"),
                "{said}"
            );
        }
        Err(e) => println!("SKIPPED the ICU database: {e}"),
    }

    // A database holding something else is not taken over.
    let (other_url, mut other) = admin(cluster, "init_other");
    other
        .batch_execute("CREATE TABLE invoices_of_another_app (id int)")
        .unwrap();
    let e = init(&mut other, &other_url).unwrap_err();
    assert!(
        e.to_string()
            .contains("already holds other tables (invoices_of_another_app)"),
        "{e}"
    );
}

#[test]
fn upgrade_brings_an_older_server_schema_to_this_version_once() {
    let Some(cluster) = cluster("team upgrade") else {
        return;
    };
    let (url, mut client) = admin(cluster, "upgrade");
    assert!(upgrade(&mut client, &url)
        .unwrap_err()
        .to_string()
        .contains("no Encaisse schema"));
    init(&mut client, &url).unwrap();
    assert_eq!(
        upgrade(&mut client, &url).unwrap(),
        Upgrade::Current(LATEST_VERSION)
    );
    // A server prepared by the Encaisse of schema 14 (before the kept ledger forms of step 15).
    client
        .batch_execute(&format!(
            "DROP TABLE ledger_form; DROP FUNCTION ledger_form_stale() CASCADE;\n             ALTER TABLE scenario DROP COLUMN version, DROP COLUMN changed_by, DROP COLUMN changed_at;\n             ALTER TABLE dispute DROP COLUMN closed_by, DROP COLUMN closed_at;\n             DROP TABLE portfolio_rule; DROP TABLE customer_collector;\n             ALTER TABLE promise DROP COLUMN version, DROP COLUMN changed_by, DROP COLUMN changed_at;\n             DROP FUNCTION audit_log_server_user() CASCADE; DROP TABLE edit_version;\n             DROP FUNCTION encaisse_set_display_name(text);\n             DROP TABLE {BULK_LOAD_TABLE}; DROP FUNCTION encaisse_bulk_load_checked();\n             DROP FUNCTION encaisse_bulk_load_begin(), encaisse_bulk_load_end();\n             REVOKE USAGE ON SEQUENCE invoice_id_seq, ledger_line_id_seq FROM encaisse_manager;\n             CREATE INDEX ledger_line_year ON ledger_line(fiscal_year);\n             DROP INDEX ledger_line_customer;\n             CREATE INDEX ledger_line_customer ON ledger_line(customer_key, entry_date);\n             UPDATE {VERSION_TABLE} SET version = 14"
        ))
        .unwrap();
    let e = open(&mut client, &url).unwrap_err();
    assert!(e.to_string().contains("encaisse team upgrade"), "{e}");
    assert_eq!(
        upgrade(&mut client, &url).unwrap(),
        Upgrade::Upgraded(14, LATEST_VERSION)
    );
    assert_eq!(open(&mut client, &url).unwrap(), LATEST_VERSION);
    let kept: i64 = client
        .query_one("SELECT count(*) FROM ledger_form", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, 0);
    // The rights cover the new table: a viewer reads it.
    add_user(&mut client, &url, "upgrade_viewer", Role::Viewer, Some("v-pass")).unwrap();
    let mut viewer = sign_in(&url, "upgrade_viewer", "v-pass");
    viewer.query("SELECT part FROM ledger_form", &[]).unwrap();
    viewer
        .query("SELECT collector FROM customer_collector", &[])
        .unwrap();
    // And the bulk path of step 18: a manager runs it.
    add_user(
        &mut client,
        &url,
        "upgrade_manager",
        Role::Manager,
        Some("m-pass"),
    )
    .unwrap();
    let mut manager = sign_in(&url, "upgrade_manager", "m-pass");
    let mut tx = manager.transaction().unwrap();
    tx.batch_execute("SELECT encaisse_bulk_load_begin(); SELECT encaisse_bulk_load_end()")
        .unwrap();
    tx.commit().unwrap();
    // Steps 21 and 22 on the lines' indexes, kept through a bulk load: no year index, the customer's alone.
    let indexes: Vec<String> = client
        .query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'ledger_line' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        indexes,
        [
            "CREATE INDEX ledger_line_customer ON public.ledger_line USING btree (customer_key)",
            "CREATE UNIQUE INDEX ledger_line_pkey ON public.ledger_line USING btree (id)"
        ]
    );
    assert_eq!(
        upgrade(&mut client, &url).unwrap(),
        Upgrade::Current(LATEST_VERSION)
    );
}

/// The foreign keys and indexes of the lines and invoices, and the foreign keys to the invoices, with their
/// definitions.
fn ledger_checks(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid IN ('ledger_line'::regclass, 'invoice'::regclass) OR confrelid = 'invoice'::regclass
             UNION ALL SELECT indexdef FROM pg_indexes WHERE tablename IN ('ledger_line', 'invoice')
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn the_bulk_path_of_an_import_is_the_managers_and_cannot_commit_without_the_checks() {
    let Some(cluster) = cluster("bulk load") else {
        return;
    };
    let (url, mut client) = admin(cluster, "bulk");
    init(&mut client, &url).unwrap();
    let checks = ledger_checks(&mut client);
    assert_eq!(checks.len(), 14, "{checks:#?}");
    add_user(&mut client, &url, "bulk_manager", Role::Manager, Some("m-pass")).unwrap();
    add_user(
        &mut client,
        &url,
        "bulk_collector",
        Role::Collector,
        Some("c-pass"),
    )
    .unwrap();
    add_user(&mut client, &url, "bulk_viewer", Role::Viewer, Some("v-pass")).unwrap();
    let mut manager = sign_in(&url, "bulk_manager", "m-pass");

    // A manager drops the checks in a transaction, loads, and puts them back: the same definitions.
    let mut tx = manager.transaction().unwrap();
    tx.batch_execute("SELECT encaisse_bulk_load_begin()").unwrap();
    let dropped: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'
             AND conrelid IN ('ledger_line'::regclass, 'invoice'::regclass)",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(dropped, 0);
    // The primary keys of the lines and invoices are dropped too (0021), with the foreign keys to the invoices:
    // the import numbers its lines and invoices from their sequences, and the end moves them past the largest.
    let keys: (Option<String>, Option<String>, i64) = {
        let row = tx
            .query_one(
                "SELECT to_regclass('ledger_line_pkey')::text, to_regclass('invoice_pkey')::text,
                        (SELECT count(*) FROM pg_constraint WHERE confrelid = 'invoice'::regclass)",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(keys, (None, None, 0));
    tx.batch_execute(
        "INSERT INTO customer (key, name) VALUES ('411A', 'A');
         INSERT INTO invoice (id, customer_key, piece_ref, invoice_date, amount_minor)
             VALUES (nextval(pg_get_serial_sequence('invoice', 'id')), '411A', 'F1', '2026-01-02', 100);
         INSERT INTO ledger_line (id, customer_key, journal, entry_num, entry_date, piece_ref, amount_minor, currency)
             VALUES (nextval(pg_get_serial_sequence('ledger_line', 'id')), '411A', 'VE', '1', '2026-01-02', 'F1', 100, 'EUR'),
                    (40, '411A', 'VE', '2', '2026-01-03', 'F1', -100, 'EUR');
         SELECT encaisse_bulk_load_end()",
    )
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(ledger_checks(&mut client), checks);
    let next: i64 = client
        .query_one("SELECT nextval('ledger_line_id_seq')", &[])
        .unwrap()
        .get(0);
    assert_eq!(next, 41);

    // Two lines of one id fail at the rebuild of the key.
    let mut tx = manager.transaction().unwrap();
    tx.batch_execute(
        "SELECT encaisse_bulk_load_begin();
         INSERT INTO ledger_line (id, customer_key, journal, entry_num, entry_date, piece_ref, amount_minor, currency)
             VALUES (40, '411A', 'VE', '3', '2026-01-04', 'F1', 5, 'EUR')",
    )
    .unwrap();
    let e = tx.batch_execute("SELECT encaisse_bulk_load_end()").unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::UNIQUE_VIOLATION), "{e:?}");
    drop(tx);
    assert_eq!(ledger_checks(&mut client), checks);

    // A key that does not hold fails at the rebuild, and nothing stays.
    let mut tx = manager.transaction().unwrap();
    tx.batch_execute(
        "SELECT encaisse_bulk_load_begin();
         INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor) VALUES ('411X', 'F2', '2026-01-02', 1)",
    )
    .unwrap();
    let e = tx.batch_execute("SELECT encaisse_bulk_load_end()").unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::FOREIGN_KEY_VIOLATION), "{e:?}");
    drop(tx);
    assert_eq!(ledger_checks(&mut client), checks);

    // A commit without the checks back is refused (at the commit, or when the check is asked for earlier), and
    // so is a call outside a transaction; a manager cannot remove the pending check.
    for ending in [
        "COMMIT",
        "SET CONSTRAINTS ALL IMMEDIATE",
        "DELETE FROM encaisse_bulk_load",
    ] {
        manager
            .batch_execute("BEGIN; SELECT encaisse_bulk_load_begin()")
            .unwrap();
        let e = manager.batch_execute(ending).unwrap_err();
        assert!(
            e.code() == Some(&SqlState::INTEGRITY_CONSTRAINT_VIOLATION)
                || e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            "{ending}: {e:?}"
        );
        manager.batch_execute("ROLLBACK").unwrap();
        assert_eq!(ledger_checks(&mut client), checks, "{ending}");
    }
    let e = manager
        .batch_execute("SELECT encaisse_bulk_load_begin()")
        .unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::INTEGRITY_CONSTRAINT_VIOLATION), "{e:?}");
    assert!(
        e.as_db_error().unwrap().message().contains("are not back"),
        "{e:?}"
    );
    assert_eq!(ledger_checks(&mut client), checks);

    // Collectors and viewers may not run it.
    for (user, password) in [("bulk_collector", "c-pass"), ("bulk_viewer", "v-pass")] {
        let mut other = sign_in(&url, user, password);
        for function in ["encaisse_bulk_load_begin", "encaisse_bulk_load_end"] {
            let e = other.batch_execute(&format!("SELECT {function}()")).unwrap_err();
            assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{user}: {e:?}");
            assert!(
                e.as_db_error()
                    .unwrap()
                    .message()
                    .contains("permission denied for function"),
                "{e:?}"
            );
        }
    }
    assert_eq!(ledger_checks(&mut client), checks);
}

#[test]
fn the_server_enforces_each_roles_rights() {
    let Some(cluster) = cluster("roles") else { return };
    let (url, mut client) = admin(cluster, "roles");
    init(&mut client, &url).unwrap();
    assert_eq!(
        add_user(&mut client, &url, "roles_manager", Role::Manager, Some("m-pass")).unwrap(),
        AddUser::Created
    );
    add_user(
        &mut client,
        &url,
        "roles_collector",
        Role::Collector,
        Some("c-pass"),
    )
    .unwrap();
    add_user(&mut client, &url, "roles_viewer", Role::Viewer, Some("v-pass")).unwrap();
    let mut manager = sign_in(&url, "roles_manager", "m-pass");
    let mut collector = sign_in(&url, "roles_collector", "c-pass");
    let mut viewer = sign_in(&url, "roles_viewer", "v-pass");

    // The manager imports customers and changes settings.
    manager
        .execute(
            "INSERT INTO customer (key, name) VALUES ('411DUPONT', 'Dupont SA')",
            &[],
        )
        .unwrap();
    manager
        .execute(
            "INSERT INTO setting (key, value) VALUES ('min_gap_days', '7')",
            &[],
        )
        .unwrap();

    // The collector records an action (identity id and all) and the audit entry; changes no setting.
    let id: i64 = collector
        .query_one(
            "INSERT INTO action (customer_key, kind, done_on, \"user\") VALUES ('411DUPONT', 'call', '2026-12-03', current_user) RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(id > 0);
    collector
        .execute("INSERT INTO audit_log (on_day, \"user\", entity, action) VALUES ('2026-12-03', current_user, 'action', 'create')", &[])
        .unwrap();
    // A client naming someone else in the trail: the server writes who it is.
    let forged: String = collector
        .query_one("INSERT INTO audit_log (on_day, \"user\", entity, action) VALUES ('2026-12-03', 'roles_manager', 'setting', 'update') RETURNING \"user\"", &[])
        .unwrap()
        .get(0);
    assert_eq!(forged, "roles_collector");
    let m = refused(collector.execute("UPDATE setting SET value = '1' WHERE key = 'min_gap_days'", &[]));
    assert_eq!(m, "permission denied for table setting");
    refused(collector.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')", &[]));
    refused(collector.execute("DELETE FROM customer", &[]));

    // The viewer reads everything and writes nothing.
    let who: String = viewer
        .query_one("SELECT \"user\" FROM action WHERE id = $1", &[&id])
        .unwrap()
        .get(0);
    assert_eq!(who, "roles_collector");
    let m = refused(viewer.execute(
        "INSERT INTO action (customer_key, kind, done_on) VALUES ('411DUPONT', 'note', '2026-12-03')",
        &[],
    ));
    assert_eq!(m, "permission denied for table action");
    refused(viewer.execute(
        "INSERT INTO audit_log (on_day, entity, action) VALUES ('2026-12-03', 'x', 'y')",
        &[],
    ));

    // The audit trail is append-only, for the manager too (no right), and for the tables' owner (trigger).
    refused(manager.execute("DELETE FROM audit_log", &[]));
    refused(manager.execute("UPDATE audit_log SET \"user\" = 'someone'", &[]));
    let e = client.execute("DELETE FROM audit_log", &[]).unwrap_err();
    assert_eq!(
        e.as_db_error().unwrap().message(),
        "the audit trail is append-only"
    );

    // Removed: the login is refused, what the collector recorded stays.
    remove_user(&mut client, &url, "roles_collector").unwrap();
    let e = connect_err(&url.as_user("roles_collector", "c-pass"), &TlsOptions::default());
    assert!(e.contains("not permitted to log in"), "{e}");
    let kept: i64 = viewer
        .query_one("SELECT count(*) FROM action", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, 1);
    // Added again as a viewer: signs in again, with the viewer's rights only.
    assert_eq!(
        add_user(
            &mut client,
            &url,
            "roles_collector",
            Role::Viewer,
            Some("c-pass2")
        )
        .unwrap(),
        AddUser::Updated
    );
    let mut again = sign_in(&url, "roles_collector", "c-pass2");
    refused(again.execute(
        "INSERT INTO action (customer_key, kind, done_on) VALUES ('411DUPONT', 'note', '2026-12-03')",
        &[],
    ));

    // A wrong password is refused by SCRAM; the server's own roles are not Encaisse users.
    let e = connect_err(&url.as_user("roles_manager", "nope"), &TlsOptions::default());
    assert!(e.contains("password authentication failed"), "{e}");
    let e = remove_user(&mut client, &url, "postgres").unwrap_err();
    assert!(
        e.to_string().contains("'postgres' is not an Encaisse user"),
        "{e}"
    );
    let e = add_user(&mut client, &url, "postgres", Role::Viewer, None).unwrap_err();
    assert!(e.to_string().contains("not an Encaisse user"), "{e}");
}

#[test]
fn tls_to_the_server_with_its_certificate_verified() {
    let Some(cluster) = cluster("tls") else { return };
    let plain = cluster.new_database("tls");
    let url = ServerUrl::parse(&plain.replace("sslmode=disable", "sslmode=require")).unwrap();
    let options = TlsOptions {
        root_cert: Some(cluster.root_cert()),
    };
    let mut client = connect(&url, &options).unwrap();
    let encrypted: bool = client
        .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    assert!(encrypted);

    // A certificate no trusted authority signed: refused, whatever the sslmode.
    let untrusted = TlsOptions {
        root_cert: Some(cluster.other_authority()),
    };
    let e = connect_err(&url, &untrusted);
    assert!(e.contains("invalid peer certificate: UnknownIssuer"), "{e}");
    let prefer = ServerUrl::parse(&plain.replace("sslmode=disable", "sslmode=prefer")).unwrap();
    let e = connect_err(&prefer, &untrusted);
    assert!(e.contains("invalid peer certificate"), "{e}");
}
