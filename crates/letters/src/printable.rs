//! What a letter can print, checked before it is drawn: the embedded Liberation Sans covers Latin (with its
//! extensions), Greek and Cyrillic, drawn left to right one glyph after the other. A text in a script written right
//! to left (Arabic, Hebrew…) would come out reversed, unjoined or as boxes, and a character the fonts lack (CJK,
//! emoji…) would vanish: such a text is refused with the field it is in, never printed wrong.

use crate::batch::Letter;
use crate::notice::Notice;
use crate::pdf;
use crate::reminder::Reminder;
use crate::Party;
use unicode_bidi::BidiClass;

/// A text a letter cannot print: the field it is in, the first character that cannot be printed and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprintable {
    /// "name", "address line 2", "signatory", "invoice FA-12"…
    pub field: String,
    pub character: char,
    /// The script written right to left the character belongs to ("Arabic", "Hebrew"…); None for a character no
    /// embedded font has.
    pub right_to_left: Option<&'static str>,
}

impl std::fmt::Display for Unprintable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = self.character;
        let code = u32::from(c);
        match self.right_to_left {
            Some(script) => write!(
                f,
                "{}: {script} script is not supported in letters (“{c}”, U+{code:04X}: text written right to left \
                 cannot be laid out yet); write this field in Latin letters",
                self.field
            ),
            None => write!(
                f,
                "{}: the character “{c}” (U+{code:04X}) is not supported in letters (the letters' font has Latin, \
                 Greek and Cyrillic letters only); write this field without it",
                self.field
            ),
        }
    }
}

impl std::error::Error for Unprintable {}

/// The right-to-left script of `c`, by its block; None when `c` is written left to right.
fn right_to_left(c: char) -> Option<&'static str> {
    if !matches!(
        unicode_bidi::bidi_class(c),
        BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
    ) {
        return None;
    }
    Some(match u32::from(c) {
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => "Hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "Arabic",
        0x0700..=0x074F => "Syriac",
        0x0780..=0x07BF => "Thaana",
        0x07C0..=0x07FF => "N'Ko",
        _ => "A right-to-left",
    })
}

/// Checks one field's text: Ok when every character can be printed as it is written (line breaks and tabs are
/// layout, not characters).
pub fn check_text(field: &str, text: &str) -> Result<(), Unprintable> {
    for c in text.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            continue;
        }
        let rtl = right_to_left(c);
        if rtl.is_some() || !pdf::has_glyph(c) {
            return Err(Unprintable {
                field: field.to_string(),
                character: c,
                right_to_left: rtl,
            });
        }
    }
    Ok(())
}

fn check_party(party: &Party, who: &str) -> Result<(), Unprintable> {
    check_text(&format!("{who}name"), &party.name)?;
    for (i, line) in party.address.iter().enumerate() {
        check_text(&format!("{who}address line {}", i + 1), line)?;
    }
    if let Some(legal) = &party.legal {
        for (field, value) in [("legal form", &legal.form), ("RCS city", &legal.rcs_city)] {
            check_text(&format!("{who}{field}"), value.as_deref().unwrap_or(""))?;
        }
    }
    Ok(())
}

impl Notice {
    /// Ok when every text of the notice can be printed; else the first field that cannot, the recipient's first
    /// ("name", "address line 2"), then the company's ("company name"…), the signatory, the place, the bank and
    /// the invoices.
    pub fn check_printable(&self) -> Result<(), Unprintable> {
        check_party(&self.recipient, "")?;
        check_text("customer reference", &self.customer_ref)?;
        check_party(&self.sender, "company ")?;
        check_text("signatory", &self.signatory.name)?;
        check_text("signatory title", &self.signatory.title)?;
        check_text("place", &self.place)?;
        if let Some(bank) = &self.bank {
            check_text("account holder", &bank.holder)?;
        }
        check_text("text before the invoices", self.intro.as_deref().unwrap_or(""))?;
        for line in &self.claim.invoices {
            check_text(&format!("invoice {}", line.invoice.number), &line.invoice.number)?;
        }
        Ok(())
    }
}

impl Reminder {
    /// Ok when every text of the letter can be printed; else the first field that cannot (see
    /// [`Notice::check_printable`]), the subject, the texts before and after the invoices, then the invoices.
    pub fn check_printable(&self) -> Result<(), Unprintable> {
        check_party(&self.recipient, "")?;
        check_text("customer reference", &self.customer_ref)?;
        check_party(&self.sender, "company ")?;
        check_text("place", &self.place)?;
        check_text("subject", &self.subject)?;
        check_text("text before the invoices", &self.before)?;
        check_text("text after the invoices", &self.after)?;
        for inv in &self.invoices {
            check_text(&format!("invoice {}", inv.number), &inv.number)?;
        }
        Ok(())
    }
}

impl Letter {
    /// See [`Notice::check_printable`] and [`Reminder::check_printable`].
    pub fn check_printable(&self) -> Result<(), Unprintable> {
        match self {
            Letter::Notice(n) => n.check_printable(),
            Letter::Reminder(r) => r.check_printable(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_and_cyrillic_print_and_right_to_left_or_missing_characters_do_not() {
        for ok in [
            "Łódź Świętokrzyska — Ærøskøbing, Dvořák, Şişli, Nguyễn",
            "Ελληνική Εταιρεία ΑΕ",
            "ООО «Ромашка» — Иванов Пётр",
            "Objet\u{a0}: l’échéance\u{202f}; 1\u{a0}234,56\u{a0}€\nligne 2",
        ] {
            assert_eq!(check_text("name", ok), Ok(()), "{ok}");
        }
        let arabic = check_text("name", "شركة الأمل").unwrap_err();
        assert_eq!(arabic.right_to_left, Some("Arabic"));
        assert!(
            arabic
                .to_string()
                .starts_with("name: Arabic script is not supported in letters"),
            "{arabic}"
        );
        assert_eq!(
            check_text("name", "חברה בע\"מ").unwrap_err().right_to_left,
            Some("Hebrew")
        );
        for (text, c) in [("東京商事", '東'), ("Café ☕ Lyon", '☕'), ("Fleurs 🌸", '🌸')] {
            let e = check_text("address line 1", text).unwrap_err();
            assert_eq!((e.character, e.right_to_left), (c, None), "{text}");
            assert!(e.to_string().starts_with("address line 1: the character"), "{e}");
        }
    }
}
