//! Strict inputs: what a hostile or broken file holds is refused with its line, its field and a named problem —
//! an unbalanced quote, NUL and other control characters, dates outside 1900–2100, text beyond its limit, UTF-16
//! and binary files, an FEC with a header and no line — in every format (FEC, customers and invoices CSV or
//! workbook, e-invoices).

use encaisse_import::checks::NAME_MAX;
use encaisse_import::einvoice::read_einvoice;
use encaisse_import::error::ProblemCode;
use encaisse_import::fec::{read_fec, FecOptions};
use encaisse_import::tabular::{
    choose_mapping, read_customers, read_open_invoices, read_table, CustomerRecord, OpenInvoiceRecord,
    CUSTOMER_FIELDS, INVOICE_FIELDS,
};
use encaisse_import::{ImportError, ImportErrors};

fn customers(bytes: &[u8]) -> Result<Vec<CustomerRecord>, ImportErrors> {
    let table = read_table("clients.csv", bytes, None)?;
    let choices = choose_mapping(&table, CUSTOMER_FIELDS, None, &[]).unwrap();
    read_customers(&table, &choices)
}

fn invoices(bytes: &[u8]) -> Result<Vec<OpenInvoiceRecord>, ImportErrors> {
    let table = read_table("factures.csv", bytes, None)?;
    let choices = choose_mapping(&table, INVOICE_FIELDS, None, &[]).unwrap();
    read_open_invoices(&table, &choices)
}

/// The problems of a refusal as (line, field, code).
fn problems<T: std::fmt::Debug>(r: Result<T, ImportErrors>) -> Vec<ImportError> {
    r.expect_err("should be refused").0
}

fn where_what(errors: &[ImportError]) -> Vec<(usize, &str, ProblemCode)> {
    errors
        .iter()
        .map(|e| (e.line, e.field.as_str(), e.code))
        .collect()
}

// ---------------------------------------------------------------- customers and invoices files

#[test]
fn an_unbalanced_quote_is_refused_with_its_line_not_read_as_one_long_name() {
    // The tester's file: before, the next rows went into one customer's name and a customer was dropped.
    let csv = "Code client;Raison sociale;Ville\nC00001;\"Librairie Simon SA;Paris\nC00002;Brasserie Michel;Lyon\nC00003;Mairie;Lyon\n";
    let errors = problems(customers(csv.as_bytes()));
    assert_eq!(where_what(&errors), [(2, "record", ProblemCode::UnclosedQuote)]);
    assert!(errors[0].reason.contains("never closed"), "{}", errors[0].reason);
    // A quote closed by a later one swallows lines into one cell: the line break names the cell.
    let csv = "Code client;Raison sociale;Ville\nC00001;\"Librairie;Paris\nC00002;Brasserie\";Lyon\n";
    let errors = problems(customers(csv.as_bytes()));
    assert_eq!(where_what(&errors), [(2, "name", ProblemCode::ControlCharacter)]);
    assert!(errors[0].reason.contains("closing quote"), "{}", errors[0].reason);
    // Quotes that close, doubled quotes and a quoted address on two lines are fine.
    let csv = "Code client;Raison sociale;Adresse;Ville\nC1;\"Café \"\"Le Zinc\"\"; Lyon\";\"12 rue Neuve\nBâtiment B\";Lyon\n";
    let c = customers(csv.as_bytes()).unwrap();
    assert_eq!(c[0].name, "Café \"Le Zinc\"; Lyon");
    assert_eq!(c[0].address, Some(Some("12 rue Neuve, Bâtiment B, Lyon".into())));
}

#[test]
fn nul_and_control_characters_are_refused_with_line_and_field() {
    let errors = problems(customers(
        b"Code client;Raison sociale\nC1;Bon\nC2;Libr\x00airie\nC3;Esc\x1b[31m\n",
    ));
    assert_eq!(
        where_what(&errors),
        [
            (3, "name", ProblemCode::ControlCharacter),
            (4, "name", ProblemCode::ControlCharacter)
        ]
    );
    assert_eq!(errors[0].reason, "contains a NUL character (U+0000)");
    assert_eq!(errors[1].reason, "contains the control character U+001B");
    // A C1 control (as a Windows-1252 file's undefined bytes decode) in an invoice number.
    let errors = problems(invoices(
        "N° facture;Code client;Date facture;Montant\nF\u{85}1;C1;01/02/2026;100,00\n".as_bytes(),
    ));
    assert_eq!(
        where_what(&errors),
        [(2, "number", ProblemCode::ControlCharacter)]
    );
}

