//! The four real FEC files of shared/samples/fec, with their quirks, are read whole.

use encaisse_import::fec::{read_fec, AmountColumns, Encoding, FecOptions};
use std::path::PathBuf;

pub fn sample(name: &str) -> (String, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_string(), bytes)
}

#[test]
fn utf8_bom_tab_lf_18_columns() {
    let (name, bytes) = sample("0000000001FEC20220831.txt");
    let book = read_fec(&name, &bytes, &FecOptions::default()).unwrap();
    assert_eq!(book.detected.encoding, Encoding::Utf8Bom);
    assert_eq!(book.detected.separator, '\t');
    assert_eq!(book.detected.columns, 18);
    assert_eq!(book.detected.line_ending, "LF");
    assert_eq!(book.records, 5_422);
    assert_eq!(book.lines.len(), 538);
    assert_eq!(book.customers.len(), 17);
    assert_eq!(book.lines.iter().filter(|l| l.letter.is_some()).count(), 528);
    assert!(book.lines.iter().all(|l| l.letter_date.is_none()));
}

#[test]
fn cash_basis_22_columns() {
    let (name, bytes) = sample("000000000FEC20231231.txt");
    let book = read_fec(&name, &bytes, &FecOptions::default()).unwrap();
    assert_eq!(book.detected.columns, 22);
    assert_eq!(book.detected.encoding, Encoding::Utf8);
    assert_eq!(book.records, 2_102);
    assert_eq!(book.lines.len(), 153);
    assert_eq!(book.customers.len(), 4);
    assert!(book.lines.iter().all(|l| l.letter.is_none()));
}

#[test]
fn pipe_trailing_separator_legacy_encoding_padded_fields() {
    let (name, bytes) = sample("111111111FEC20221231.TXT");
    let book = read_fec(&name, &bytes, &FecOptions::default()).unwrap();
    assert_eq!(book.detected.separator, '|');
    assert!(matches!(
        book.detected.encoding,
        Encoding::Iso885915 | Encoding::Windows1252
    ));
    assert_eq!(book.detected.columns, 18);
    assert_eq!(book.detected.amounts, AmountColumns::DebitCredit);
    assert_eq!(book.records, 934);
    assert_eq!(book.lines.len(), 151);
    assert_eq!(book.customers.len(), 34);
    assert_eq!(book.lines.iter().filter(|l| l.letter.is_some()).count(), 117);
    assert!(book
        .lines
        .iter()
        .filter(|l| l.letter.is_some())
        .all(|l| l.letter_date.is_some()));
    assert!(book
        .customers
        .iter()
        .all(|c| c.key == c.key.trim() && c.name == c.name.trim()));
    assert_eq!(book.file_name.as_ref().unwrap().siren, "111111111");
}

#[test]
fn cr_cr_lf_and_account_without_auxiliary() {
    let (name, bytes) = sample("123456789FEC20500930.txt");
    let book = read_fec(&name, &bytes, &FecOptions::default()).unwrap();
    assert_eq!(book.detected.line_ending, "CR CR LF");
    assert_eq!(book.records, 10_756);
    assert_eq!(book.lines.len(), 4);
    assert_eq!(book.customers.len(), 1);
    assert_eq!(book.customers[0].key, "411100000");
}
