//! Drawing on A4 pages with printpdf's operations, in millimetres from the top-left corner (PDF counts from the
//! bottom-left), with the embedded Liberation Sans, and saving to deterministic bytes.

use chrono::{NaiveDate, NaiveTime};
use printpdf::OffsetDateTime;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};
use std::num::NonZeroUsize;
use std::sync::OnceLock;

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");
/// Fixed font ids: printpdf draws them at random, and they name the subset (first six letters) in the file.
const REGULAR_ID: &str = "LIBREG";
const BOLD_ID: &str = "LIBBLD";

/// The ids of the two fonts in one part of a file (see [`FontIds::part`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FontIds {
    regular: String,
    bold: String,
}

impl FontIds {
    /// The fonts of the `k`th part of a file written in parts, each part with its own subsets: LIBREG and LIBBLD
    /// for the first (a file in one part is written as it always was), then six letters of their own for each
    /// other part (a subset's name must differ from any other subset's in the file: "LR" or "LB" and the part's
    /// number in base 26, LRAAAB…).
    pub(crate) fn part(k: usize) -> FontIds {
        if k == 0 {
            return FontIds {
                regular: REGULAR_ID.into(),
                bold: BOLD_ID.into(),
            };
        }
        let letters: String = (0..4)
            .rev()
            .map(|i| char::from(b'A' + u8::try_from(k / 26usize.pow(i) % 26).unwrap_or(0)))
            .collect();
        FontIds {
            regular: format!("LR{letters}"),
            bold: format!("LB{letters}"),
        }
    }
}

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    /// Advance widths in font units of the codepoints below WIDTHS_UP_TO, by weight: measuring text is on the
    /// hot path of a batch (every right-aligned amount, every wrapped line).
    regular_widths: Vec<u16>,
    bold_widths: Vec<u16>,
}

/// Latin, punctuation, currency signs (€ is U+20AC).
const WIDTHS_UP_TO: u32 = 0x2200;

fn widths(font: &ParsedFont) -> Vec<u16> {
    (0..WIDTHS_UP_TO)
        .map(|c| font.get_horizontal_advance(font.lookup_glyph_index(c).unwrap_or(0)))
        .collect()
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled font parses")
        };
        let (regular, bold) = (parse(REGULAR_TTF), parse(BOLD_TTF));
        Fonts {
            regular_widths: widths(&regular),
            bold_widths: widths(&bold),
            regular,
            bold,
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

impl Weight {
    fn font(self) -> &'static ParsedFont {
        match self {
            Weight::Regular => &fonts().regular,
            Weight::Bold => &fonts().bold,
        }
    }
    fn handle(self, ids: &FontIds) -> PdfFontHandle {
        PdfFontHandle::External(FontId(
            match self {
                Weight::Regular => &ids.regular,
                Weight::Bold => &ids.bold,
            }
            .clone(),
        ))
    }
}

/// Whether both embedded fonts have a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    [Weight::Regular, Weight::Bold]
        .iter()
        .all(|w| w.font().lookup_glyph_index(u32::from(c)).is_some_and(|g| g != 0))
}

/// Width of `s` in millimetres at `size` points (advance widths, no kerning: what ShowText draws).
pub fn text_width(s: &str, size: f32, weight: Weight) -> f32 {
    let font = weight.font();
    let cache = match weight {
        Weight::Regular => &fonts().regular_widths,
        Weight::Bold => &fonts().bold_widths,
    };
    let units: u32 = s
        .chars()
        .map(|c| match cache.get(c as usize) {
            Some(w) => u32::from(*w),
            None => {
                u32::from(font.get_horizontal_advance(font.lookup_glyph_index(u32::from(c)).unwrap_or(0)))
            }
        })
        .sum();
    let upem = f64::from(font.pdf_font_metrics.units_per_em.max(1));
    (f64::from(units) / upem * f64::from(size) / f64::from(PT_PER_MM)) as f32
}

/// Splits `text` into lines no wider than `width` mm, breaking at ordinary spaces only (no-break spaces hold).
pub fn wrap(text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        // A word wider than the line (a 500-character name without spaces) is broken where the line ends.
        let mut word = word;
        let broken;
        if text_width(word, size, weight) > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut pieces = Vec::new();
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if text_width(&piece, size, weight) > width && piece.chars().count() > 1 {
                    piece.pop();
                    pieces.push(std::mem::replace(&mut piece, c.to_string()));
                }
            }
            lines.extend(pieces);
            broken = piece;
            word = &broken;
        }
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, weight) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

/// A run of text: its baseline's left end in points from the bottom-left corner.
struct TextRun {
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    text: String,
}

