//! French typography applied when text is drawn, so that every document gets it, whoever wrote its wording: the
//! space before « : ; ! ? » and inside « » made a narrow no-break space (U+202F, the "espace fine insécable"; the
//! embedded font has it, and pdftotext reads it back, where it reads a U+00A0 as a plain space: both share the
//! space's glyph), and the straight apostrophe between two letters made typographic (’).
//!
//! Only spaces already there are changed (a space is never added, so English text is left as it is), and a word
//! holding an e-mail address or a URL keeps its apostrophes. Data drawn on its own (an IBAN, an invoice number, a
//! table's cells) is not passed through here: see `Canvas::data`.

use std::borrow::Cow;

const NARROW_NBSP: char = '\u{202f}';
const APOSTROPHE: char = '\u{2019}';

/// `s` with French typography; borrowed when nothing changes.
pub(crate) fn french(s: &str) -> Cow<'_, str> {
    // Most texts drawn (amounts, dates, labels) have nothing to change: one pass to know it.
    if !s.contains([':', ';', '!', '?', '«', '»', '\'']) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let new = match c {
            ' ' | '\u{a0}' => match (prev, next) {
                (_, Some(':' | ';' | '!' | '?' | '»')) | (Some('«'), _) => NARROW_NBSP,
                _ => c,
            },
            '\'' if prev.is_some_and(char::is_alphabetic)
                && next.is_some_and(char::is_alphabetic)
                && !in_address(&chars, i) =>
            {
                APOSTROPHE
            }
            _ => c,
        };
        changed |= new != c;
        out.push(new);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether the word around `chars[i]` is an e-mail address or a URL (kept exactly as typed).
fn in_address(chars: &[char], i: usize) -> bool {
    let start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let end = chars[i..]
        .iter()
        .position(|c| c.is_whitespace())
        .map_or(chars.len(), |p| i + p);
    let word: String = chars[start..end].iter().collect();
    word.contains('@') || word.contains("://") || word.to_ascii_lowercase().starts_with("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_before_double_punctuation_and_inside_guillemets_do_not_break() {
        assert_eq!(
            french("Objet : relance ; merci ! Payé ? « oui »"),
            "Objet\u{202f}: relance\u{202f}; merci\u{202f}! Payé\u{202f}? «\u{202f}oui\u{202f}»"
        );
        assert_eq!(
            french("l'article L441-10 d'un client"),
            "l’article L441-10 d’un client"
        );
    }

    #[test]
    fn english_text_data_and_addresses_are_left_alone() {
        for s in [
            "Customer reference: C00012",
            "https://pay.example.com/?id=1:2",
            "Write to o'brien@example.com",
            "IBAN FR76 3000 6000 0112 3456 7890 189",
            "1\u{a0}234,56\u{a0}€",
            "12:30",
            "C'12",
        ] {
            assert_eq!(french(s), s);
            assert!(matches!(french(s), Cow::Borrowed(_)) || s.contains('\''));
        }
        assert_eq!(
            french("Payer en ligne : https://x.fr/a'b"),
            "Payer en ligne\u{202f}: https://x.fr/a'b"
        );
        // Applying it twice changes nothing more.
        let once = french("Objet : l'échéance ?").into_owned();
        assert_eq!(french(&once), once);
    }
}
