//! The desktop shell: one window around the UI, whose commands are thin adapters to `encaisse-app`.
//! Nothing here computes; what the app knows lives in the core crates.

mod commands;
pub mod ipc;
mod schedule;

use encaisse_app::{connection, App, AppError, AppResult};
use std::sync::{Arc, Mutex};

/// The app behind the window, or why it could not be opened (a database from a newer Encaisse, a bad
/// ENCAISSE_TODAY…). The window opens either way and every command answers with that error, which the UI shows.
/// Settings → "Équipe" changing where the database is (`encaisse_app::connection`), the next command reopens it.
#[derive(Clone)]
pub struct Backend(Arc<Mutex<(u64, AppResult<Arc<App>>)>>);

impl Backend {
    /// The database is ENCAISSE_DB when set (a file, or a team's server as postgres://…), else the team's server
    /// chosen in Settings → "Équipe", else the CLI's default file, so the CLI and the app share it.
    pub fn open() -> Backend {
        let generation = connection::generation();
        Backend(Arc::new(Mutex::new((generation, Self::opened()))))
    }

    fn opened() -> AppResult<Arc<App>> {
        let opened = (|| {
            // A bad ENCAISSE_TODAY is said once, here; the clocks made later are the same.
            encaisse_domain::clock::from_env().map_err(AppError::InvalidInput)?;
            let clock = || {
                encaisse_domain::clock::from_env()
                    .unwrap_or_else(|_| Box::new(encaisse_domain::clock::SystemClock))
            };
            let places = connection::Places::desktop()?;
            let secrets = Arc::new(encaisse_app::mail::NativeKeyring::default());
            connection::open(&places, &clock, secrets).map(|app| app.with_viewer(Arc::new(ipc::SystemViewer)))
        })();
        if let Err(e) = &opened {
            eprintln!("encaisse-desktop: {e}");
        }
        opened.map(Arc::new)
    }

    /// A backend that only answers `error` (a window test without a database).
    pub fn failed(error: AppError) -> Backend {
        Backend(Arc::new(Mutex::new((connection::generation(), Err(error)))))
    }

    pub fn app(&self) -> AppResult<Arc<App>> {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = connection::generation();
        if state.0 != now {
            state.1 = Self::opened();
            state.0 = now;
        }
        state.1.clone()
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
