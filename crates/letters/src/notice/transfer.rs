//! The SEPA credit transfer the notice asks for: the IBAN as printed, and the QR code a banking app scans
//! (EPC069-12).

use super::BankDetails;
use encaisse_domain::format::format_amount;
use rust_decimal::Decimal;

/// The IBAN in groups of four: FR76 3000 6000 0112 3456 7890 189.
pub(crate) fn iban_fr(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The EPC069-12 ("SEPA credit transfer", version 002) payload a banking app reads from the QR code: service tag,
/// version, UTF-8, SCT, BIC, beneficiary, IBAN, amount, no purpose, no structured reference, the reference as
/// remittance text. None when the amount is outside 0.01–999,999,999.99, or the IBAN is missing or invalid, or
/// the BIC invalid (ISO 13616 / ISO 9362: a wrong account never reaches a banking app; the app refuses such
/// settings before a letter is drawn).
pub fn epc_payload(bank: &BankDetails, amount: Decimal, reference: &str) -> Option<String> {
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
    let text: String = reference.chars().take(140).collect();
    Some(format!(
        "BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\nEUR{}\n\n\n{text}",
        format_amount(amount)
    ))
}

/// The QR code's modules (true = dark) and its width, at error correction level M as EPC069-12 requires.
pub fn qr_matrix(payload: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
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
        let p = epc_payload(&bank(), dec!(1234.5), "MED C00012 20261126").unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement\nFR7630006000011234567890189\nEUR1234.50\n\n\nMED C00012 20261126"
        );
        assert_eq!(p.lines().count(), 11);
        assert!(epc_payload(&bank(), dec!(0), "x").is_none());
        assert!(epc_payload(&bank(), dec!(1000000000), "x").is_none());
        let (width, dark) = qr_matrix(&p).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21 && (width - 17) % 4 == 0);
    }

    #[test]
    fn no_payload_for_invalid_bank_details() {
        let short = BankDetails {
            iban: "FR76 1234 5678".into(),
            ..bank()
        };
        assert!(epc_payload(&short, dec!(10), "x").is_none());
        let bad_bic = BankDetails {
            bic: Some("XX".into()),
            ..bank()
        };
        assert!(epc_payload(&bad_bic, dec!(10), "x").is_none());
        let no_bic = BankDetails { bic: None, ..bank() };
        assert!(epc_payload(&no_bic, dec!(10), "x")
            .unwrap()
            .contains("SCT\n\nAtelier"));
    }

    #[test]
    fn iban_in_groups_of_four() {
        assert_eq!(
            iban_fr("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
