//! Customers and open-invoices files: CSV in its encodings and separators, a workbook written here with
//! rust_xlsxwriter and read back with calamine, the column mapping (French, English, saved, overridden) and
//! every validation error naming its line and field.

use chrono::NaiveDate;
use encaisse_domain::Terms;
use encaisse_import::tabular::{
    choose_mapping, map_columns, read_customers, read_open_invoices, read_table, workbook_sheets, MappedBy,
    SavedMapping, Table, TableSource, TextEncoding, CUSTOMER_FIELDS, INVOICE_FIELDS,
};
use encaisse_import::ImportError;
use rust_decimal_macros::dec;

const FRENCH: &str = "Code client;Raison sociale;SIREN;Adresse;Code postal;Ville;E-mail;Téléphone;Conditions de paiement;Encours autorisé;Catégorie;Chargé de recouvrement
C001;Boulangerie Martin & Fils;732 829 320;48 boulevard Voltaire;75011;Paris;compta@martin.fr;01 43 55 00 00;45 jours fin de mois;15 000,50;PME;Julie
C002;\"Café de la Gare; Lyon\";;;;;;;à réception;;;
";

fn customers(table: &Table) -> Vec<encaisse_import::tabular::CustomerRecord> {
    let choices = choose_mapping(table, CUSTOMER_FIELDS, None, &[]).unwrap();
    read_customers(table, &choices).unwrap()
}

fn errors_of(r: Result<impl std::fmt::Debug, encaisse_import::ImportErrors>) -> Vec<ImportError> {
    r.expect_err("should be refused").0
}

