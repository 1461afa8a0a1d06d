//! Several letters in one PDF for printing: each starts on a new sheet and counts its own pages ("Page 1/2").

use crate::layout;
use crate::notice::{self, Notice};
use crate::pdf::Canvas;
use crate::reminder::{self, Reminder};

/// A letter of the day's batch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // a few letters a day; boxing would only add noise
pub enum Letter {
    Notice(Notice),
    Reminder(Reminder),
}

impl Letter {
    fn pages(&self) -> Vec<Canvas> {
        match self {
            Letter::Notice(n) => notice::pages(n),
            Letter::Reminder(r) => reminder::pages(r),
        }
    }

    /// How many pages this letter takes.
    pub fn page_count(&self) -> usize {
        self.pages().len()
    }

    fn recipient(&self) -> &str {
        match self {
            Letter::Notice(n) => &n.recipient.name,
            Letter::Reminder(r) => &r.recipient.name,
        }
    }
}

impl layout::Dated for Notice {
    fn date(&self) -> chrono::NaiveDate {
        self.date
    }
}

impl layout::Dated for Reminder {
    fn date(&self) -> chrono::NaiveDate {
        self.date
    }
}

impl layout::Dated for Letter {
    fn date(&self) -> chrono::NaiveDate {
        match self {
            Letter::Notice(n) => n.date,
            Letter::Reminder(r) => r.date,
        }
    }
}

/// Letters of any kind in one PDF, in the order given, laid out on every core.
pub fn render_letters(letters: &[Letter]) -> Vec<u8> {
    render_letters_on(letters, crate::cores::available())
}

/// [`render_letters`] on `threads` threads: the same bytes whatever their number.
pub fn render_letters_on(letters: &[Letter], threads: std::num::NonZeroUsize) -> Vec<u8> {
    let title = match letters {
        [Letter::Notice(n)] => format!("Mise en demeure — {}", n.recipient.name),
        [one] => format!("Lettre — {}", one.recipient()),
        _ => format!("Lettres ({})", letters.len()),
    };
    layout::render_on(letters, Letter::pages, &title, threads)
}
