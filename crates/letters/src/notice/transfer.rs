//! The SEPA credit transfer the notice asks for: the IBAN as printed, and the QR code a banking app scans
//! (EPC069-12).

use super::BankDetails;
use encaisse_domain::format::format_amount;
use rust_decimal::Decimal;

/// An IBAN or a creditor reference in groups of four, as printed: FR76 3000 6000 0112 3456 7890 189.
pub(crate) fn in_fours(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the transfer carries to identify the payment (EPC069-12 allows one of the two, never both): a structured
/// creditor reference (ISO 11649 "RF…", which the creditor's bank returns as such and Encaisse's bank matching
/// reads), or a free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remittance {
    /// An ISO 11649 creditor reference, compact ("RF18539007547034"); its check digits are the caller's
    /// (`encaisse_bank::rf`).
    Structured(String),
    /// Unstructured remittance information, at most 140 characters.
    Text(String),
}

/// Whether a text has the shape of a compact ISO 11649 reference: "RF", two digits, 1 to 21 letters or digits.
fn rf_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    (5..=25).contains(&b.len())
        && s.starts_with("RF")
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4..].iter().all(u8::is_ascii_alphanumeric)
}

/// The EPC069-12 ("SEPA credit transfer", version 002) payload a banking app reads from the QR code: service tag,
/// version, UTF-8, SCT, BIC, beneficiary, IBAN, amount, no purpose, then either the structured creditor reference
/// (element 10, the payload ending there) or the remittance text (element 11, element 10 empty). None when the
/// amount is outside 0.01–999,999,999.99, or the IBAN is missing or invalid, or the BIC invalid (ISO 13616 / ISO
/// 9362: a wrong account never reaches a banking app; the app refuses such settings before a letter is drawn), or a
/// structured reference is not shaped as one.
pub fn epc_payload(bank: &BankDetails, amount: Decimal, remittance: &Remittance) -> Option<String> {
    let iban = encaisse_domain::bank::check_iban(&bank.iban).ok()?;
    let max = Decimal::new(99_999_999_999, 2);
    if amount < Decimal::new(1, 2) || amount > max {
        return None;
    }
    let bic = match bank.bic.as_deref().filter(|b| !b.trim().is_empty()) {
        Some(b) => encaisse_domain::bank::check_bic(b).ok()?,
        None => String::new(),
    };
    let name: String = bank.holder.chars().take(70).collect();
    let head = format!(
        "BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\nEUR{}\n",
        format_amount(amount)
    );
    match remittance {
        Remittance::Structured(rf) if rf_shaped(rf) => Some(format!("{head}\n{rf}")),
        Remittance::Structured(_) => None,
        Remittance::Text(text) => {
            let text: String = text.chars().take(140).collect();
            Some(format!("{head}\n\n{text}"))
        }
    }
}

/// The QR code's modules (true = dark) and its width, at error correction level M as EPC069-12 requires: the
/// `qrcode` crate's code, its mask chosen faster (`qr_mask`).
pub fn qr_matrix(payload: &str) -> Option<(usize, Vec<bool>)> {
    super::qr_mask::encode(payload.as_bytes(), qrcode::EcLevel::M)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn bank() -> BankDetails {
        BankDetails {
            holder: "Atelier Rhône Équipement".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: Some("AGRIFRPP".into()),
        }
    }

    #[test]
    fn epc_payload_has_the_twelve_lines_of_version_002() {
        let text = |s: &str| Remittance::Text(s.into());
        let p = epc_payload(&bank(), dec!(1234.5), &text("MED C00012 20261126")).unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement\nFR7630006000011234567890189\nEUR1234.50\n\n\nMED C00012 20261126"
        );
        assert_eq!(p.lines().count(), 11);
        assert!(epc_payload(&bank(), dec!(0), &text("x")).is_none());
        assert!(epc_payload(&bank(), dec!(1000000000), &text("x")).is_none());
        let (width, dark) = qr_matrix(&p).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21 && (width - 17) % 4 == 0);
    }

    #[test]
    fn a_creditor_reference_goes_in_the_structured_field_and_the_text_stays_empty() {
        // The ISO 11649 example reference.
        let rf = Remittance::Structured("RF18539007547034".into());
        let p = epc_payload(&bank(), dec!(1234.5), &rf).unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement\nFR7630006000011234567890189\nEUR1234.50\n\nRF18539007547034"
        );
        let lines: Vec<&str> = p.split('\n').collect();
        // Element 9 (purpose) empty, element 10 the reference, no element 11: one of the two, never both.
        assert_eq!(lines.len(), 10);
        assert_eq!((lines[8], lines[9]), ("", "RF18539007547034"));
        // Not shaped as a creditor reference (spaces, lower case, too long, no check digits): no QR code.
        for bad in [
            "RF18 5390",
            "rf18539007547034",
            "RF18539007547034123456789012",
            "RFAB12",
            "RF18",
        ] {
            assert!(
                epc_payload(&bank(), dec!(10), &Remittance::Structured(bad.into())).is_none(),
                "{bad}"
            );
        }
        assert!(qr_matrix(&p).is_some());
    }

    #[test]
    fn no_payload_for_invalid_bank_details() {
        let x = || Remittance::Text("x".into());
        let short = BankDetails {
            iban: "FR76 1234 5678".into(),
            ..bank()
        };
        assert!(epc_payload(&short, dec!(10), &x()).is_none());
        let bad_bic = BankDetails {
            bic: Some("XX".into()),
            ..bank()
        };
        assert!(epc_payload(&bad_bic, dec!(10), &x()).is_none());
        let no_bic = BankDetails { bic: None, ..bank() };
        assert!(epc_payload(&no_bic, dec!(10), &x())
            .unwrap()
            .contains("SCT\n\nAtelier"));
    }

    #[test]
    fn iban_in_groups_of_four() {
        assert_eq!(
            in_fours("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
