//! The server's roles. Three group roles without login carry the rights, given by `team init` on the schema's
//! tables; each person is a login role member of one of them (`team add-user`), disabled by `team remove-user`.
//! - `encaisse_viewer` (the DAF, sales people): reads everything, writes nothing.
//! - `encaisse_collector`: reads everything; records actions, promises, disputes and their comments, notes,
//!   a customer's pause, penalty waivers, its own display name (through `encaisse_set_display_name`); keeps the documents and payment references its letters and emails
//!   send; appends to the audit trail.
//! - `encaisse_manager`: everything the collector does plus imports, scenarios, settings, assignments, mail
//!   templates, bank matching, the e-invoicing statuses and the restore; the audit trail stays append-only.
//!
//! Group roles are the server's (shared by its databases): `team init` creates them once and gives the rights
//! on its own database's tables.

use crate::schema::BULK_LOAD_TABLE;
use crate::{server_message, Error, Result, ServerUrl};
use postgres::{Client, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Manager,
    Collector,
    Viewer,
}

impl Role {
    pub fn group(self) -> &'static str {
        match self {
            Role::Manager => "encaisse_manager",
            Role::Collector => "encaisse_collector",
            Role::Viewer => "encaisse_viewer",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "manager" => Ok(Role::Manager),
            "collector" => Ok(Role::Collector),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Error::InvalidInput(format!(
                "role: '{s}' is not one of manager, collector, viewer"
            ))),
        }
    }
}

pub const GROUP_ROLES: [&str; 3] = ["encaisse_manager", "encaisse_collector", "encaisse_viewer"];

/// What a collector changes (insert, update, delete).
const COLLECTOR_WRITES: &[&str] = &[
    "action",
    "action_invoice",
    "promise",
    "promise_invoice",
    "dispute",
    "dispute_invoice",
    "dispute_comment",
    "note",
    "customer_dunning",
    "penalty_waiver",
    "edit_version",
];

/// What a collector's letters and emails add and never change.
const COLLECTOR_APPENDS: &[&str] = &["document", "payment_reference", "audit_log"];

/// Creates the group roles the server lacks and gives their rights on the schema's tables (in `team init`'s
/// transaction, the schema just created, and in `team upgrade`'s). Managers also run the bulk path of a large
/// import (the two functions of migration 0019, which drop and recreate the lines' and invoices' checks with
/// their owner's rights) and take the new invoices' and lines' ids from their sequences (0021).
pub(crate) fn grant_group_roles(tx: &mut Transaction) -> std::result::Result<(), postgres::Error> {
    for group in GROUP_ROLES {
        // Another database's init may be creating it at the same moment: the loser finds it there.
        tx.batch_execute(&format!(
            "DO $$ BEGIN
                 CREATE ROLE {group} NOLOGIN;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$;"
        ))?;
    }
    let collector_writes = COLLECTOR_WRITES.join(", ");
    let collector_appends = COLLECTOR_APPENDS.join(", ");
    tx.batch_execute(&format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO encaisse_viewer, encaisse_collector, encaisse_manager;
         GRANT INSERT, UPDATE, DELETE ON {collector_writes} TO encaisse_collector;
         GRANT INSERT ON {collector_appends} TO encaisse_collector;
         GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO encaisse_manager;
         REVOKE UPDATE, DELETE ON audit_log, encaisse_schema_version FROM encaisse_manager;
         REVOKE INSERT ON encaisse_schema_version FROM encaisse_manager;
         REVOKE ALL ON FUNCTION encaisse_set_display_name(text) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION encaisse_set_display_name(text) TO encaisse_manager, encaisse_collector;
         REVOKE INSERT, UPDATE, DELETE ON {BULK_LOAD_TABLE} FROM encaisse_manager;
         REVOKE ALL ON FUNCTION encaisse_bulk_load_begin(), encaisse_bulk_load_end() FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION encaisse_bulk_load_begin(), encaisse_bulk_load_end() TO encaisse_manager;
         GRANT USAGE ON SEQUENCE invoice_id_seq, ledger_line_id_seq TO encaisse_manager;"
    ))
}

/// What `team add-user` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddUser {
    Created,
    /// The login existed (an Encaisse user, maybe removed): enabled again, with this role only.
    Updated,
}

