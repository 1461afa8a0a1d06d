//! An A4 letter for a DL window envelope (110 × 220 mm, window on the right), in millimetres from the top-left
//! corner: the margins, the letterhead and the recipient's address in the window, text that flows onto the next
//! page, the rows of an invoice table, and the footer that numbers the letter's own pages.

use crate::pdf::{self, Align, Canvas, Weight};

pub(crate) const LEFT: f32 = 20.0;
pub(crate) const RIGHT: f32 = 190.0;
pub(crate) const WIDTH: f32 = RIGHT - LEFT;
/// The body text's size (points) and the distance between two of its lines (mm).
pub(crate) const BODY: f32 = 9.0;
pub(crate) const LEADING: f32 = 4.1;
/// Where the text starts on a continuation page, and the lowest top of a line before the footer.
const TOP_CONT: f32 = 22.0;
pub(crate) const BOTTOM: f32 = 280.0;
/// The window of a DL envelope over an A4 sheet folded in three: the address block starts here, 110 mm from the
/// left edge and 50 mm from the top, within a 90 × 45 mm window.
const WINDOW_X: f32 = 110.0;
const WINDOW_TOP: f32 = 50.0;
/// The width of a line in the window, and the lowest baseline the address may take (the window ends at 95 mm).
const WINDOW_W: f32 = 85.0;
const WINDOW_LAST: f32 = 93.0;

/// The sender or the recipient of a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// Address lines, street first, postcode and city last.
    pub address: Vec<String>,
    pub siren: Option<String>,
    /// The company's legal mentions (a sender's letterhead); None for a recipient.
    pub legal: Option<Legal>,
}

/// What a company's letters must carry besides its name, address and SIREN (Code de commerce R123-237): its legal
/// form, its share capital and the city of the trade register (RCS) it is registered at, the RCS number being the
/// SIREN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Legal {
    /// "SAS", "SARL", "SA"…
    pub form: Option<String>,
    /// The share capital in euros.
    pub capital: Option<rust_decimal::Decimal>,
    /// "Lyon": the RCS the company is registered at.
    pub rcs_city: Option<String>,
}

impl Party {
    /// The letterhead's lines under the address: "SAS au capital de 250 000 €", then "RCS Lyon 732 829 320" (or
    /// "SIREN 732 829 320" when the RCS city is not given).
    pub fn mentions(&self) -> Vec<String> {
        let legal = self.legal.clone().unwrap_or_default();
        let text = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let mut lines = Vec::new();
        let capital = legal
            .capital
            .filter(|c| *c > rust_decimal::Decimal::ZERO)
            .map(capital_fr);
        match (text(&legal.form), capital) {
            (Some(form), Some(capital)) => lines.push(format!("{form} au capital de {capital}")),
            (Some(form), None) => lines.push(form),
            (None, Some(capital)) => lines.push(format!("Au capital de {capital}")),
            (None, None) => {}
        }
        match (text(&legal.rcs_city), &self.siren) {
            (Some(city), Some(siren)) => lines.push(format!("RCS {city} {}", siren_fr(siren))),
            (Some(city), None) => lines.push(format!("RCS {city}")),
            (None, Some(siren)) => lines.push(format!("SIREN {}", siren_fr(siren))),
            (None, None) => {}
        }
        lines
    }
}

/// A share capital as printed: no cents when it has none ("250\u{a0}000\u{a0}€"), else with them.
fn capital_fr(capital: rust_decimal::Decimal) -> String {
    let text = encaisse_domain::format::format_amount_fr(capital);
    if capital.fract().is_zero() {
        text.replace(",00", "")
    } else {
        text
    }
}

/// 732 829 320: the domain's grouping (`format_siren`), with plain spaces as the letters have always printed it.
pub(crate) fn siren_fr(siren: &str) -> String {
    encaisse_domain::format::format_siren(siren).replace('\u{a0}', " ")
}