/// One page's operations, placed from the top-left corner in millimetres. Drawings come first, then every text
/// in one text object (texts are drawn over fills, and a page's text costs 2 or 3 operators a run, not 5).
pub struct Canvas {
    ops: Vec<Op>,
    texts: Vec<TextRun>,
    width: f32,
    height: f32,
}

impl Default for Canvas {
    fn default() -> Self {
        Self::new()
    }
}

impl Canvas {
    /// An A4 portrait page.
    pub fn new() -> Self {
        Canvas {
            ops: Vec::new(),
            texts: Vec::new(),
            width: PAGE_W,
            height: PAGE_H,
        }
    }

    /// An A4 landscape page.
    pub fn landscape() -> Self {
        Canvas {
            ops: Vec::new(),
            texts: Vec::new(),
            width: PAGE_H,
            height: PAGE_W,
        }
    }

    fn point(&self, x: f32, top: f32) -> Point {
        Point::new(Mm(x), Mm(self.height - top))
    }

    /// Text with its baseline `top` mm below the page's top edge; `x` is the left, right or centre edge; with
    /// French typography (non-breaking spaces before « : ; ! ? », typographic apostrophes).
    pub fn text(&mut self, x: f32, top: f32, size: f32, weight: Weight, align: Align, s: &str) {
        let s = crate::typography::french(s);
        self.data(x, top, size, weight, align, &s);
    }

    /// Text drawn exactly as given: data (an IBAN, an invoice number, a reference, a table's cell).
    pub fn data(&mut self, x: f32, top: f32, size: f32, weight: Weight, align: Align, s: &str) {
        if s.is_empty() {
            return;
        }
        let left = match align {
            Align::Left => x,
            Align::Right => x - text_width(s, size, weight),
            Align::Center => x - text_width(s, size, weight) / 2.0,
        };
        let at = self.point(left, top);
        self.texts.push(TextRun {
            x: at.x.0,
            y: at.y.0,
            size,
            weight,
            text: s.to_string(),
        });
    }

    /// A filled rectangle, `level` 0 (black) to 1 (white), its top-left corner at (x, top).
    pub fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, level: f32) {
        self.ops.push(Op::SetFillColor { col: grey(level) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Fill),
                ..Rect::from_xywh(
                    Mm(x).into_pt(),
                    Mm(self.height - top - h).into_pt(),
                    Mm(w).into_pt(),
                    Mm(h).into_pt(),
                )
            },
        });
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
    }

    /// A rectangle's outline.
    pub fn stroke_rect(&mut self, x: f32, top: f32, w: f32, h: f32, thickness_pt: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Stroke),
                ..Rect::from_xywh(
                    Mm(x).into_pt(),
                    Mm(self.height - top - h).into_pt(),
                    Mm(w).into_pt(),
                    Mm(h).into_pt(),
                )
            },
        });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, top: f32, thickness_pt: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::SetOutlineColor { col: grey(0.0) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: self.point(x1, top),
                        bezier: false,
                    },
                    LinePoint {
                        p: self.point(x2, top),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    /// Dark squares of a matrix (true = dark), `module` mm each, the top-left corner at (x, top); each row's runs
    /// of dark modules are one rectangle.
    pub fn matrix(&mut self, x: f32, top: f32, module: f32, width: usize, dark: &[bool]) {
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
        let coord = |i: usize| f32::from(u16::try_from(i).unwrap_or(u16::MAX));
        for (row, cells) in dark.chunks(width.max(1)).enumerate() {
            let mut col = 0;
            while col < cells.len() {
                if !cells[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < cells.len() && cells[col] {
                    col += 1;
                }
                let (rx, rtop) = (x + coord(start) * module, top + coord(row) * module);
                self.ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        mode: Some(PaintMode::Fill),
                        ..Rect::from_xywh(
                            Mm(rx).into_pt(),
                            Mm(self.height - rtop - module).into_pt(),
                            Mm(coord(col - start) * module).into_pt(),
                            Mm(module).into_pt(),
                        )
                    },
                });
            }
        }
    }

    pub fn into_page(self) -> PdfPage {
        self.into_part_page(&FontIds::part(0))
    }

    /// The page for a part of a file whose fonts are `ids`.
    pub(crate) fn into_part_page(self, ids: &FontIds) -> PdfPage {
        let mut ops = self.ops;
        ops.reserve(self.texts.len() * 3 + 2);
        ops.push(Op::StartTextSection);
        // Td moves relative to the previous line's start (the origin at the start of the text object).
        let (mut px, mut py) = (0.0f32, 0.0f32);
        let mut font: Option<(Weight, f32)> = None;
        for t in self.texts {
            if font != Some((t.weight, t.size)) {
                ops.push(Op::SetFont {
                    font: t.weight.handle(ids),
                    size: Pt(t.size),
                });
                font = Some((t.weight, t.size));
            }
            ops.push(Op::SetTextCursor {
                pos: Point {
                    x: Pt(t.x - px),
                    y: Pt(t.y - py),
                },
            });
            (px, py) = (t.x, t.y);
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(t.text)],
            });
        }
        ops.push(Op::EndTextSection);
        PdfPage::new(Mm(self.width), Mm(self.height), ops)
    }
}

