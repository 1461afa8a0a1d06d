//! Any report as a printable table: a title, column headers repeated on every page, text on the left and numbers
//! on the right, page numbers; A4 landscape. The app turns each of its reports (aged balance by group, customers,
//! forecast, D441-6 table, audit trail…) into a [`Table`] and prints it this way.

use crate::layout::fit_cell;
use crate::layout::report::{self, BOTTOM, LEFT, RIGHT, TOP};
use crate::pdf::{self, Align, Canvas, Weight};

/// Space between two columns (mm).
const GAP: f32 = 3.0;

/// One cell: its text as printed, and whether it is a number (right-aligned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    pub text: String,
    pub number: bool,
}

impl TableCell {
    pub fn text(s: impl Into<String>) -> TableCell {
        TableCell {
            text: s.into(),
            number: false,
        }
    }
    pub fn number(s: impl Into<String>) -> TableCell {
        TableCell {
            text: s.into(),
            number: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub title: String,
    /// A line under the title: the company, the date…
    pub subtitle: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
}

struct Columns {
    size: f32,
    /// Left edge and width of each column.
    spans: Vec<(f32, f32)>,
    numeric: Vec<bool>,
    /// Each header wrapped to its column.
    headers: Vec<Vec<String>>,
}

impl Columns {
    fn step(&self) -> f32 {
        self.size * 0.55
    }
    /// Where the first row's baseline goes, under the header band.
    fn first_row(&self) -> f32 {
        let lines = self.headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
        TOP + self.step() * f32::from(u16::try_from(lines).unwrap_or(1)) + 1.2
    }
}

/// Column widths from their widest cell (a text cell wraps on up to three lines in the end, see render_table) — a header wraps onto several lines rather than widening its column, down
/// to its longest word —, shrunk to the page: the font goes down to 6 pt, then the widest text columns are
/// narrowed (their text cut) until the table fits.
fn columns(t: &Table) -> Columns {
    let n = t
        .headers
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    let numeric: Vec<bool> = (0..n)
        .map(|i| {
            t.rows
                .iter()
                .filter_map(|r| r.get(i))
                .any(|c| c.number && !c.text.is_empty())
        })
        .collect();
    let widest = |size: f32| -> Vec<f32> {
        (0..n)
            .map(|i| {
                let word = t.headers.get(i).map_or(0.0, |h| {
                    h.split(' ')
                        .map(|w| pdf::text_width(w, size, Weight::Bold))
                        .fold(0.0, f32::max)
                });
                t.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| pdf::text_width(&c.text, size, Weight::Regular))
                    .fold(word, f32::max)
            })
            .collect()
    };
    let room = RIGHT - LEFT - GAP * f32::from(u16::try_from(n.saturating_sub(1)).unwrap_or(0));
    let mut size = 8.0;
    let mut widths = widest(size);
    while widths.iter().sum::<f32>() > room && size > 6.0 {
        size -= 0.5;
        widths = widest(size);
    }
    // Still too wide: cap the widest text columns at a common width (numbers keep theirs).
    if widths.iter().sum::<f32>() > room {
        let capped = |cap: f32| -> Vec<f32> {
            widths
                .iter()
                .zip(&numeric)
                .map(|(w, num)| if *num { *w } else { w.min(cap) })
                .collect()
        };
        let mut cap = widths.iter().copied().fold(0.0, f32::max);
        while capped(cap).iter().sum::<f32>() > room && cap > 8.0 {
            cap -= 0.5;
        }
        widths = capped(cap);
    }
    // Room left: the text columns share it, so long names are not cut when they need not be.
    let spare = room - widths.iter().sum::<f32>();
    let texts = numeric.iter().filter(|n| !**n).count();
    if spare > 0.0 && texts > 0 {
        let share = spare / f32::from(u16::try_from(texts).unwrap_or(1));
        for (w, num) in widths.iter_mut().zip(&numeric) {
            if !*num {
                *w += share;
            }
        }
    }
    let mut x = LEFT;
    let spans: Vec<(f32, f32)> = widths
        .iter()
        .map(|w| {
            let span = (x, *w);
            x += w + GAP;
            span
        })
        .collect();
    let headers = (0..n)
        .map(|i| {
            let h = t.headers.get(i).map_or("", String::as_str);
            pdf::wrap(h, size, Weight::Bold, spans[i].1)
        })
        .collect();
    Columns {
        size,
        spans,
        numeric,
        headers,
    }
}

fn header(page: &mut Canvas, t: &Table, c: &Columns) {
    report::title(page, &t.title, &t.subtitle);
    let band = c.first_row() - c.step() - TOP;
    page.fill_rect(
        LEFT,
        TOP - c.size * 0.5,
        RIGHT - LEFT,
        band + c.size * 0.5 + 1.4,
        0.88,
    );
    for (i, lines) in c.headers.iter().enumerate() {
        for (k, line) in lines.iter().enumerate() {
            let y = TOP + c.step() * f32::from(u16::try_from(k).unwrap_or(0));
            cell(page, c, i, y, line, Weight::Bold);
        }
    }
}

fn cell(page: &mut Canvas, c: &Columns, i: usize, y: f32, s: &str, weight: Weight) {
    let Some(&(x, w)) = c.spans.get(i) else {
        return;
    };
    let s = fit_cell(s, c.size, weight, w);
    // Cells are data (names, numbers, identifiers): drawn as given.
    if c.numeric.get(i).copied().unwrap_or(false) {
        page.data(x + w, y, c.size, weight, Align::Right, &s);
    } else {
        page.data(x, y, c.size, weight, Align::Left, &s);
    }
}

/// The table as a PDF file: same table, same bytes.
pub fn render_table(t: &Table) -> Vec<u8> {
    let c = columns(t);
    let step = c.step();
    let first = c.first_row();
    let mut pages = vec![Canvas::landscape()];
    header(pages.last_mut().expect("a page"), t, &c);
    let mut y = first;
    for row in &t.rows {
        // Text cells (names…) wrap on up to three lines in their column, the third cut when there is more; numbers
        // keep one line.
        let cells: Vec<Vec<String>> = row
            .iter()
            .enumerate()
            .map(|(i, v)| match c.spans.get(i) {
                Some(&(_, w)) if !c.numeric.get(i).copied().unwrap_or(false) => {
                    crate::layout::wrap_at_most(&v.text, c.size, Weight::Regular, w, 3)
                }
                _ => vec![v.text.clone()],
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let extra = step * f32::from(u16::try_from(lines - 1).unwrap_or(0));
        if y + extra > BOTTOM && y > first {
            let mut page = Canvas::landscape();
            header(&mut page, t, &c);
            pages.push(page);
            y = first;
        }
        let page = pages.last_mut().expect("a page");
        for (i, parts) in cells.iter().enumerate() {
            for (k, part) in parts.iter().enumerate() {
                let line_y = y + step * f32::from(u16::try_from(k).unwrap_or(0));
                cell(page, &c, i, line_y, part, Weight::Regular);
            }
        }
        page.hline(LEFT, RIGHT, y + extra + 1.2, 0.2);
        y += extra + step;
    }
    report::save(&t.title, None, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize, name: &str) -> Table {
        Table {
            title: "Tableau D441-6".into(),
            subtitle: "Atelier — clôture au 31/12/2026".into(),
            headers: vec!["Tranche".into(), "Factures".into(), "Montant TTC".into()],
            rows: (0..rows)
                .map(|i| {
                    vec![
                        TableCell::text(format!("{name} {i}")),
                        TableCell::number(i.to_string()),
                        TableCell::number("1\u{a0}234,56"),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn numbers_right_aligned_and_columns_fit_the_page() {
        let t = table(3, &"Très long libellé de client ".repeat(20));
        let c = columns(&t);
        assert_eq!(c.numeric, [false, true, true]);
        let (x, w) = *c.spans.last().unwrap();
        assert!(x + w <= RIGHT + 0.01, "{x} + {w}");
        assert!(c.size >= 6.0);
        assert!(fit_cell(&t.rows[0][0].text, c.size, Weight::Regular, c.spans[0].1).ends_with('…'));
    }

    #[test]
    fn deterministic_and_paged() {
        let one = render_table(&table(10, "Client"));
        assert_eq!(one, render_table(&table(10, "Client")));
        assert!(one.starts_with(b"%PDF"));
        // Page count and text are checked with pdftotext/pdfinfo in the app's export tests.
        assert!(render_table(&table(200, "Client")).len() > one.len());
    }
}