/// Fold marks, the sender's letterhead and the recipient's address in the envelope's window.
pub(crate) fn head(page: &mut Canvas, sender: &Party, recipient: &Party) {
    // Fold marks for a DL envelope (A4 folded in three).
    page.hline(4.0, 9.0, 99.0, 0.4);
    page.hline(4.0, 9.0, 198.0, 0.4);

    // Names, addresses and mentions are data, drawn as typed.
    // Letterhead: the name across the page above the window, the address and mentions to the left of it; each
    // on three lines at most, the third cut when there is more.
    let mut y = 20.0;
    for line in super::wrap_at_most(&sender.name, 14.0, Weight::Bold, RIGHT - LEFT, 3) {
        page.data(LEFT, y, 14.0, Weight::Bold, Align::Left, &line);
        y += 5.5;
    }
    for line in &sender.address {
        for part in super::wrap_at_most(line, 9.0, Weight::Regular, WINDOW_X - LEFT - 5.0, 3) {
            page.data(LEFT, y, 9.0, Weight::Regular, Align::Left, &part);
            y += 4.2;
        }
    }
    for line in sender.mentions() {
        for part in super::wrap_at_most(&line, 8.0, Weight::Regular, WINDOW_X - LEFT - 5.0, 2) {
            page.data(LEFT, y, 8.0, Weight::Regular, Align::Left, &part);
            y += 3.8;
        }
    }

    // Recipient, in the envelope's window: the name and each address line on three lines at most (the third cut
    // when there is more), as many as the window holds; every address line keeps at least one.
    let mut y = WINDOW_TOP + 4.0;
    for line in super::wrap_at_most(&recipient.name, 10.5, Weight::Bold, WINDOW_W, 3) {
        page.data(WINDOW_X, y, 10.5, Weight::Bold, Align::Left, &line);
        y += 5.0;
    }
    let last = WINDOW_LAST - if recipient.siren.is_some() { 4.8 } else { 0.0 };
    for (i, line) in recipient.address.iter().enumerate() {
        let after = recipient.address.len() - i - 1;
        let room = ((last - y) / 4.8).floor() + 1.0 - f32::from(u16::try_from(after).unwrap_or(u16::MAX));
        let max = if room >= 3.0 {
            3
        } else if room >= 2.0 {
            2
        } else {
            1
        };
        for part in super::wrap_at_most(line, 10.0, Weight::Regular, WINDOW_W, max) {
            page.data(WINDOW_X, y, 10.0, Weight::Regular, Align::Left, &part);
            y += 4.8;
        }
    }
    if let Some(siren) = &recipient.siren {
        page.data(
            WINDOW_X,
            y,
            8.5,
            Weight::Regular,
            Align::Left,
            &format!("SIREN {}", siren_fr(siren)),
        );
    }
}

/// Footers: the sender, and the page number within the letter.
pub(crate) fn number(pages: &mut [Canvas], sender: &Party) {
    let total = pages.len();
    // The sender's name cut so that the page number keeps its place on the right.
    let name = super::fit(&sender.name, 7.0, 120.0);
    let footer = match &sender.siren {
        Some(s) => format!("{name} — SIREN {}", siren_fr(s)),
        None => name,
    };
    for (i, page) in pages.iter_mut().enumerate() {
        page.data(LEFT, 287.0, 7.0, Weight::Regular, Align::Left, &footer);
        page.text(
            RIGHT,
            287.0,
            7.0,
            Weight::Regular,
            Align::Right,
            &format!("Page {}/{}", i + 1, total),
        );
    }
}

/// One line of text in a flow, and the distance to the next one's top.
struct Row {
    text: String,
    size: f32,
    weight: Weight,
    after: f32,
}

fn lines_height(lines: usize) -> f32 {
    LEADING * f32::from(u16::try_from(lines).unwrap_or(u16::MAX))
}

/// Where a table column's text starts (left-aligned) or ends (right-aligned), mm from the page's left edge.
pub(crate) struct Column {
    pub(crate) x: f32,
    pub(crate) align: Align,
}

impl Column {
    pub(crate) const fn left(x: f32) -> Column {
        Column {
            x,
            align: Align::Left,
        }
    }
    pub(crate) const fn right(x: f32) -> Column {
        Column {
            x,
            align: Align::Right,
        }
    }
}

/// The look of a table's rows: text size (points), row height and the baseline below the row's top (mm).
pub(crate) struct Rows {
    pub(crate) size: f32,
    pub(crate) height: f32,
    pub(crate) baseline: f32,
}

/// The pages of a letter as they fill up: a new page when the next block does not fit.
pub(crate) struct Flow {
    pub(crate) pages: Vec<Canvas>,
    /// The top of the next block on the last page, mm.
    pub(crate) y: f32,
}