#[test]
fn a_3000_character_name_is_refused_with_the_limit_and_500_are_accepted() {
    let long = "X".repeat(3000);
    let errors = problems(customers(
        format!("Code client;Raison sociale\nC1;{long}\n").as_bytes(),
    ));
    assert_eq!(where_what(&errors), [(2, "name", ProblemCode::TooLong)]);
    assert_eq!(
        errors[0].reason,
        "is 3000 characters long: at most 500 are accepted"
    );
    let longest = "é".repeat(NAME_MAX);
    let c = customers(format!("Code client;Raison sociale\nC1;{longest}\n").as_bytes()).unwrap();
    assert_eq!(c[0].name.chars().count(), 500);
    let errors = problems(customers(
        format!(
            "Code client;Raison sociale;E-mail\n{};A;{}@x.fr\n",
            "K".repeat(101),
            "m".repeat(260)
        )
        .as_bytes(),
    ));
    assert_eq!(
        where_what(&errors),
        [
            (2, "key", ProblemCode::TooLong),
            (2, "email", ProblemCode::TooLong)
        ]
    );
}

#[test]
fn dates_outside_1900_2100_and_huge_amounts_are_refused() {
    let csv = "N° facture;Code client;Date facture;Échéance;Montant\n\
               F1;C1;01/01/0000;;100,00\n\
               F2;C1;2026-01-01;31/12/2101;100,00\n\
               F3;C1;00000101;;100,00\n\
               F4;C1;01/01/1900;31/12/2100;100,00\n\
               F5;C1;01/01/2026;;1000000000000000\n";
    let errors = problems(invoices(csv.as_bytes()));
    assert_eq!(
        where_what(&errors),
        [
            (2, "invoice_date", ProblemCode::BadDate),
            (3, "due_date", ProblemCode::BadDate),
            (4, "invoice_date", ProblemCode::BadDate),
            (6, "amount", ProblemCode::BadAmount),
        ]
    );
    assert_eq!(
        errors[0].reason,
        "'01/01/0000' is outside the dates accepted (1900-01-01 to 2100-12-31)"
    );
}

