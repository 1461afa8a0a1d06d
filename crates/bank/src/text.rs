//! Text helpers shared by the readers and the matching: spaces, accents, names, tokens.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Trimmed, runs of whitespace as one space.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Upper case without accents, every run of characters other than letters and digits as one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_uppercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Upper-case letters and digits only: how invoice numbers and references are compared ("f2026-00123",
/// "F 2026 00123" and "F2026/00123" are one).
pub fn compact(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Words that say a company's legal form or nothing about who it is.
const NOISE: &[&str] = &[
    "SA",
    "SAS",
    "SASU",
    "SARL",
    "EURL",
    "SCI",
    "SNC",
    "SCOP",
    "SCA",
    "SELARL",
    "STE",
    "SOC",
    "SOCIETE",
    "ETS",
    "ETABLISSEMENTS",
    "CIE",
    "ET",
    "DE",
    "DU",
    "DES",
    "LA",
    "LE",
    "LES",
    "L",
    "D",
    "GROUPE",
    "LTD",
    "GMBH",
    "INC",
    "MR",
    "MME",
    "M",
    "MLLE",
];

/// A name as compared: folded, legal forms and small words dropped ("Sté Dupont & Fils SARL" → "DUPONT FILS").
pub fn normalise_name(s: &str) -> String {
    name_tokens(s).join(" ")
}

/// The significant words of a name ([`normalise_name`]'s words).
pub fn name_tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_accents_and_legal_forms() {
        assert_eq!(normalise_name("Sté Dupont & Fils SARL"), "DUPONT FILS");
        assert_eq!(
            normalise_name("  ÉLECTRICITÉ   générale  "),
            "ELECTRICITE GENERALE"
        );
        assert_eq!(compact("f2026-00123"), "F202600123");
        assert_eq!(collapse_spaces(" a  b\tc "), "a b c");
    }
}