impl Flow {
    /// A letter's first page, its top to be placed by the caller.
    pub(crate) fn new() -> Flow {
        Flow {
            pages: vec![Canvas::new()],
            y: 0.0,
        }
    }
    pub(crate) fn page(&mut self) -> &mut Canvas {
        self.pages.last_mut().expect("a flow has a page")
    }
    /// Makes room for `h` mm, turning the page if needed; true when it turned.
    pub(crate) fn need(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM {
            self.pages.push(Canvas::new());
            self.y = TOP_CONT;
            true
        } else {
            false
        }
    }
    /// The lines of a paragraph as [`Flow::paragraph`] draws them (French typography first: its non-breaking
    /// spaces hold a colon to its word).
    pub(crate) fn lines(text: &str, size: f32, weight: Weight) -> Vec<String> {
        pdf::wrap(&crate::typography::french(text), size, weight, WIDTH)
    }
    /// The height a paragraph takes, its space after included.
    pub(crate) fn height(text: &str, size: f32, weight: Weight) -> f32 {
        lines_height(Self::lines(text, size, weight).len()) + LEADING * 0.4
    }
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, weight: Weight) {
        self.paragraph_kept(text, size, weight, 0, 0.0);
    }
    /// A paragraph whose last `tail` lines (all of them when it has fewer) stay on one page with the `then` mm
    /// that follow it: what follows never starts a page alone, and a paragraph kept whole never splits.
    pub(crate) fn paragraph_kept(&mut self, text: &str, size: f32, weight: Weight, tail: usize, then: f32) {
        let lines = Self::lines(text, size, weight);
        let from = lines.len().saturating_sub(tail);
        let rows: Vec<Row> = lines
            .into_iter()
            .map(|text| Row {
                text,
                size,
                weight,
                after: LEADING,
            })
            .collect();
        self.rows(rows, from, then);
        self.y += LEADING * 0.4;
    }
    /// Draws `rows`, the ones from `keep` on one page with the `then` mm after them (when that can fit a page).
    fn rows(&mut self, rows: Vec<Row>, keep: usize, then: f32) {
        let kept: f32 = rows.iter().skip(keep).map(|r| r.after).sum::<f32>() + then;
        for (i, row) in rows.into_iter().enumerate() {
            if i == keep && kept <= BOTTOM - TOP_CONT {
                self.need(kept.max(LEADING));
            } else {
                self.need(LEADING);
            }
            // `y` is the top of the next line; its baseline is about one cap height below.
            let y = self.y + row.size * 0.3;
            self.page()
                .text(LEFT, y, row.size, row.weight, Align::Left, &row.text);
            self.y += row.after;
        }
    }
    /// Text as a person typed it: paragraphs between blank lines, each line of a paragraph kept on its own line.
    /// Its ending stays on one page: the last paragraph (a signature) whole, with the one-line paragraphs before
    /// it ("Cordialement,") and the last two lines of the paragraph before those.
    pub(crate) fn text_block(&mut self, text: &str) {
        let mut rows: Vec<Row> = Vec::new();
        // Where each paragraph's rows start.
        let mut starts: Vec<usize> = Vec::new();
        for para in text.split("\n\n").map(|p| p.trim_matches('\n')) {
            if para.trim().is_empty() {
                continue;
            }
            starts.push(rows.len());
            let lines: Vec<&str> = para.lines().filter(|l| !l.trim().is_empty()).collect();
            for (i, line) in lines.iter().enumerate() {
                for text in Self::lines(line.trim_end(), BODY, Weight::Regular) {
                    rows.push(Row {
                        text,
                        size: BODY,
                        weight: Weight::Regular,
                        after: LEADING,
                    });
                }
                // A line break inside a paragraph: no space after it; the paragraph's last line: a paragraph's space.
                if let Some(row) = rows.last_mut() {
                    row.after += if i + 1 < lines.len() { 0.0 } else { LEADING * 0.9 };
                }
            }
        }
        let mut keep = starts.last().copied().unwrap_or(0);
        let mut p = starts.len().saturating_sub(1);
        while p > 0 && keep - starts[p - 1] == 1 {
            p -= 1;
            keep = starts[p];
        }
        if p > 0 {
            keep = keep.saturating_sub(2).max(starts[p - 1]);
        }
        self.rows(rows, keep, 0.0);
    }
    /// A table's column titles, bold on a grey band across the text width.
    pub(crate) fn table_header(&mut self, columns: &[Column], titles: &[&str], rows: &Rows) {
        let y = self.y;
        let page = self.page();
        page.fill_rect(LEFT, y, WIDTH, rows.height, 0.88);
        for (c, title) in columns.iter().zip(titles) {
            page.text(c.x, y + rows.baseline, rows.size, Weight::Bold, c.align, title);
        }
        self.y += rows.height;
    }
    /// One row of a table, ruled underneath.
    pub(crate) fn table_row(&mut self, columns: &[Column], cells: &[String], rows: &Rows) {
        let y = self.y;
        let page = self.page();
        for (c, text) in columns.iter().zip(cells) {
            page.data(c.x, y + rows.baseline, rows.size, Weight::Regular, c.align, text);
        }
        page.hline(LEFT, RIGHT, y + rows.height, 0.2);
        self.y += rows.height;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_in_groups_of_three() {
        assert_eq!(siren_fr("732829320"), "732 829 320");
        assert_eq!(siren_fr("73282932"), "73282932");
    }

    #[test]
    fn a_flow_turns_the_page_when_a_block_does_not_fit() {
        let mut flow = Flow::new();
        flow.y = BOTTOM - 1.0;
        assert!(!flow.need(1.0));
        assert!(flow.need(2.0));
        assert_eq!((flow.pages.len(), flow.y), (2, TOP_CONT));
    }
}