#[test]
fn utf16_and_binary_files_are_named_as_such_in_one_problem() {
    let text = "Code client;Raison sociale\nC1;Librairie\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be_without_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [le, be_without_bom] {
        let errors = problems(customers(&bytes));
        assert_eq!(where_what(&errors), [(0, "file", ProblemCode::NotText)]);
        assert_eq!(
            errors[0].reason,
            "UTF-16 is not supported: save the file as UTF-8"
        );
    }
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let errors = problems(customers(&binary));
    assert_eq!(where_what(&errors), [(0, "file", ProblemCode::NotText)]);
    assert!(
        errors[0].reason.starts_with("not a text file"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn a_header_without_rows_is_refused() {
    let errors = problems(customers(b"Code client;Raison sociale\n\n"));
    assert_eq!(where_what(&errors), [(1, "file", ProblemCode::EmptyFile)]);
}

// ---------------------------------------------------------------- FEC

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

/// A balanced entry of a customer `name`, dated `date` (the piece too).
fn fec_entry(num: u32, date: &str, name: &str) -> String {
    format!(
        "VE\tVentes\t{num}\t{date}\t411000\tClients\tC{num}\t{name}\tF{num}\t{date}\tFacture F{num}\t120,00\t0,00\t\t\t{date}\t\t\n\
         VE\tVentes\t{num}\t{date}\t706000\tVentes\t\t\tF{num}\t{date}\tFacture F{num}\t0,00\t120,00\t\t\t{date}\t\t\n"
    )
}

fn fec(body: &str) -> Result<usize, ImportErrors> {
    read_fec(
        "123456789FEC20261231.txt",
        body.as_bytes(),
        &FecOptions::default(),
    )
    .map(|b| b.customers.len())
}

#[test]
fn fec_year_0000_nul_and_long_names_are_refused_with_line_and_field() {
    let body = format!(
        "{FEC_HEADER}\n{}{}{}{}",
        fec_entry(1, "20260105", "Client Un"),
        fec_entry(2, "00000101", "Client Deux"),
        fec_entry(3, "20260105", "Client\0Trois"),
        fec_entry(4, "20260105", &"Q".repeat(3000)),
    );
    let errors = problems(fec(&body));
    let found = where_what(&errors);
    for expected in [
        (4, "EcritureDate", ProblemCode::BadDate),
        (4, "PieceDate", ProblemCode::BadDate),
        (5, "EcritureDate", ProblemCode::BadDate),
        (6, "CompAuxLib", ProblemCode::ControlCharacter),
        (8, "CompAuxLib", ProblemCode::TooLong),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(errors
        .iter()
        .any(|e| e.reason == "'00000101' is outside the dates accepted (1900-01-01 to 2100-12-31)"));
    assert!(errors
        .iter()
        .any(|e| e.reason == "is 3000 characters long: at most 500 are accepted"));
    // The longest accepted name and the first and last accepted dates are read.
    let body = format!(
        "{FEC_HEADER}\n{}{}",
        fec_entry(1, "19000101", &"N".repeat(NAME_MAX)),
        fec_entry(2, "21001231", "Client Deux")
    );
    assert_eq!(fec(&body).unwrap(), 2);
    // A PieceDate or a DateLet of 19000101 is an exporter's "no date".
    let body = format!(
        "{FEC_HEADER}\n{}",
        fec_entry(1, "20260105", "Client Un")
            .replace("\t20260105\tFacture", "\t19000101\tFacture")
            .replacen("120,00\t0,00\t\t\t", "120,00\t0,00\tAA\t19000101\t", 1)
    );
    let book = read_fec(
        "123456789FEC20261231.txt",
        body.as_bytes(),
        &FecOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (book.lines[0].letter.as_deref(), book.lines[0].letter_date),
        (Some("AA"), None)
    );
    assert_eq!(book.lines[0].piece_date, None);
    assert!(
        book.warnings[0].message.contains("19000101"),
        "{:?}",
        book.warnings
    );
}

#[test]
fn fec_in_utf16_or_binary_is_one_named_problem_not_17_missing_columns() {
    let body = format!("{FEC_HEADER}\n{}", fec_entry(1, "20260105", "Client Un"));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(body.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let errors = problems(read_fec(
        "123456789FEC20261231.txt",
        &utf16,
        &FecOptions::default(),
    ));
    assert_eq!(where_what(&errors), [(0, "file", ProblemCode::NotText)]);
    assert_eq!(
        errors[0].reason,
        "UTF-16 is not supported: save the file as UTF-8"
    );
    let binary: Vec<u8> = (1..=255u8).cycle().take(10_000).collect();
    let errors = problems(read_fec("x.txt", &binary, &FecOptions::default()));
    assert_eq!(where_what(&errors), [(0, "file", ProblemCode::NotText)]);
}

#[test]
fn fec_with_a_header_and_no_line_says_so() {
    for body in [
        format!("{FEC_HEADER}\n"),
        format!("{FEC_HEADER}\r\n\r\n"),
        FEC_HEADER.to_string(),
    ] {
        let errors = problems(fec(&body));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, ProblemCode::EmptyFile);
        assert_eq!(
            errors[0].reason,
            "the file has a header but no line: nothing to import"
        );
    }
}

// ---------------------------------------------------------------- e-invoices

fn cii() -> String {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/einvoice/cii-invoice.xml");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn einvoice_year_0000_control_characters_and_long_names_are_refused_with_their_lines() {
    let xml = cii();
    let line_of = |needle: &str| xml.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let date_line = line_of(">20260915<");
    let name_line = line_of("Boulangerie Martin");
    let errors = problems(read_einvoice(
        "f.xml",
        xml.replacen(">20260915<", ">00000915<", 1).as_bytes(),
    ));
    assert_eq!(
        where_what(&errors),
        [(date_line, "BT-2 IssueDateTime", ProblemCode::BadDate)]
    );
    let long = xml.replacen("Boulangerie Martin &amp; Fils SAS", &"B".repeat(3000), 1);
    let errors = problems(read_einvoice("f.xml", long.as_bytes()));
    assert_eq!(
        where_what(&errors),
        [(name_line, "BT-44 BuyerTradeParty/Name", ProblemCode::TooLong)]
    );
    let control = xml.replacen("Boulangerie Martin", "Boulangerie\u{7f}Martin", 1);
    let errors = problems(read_einvoice("f.xml", control.as_bytes()));
    assert_eq!(
        where_what(&errors),
        [(
            name_line,
            "BT-44 BuyerTradeParty/Name",
            ProblemCode::ControlCharacter
        )]
    );
}
