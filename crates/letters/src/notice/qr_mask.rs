//! The QR code of a transfer, built with the `qrcode` crate's own encoding, error correction, canvas and masks,
//! choosing the mask with the crate's penalty rule scored a whole row or column at a time (a line of modules as the
//! bits of one integer).
//!
//! Why not `QrCode::with_error_correction_level` alone: its mask choice scores each of the eight masked canvases
//! through a boxed closure per module and pattern position, which took about a quarter of a formal notice's
//! time (`perf record` over `encaisse-bench letters 1000 --threads 1`). The scores here are the crate's, term for
//! term (runs of five or more, 2×2 blocks, finder-like patterns, the dark ratio), and the first mask of lowest
//! score wins as in the crate, so the modules are the crate's to the last one: the tests compare both on random
//! payloads.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel};

/// The masks in the crate's order (its `ALL_PATTERNS_QR`): on equal scores the first wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The QR code's width and modules (row by row, true = dark) for these bytes at this error correction level, as
/// `qrcode::QrCode::with_error_correction_level` draws them. None when the bytes do not fit a QR code.
pub(crate) fn encode(data: &[u8], level: EcLevel) -> Option<(usize, Vec<bool>)> {
    let bits = bits::encode_auto(data, level).ok()?;
    let version = bits.version();
    let width: usize = version.width().try_into().ok()?;
    if width > Line::BITS as usize {
        // Version 28 and up (more than about 1,000 bytes; a transfer's payload is at most 331): the crate's own.
        let code = qrcode::QrCode::with_error_correction_level(data, level).ok()?;
        return Some((
            width,
            code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
        ));
    }
    let (data, ec) = ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark: Vec<bool> = masked
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let grid = Grid::new(width, &dark);
        if let Some(score) = grid.penalty(best.as_ref().map(|(lowest, _)| *lowest)) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| (width, dark))
}

/// A row or a column of modules, bit x the module x (1 = dark): the QR codes up to version 27 (129 modules wide
/// would not fit).
type Line = u128;

/// The bits 0 to n − 1.
fn low_bits(n: usize) -> Line {
    if n >= Line::BITS as usize {
        Line::MAX
    } else {
        (1 << n) - 1
    }
}

/// A masked code as bits, by rows and by columns, each penalty term counted a whole line at a time.
struct Grid {
    width: usize,
    rows: Vec<Line>,
    columns: Vec<Line>,
}

impl Grid {
    fn new(width: usize, dark: &[bool]) -> Grid {
        let mut rows = vec![0; width];
        let mut columns = vec![0; width];
        for (y, row) in dark.chunks_exact(width).enumerate() {
            for (x, _) in row.iter().enumerate().filter(|(_, d)| **d) {
                rows[y] |= 1 << x;
                columns[x] |= 1 << y;
            }
        }
        Grid { width, rows, columns }
    }

    /// The crate's total penalty (`compute_total_penalty_scores`); None as soon as it cannot be below `lowest`
    /// (the finder term, less the finder patterns' own 720, is never negative).
    fn penalty(&self, lowest: Option<u32>) -> Option<u32> {
        let partial = runs(self.width, &self.rows)
            + runs(self.width, &self.columns)
            + blocks(self.width, &self.rows)
            + balance(self.width, &self.rows);
        if lowest.is_some_and(|lowest| partial >= lowest) {
            return None;
        }
        let score = partial + finders(self.width, &self.rows) + finders(self.width, &self.columns) - 2 * 360;
        lowest.is_none_or(|lowest| score < lowest).then_some(score)
    }
}

/// Each run of five or more modules of one color along a line scores its length less two. A run of L modules is
/// a stretch of L − 1 bits in "same as the next" (`same`), and a stretch of n ≥ 4 such bits is n − 3 bits of
/// `four` (four in a row) and one start: L − 2 = (n − 3) + 2.
fn runs(width: usize, lines: &[Line]) -> u32 {
    lines
        .iter()
        .map(|&line| {
            let same = !(line ^ (line >> 1)) & low_bits(width - 1);
            let four = same & (same >> 1) & (same >> 2) & (same >> 3);
            four.count_ones() + 2 * (four & !(four << 1)).count_ones()
        })
        .sum()
}

/// Each 2×2 block of one color scores 3 (blocks overlap).
fn blocks(width: usize, rows: &[Line]) -> u32 {
    rows.windows(2)
        .map(|pair| {
            let (top, bottom) = (pair[0], pair[1]);
            let block =
                !(top ^ (top >> 1)) & !(bottom ^ (bottom >> 1)) & !(top ^ bottom) & low_bits(width - 1);
            3 * block.count_ones()
        })
        .sum()
}

/// Each dark-light-dark-dark-dark-light-dark pattern along a line without a dark module among the four before it
/// or among the four after it (the edge counting as light) scores 40; the crate counts the three finder patterns
/// too and takes their 360 a direction off the total.
fn finders(width: usize, lines: &[Line]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    lines
        .iter()
        .map(|&line| {
            let starts = PATTERN
                .iter()
                .enumerate()
                .fold(low_bits(width.saturating_sub(6)), |at, (k, dark)| {
                    at & if *dark { line >> k } else { !(line >> k) }
                });
            let dark_before = (line << 1) | (line << 2) | (line << 3) | (line << 4);
            let dark_after = (line >> 7) | (line >> 8) | (line >> 9) | (line >> 10);
            40 * (starts & !(dark_before & dark_after)).count_ones()
        })
        .sum()
}