/// Creates the login role NAME, member of the role's group; `password` (sent as a SCRAM-SHA-256 verifier,
/// never in clear) lets it sign in. An existing Encaisse user is enabled again with this role only; another
/// existing role of the server is refused.
pub fn add_user(
    client: &mut Client,
    server: &ServerUrl,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<AddUser> {
    check_name(name)?;
    let sql = |e: postgres::Error| Error::Server {
        server: server.to_string(),
        message: server_message(&e),
    };
    let mut tx = client.transaction().map_err(sql)?;
    let outcome = match membership(&mut tx, name).map_err(sql)? {
        None => {
            run_formatted(&mut tx, "CREATE ROLE %I LOGIN IN ROLE %I", &[name, role.group()]).map_err(sql)?;
            AddUser::Created
        }
        Some(groups) if groups.is_empty() => {
            return Err(Error::InvalidInput(format!(
            "name: the server already has a role '{name}' that is not an Encaisse user: choose another name"
        )))
        }
        Some(groups) => {
            run_formatted(&mut tx, "ALTER ROLE %I LOGIN", &[name]).map_err(sql)?;
            for group in groups.iter().filter(|g| *g != role.group()) {
                run_formatted(&mut tx, "REVOKE %I FROM %I", &[group, name]).map_err(sql)?;
            }
            run_formatted(&mut tx, "GRANT %I TO %I", &[role.group(), name]).map_err(sql)?;
            AddUser::Updated
        }
    };
    if let Some(password) = password {
        if password.is_empty() {
            return Err(Error::InvalidInput("password: empty".into()));
        }
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        run_formatted(&mut tx, "ALTER ROLE %I PASSWORD %L", &[name, &verifier]).map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    Ok(outcome)
}

/// Disables the login of an Encaisse user (NOLOGIN): what it recorded stays, with its name.
pub fn remove_user(client: &mut Client, server: &ServerUrl, name: &str) -> Result<()> {
    check_name(name)?;
    let sql = |e: postgres::Error| Error::Server {
        server: server.to_string(),
        message: server_message(&e),
    };
    let mut tx = client.transaction().map_err(sql)?;
    match membership(&mut tx, name).map_err(sql)? {
        None => return Err(Error::InvalidInput(format!("name: no user '{name}' on {server}"))),
        Some(groups) if groups.is_empty() => {
            return Err(Error::InvalidInput(format!(
                "name: '{name}' is not an Encaisse user (member of none of {})",
                GROUP_ROLES.join(", ")
            )))
        }
        Some(_) => run_formatted(&mut tx, "ALTER ROLE %I NOLOGIN", &[name]).map_err(sql)?,
    }
    tx.commit().map_err(sql)
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > 63 {
        return Err(Error::InvalidInput(
            "name: 1 to 63 bytes (a PostgreSQL role name)".into(),
        ));
    }
    if name.starts_with("pg_") || GROUP_ROLES.contains(&name) {
        return Err(Error::InvalidInput(format!(
            "name: '{name}' is reserved (pg_…, or one of Encaisse's group roles)"
        )));
    }
    Ok(())
}

/// None: no such role; else the Encaisse groups it is a member of.
fn membership(tx: &mut Transaction, name: &str) -> std::result::Result<Option<Vec<String>>, postgres::Error> {
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&name],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let groups = tx
        .query(
            "SELECT g.rolname::text FROM pg_auth_members m
             JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
             WHERE u.rolname = $1 AND g.rolname = ANY($2) ORDER BY 1",
            &[&name, &GROUP_ROLES.to_vec()],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(Some(groups))
}

/// Runs a statement the server writes with format(): names quoted as identifiers (%I), values as literals (%L).
fn run_formatted(
    tx: &mut Transaction,
    template: &str,
    args: &[&str],
) -> std::result::Result<(), postgres::Error> {
    let placeholders: Vec<String> = (2..args.len() + 2).map(|i| format!("${i}::text")).collect();
    let query = format!("SELECT format($1::text, {})", placeholders.join(", "));
    let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&template];
    params.extend(args.iter().map(|a| a as &(dyn postgres::types::ToSql + Sync)));
    let statement: String = tx.query_one(&query, &params)?.get(0);
    tx.batch_execute(&statement)
}
