//! The daily report at the time set in the email settings, while the window is open. This only
//! ticks every minute; whether the report is due (time reached, not sent or tried today) is decided by
//! `App::send_scheduled_daily_report` from the app's clock. A plain thread that sleeps between ticks: the check is
//! blocking work (SQLite, SMTP) and needs no async timer.

use crate::Backend;
use encaisse_app::mail::schedule::Scheduled;
use std::time::Duration;

const TICK: Duration = Duration::from_secs(60);

pub fn start(backend: &Backend) {
    // The database of each tick: Settings → "Équipe" may have moved the window to another one.
    let backend = backend.clone();
    let started = std::thread::Builder::new()
        .name("daily-report".into())
        .spawn(move || loop {
            std::thread::sleep(TICK);
            let Ok(app) = backend.app() else { continue };
            match app.send_scheduled_daily_report(&app.actor().0) {
                Ok(Scheduled::Sent { reports, failed }) => {
                    for r in reports {
                        eprintln!(
                            "encaisse-desktop: daily report of {}{} sent to {}",
                            r.as_of,
                            r.collector.map(|c| format!(" ({c})")).unwrap_or_default(),
                            r.sent_to.join(", ")
                        );
                    }
                    for f in failed {
                        eprintln!("encaisse-desktop: daily report: {f}");
                    }
                }
                Ok(Scheduled::Failed(e)) | Err(e) => eprintln!("encaisse-desktop: daily report: {e}"),
                Ok(_) => {}
            }
        });
    if let Err(e) = started {
        eprintln!("encaisse-desktop: the daily report's timer could not start: {e}");
    }
}
