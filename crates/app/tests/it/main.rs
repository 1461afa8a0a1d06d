//! The app crate's integration tests in one binary (one link instead of one per file): a module per use case,
//! with the shared helpers (`common`) and the local SMTP server (`../smtp_sink`, which other crates' tests include).

mod backend;
mod common;
// Shared with the CLI's and the story tests (they include it by this path).
#[path = "../smtp_sink/mod.rs"]
mod smtp_sink;

mod agenda_letters;
mod api;
mod backups;
mod bank;
mod cash_week;
mod collection_inputs;
mod concurrent_settings;
mod connection;
mod customer_file;
mod debtor_kinds;
mod dossier;
mod einvoice_status;
mod exports_pdf;
mod exports_xlsx;
mod import_einvoice;
mod import_fec;
mod import_tabular;
mod kept_forms;
mod ledger_cache;
mod letter_scripts;
mod letter_settings;
mod letter_workflow;
mod letters;
mod mail;
mod notice_claims;
mod pa;
// The local Flow Service of the platform client's tests, shared with the CLI's.
#[path = "../../../pa/tests/pa_server/mod.rs"]
mod pa_server;
mod payment_reference;
mod penalties;
mod portfolios;
mod promise_change;
mod receipts;
mod reports;
mod safety;
mod settings;
mod strict_inputs;
mod team;
mod upgrade;
mod user_name;
mod workflow;
