//! An A4 landscape report, in millimetres from the top-left corner: the margins, the title block, and "Page i/n"
//! at the foot of every page.

use crate::pdf::{self, Align, Canvas, Weight};

pub(crate) const LEFT: f32 = 12.0;
pub(crate) const RIGHT: f32 = 285.0;
/// The baseline of the column titles, and the lowest baseline a row may take before the next page.
pub(crate) const TOP: f32 = 30.0;
pub(crate) const BOTTOM: f32 = 195.0;

/// The title, and the line under it (the company, the date…), at the top of a page.
pub(crate) fn title(page: &mut Canvas, title: &str, subtitle: &str) {
    let title = super::fit_weight(title, 13.0, Weight::Bold, RIGHT - LEFT);
    page.text(LEFT, 14.0, 13.0, Weight::Bold, Align::Left, &title);
    let subtitle = super::fit(subtitle, 9.0, RIGHT - LEFT);
    page.text(LEFT, 20.0, 9.0, Weight::Regular, Align::Left, &subtitle);
}

/// The pages numbered "Page i/n" and written as a PDF file, created on `date` when the report has one.
pub(crate) fn save(title: &str, date: Option<chrono::NaiveDate>, pages: Vec<Canvas>) -> Vec<u8> {
    let count = pages.len();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            p.text(
                RIGHT,
                203.0,
                7.0,
                Weight::Regular,
                Align::Right,
                &format!("Page {}/{count}", i + 1),
            );
            p.into_page()
        })
        .collect();
    pdf::save(title, date, pages, crate::cores::available())
}
