//! Several letters in one PDF for printing: each starts on a new sheet and counts its own pages ("Page 1/2").

use crate::notice::{self, Notice};
use crate::pdf::{self, Canvas};
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

/// Lays out the items on every core (for a large batch: the QR codes' mask choice is the costliest part), then
/// writes the file in one piece, in the items' order.
pub(crate) fn render<T: Sync>(items: &[T], layout: fn(&T) -> Vec<Canvas>, title: &str) -> Vec<u8> {
    let letter = |item: &T| {
        layout(item)
            .into_iter()
            .map(Canvas::into_page)
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / 16)
        .max(1);
    let pages: Vec<_> = if threads == 1 {
        items.iter().flat_map(letter).collect()
    } else {
        let chunk = items.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().flat_map(letter).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("laying out a letter does not panic"))
                .collect()
        })
    };
    pdf::save(title, pages)
}

/// Letters of any kind in one PDF, in the order given.
pub fn render_letters(letters: &[Letter]) -> Vec<u8> {
    let title = match letters {
        [Letter::Notice(n)] => format!("Mise en demeure — {}", n.recipient.name),
        [one] => format!("Lettre — {}", one.recipient()),
        _ => format!("Lettres ({})", letters.len()),
    };
    render(letters, Letter::pages, &title)
}
