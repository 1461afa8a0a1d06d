//! The desktop shell: one window around the UI, whose commands are thin adapters to `encaisse-app`.
//! Nothing here computes; what the app knows lives in the core crates.

mod commands;
mod schedule;

use encaisse_app::{default_database_path, App, AppError, AppResult};
use std::path::PathBuf;
use std::sync::Arc;

/// The app behind the window, or why it could not be opened (a database from a newer Encaisse, a bad
/// ENCAISSE_TODAY…). The window opens either way and every command answers with that error, which the UI shows.
pub struct Backend(AppResult<Arc<App>>);

impl Backend {
    /// The database is ENCAISSE_DB when set, else the CLI's default, so the CLI and the app share it.
    pub fn open() -> Backend {
        let opened = (|| {
            let clock = encaisse_domain::clock::from_env().map_err(AppError::InvalidInput)?;
            let path = match std::env::var_os("ENCAISSE_DB").filter(|p| !p.is_empty()) {
                Some(p) => PathBuf::from(p),
                None => default_database_path()?,
            };
            App::open(&path, clock)
        })();
        if let Err(e) = &opened {
            eprintln!("encaisse-desktop: {e}");
        }
        Backend(opened.map(Arc::new))
    }

    pub fn app(&self) -> AppResult<Arc<App>> {
        self.0.clone()
    }
}

pub fn run() {
    let backend = Backend::open();
    schedule::start(&backend);
    tauri::Builder::default()
        // The import screen's file picker and the exports' save dialog (capabilities allow `dialog:allow-open` and
        // `dialog:allow-save`, nothing else).
        .plugin(tauri_plugin_dialog::init())
        // Printed letters open in the system PDF viewer (from the Rust side only: no opener permission for the UI).
        .plugin(tauri_plugin_opener::init())
        .manage(backend)
        .invoke_handler(tauri::generate_handler![
            commands::status::status,
            commands::demo::create_demo,
            commands::dashboard::dashboard,
            commands::reports::aging,
            commands::reports::dso,
            commands::import::inspect_fec,
            commands::import::import_fec,
            commands::import::inspect_customers_file,
            commands::import::import_customers_file,
            commands::import::inspect_invoices_file,
            commands::import::import_invoices_file,
            commands::import::inspect_einvoices,
            commands::import::import_einvoices,
            commands::workflow::agenda_view,
            commands::workflow::record_action,
            commands::workflow::mark_done,
            commands::workflow::add_promise,
            commands::workflow::check_promises,
            commands::workflow::open_dispute,
            commands::workflow::close_dispute,
            commands::workflow::comment_dispute,
            commands::workflow::disputes_board,
            commands::workflow::workflow_records,
            commands::workflow::set_customer_paused,
            commands::workflow::set_customer_scenario,
            commands::workflow::scenarios,
            commands::workflow::save_scenario,
            commands::workflow::assign_scenario,
            commands::analytics::customers,
            commands::analytics::customer_file,
            commands::analytics::set_customer_category,
            commands::analytics::aging_grouped,
            commands::analytics::aging_invoices,
            commands::analytics::dso_set,
            commands::analytics::what_if,
            commands::analytics::forecast,
            commands::analytics::forecast_accuracy,
            commands::analytics::d441_6,
            commands::analytics::export_report,
            commands::mail::smtp_settings,
            commands::mail::save_smtp,
            commands::mail::test_smtp,
            commands::mail::mail_settings,
            commands::mail::save_mail_settings,
            commands::mail::email_templates,
            commands::mail::save_email_template,
            commands::mail::reset_email_template,
            commands::mail::preview_email,
            commands::mail::send_emails,
            commands::mail::thank_you_candidates,
            commands::mail::send_thank_you,
            commands::mail::daily_report,
            commands::mail::audit_trail,
            commands::letters::letter_preview,
            commands::letters::save_letter_pdf,
            commands::letters::print_letter,
            commands::letters::letters_batch,
            commands::settings::collection_settings,
            commands::settings::save_collection_settings,
            commands::settings::letter_settings,
            commands::settings::save_letter_settings,
            commands::settings::rates,
            commands::settings::save_rates,
            commands::settings::reset_rates,
            commands::settings::preview_template,
            commands::settings::export_audit,
        ])
        .run(tauri::generate_context!())
        .expect("the Encaisse window could not start");
}
