//! The `encaisse` command's integration tests, one binary: each module runs the built binary on its own database.

mod backups;
mod bank;
mod cli;
mod common;
mod dossier;
mod einvoice;
mod letters;
mod mail;
mod pa;
#[path = "../../../pa/tests/pa_server/mod.rs"]
mod pa_server;
mod penalties;
mod reports;
mod safety;
mod settings;
mod team;
mod workflow;

/// The app's local SMTP server, which the mail commands send to.
#[path = "../../../app/tests/smtp_sink/mod.rs"]
mod smtp_sink;