fn to_1252(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn french_csv_in_every_encoding_reads_the_same() {
    let utf8 = FRENCH.as_bytes().to_vec();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(FRENCH.as_bytes());
    let crlf = FRENCH.replace('\n', "\r\n").into_bytes();
    let latin = to_1252(FRENCH);
    let mut seen = Vec::new();
    for (bytes, encoding) in [
        (utf8, TextEncoding::Utf8),
        (bom, TextEncoding::Utf8Bom),
        (crlf, TextEncoding::Utf8),
        (latin, TextEncoding::Windows1252),
    ] {
        let t = read_table("clients.csv", &bytes, None).unwrap();
        assert_eq!(
            t.source,
            TableSource::Csv {
                encoding,
                separator: ';'
            }
        );
        assert_eq!(t.headers[1], "Raison sociale");
        assert_eq!(t.headers[7], "Téléphone");
        assert_eq!(t.header_line, 1);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        seen.push(customers(&t));
    }
    let c = &seen[0];
    assert!(seen.iter().all(|s| s == c));
    assert_eq!(c[0].key, "C001");
    assert_eq!(c[0].name, "Boulangerie Martin & Fils");
    assert_eq!(c[0].siren, Some(Some("732829320".into())));
    assert_eq!(
        c[0].address,
        Some(Some("48 boulevard Voltaire, 75011 Paris".into()))
    );
    assert_eq!(c[0].email, Some(Some("compta@martin.fr".into())));
    assert_eq!(c[0].phone, Some(Some("01 43 55 00 00".into())));
    assert_eq!(c[0].terms, Some(Some(Terms::DaysEndOfMonth(45))));
    assert_eq!(c[0].credit_limit, Some(Some(dec!(15000.50))));
    assert_eq!(c[0].segment, Some(Some("PME".into())));
    assert_eq!(c[0].collector, Some(Some("Julie".into())));
    // A quoted separator stays in the name; empty mapped cells clear the field.
    assert_eq!(c[1].name, "Café de la Gare; Lyon");
    assert_eq!(c[1].siren, Some(None));
    assert_eq!(c[1].address, Some(None));
    assert_eq!(c[1].terms, Some(Some(Terms::OnReceipt)));
    assert_eq!(c[1].credit_limit, Some(None));
}

#[test]
fn separators_comma_tab_pipe() {
    for sep in [",", "\t", "|"] {
        let text = format!("customer code{sep}company name{sep}payment terms\nK1{sep}Acme{sep}60 days\n");
        let t = read_table("c.csv", text.as_bytes(), None).unwrap();
        let TableSource::Csv { separator, .. } = t.source else {
            panic!()
        };
        assert_eq!(separator.to_string(), sep);
        let c = customers(&t);
        assert_eq!((c[0].key.as_str(), c[0].name.as_str()), ("K1", "Acme"));
        assert_eq!(c[0].terms, Some(Some(Terms::Net(60))));
        // Unmapped fields are left alone.
        assert_eq!(c[0].siren, None);
        assert_eq!(c[0].address, None);
    }
}

#[test]
fn english_headers_are_detected() {
    let text = "Customer ID,Company,Registration number,Address line 1,City,Email address,Phone,Terms,Credit limit,Category,Account manager\n\
                A-7,Globex,552032534,1 Main St,Springfield,ap@globex.com,555,Net 30,\"2,500.00\",Key,Homer\n";
    let t = read_table("c.csv", text.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, CUSTOMER_FIELDS, None, &[]).unwrap();
    let header = |f: &str| {
        choices
            .iter()
            .find(|c| c.field == f)
            .and_then(|c| c.header.clone())
    };
    assert_eq!(header("key").as_deref(), Some("Customer ID"));
    assert_eq!(header("name").as_deref(), Some("Company"));
    assert_eq!(header("siren").as_deref(), Some("Registration number"));
    assert_eq!(header("collector").as_deref(), Some("Account manager"));
    assert_eq!(header("postal_code"), None);
    assert!(choices.iter().all(|c| c.by != MappedBy::User));
    let c = read_customers(&t, &choices).unwrap();
    assert_eq!(c[0].credit_limit, Some(Some(dec!(2500))));
    assert_eq!(c[0].address, Some(Some("1 Main St, Springfield".into())));
    assert_eq!(c[0].terms, Some(Some(Terms::Net(30))));
}

#[test]
fn headers_are_matched_whatever_case_accents_and_punctuation() {
    let text = "N° CLIENT;NOM;TELEPHONE;Delai;Plafond d'encours (EUR);Adresse de facturation\nX;Y;0102;30 jours net;1 000;rue\n";
    let t = read_table("c.csv", text.as_bytes(), None).unwrap();
    let c = customers(&t);
    assert_eq!(c[0].key, "X");
    assert_eq!(c[0].phone, Some(Some("0102".into())));
    assert_eq!(c[0].terms, Some(Some(Terms::Net(30))));
    assert_eq!(c[0].credit_limit, Some(Some(dec!(1000))));
    assert_eq!(c[0].address, Some(Some("rue".into())));
}

#[test]
fn overrides_and_saved_mappings() {
    let text = "Ref;Libellé;Divers\nR1;Alpha;30\n";
    let t = read_table("c.csv", text.as_bytes(), None).unwrap();
    // Nothing recognisable: the required fields are named with their line.
    let errs = errors_of(choose_mapping(&t, CUSTOMER_FIELDS, None, &[]));
    assert_eq!(
        errs.iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect::<Vec<_>>(),
        [(1, "key"), (1, "name")]
    );
    assert!(errs[0].to_string().starts_with("c.csv:1: key: no column found"));
    let overrides = vec![
        ("key".to_string(), "ref".to_string()),
        ("name".to_string(), "Libellé".to_string()),
        ("terms".to_string(), "Divers".to_string()),
    ];
    let choices = choose_mapping(&t, CUSTOMER_FIELDS, None, &overrides).unwrap();
    assert!(choices
        .iter()
        .filter(|c| c.column.is_some())
        .all(|c| c.by == MappedBy::User));
    let c = read_customers(&t, &choices).unwrap();
    assert_eq!((c[0].key.as_str(), c[0].name.as_str()), ("R1", "Alpha"));
    assert_eq!(c[0].terms, Some(Some(Terms::Net(30))));

    // Saved, then reused for a file with the same headers (in another order, another case)...
    let saved = SavedMapping::from_choices(&t, &choices);
    let again = read_table("c2.csv", "DIVERS;ref;libelle\n45;R2;Beta\n".as_bytes(), None).unwrap();
    let choices2 = choose_mapping(&again, CUSTOMER_FIELDS, Some(&saved), &[]).unwrap();
    assert!(choices2
        .iter()
        .filter(|c| c.column.is_some())
        .all(|c| c.by == MappedBy::Saved));
    let c2 = read_customers(&again, &choices2).unwrap();
    assert_eq!((c2[0].key.as_str(), c2[0].name.as_str()), ("R2", "Beta"));
    assert_eq!(c2[0].terms, Some(Some(Terms::Net(45))));
    // ...but not for different headers.
    let other = read_table("c3.csv", "Ref;Libellé\nR3;Gamma\n".as_bytes(), None).unwrap();
    assert!(choose_mapping(&other, CUSTOMER_FIELDS, Some(&saved), &[]).is_err());

    // An override can leave a detected column out; a wrong override is an error.
    let t = read_table("c.csv", FRENCH.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, CUSTOMER_FIELDS, None, &[("email".into(), String::new())]).unwrap();
    assert_eq!(read_customers(&t, &choices).unwrap()[0].email, None);
    let errs = errors_of(choose_mapping(
        &t,
        CUSTOMER_FIELDS,
        None,
        &[("colour".into(), "SIREN".into()), ("siren".into(), "Nope".into())],
    ));
    assert_eq!(errs.len(), 2);
    assert!(errs[0].reason.contains("unknown field 'colour'"));
    assert_eq!((errs[1].line, errs[1].field.as_str()), (1, "siren"));
    assert!(errs[1].reason.contains("no column 'Nope'"));
}

#[test]
fn a_refused_mapping_still_lists_every_field() {
    // "Nom" is recognised, the key is not: the screen shows both, with the detected one kept.
    let t = read_table("c.csv", "Ref;Nom;Ville\nR1;Alpha;Lyon\n".as_bytes(), None).unwrap();
    let (choices, errs) = map_columns(&t, CUSTOMER_FIELDS, None, &[]);
    assert_eq!(
        choices.iter().map(|c| c.field).collect::<Vec<_>>(),
        CUSTOMER_FIELDS.iter().map(|f| f.name).collect::<Vec<_>>()
    );
    let of = |field: &str| choices.iter().find(|c| c.field == field).unwrap();
    assert_eq!(
        (of("key").header.as_deref(), of("key").by),
        (None, MappedBy::None)
    );
    assert_eq!(
        (of("name").header.as_deref(), of("name").by),
        (Some("Nom"), MappedBy::Detected)
    );
    assert_eq!(of("city").header.as_deref(), Some("Ville"));
    assert_eq!(
        errs.iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect::<Vec<_>>(),
        [(1, "key")]
    );
    // A header absent from the file leaves its field without a column, the others as detected.
    let (choices, errs) = map_columns(&t, CUSTOMER_FIELDS, None, &[("key".into(), "Nope".into())]);
    assert_eq!(choices[0].header, None);
    assert_eq!(choices[1].header.as_deref(), Some("Nom"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].reason.contains("no column 'Nope'"));
    // The same answer as choose_mapping once the user completed it.
    let overrides = [("key".to_string(), "Ref".to_string())];
    let (choices, errs) = map_columns(&t, CUSTOMER_FIELDS, None, &overrides);
    assert!(errs.is_empty());
    assert_eq!(
        choose_mapping(&t, CUSTOMER_FIELDS, None, &overrides).unwrap(),
        choices
    );
}

#[test]
fn every_customer_problem_is_named_with_its_line_and_field() {
    let text = "Code client;Nom;SIREN;Conditions de paiement;Encours autorisé;Email\n\
                C1;Alpha;732829320;30 jours;1 000,00;a@b.fr\n\
                C2;Beta;732829321;30 jours;;\n\
                ;Gamma;;;;\n\
                C4;;;bientôt;;\n\
                C5;Epsilon;;;douze;\n\
                C1;Zeta;;;;\n\
                C7;Eta;;;1,000;pas un mail\n";
    let t = read_table("clients.csv", text.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, CUSTOMER_FIELDS, None, &[]).unwrap();
    let errs = errors_of(read_customers(&t, &choices));
    let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "siren"),
            (4, "key"),
            (5, "name"),
            (5, "terms"),
            (6, "credit_limit"),
            (7, "key"),
            (8, "email"),
            (8, "credit_limit"),
        ]
    );
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(
        text[0],
        "clients.csv:3: siren: '732829321' is not a valid SIREN (check digit)"
    );
    assert_eq!(text[5], "clients.csv:7: key: 'C1' is already on line 2");
    assert!(text[3].starts_with("clients.csv:5: terms: 'bientôt' is not a payment term"));
}