/// The two entries of the trailer's /ID before they are replaced by a hash of the file.
const ID_PLACEHOLDER: &[u8; 32] = b"ENCAISSE-DOCUMENT-ID-PLACEHOLDER";

/// FNV-1a 64-bit from two offset bases, in one pass over the bytes (the two chains of multiplications overlap in
/// the processor): stable hashes (std's may change between Rust versions), enough for a document id.
fn fnv1a_twice(bytes: &[u8], bases: (u64, u64)) -> (u64, u64) {
    const PRIME: u64 = 0x0100_0000_01b3;
    bytes.iter().fold(bases, |(a, b), &byte| {
        let byte = u64::from(byte);
        ((a ^ byte).wrapping_mul(PRIME), (b ^ byte).wrapping_mul(PRIME))
    })
}

/// Compresses the streams as lopdf's `Document::compress` does, at zlib's fastest level instead of its best: a
/// batch of letters is several times faster to write, for about a fifth more bytes. Each stream is compressed on
/// its own, on `threads` threads.
fn compress(doc: &mut lopdf::Document, threads: NonZeroUsize) {
    use std::io::Write;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            lopdf::Object::Stream(stream)
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() =>
            {
                Some(stream)
            }
            _ => None,
        })
        .collect();
    let contents: Vec<&[u8]> = streams.iter().map(|s| s.content.as_slice()).collect();
    let compressed = crate::cores::map(&contents, threads, |content| {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let compressed = encoder
            .write_all(content)
            .and_then(|()| encoder.finish())
            .expect("compressing in memory does not fail");
        (compressed.len() + 19 < content.len()).then_some(compressed)
    });
    for (stream, compressed) in streams.iter_mut().zip(compressed) {
        if let Some(compressed) = compressed {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// The pages as a PDF file: fonts embedded as subsets, streams compressed, the document's date as its creation and
/// modification dates (midnight UTC; none when the document has no date, rather than printpdf's 1970-01-01) and
/// an /ID computed from the content, so the same pages give the same bytes.
pub fn save(title: &str, date: Option<NaiveDate>, pages: Vec<PdfPage>, threads: NonZeroUsize) -> Vec<u8> {
    finish(part(title, date, pages, &FontIds::part(0), threads))
}

/// The pages as a document not yet written, with their fonts (`ids`) as subsets and their streams compressed on
/// `threads` threads: a whole file, or a part of one for [`merge`].
pub(crate) fn part(
    title: &str,
    date: Option<NaiveDate>,
    pages: Vec<PdfPage>,
    ids: &FontIds,
    threads: NonZeroUsize,
) -> lopdf::Document {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "Encaisse".into();
    doc.metadata.info.producer = "Encaisse".into();
    if let Some(date) = date {
        let seconds = date.and_time(NaiveTime::MIN).and_utc().timestamp();
        let stamp =
            OffsetDateTime::from_unix_timestamp(seconds).expect("a letter's date is within 1900–2100");
        doc.metadata.info.creation_date = stamp;
        doc.metadata.info.modification_date = stamp;
        doc.metadata.info.metadata_date = stamp;
    }
    for (id, font) in [(&ids.regular, &fonts().regular), (&ids.bold, &fonts().bold)] {
        doc.resources
            .fonts
            .map
            .insert(FontId(id.clone()), PdfFont::new(font.clone()));
    }
    doc.pages = pages;
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    if date.is_none() {
        let info = lo.trailer.get(b"Info").and_then(lopdf::Object::as_reference).ok();
        if let Some(lopdf::Object::Dictionary(info)) = info.and_then(|id| lo.objects.get_mut(&id)) {
            info.remove(b"CreationDate");
            info.remove(b"ModDate");
        }
    }
    compress(&mut lo, threads);
    lo
}

/// The parts as one document, their pages in order under the first part's page tree (its catalog and
/// information kept, the others' dropped); each part keeps its own fonts.
pub(crate) fn merge(parts: Vec<lopdf::Document>) -> lopdf::Document {
    use lopdf::Object;
    let mut parts = parts.into_iter();
    let mut doc = parts.next().expect("a file has at least one part");
    let root = |d: &lopdf::Document| {
        let catalog = d.catalog().expect("printpdf writes a catalog");
        let pages = catalog.get(b"Pages").and_then(Object::as_reference);
        let info = d.trailer.get(b"Info").and_then(Object::as_reference);
        let catalog = d.trailer.get(b"Root").and_then(Object::as_reference);
        (
            catalog.expect("a catalog"),
            pages.expect("a page tree"),
            info.expect("an information dictionary"),
        )
    };
    let (_, tree, _) = root(&doc);
    let mut kids: Vec<Object> = doc.get_pages().into_values().map(Object::Reference).collect();
    for mut part in parts {
        part.renumber_objects_with(doc.max_id + 1);
        let (catalog, pages, info) = root(&part);
        for id in part.get_pages().into_values() {
            if let Ok(Object::Dictionary(page)) = part.get_object_mut(id) {
                page.set("Parent", Object::Reference(tree));
            }
            kids.push(Object::Reference(id));
        }
        for id in [catalog, pages, info] {
            part.objects.remove(&id);
        }
        doc.max_id = doc.max_id.max(part.max_id);
        doc.objects.append(&mut part.objects);
    }
    if let Ok(Object::Dictionary(tree)) = doc.get_object_mut(tree) {
        tree.set(
            "Count",
            Object::Integer(i64::try_from(kids.len()).unwrap_or(i64::MAX)),
        );
        tree.set("Kids", Object::Array(kids));
    }
    doc
}

/// The document's bytes, its /ID a hash of them.
pub(crate) fn finish(mut lo: lopdf::Document) -> Vec<u8> {
    let placeholder = || lopdf::Object::String(ID_PLACEHOLDER.to_vec(), lopdf::StringFormat::Literal);
    lo.trailer
        .set("ID", lopdf::Object::Array(vec![placeholder(), placeholder()]));
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).expect("writing to memory does not fail");
    let (first, second) = fnv1a_twice(&bytes, (0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142));
    let id = format!("{first:016X}{second:016X}");
    let mut from = bytes.len();
    for _ in 0..2 {
        let Some(at) = bytes[..from]
            .windows(ID_PLACEHOLDER.len())
            .rposition(|w| w == ID_PLACEHOLDER)
        else {
            break;
        };
        bytes[at..at + ID_PLACEHOLDER.len()].copy_from_slice(id.as_bytes());
        from = at;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_id_hashes_are_fnv1a() {
        // The FNV-1a 64-bit reference values (offset basis 0xcbf29ce484222325): "" and "a", "foobar".
        let basis = 0xcbf2_9ce4_8422_2325;
        assert_eq!(fnv1a_twice(b"", (basis, 1)), (basis, 1));
        assert_eq!(
            fnv1a_twice(b"a", (basis, basis)),
            (0xaf63_dc4c_8601_ec8c, 0xaf63_dc4c_8601_ec8c)
        );
        assert_eq!(fnv1a_twice(b"foobar", (basis, 0)).0, 0x8594_4171_f739_67e8);
    }

    #[test]
    fn widths_grow_with_text_and_size_and_bold_is_wider() {
        let a = text_width("Mise en demeure", 10.0, Weight::Regular);
        assert!(a > 20.0 && a < 40.0, "{a}");
        assert!(text_width("Mise en demeure", 20.0, Weight::Regular) > 1.99 * a);
        assert!(text_width("Mise en demeure", 10.0, Weight::Bold) > a);
        assert!(text_width("1\u{a0}234,56\u{a0}€", 10.0, Weight::Regular) > 0.0);
    }

    #[test]
    fn every_french_character_and_the_euro_sign_are_in_the_fonts() {
        let chars = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ€«»’°\u{a0}";
        for w in [Weight::Regular, Weight::Bold] {
            for c in chars.chars() {
                assert!(
                    w.font().lookup_glyph_index(u32::from(c)).is_some_and(|g| g != 0),
                    "{c:?} missing"
                );
            }
        }
    }

    #[test]
    fn wrap_keeps_lines_within_the_width_and_no_break_spaces_together() {
        let text = "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard sont exigibles de \
                    plein droit dès le lendemain de la date d'échéance, soit 1\u{a0}234,56\u{a0}€.";
        let lines = wrap(text, 10.0, Weight::Regular, 60.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(text_width(l, 10.0, Weight::Regular) <= 60.0, "{l}");
        }
        assert!(lines.iter().any(|l| l.contains("1\u{a0}234,56\u{a0}€")));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_within_the_width() {
        let name = "X".repeat(500);
        let text = format!("La société {name} reste redevable.");
        let lines = wrap(&text, 10.0, Weight::Regular, 60.0);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(text_width(l, 10.0, Weight::Regular) <= 60.0, "{l}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(lines[0], "La société");
    }
}
