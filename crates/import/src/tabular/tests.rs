use super::*;

#[test]
fn headers_normalize() {
    assert_eq!(normalize_header("  N° Client "), "no client");
    assert_eq!(normalize_header("Téléphone"), "telephone");
    assert_eq!(normalize_header("Délai (jours)"), "delai jours");
    assert_eq!(normalize_header("E-MAIL"), "e mail");
    assert_eq!(normalize_header("Complément d'adresse"), "complement d adresse");
}

#[test]
fn separators() {
    assert_eq!(detect_separator("a;b;c"), Some(';'));
    assert_eq!(detect_separator("a,b,c"), Some(','));
    assert_eq!(detect_separator("a\tb"), Some('\t'));
    assert_eq!(detect_separator("a|b|c"), Some('|'));
    assert_eq!(detect_separator("\"x;y\",b,c"), Some(','));
    assert_eq!(detect_separator("a;b,c"), Some(';'));
    assert_eq!(detect_separator("abc"), None);
}

#[test]
fn spreadsheet_numbers() {
    assert_eq!(number_text(15000.0), "15000");
    assert_eq!(number_text(15000.5), "15000.5");
    assert_eq!(number_text(0.1 + 0.2), "0.3");
    assert_eq!(number_text(732829320.0), "732829320");
}