#[test]
fn malformed_csv_is_refused_with_lines() {
    let errs = errors_of(read_table("e.csv", b"", None));
    assert_eq!(errs[0].to_string(), "e.csv:1: header: the file is empty");
    let errs = errors_of(read_table("e.csv", b"just one column\nx\n", None));
    assert_eq!((errs[0].line, errs[0].field.as_str()), (1, "header"));
    let errs = errors_of(read_table("e.csv", b"a;b\n1;2\n1;2;3;4\n\n5;6;7\n", None));
    assert_eq!(
        errs.iter().map(|e| e.line).collect::<Vec<_>>(),
        [3, 5],
        "{errs:?}"
    );
    let errs = errors_of(read_table("e.csv", b"a;;b\n1;2;3\n", None));
    assert_eq!(errs[0].reason, "column 2 has no name");
    let errs = errors_of(read_table("e.csv", b"a;b\n1;2\n", Some("Feuil1")));
    assert_eq!(errs[0].field, "sheet");
}

const INVOICES: &str = "N° facture;Code client;Nom client;Date facture;Échéance;Montant TTC;Montant réglé
F1;C1;Alpha;15/01/2026;14/02/2026;1 200,00;200,00
F2;C1;Alpha;2026-02-01;;300;
AV1;C2;;01/03/2026;;-50,00;
";

