//! The QR code of a transfer, built with the `qrcode` crate's own encoding, error correction, canvas and masks,
//! choosing the mask with the crate's penalty rule scored over a plain grid of booleans.
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
    let width = version.width().try_into().ok()?;
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
        if let Some(score) = penalty(width, &dark, best.as_ref().map(|(lowest, _)| *lowest)) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| (width, dark))
}

/// The crate's total penalty of a masked normal QR code (`compute_total_penalty_scores`), `dark` row by row; None
/// as soon as it cannot be below `lowest` (the finder term, less the finder patterns' own 720, is never negative).
fn penalty(width: usize, dark: &[bool], lowest: Option<u32>) -> Option<u32> {
    let mut columns = vec![false; dark.len()];
    for (y, row) in dark.chunks_exact(width).enumerate() {
        for (x, d) in row.iter().enumerate() {
            columns[x * width + y] = *d;
        }
    }
    let partial = runs(width, dark) + runs(width, &columns) + blocks(width, dark) + balance(dark);
    if lowest.is_some_and(|lowest| partial >= lowest) {
        return None;
    }
    let score = partial + finders(width, dark) + finders(width, &columns) - 2 * 360;
    lowest.is_none_or(|lowest| score < lowest).then_some(score)
}

/// Each run of five or more modules of one color along a line scores its length less two.
fn runs(width: usize, lines: &[bool]) -> u32 {
    lines
        .chunks_exact(width)
        .flat_map(|line| line.chunk_by(|a, b| a == b))
        .filter(|run| run.len() >= 5)
        .map(|run| run.len() as u32 - 2)
        .sum()
}

/// Each 2×2 block of one color scores 3 (blocks overlap).
fn blocks(width: usize, rows: &[bool]) -> u32 {
    let mut score = 0;
    for (top, bottom) in rows.chunks_exact(width).zip(rows.chunks_exact(width).skip(1)) {
        for (t, b) in top.windows(2).zip(bottom.windows(2)) {
            if t[0] == t[1] && b[0] == t[0] && b[1] == t[0] {
                score += 3;
            }
        }
    }
    score
}

/// Each dark-light-dark-dark-dark-light-dark pattern along a line without a dark module among the four before it
/// or among the four after it (the edge counting as light) scores 40; the crate counts the three finder patterns
/// too and takes their 360 a direction off the total.
fn finders(width: usize, lines: &[bool]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0;
    for line in lines.chunks_exact(width) {
        for (start, window) in line.windows(7).enumerate() {
            if window != PATTERN {
                continue;
            }
            let dark_before = line[start.saturating_sub(4)..start].contains(&true);
            let dark_after = line[start + 7..(start + 11).min(width)].contains(&true);
            if !dark_before || !dark_after {
                score += 40;
            }
        }
    }
    score
}

/// The distance of the dark share from one half, in half-percents as the crate counts it.
fn balance(dark: &[bool]) -> u32 {
    let ratio = dark.iter().filter(|d| **d).count() * 200 / dark.len();
    ratio.abs_diff(100) as u32
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
    fn the_penalty_counts_the_crates_terms() {
        // A 21×21 grid all light: 21 runs of 21 per direction (19 each), 400 blocks of 3, no finder pattern
        // (the crate's 360 per direction taken off: negative, so none is asked of a grid without finders) and
        // a dark share of 0 (100).
        let light = vec![false; 21 * 21];
        assert_eq!(runs(21, &light), 21 * 19);
        assert_eq!(blocks(21, &light), 400 * 3);
        assert_eq!(finders(21, &light), 0);
        assert_eq!(balance(&light), 100);
        // One finder-like row in the middle of light: 40 (light on both sides).
        let mut grid = vec![false; 21 * 21];
        for (k, d) in [true, false, true, true, true, false, true]
            .into_iter()
            .enumerate()
        {
            grid[10 * 21 + 7 + k] = d;
        }
        assert_eq!(finders(21, &grid), 40);
        // Runs on that row: 7 light, the pattern's short runs, 7 light: 7 − 2 twice.
        assert_eq!(runs(21, &grid[10 * 21..11 * 21]), 5 + 5);
        // Dark modules among the four on each side: no longer counted.
        grid[10 * 21 + 4] = true;
        grid[10 * 21 + 16] = true;
        assert_eq!(finders(21, &grid), 0);
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