/// The distance of the dark share from one half, in half-percents as the crate counts it.
fn balance(width: usize, rows: &[Line]) -> u32 {
    let dark: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    (dark * 200 / (width * width)).abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn the_crates(data: &[u8], level: EcLevel) -> Option<(usize, Vec<bool>)> {
        let code = qrcode::QrCode::with_error_correction_level(data, level).ok()?;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Some((code.width(), dark))
    }

    #[test]
    fn a_transfer_payload_gets_the_crates_modules() {
        let payload = "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement\nFR7630006000011234567890189\nEUR1234.50\n\n\nMED C00012 20261126";
        let ours = encode(payload.as_bytes(), EcLevel::M).unwrap();
        assert_eq!(ours, the_crates(payload.as_bytes(), EcLevel::M).unwrap());
        assert_eq!(ours.1.len(), ours.0 * ours.0);
    }

    #[test]
    fn too_long_is_none_as_in_the_crate() {
        let data = vec![b'x'; 3000];
        assert!(encode(&data, EcLevel::M).is_none());
        assert!(the_crates(&data, EcLevel::M).is_none());
    }

    #[test]
    fn codes_wider_than_a_line_are_the_crates_too() {
        // 1,600 bytes at level L: version 28 or more, wider than 128 modules.
        let data: Vec<u8> = (0..1600u32).map(|i| (i * 7 % 251) as u8).collect();
        let ours = encode(&data, EcLevel::L).unwrap();
        assert!(ours.0 > 128, "{}", ours.0);
        assert_eq!(Some(ours), the_crates(&data, EcLevel::L));
        // The widest codes scored here (over 100 modules: the random payloads stop about there).
        for len in [1000, 1150, 1250] {
            let data = &data[..len];
            let ours = encode(data, EcLevel::L).unwrap();
            assert!((101..=128).contains(&ours.0), "{len}: {}", ours.0);
            assert_eq!(Some(ours), the_crates(data, EcLevel::L), "{len}");
        }
    }

    fn grid(width: usize, dark: &[bool]) -> Grid {
        Grid::new(width, dark)
    }

    #[test]
    fn the_penalty_counts_the_crates_terms() {
        // A 21×21 grid all light: 21 runs of 21 per direction (19 each), 400 blocks of 3, no finder pattern and a
        // dark share of 0 (100).
        let light = grid(21, &[false; 21 * 21]);
        assert_eq!(runs(21, &light.rows), 21 * 19);
        assert_eq!(runs(21, &light.columns), 21 * 19);
        assert_eq!(blocks(21, &light.rows), 400 * 3);
        assert_eq!(finders(21, &light.rows), 0);
        assert_eq!(balance(21, &light.rows), 100);
        // One finder-like row in the middle of light: 40 (light on both sides).
        let mut dark = vec![false; 21 * 21];
        for (k, d) in [true, false, true, true, true, false, true]
            .into_iter()
            .enumerate()
        {
            dark[10 * 21 + 7 + k] = d;
        }
        let g = grid(21, &dark);
        assert_eq!(finders(21, &g.rows), 40);
        assert_eq!(finders(21, &g.columns), 0);
        // Runs on that row: 7 light, the pattern's short runs, 7 light: 7 − 2 twice.
        assert_eq!(runs(21, &g.rows[10..11]), 5 + 5);
        // The same pattern at the left edge (the edge is light): still 40; a dark module among the four after it:
        // still 40 (light before); dark on both sides: none.
        let mut edge = vec![false; 21 * 21];
        for (k, d) in [true, false, true, true, true, false, true]
            .into_iter()
            .enumerate()
        {
            edge[k] = d;
        }
        edge[9] = true;
        assert_eq!(finders(21, &grid(21, &edge).rows), 40);
        dark[10 * 21 + 4] = true;
        dark[10 * 21 + 16] = true;
        assert_eq!(finders(21, &grid(21, &dark).rows), 0);
        // A checkerboard: no run, no block, a dark share of one half (221 of 441: 100 − 100).
        let board: Vec<bool> = (0..21 * 21).map(|i| (i / 21 + i % 21) % 2 == 0).collect();
        let b = grid(21, &board);
        assert_eq!(
            (runs(21, &b.rows), blocks(21, &b.rows), balance(21, &b.rows)),
            (0, 0, 0)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn random_payloads_get_the_crates_modules(
            data in prop::collection::vec(any::<u8>(), 0..400),
            level in prop::sample::select(vec![EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H]),
        ) {
            prop_assert_eq!(encode(&data, level), the_crates(&data, level));
        }

        #[test]
        fn random_texts_get_the_crates_modules(text in "[A-Z0-9 $%*+./:-]{0,300}|[0-9]{0,600}|\\PC{0,120}") {
            prop_assert_eq!(encode(text.as_bytes(), EcLevel::M), the_crates(text.as_bytes(), EcLevel::M));
        }
    }
}
