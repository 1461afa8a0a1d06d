//! `encaisse settings collections [--min-gap N] [--grace N]`: the minimum gap between two chases of one customer
//! and the grace after a promised date (0 to 90 days; each change in the audit trail). Without options it prints
//! them.
//! `encaisse settings name ["Marie Martin"] [--reset]`: the display name of the user the CLI acts as
//! (ENCAISSE_USER), shown in the audit journal and the disputes and signing the letters and emails.

use clap::Subcommand;
use encaisse_app::workflow::settings::CollectionSettingsInput;
use encaisse_app::{App, AppError};
use std::io::Write;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// The collections settings as JSON; the options given change them.
    Collections {
        /// Days between two chases of one customer (5 by default).
        #[arg(long)]
        min_gap: Option<u32>,
        /// Days after a promised date before the chase resumes, when a promise does not say (3 by default).
        #[arg(long)]
        grace: Option<u32>,
        /// Who made the change (audit trail).
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// Your display name (audit journal, disputes, signatures) as JSON; NAME sets it, --reset brings back the
    /// default (the OS account's full name, else the login). Kept per login: ENCAISSE_USER.
    Name {
        /// The name to show and sign with, e.g. "Marie Martin".
        name: Option<String>,
        /// Forget the name set: the default applies again.
        #[arg(long, conflicts_with = "name")]
        reset: bool,
    },
}

pub fn run(app: &App, cmd: SettingsCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        SettingsCommand::Collections { min_gap, grace, by } => {
            let settings = if min_gap.is_none() && grace.is_none() {
                app.collection_settings()?
            } else {
                app.save_collection_settings(
                    &CollectionSettingsInput {
                        min_gap_days: min_gap,
                        promise_grace_days: grace,
                        version: None,
                    },
                    &by,
                )?
            };
            let json = serde_json::to_string(&settings).map_err(|e| AppError::Io(e.to_string()))?;
            writeln!(out, "{json}").map_err(|e| AppError::Io(e.to_string()))
        }
        SettingsCommand::Name { name, reset } => {
            let profile = match (name, reset) {
                (Some(name), _) => app.set_user_name(&name)?,
                (None, true) => app.set_user_name("")?,
                (None, false) => app.user_profile()?,
            };
            let json = serde_json::to_string(&profile).map_err(|e| AppError::Io(e.to_string()))?;
            writeln!(out, "{json}").map_err(|e| AppError::Io(e.to_string()))
        }
    }
}