#[test]
fn open_invoices_french() {
    let t = read_table("factures.csv", INVOICES.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, INVOICE_FIELDS, None, &[]).unwrap();
    let inv = read_open_invoices(&t, &choices).unwrap();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(inv.len(), 3);
    assert_eq!(inv[0].number, "F1");
    assert_eq!(inv[0].customer_key, "C1");
    assert_eq!(inv[0].customer_name.as_deref(), Some("Alpha"));
    assert_eq!(inv[0].invoice_date, d(2026, 1, 15));
    assert_eq!(inv[0].due_date, Some(d(2026, 2, 14)));
    assert_eq!((inv[0].amount, inv[0].paid), (dec!(1200), dec!(200)));
    assert_eq!(inv[1].due_date, None);
    assert_eq!(inv[1].paid, dec!(0));
    assert_eq!(inv[2].amount, dec!(-50));
    assert_eq!(inv[2].customer_name, None);
}

#[test]
fn open_invoices_english_with_balance_instead_of_paid() {
    let text = "Invoice number,Customer,Invoice date,Due date,Amount,Balance\nINV-1,K9,2026-01-10,2026-03-10,\"1,000.00\",250.00\n";
    let t = read_table("inv.csv", text.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, INVOICE_FIELDS, None, &[]).unwrap();
    let inv = read_open_invoices(&t, &choices).unwrap();
    assert_eq!((inv[0].amount, inv[0].paid), (dec!(1000), dec!(750)));
}

#[test]
fn every_invoice_problem_is_named_with_its_line_and_field() {
    let text = "Facture;Client;Date;Échéance;Montant;Payé\n\
                F1;C1;31/02/2026;;100;\n\
                F2;C1;01/02/2026;01/01/2026;100;\n\
                F3;C1;01/02/2026;;cent;\n\
                F4;C1;01/02/2026;;100;150\n\
                ;C1;01/02/2026;;100;\n\
                F2;C1;01/02/2026;;100;\n\
                F7;;;;;\n\
                F8;C1;01/02/2026;;-10;5\n";
    let t = read_table("factures.csv", text.as_bytes(), None).unwrap();
    let choices = choose_mapping(&t, INVOICE_FIELDS, None, &[]).unwrap();
    let errs = errors_of(read_open_invoices(&t, &choices));
    let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "invoice_date"),
            (3, "due_date"),
            (4, "amount"),
            (5, "paid"),
            (6, "number"),
            (7, "number"),
            (8, "customer"),
            (8, "invoice_date"),
            (8, "amount"),
            (9, "paid"),
        ],
        "{errs:#?}"
    );
    assert_eq!(
        errs[5].to_string(),
        "factures.csv:7: number: invoice 'F2' of customer 'C1' is already on line 3"
    );
}

