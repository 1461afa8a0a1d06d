//! How the crate's documents sit on the page, below every one of them: the A4 letter for a window envelope
//! (`letter`), the A4 landscape report (`report`), text cut to a width, and pages laid out then written as one
//! file. It draws through `crate::pdf` (fonts, canvas, bytes) and formats numbers and dates through
//! `encaisse_domain::format`; it knows nothing of notices, reminders or tables.

pub(crate) mod letter;
pub(crate) mod report;

use crate::cores;
use crate::pdf::{self, Canvas, Weight};
use std::num::NonZeroUsize;

/// The longest start of `s` that, followed by an ellipsis, is no wider than `width` mm (found by halving: a
/// 500-character name costs a dozen measures, not 500).
fn cut(s: &str, size: f32, weight: Weight, width: f32) -> String {
    let ends: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([s.len()])
        .collect();
    let fits = |chars: usize| {
        let end = if chars == 0 { 0 } else { ends[chars - 1] };
        pdf::text_width(&format!("{}…", &s[..end]), size, weight) <= width
    };
    // The widths grow with the prefix: the last prefix that fits, between `lo` (fits, or empty) and `hi`.
    let (mut lo, mut hi) = (0, ends.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let end = if lo == 0 { 0 } else { ends[lo - 1] };
    s[..end].to_string()
}

/// The text as it fits `width` mm in a letter (measured in the regular weight), cut with an ellipsis when needed.
pub(crate) fn fit(s: &str, size: f32, width: f32) -> String {
    if pdf::text_width(s, size, Weight::Regular) <= width {
        return s.to_string();
    }
    format!("{}…", cut(s, size, Weight::Regular, width))
}

/// The text cut to fit a report's cell, with an ellipsis when cut: a hundredth of a millimetre of tolerance (the
/// column was sized from the same measure), no space left before the ellipsis.
pub(crate) fn fit_cell(s: &str, size: f32, weight: Weight, width: f32) -> String {
    if pdf::text_width(s, size, weight) <= width + 0.01 {
        return s.to_string();
    }
    format!("{}…", cut(s, size, weight, width).trim_end())
}

/// The text as it fits `width` mm in `weight`, cut with an ellipsis when needed.
pub(crate) fn fit_weight(s: &str, size: f32, weight: Weight, width: f32) -> String {
    if pdf::text_width(s, size, weight) <= width {
        return s.to_string();
    }
    format!("{}…", cut(s, size, weight, width))
}

/// `s` wrapped to `width` mm on at most `max` lines (at least one), the last one cut with an ellipsis when the
/// text needs more. For data (names, addresses), drawn as typed with `Canvas::data`.
pub(crate) fn wrap_at_most(s: &str, size: f32, weight: Weight, width: f32, max: usize) -> Vec<String> {
    let mut lines = pdf::wrap(s, size, weight, width);
    let max = max.max(1);
    if lines.len() > max {
        let rest = lines[max - 1..].join(" ");
        lines.truncate(max - 1);
        lines.push(fit_weight(&rest, size, weight, width));
    }
    lines
}

/// What a document is dated: its PDF's creation date.
pub(crate) trait Dated {
    fn date(&self) -> chrono::NaiveDate;
}

/// How many items make a part of a large file: each part is laid out and written with its own font subsets on a
/// thread of its own, then the parts are joined. A fixed number, whatever the threads: the same bytes on one
/// thread or on many. A file of at most this many items is one part, written as a single letter always was; each
/// other part adds two subsets (about 15 kB) to the file.
const ITEMS_PER_PART: usize = 32;

/// Lays out the items and writes them on every core (for a large batch: the QR codes' mask choice and writing
/// the pages are the costliest parts), in one file, in the items' order, dated of the latest item.
pub(crate) fn render<T: Sync + Dated>(items: &[T], layout: fn(&T) -> Vec<Canvas>, title: &str) -> Vec<u8> {
    render_on(items, layout, title, cores::available())
}

/// [`render`] on `threads` threads: the same bytes whatever their number (each part is written on its own).
pub(crate) fn render_on<T: Sync + Dated>(
    items: &[T],
    layout: fn(&T) -> Vec<Canvas>,
    title: &str,
    threads: NonZeroUsize,
) -> Vec<u8> {
    render_in_parts(items, layout, title, threads, ITEMS_PER_PART)
}

fn render_in_parts<T: Sync + Dated>(
    items: &[T],
    layout: fn(&T) -> Vec<Canvas>,
    title: &str,
    threads: NonZeroUsize,
    per_part: usize,
) -> Vec<u8> {
    let date = items.iter().map(Dated::date).max();
    let mut parts: Vec<(usize, &[T])> = items.chunks(per_part.max(1)).enumerate().collect();
    if parts.is_empty() {
        parts.push((0, items));
    }
    // One part: its items laid out and its streams compressed on every thread; several: a part on each thread.
    let inner = if parts.len() == 1 {
        threads
    } else {
        NonZeroUsize::MIN
    };
    let docs = cores::map(&parts, threads, |(k, part)| {
        let ids = pdf::FontIds::part(*k);
        let letters = cores::map(part, inner, |item| {
            layout(item)
                .into_iter()
                .map(|page| page.into_part_page(&ids))
                .collect::<Vec<_>>()
        });
        pdf::part(title, date, letters.into_iter().flatten().collect(), &ids, inner)
    });
    pdf::finish(pdf::merge(docs))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page per item, with its own text.
    struct Item(u32);

    impl Dated for Item {
        fn date(&self) -> chrono::NaiveDate {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        }
    }

    fn one_page(item: &Item) -> Vec<Canvas> {
        let mut page = Canvas::new();
        page.text(
            20.0,
            30.0,
            10.0,
            Weight::Regular,
            pdf::Align::Left,
            &format!("Lettre nº {} — Société Générale", item.0),
        );
        page.text(
            20.0,
            40.0,
            12.0,
            Weight::Bold,
            pdf::Align::Left,
            &"Mise en demeure ".repeat(usize::try_from(item.0 % 5).unwrap() + 1),
        );
        page.fill_rect(20.0, 50.0, 30.0, 5.0, 0.8);
        vec![page]
    }

    #[test]
    fn a_file_in_parts_has_the_same_bytes_on_any_number_of_threads() {
        let items: Vec<Item> = (0..20).map(Item).collect();
        let threads = |n: usize| NonZeroUsize::new(n).unwrap();
        // 20 items in parts of 3: 7 parts, the last one shorter.
        let one = render_in_parts(&items, one_page, "Lettres", threads(1), 3);
        for n in [2, 3, 8] {
            assert!(
                render_in_parts(&items, one_page, "Lettres", threads(n), 3) == one,
                "{n} threads"
            );
        }
        let doc = lopdf::Document::load_mem(&one).unwrap();
        assert_eq!(doc.get_pages().len(), 20);
        // The pages in the items' order: each page's text is its item's.
        for i in 0..20u32 {
            let text = doc.extract_text(&[i + 1]).unwrap();
            assert!(
                text.contains(&format!("Lettre nº {i} —")),
                "page {}: {text:?}",
                i + 1
            );
        }
        // In one part: the file as it was always written, whatever the threads.
        let whole = render_in_parts(&items, one_page, "Lettres", threads(1), 20);
        assert!(render_in_parts(&items, one_page, "Lettres", threads(2), 20) == whole);
        assert!(whole != one);
    }

    #[test]
    fn cut_texts_keep_within_the_width() {
        let long = "Boulangerie Pâtissière Lefèvre & Fils, une raison sociale qui ne tient pas";
        let fitted = fit(long, 10.0, 40.0);
        assert!(fitted.ends_with('…') && pdf::text_width(&fitted, 10.0, Weight::Regular) <= 40.0);
        assert_eq!(fit("Court", 10.0, 40.0), "Court");
        let cell = fit_cell(long, 8.0, Weight::Bold, 30.0);
        assert!(cell.ends_with('…') && !cell.ends_with(" …"), "{cell}");
    }

    #[test]
    fn names_wrap_on_three_lines_at_most_the_third_cut_when_more() {
        let name =
            "Société Coopérative Agricole et Viticole des Coteaux du Lyonnais et du Beaujolais Réunis — \
                    Établissement Principal, Anse";
        assert_eq!(name.chars().count(), 120);
        let lines = wrap_at_most(name, 10.5, Weight::Bold, 85.0, 3);
        assert!(lines.len() > 1 && lines.len() <= 3, "{lines:?}");
        assert_eq!(lines.join(" "), name);
        let longer = format!("{name} {name} {name}");
        let lines = wrap_at_most(&longer, 10.5, Weight::Bold, 85.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        for l in &lines {
            assert!(pdf::text_width(l, 10.5, Weight::Bold) <= 85.0, "{l}");
        }
        assert_eq!(
            wrap_at_most("", 10.0, Weight::Regular, 85.0, 3),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_longest_names_are_cut_at_the_widest_start_that_fits() {
        for long in ["W".repeat(500), "é".repeat(3000), "Société Générale ".repeat(30)] {
            for weight in [Weight::Regular, Weight::Bold] {
                let fitted = fit_weight(&long, 10.0, weight, 85.0);
                assert!(fitted.ends_with('…') && pdf::text_width(&fitted, 10.0, weight) <= 85.0);
                let kept = fitted.trim_end_matches('…');
                // One more character would not fit.
                let next = long[kept.len()..].chars().next().unwrap();
                assert!(
                    pdf::text_width(&format!("{kept}{next}…"), 10.0, weight) > 85.0,
                    "{fitted}"
                );
            }
        }
        assert_eq!(fit_weight("", 10.0, Weight::Bold, 1.0), "");
        assert_eq!(fit_weight("ab", 10.0, Weight::Bold, 0.1), "…");
    }
}
