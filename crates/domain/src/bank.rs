//! The company's bank details as letters and emails print them (and the QR code of a transfer carries them):
//! an IBAN checked by ISO 13616 (the country's length and BBAN format, the mod-97 check digits, through the
//! `iban_validate` crate) and a BIC of ISO 9362 form. Both are normalised: no spaces, upper case.

use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};

/// The IBAN without spaces, upper case, or why it is not one (a sentence naming the value).
pub fn check_iban(value: &str) -> Result<String, String> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let why = match compact.parse::<Iban>() {
        Ok(iban) => return Ok(iban.electronic_str().to_string()),
        Err(ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        }) => "its check digits are wrong (ISO 13616 mod 97): a character was mistyped".to_string(),
        Err(ParseIbanError::UnknownCountry(_)) => format!(
            "'{}' is not a country that uses IBANs",
            compact.chars().take(2).collect::<String>()
        ),
        Err(ParseIbanError::InvalidBban(_)) => {
            "it does not have the length and form of its country's IBANs (ISO 13616)".to_string()
        }
        Err(ParseIbanError::InvalidBaseIban { .. }) => {
            "an IBAN is two letters of a country, two check digits and the account (up to 30 letters or digits) of the country's length".to_string()
        }
    };
    Err(format!("'{}' is not a valid IBAN: {why}", value.trim()))
}

/// The BIC without spaces, upper case, or why it is not one: ISO 9362, four letters (the bank), two letters (the
/// country), two letters or digits (the location), and optionally three letters or digits (the branch).
pub fn check_bic(value: &str) -> Result<String, String> {
    let bic: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let b = bic.as_bytes();
    let alnum = |s: &[u8]| s.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let ok = (b.len() == 8 || b.len() == 11) && b[..6].iter().all(u8::is_ascii_uppercase) && alnum(&b[6..]);
    if ok {
        Ok(bic)
    } else {
        Err(format!(
            "'{}' is not a valid BIC (ISO 9362: 8 or 11 characters, 4 letters for the bank, 2 for the country, 2 letters or digits for the location, optionally 3 for the branch)",
            value.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_country() {
        // French, German and Belgian IBANs, electronic or printed.
        assert_eq!(
            check_iban("FR76 3000 6000 0112 3456 7890 189").unwrap(),
            "FR7630006000011234567890189"
        );
        assert_eq!(
            check_iban("de44500105175407324931").unwrap(),
            "DE44500105175407324931"
        );
        assert_eq!(check_iban("BE68539007547034").unwrap(), "BE68539007547034");
        // The case: far too short for France.
        assert!(check_iban("FR76 1234 5678")
            .unwrap_err()
            .contains("'FR76 1234 5678' is not a valid IBAN"));
        // One digit changed: the mod-97 check fails.
        assert!(check_iban("FR76 3000 6000 0112 3456 7890 188")
            .unwrap_err()
            .contains("check digits"));
        // A valid mod 97 but the length of another country (a Belgian BBAN under FR).
        let err = check_iban("FR68539007547034").unwrap_err();
        assert!(err.contains("not a valid IBAN"), "{err}");
        assert!(check_iban("XX00 1234").is_err());
        assert!(check_iban("").is_err());
        assert!(check_iban("FR76-3000-6000").is_err());
    }

    #[test]
    fn bics_follow_iso_9362() {
        assert_eq!(check_bic("AGRIFRPP").unwrap(), "AGRIFRPP");
        assert_eq!(check_bic("bnpafrppxxx").unwrap(), "BNPAFRPPXXX");
        assert_eq!(check_bic("DEUTDEFF500").unwrap(), "DEUTDEFF500");
        for bad in [
            "XX",
            "AGRIFRP",
            "AGRIFRPPX",
            "AGR1FRPP",
            "AGRIF1PP",
            "AGRIFRPP-XX",
            "ÉGRIFRPP",
            "",
        ] {
            let err = check_bic(bad).unwrap_err();
            assert!(err.contains("is not a valid BIC"), "{bad}: {err}");
        }
    }
}