fn workbook(rows: &[Vec<rust_xlsxwriter_cell::Cell>]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "not this sheet").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Clients").unwrap();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    // The table starts at B3, as people lay them out.
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16 + 1);
            match cell {
                rust_xlsxwriter_cell::Cell::Text(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                rust_xlsxwriter_cell::Cell::Number(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                rust_xlsxwriter_cell::Cell::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date_format).unwrap();
                }
                rust_xlsxwriter_cell::Cell::Empty => {}
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

mod rust_xlsxwriter_cell {
    pub enum Cell {
        Text(&'static str),
        Number(f64),
        Date(u16, u8, u8),
        Empty,
    }
}

#[test]
fn xlsx_written_here_reads_back_through_calamine() {
    use rust_xlsxwriter_cell::Cell::*;
    let bytes = workbook(&[
        vec![
            Text("N° client"),
            Text("Raison sociale"),
            Text("SIREN"),
            Text("Délai de paiement"),
            Text("Plafond"),
        ],
        vec![
            Text("C001"),
            Text("Boulangerie Martin"),
            Number(732829320.0),
            Text("fin de mois + 10"),
            Number(15000.5),
        ],
        vec![Empty, Empty, Empty, Empty, Empty],
        vec![
            Text("C002"),
            Text("Fromagerie Besson"),
            Text("380129866"),
            Number(60.0),
            Number(0.1 + 0.2),
        ],
    ]);
    // Asked by name; the first sheet ("Notes") would not do.
    let t = read_table("clients.xlsx", &bytes, Some("Clients")).unwrap();
    assert_eq!(
        t.source,
        TableSource::Workbook {
            format: "xlsx".into(),
            sheet: "Clients".into()
        }
    );
    assert_eq!(t.header_line, 3);
    assert_eq!(t.headers[0], "N° client");
    // Sheet row numbers, the empty row skipped.
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 6]);
    let c = customers(&t);
    assert_eq!(c[0].siren, Some(Some("732829320".into())));
    assert_eq!(c[0].terms, Some(Some(Terms::EndOfMonthPlus(10))));
    assert_eq!(c[0].credit_limit, Some(Some(dec!(15000.5))));
    assert_eq!(c[1].terms, Some(Some(Terms::Net(60))));
    assert_eq!(c[1].credit_limit, Some(Some(dec!(0.3))));

    let errs = errors_of(read_table("clients.xlsx", &bytes, Some("Clientes")));
    assert_eq!(
        errs[0].reason,
        "no sheet named 'Clientes' (sheets: Notes, Clients)"
    );
    // The first sheet by default.
    let first = read_table("clients.xlsx", &bytes, None).unwrap();
    assert_eq!(first.headers, ["not this sheet"]);
    assert_eq!(workbook_sheets(&bytes), ["Notes", "Clients"]);
    assert!(workbook_sheets(FRENCH.as_bytes()).is_empty());
    assert!(workbook_sheets(b"PK\x03\x04garbage").is_empty());
}

#[test]
fn xlsx_dates_and_errors_use_sheet_rows() {
    use rust_xlsxwriter_cell::Cell::*;
    let bytes = workbook(&[
        vec![
            Text("Invoice"),
            Text("Customer"),
            Text("Invoice date"),
            Text("Due date"),
            Text("Amount"),
            Text("Paid"),
        ],
        vec![
            Text("F1"),
            Text("C1"),
            Date(2026, 1, 15),
            Date(2026, 2, 28),
            Number(1200.0),
            Number(200.0),
        ],
        vec![
            Text("F2"),
            Text("C1"),
            Text("15/01/2026"),
            Empty,
            Text("abc"),
            Empty,
        ],
    ]);
    let t = read_table("f.xlsx", &bytes, Some("Clients")).unwrap();
    let choices = choose_mapping(&t, INVOICE_FIELDS, None, &[]).unwrap();
    let errs = errors_of(read_open_invoices(&t, &choices));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].to_string(), "f.xlsx:5: amount: 'abc' is not an amount");
    let mut t = t;
    t.rows.pop();
    let inv = read_open_invoices(&t, &choices).unwrap();
    assert_eq!(inv[0].invoice_date, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
    assert_eq!(inv[0].due_date, NaiveDate::from_ymd_opt(2026, 2, 28));
    assert_eq!((inv[0].amount, inv[0].paid), (dec!(1200), dec!(200)));
}

#[test]
fn not_a_workbook_is_refused() {
    let errs = errors_of(read_table("x.xlsx", b"PK\x03\x04garbage", None));
    assert_eq!((errs[0].line, errs[0].field.as_str()), (0, "file"));
}
