//! The printable aged balance ("balance âgée") for the finance director: one line per customer, the buckets of
//! days past due, unapplied credits, totals; A4 landscape, headers repeated on every page.

use crate::layout::report::{self, BOTTOM, LEFT, RIGHT, TOP};
use crate::layout::{fit_weight, wrap_at_most};
use crate::pdf::{Align, Canvas, Weight};
use encaisse_analytics::AgedBalance;
use encaisse_domain::format::{format_date_fr as date_fr, format_number_fr};
use rust_decimal::Decimal;

const SIZE: f32 = 7.5;
const ROW: f32 = 4.6;
/// Between the lines of a name wrapped in its cell.
const LINE: f32 = 3.3;
/// The width of the name's column, and the most lines a name takes in it (the last one cut when more).
const NAME_W: f32 = 84.0;
const NAME_LINES: usize = 3;

/// "not_due" → "Non échu", "1-30" → "1 à 30 j", "91+" → "91 j et plus".
pub fn bucket_label_fr(label: &str) -> String {
    if label == "not_due" {
        return "Non échu".into();
    }
    if let Some((a, b)) = label.split_once('-') {
        return format!("{a} à {b} j");
    }
    if let Some(a) = label.strip_suffix('+') {
        return format!("{a} j et plus");
    }
    label.to_string()
}

struct Layout {
    /// Right edges of the amount columns: balance, each bucket, unapplied.
    rights: Vec<f32>,
    titles: Vec<String>,
}

fn layout(aged: &AgedBalance) -> Layout {
    let mut titles = vec!["Solde".to_string()];
    titles.extend(aged.labels.iter().map(|l| bucket_label_fr(l)));
    titles.push("Non affecté".into());
    let first = 120.0;
    let step = (RIGHT - first) / f32::from(u16::try_from(titles.len()).unwrap_or(1).max(1));
    let rights = (1..=titles.len())
        .map(|i| first + step * f32::from(u16::try_from(i).unwrap_or(0)))
        .collect();
    Layout { rights, titles }
}

fn header(page: &mut Canvas, company: &str, aged: &AgedBalance, l: &Layout) {
    report::title(
        page,
        "Balance âgée des comptes clients",
        &format!("{company} — au {} — montants en euros TTC", date_fr(aged.as_of)),
    );
    page.fill_rect(LEFT, TOP - 4.0, RIGHT - LEFT, ROW + 1.0, 0.88);
    page.text(LEFT + 1.0, TOP, SIZE, Weight::Bold, Align::Left, "Client");
    page.text(
        LEFT + 22.0,
        TOP,
        SIZE,
        Weight::Bold,
        Align::Left,
        "Raison sociale",
    );
    for (t, r) in l.titles.iter().zip(&l.rights) {
        page.text(*r - 1.0, TOP, SIZE, Weight::Bold, Align::Right, t);
    }
}

/// One customer's row, its name wrapped on up to three lines; the amounts on its first line.
fn row(page: &mut Canvas, y: f32, l: &Layout, cells: (&str, &[String]), amounts: &[Decimal], weight: Weight) {
    // The longest keys are cut with an ellipsis within their column.
    let key = fit_weight(cells.0, SIZE, weight, 20.0);
    page.data(LEFT + 1.0, y, SIZE, weight, Align::Left, &key);
    let mut line_y = y;
    for line in cells.1 {
        page.data(LEFT + 22.0, line_y, SIZE, weight, Align::Left, line);
        line_y += LINE;
    }
    for (a, r) in amounts.iter().zip(&l.rights) {
        if !a.is_zero() || weight == Weight::Bold {
            page.text(*r - 1.0, y, SIZE, weight, Align::Right, &format_number_fr(*a));
        }
    }
}

/// The lines of a name in its column.
fn name_lines(name: &str, weight: Weight) -> Vec<String> {
    wrap_at_most(name, SIZE, weight, NAME_W, NAME_LINES)
}

/// The height of a row of `lines` lines.
fn height(lines: &[String]) -> f32 {
    ROW + LINE * f32::from(u16::try_from(lines.len().saturating_sub(1)).unwrap_or(0))
}

/// The aged balance as a PDF file.
pub fn render_aged_balance(company: &str, aged: &AgedBalance) -> Vec<u8> {
    let l = layout(aged);
    let mut pages = vec![Canvas::landscape()];
    header(pages.last_mut().expect("a page"), company, aged, &l);
    let mut y = TOP + ROW + 1.0;
    for c in &aged.customers {
        let names = name_lines(&c.name, Weight::Regular);
        let h = height(&names);
        if y + h - ROW > BOTTOM - ROW * 2.0 {
            let mut page = Canvas::landscape();
            header(&mut page, company, aged, &l);
            pages.push(page);
            y = TOP + ROW + 1.0;
        }
        let mut amounts = vec![c.balance];
        amounts.extend(c.buckets.iter().copied());
        amounts.push(c.unapplied);
        let page = pages.last_mut().expect("a page");
        row(page, y, &l, (&c.key, &names), &amounts, Weight::Regular);
        y += h;
    }
    let mut totals = vec![aged.balance];
    totals.extend(aged.buckets.iter().copied());
    totals.push(aged.unapplied);
    let page = pages.last_mut().expect("a page");
    page.hline(LEFT, RIGHT, y - ROW + 1.3, 0.6);
    let customers = format!("{} clients", aged.customers.len());
    row(page, y + 0.5, &l, ("TOTAL", &[customers]), &totals, Weight::Bold);
    report::save(
        &format!("Balance âgée au {}", date_fr(aged.as_of)),
        Some(aged.as_of),
        pages,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_labels_in_french() {
        assert_eq!(bucket_label_fr("not_due"), "Non échu");
        assert_eq!(bucket_label_fr("1-30"), "1 à 30 j");
        assert_eq!(bucket_label_fr("91+"), "91 j et plus");
        // Amounts without the currency sign (the header names it).
        assert_eq!(format_number_fr(Decimal::new(123456, 2)), "1\u{a0}234,56");
    }
}
