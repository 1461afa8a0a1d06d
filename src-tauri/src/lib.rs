//! The desktop shell: one window around the UI, whose commands are thin adapters to `encaisse-app`.
//! Nothing here computes; what the app knows lives in the core crates.

mod commands;
pub mod ipc;
mod schedule;

use encaisse_app::{default_database_path, App, AppError, AppResult};
use std::path::PathBuf;
use std::sync::Arc;

/// The app behind the window, or why it could not be opened (a database from a newer Encaisse, a bad
/// ENCAISSE_TODAY…). The window opens either way and every command answers with that error, which the UI shows.
pub struct Backend(AppResult<Arc<App>>);

impl Backend {
    /// The database is ENCAISSE_DB when set (a file, or a team's server as postgres://…), else the CLI's default,
    /// so the CLI and the app share it.
    pub fn open() -> Backend {
        let opened = (|| {
            let clock = encaisse_domain::clock::from_env().map_err(AppError::InvalidInput)?;
            let path = match std::env::var_os("ENCAISSE_DB").filter(|p| !p.is_empty()) {
                Some(p) => PathBuf::from(p),
                None => default_database_path()?,
            };
            App::open_location(&path, clock).map(|app| app.with_viewer(Arc::new(ipc::SystemViewer)))
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

/// The day's backup (`App::daily_backup`: once a day, when the database holds data), off the window's start.
fn daily_backup(backend: &Backend) {
    let Ok(app) = backend.app() else {
        return;
    };
    let started = std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || match app.daily_backup() {
            Ok(Some(b)) => eprintln!("encaisse-desktop: backup written to {}", b.path),
            Ok(None) => {}
            Err(e) => eprintln!("encaisse-desktop: the day's backup failed: {e}"),
        });
    if let Err(e) = started {
        eprintln!("encaisse-desktop: the day's backup could not start: {e}");
    }
}

pub fn run() {
    let backend = Backend::open();
    daily_backup(&backend);
    schedule::start(&backend);
    tauri::Builder::default()
        // The import screen's file picker and the exports' save dialog (the capability allows `dialog:allow-open`
        // and `dialog:allow-save`, nothing else).
        .plugin(tauri_plugin_dialog::init())
        .manage(backend)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("the Encaisse window could not start");
}
