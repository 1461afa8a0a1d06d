//! Customers and open-invoices files through the app: master data updated without touching the ledger, the
//! saved mapping reused, refused files changing nothing, open invoices giving amount − paid in the right bucket.

use chrono::NaiveDate;
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_app::{FieldHeader, TabularOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common;
use common::{dump, dump_tables, execute, value};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(path: &Path) -> App {
    crate::backend::open(path, Box::new(FixedClock(today()))).unwrap()
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

fn customer_row(db: &Path, key: &str) -> Vec<Option<String>> {
    let mut rows = common::query(
        db,
        &format!(
            "SELECT name, siren, address, email, phone, terms, CAST(credit_limit_minor AS TEXT), segment, collector
             FROM customer WHERE key = '{key}'"
        ),
    );
    assert_eq!(rows.len(), 1, "customer {key}");
    rows.remove(0)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn no_options() -> TabularOptions {
    TabularOptions::default()
}

#[test]
fn customers_file_sets_master_data_and_leaves_the_ledger_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let fec = app
        .import_fec(
            &sample("111111111FEC20221231.TXT"),
            &FecImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    let end = fec.period_end.unwrap();
    let aging_before = app.aging(Some(end)).unwrap();
    let ledger_before = dump_tables(&db, &["ledger_line", "invoice", "note", "import_batch"]);
    let keys: Vec<String> = aging_before
        .customers
        .iter()
        .map(|c| c.id.clone())
        .take(2)
        .collect();
    assert_eq!(keys.len(), 2);
    let old_name = customer_row(&db, &keys[1])[0].clone().unwrap();

    // Windows-1252, semicolons, CRLF, French headers; no terms column (every customer keeps its terms). The
    // second customer's optional cells are empty, as its fields already are.
    let csv = format!(
        "Code client;Raison sociale;SIREN;Adresse;Code postal;Ville;E-mail;Encours autorisé;Catégorie;Chargé de recouvrement\r\n\
         {};Société Générale d'Équipement;732 829 320;48 bd Voltaire;75011;Paris;compta@sge.fr;15 000,50;PME;Julie\r\n\
         {};{old_name};;;;;;;;\r\n\
         NOUVEAU;Client Nouveau;;;;;;;Grand compte;Marc\r\n",
        keys[0], keys[1]
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&csv);
    let path = dir.path().join("clients.csv");
    std::fs::write(&path, &bytes).unwrap();

    let preview = app.inspect_customers_file(&path, &no_options()).unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.encoding.as_deref(), Some("Windows-1252"));
    assert_eq!(preview.separator.as_deref(), Some(";"));
    assert_eq!(preview.rows, 3);
    let by = |field: &str| {
        preview
            .mapping
            .iter()
            .find(|m| m.field == field)
            .map(|m| (m.header.clone(), m.by.clone()))
            .unwrap()
    };
    assert_eq!(
        by("credit_limit"),
        (Some("Encours autorisé".into()), "detected".into())
    );
    assert_eq!(by("terms"), (None, "none".into()));
    let changes = preview.changes.clone().unwrap();
    assert_eq!(changes.customers_added, 1);
    assert_eq!(changes.customers_updated.len(), 1);
    assert_eq!(changes.customers_updated[0].key, keys[0]);
    assert!(changes.customers_updated[0].fields.contains(&"siren".to_string()));
    // The second customer only has empty optional fields that were empty already.
    assert_eq!(changes.customers_unchanged, 1);
    assert!(!changes.replaced_demo);
    // Inspecting wrote nothing.
    assert!(customer_row(&db, &keys[0])[1].is_none());

    let report = app.import_customers_file(&path, &no_options()).unwrap();
    assert_eq!(report.changes, preview.changes);
    let row = customer_row(&db, &keys[0]);
    assert_eq!(
        row,
        [
            Some("Société Générale d'Équipement".into()),
            Some("732829320".into()),
            Some("48 bd Voltaire, 75011 Paris".into()),
            Some("compta@sge.fr".into()),
            None,
            None,
            Some("1500050".into()),
            Some("PME".into()),
            Some("Julie".into()),
        ]
    );
    assert_eq!(customer_row(&db, "NOUVEAU")[0].as_deref(), Some("Client Nouveau"));
    // Ledger, invoices, notes and batches untouched; each customer's balance and buckets as before (the file sets
    // no terms).
    assert_eq!(
        dump_tables(&db, &["ledger_line", "invoice", "note", "import_batch"]),
        ledger_before
    );
    let aging_after = app.aging(Some(end)).unwrap();
    assert_eq!(aging_after.totals, aging_before.totals);
    for c in &aging_before.customers {
        let a = aging_after.customers.iter().find(|x| x.id == c.id).unwrap();
        assert_eq!((&a.balance, &a.buckets), (&c.balance, &c.buckets));
    }
    // Importing the same file again changes nothing.
    let before = dump(&db);
    let again = app.import_customers_file(&path, &no_options()).unwrap();
    let again = again.changes.unwrap();
    assert_eq!((again.customers_added, again.customers_updated.len()), (0, 0));
    assert_eq!(dump(&db), before);
}

#[test]
fn terms_from_the_customers_file_move_the_aging() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let inv = write(
        dir.path(),
        "factures.csv",
        "Facture;Client;Date;Montant\nF1;C1;01/09/2026;100,00\n",
    );
    app.import_invoices_file(&inv, &no_options()).unwrap();
    // 30 days net by default: due 1 October, 56 days late on 26 November.
    let bucket = |app: &App| app.aging(None).unwrap().customers[0].buckets.clone();
    assert_eq!(bucket(&app), ["0.00", "0.00", "100.00", "0.00", "0.00"]);
    let customers = write(
        dir.path(),
        "clients.csv",
        "Code client;Nom;Délai de paiement\nC1;Client Un;60 jours fin de mois\n",
    );
    app.import_customers_file(&customers, &no_options()).unwrap();
    // 1 September + 60 days = 31 October, end of month: 26 days late.
    assert_eq!(bucket(&app), ["0.00", "100.00", "0.00", "0.00", "0.00"]);
    assert_eq!(customer_row(&db, "C1")[5].as_deref(), Some("days_eom:60"));
}

#[test]
fn saved_mapping_is_reused_for_the_same_headers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let first = write(dir.path(), "a.csv", "Ref,Libellé,Plafond\nR1,Alpha,1000\n");
    // Without a mapping the key and name are not found.
    let err = app.import_customers_file(&first, &no_options()).unwrap_err();
    let AppError::InvalidFile { message: text, .. } = err else {
        panic!("{err:?}")
    };
    assert!(text.contains("a.csv:1: key: no column found"), "{text}");
    assert!(text.contains("a.csv:1: name: no column found"), "{text}");
    let options = TabularOptions {
        mapping: vec![
            FieldHeader {
                field: "key".into(),
                header: "Ref".into(),
            },
            FieldHeader {
                field: "name".into(),
                header: "Libellé".into(),
            },
        ],
        sheet: None,
    };
    let report = app.import_customers_file(&first, &options).unwrap();
    let by: Vec<(String, String)> = report
        .mapping
        .iter()
        .filter(|m| m.header.is_some())
        .map(|m| (m.field.clone(), m.by.clone()))
        .collect();
    assert_eq!(
        by,
        [
            ("key".to_string(), "user".to_string()),
            ("name".into(), "user".into()),
            ("credit_limit".into(), "detected".into())
        ]
    );
    // Next month's export: same headers, no options.
    let second = write(
        dir.path(),
        "b.csv",
        "Ref,Libellé,Plafond\nR1,Alpha,2000\nR2,Beta,\n",
    );
    let report = app.import_customers_file(&second, &no_options()).unwrap();
    assert!(report
        .mapping
        .iter()
        .filter(|m| m.header.is_some())
        .all(|m| m.by == "saved"));
    let changes = report.changes.unwrap();
    assert_eq!(changes.customers_added, 1);
    assert_eq!(changes.customers_updated[0].fields, ["credit_limit"]);
    assert_eq!(customer_row(&db, "R1")[6].as_deref(), Some("200000"));
    assert_eq!(customer_row(&db, "R2")[0].as_deref(), Some("Beta"));
}

#[test]
fn refused_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    app.import_fec(
        &sample("111111111FEC20221231.TXT"),
        &FecImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let ok = write(dir.path(), "ok.csv", "Code client;Nom\nX1;Un\n");
    app.import_customers_file(&ok, &no_options()).unwrap();
    let before = dump(&db);
    let bad = write(
        dir.path(),
        "clients.csv",
        "Code client;Nom;SIREN;Encours autorisé;Conditions de paiement\n\
         X1;Un modifié;732829320;1000;30 jours\n\
         X2;Deux;123456789;;\n\
         X3;;;abc;dans un mois\n\
         X1;Doublon;;;\n",
    );
    let preview = app.inspect_customers_file(&bad, &no_options()).unwrap();
    assert_eq!(
        preview.errors,
        [
            "clients.csv:3: siren: '123456789' is not a valid SIREN (check digit)",
            "clients.csv:4: name: is empty",
            "clients.csv:4: terms: 'dans un mois' is not a payment term (e.g. 30 jours, 45 jours fin de mois, fin de mois + 10, à réception)",
            "clients.csv:4: credit_limit: 'abc' is not an amount",
            "clients.csv:5: key: 'X1' is already on line 2",
        ]
    );
    assert!(preview.changes.is_none());
    let err = app.import_customers_file(&bad, &no_options()).unwrap_err();
    let AppError::InvalidFile { message: text, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(text.lines().count(), 5);
    assert_eq!(dump(&db), before);

    let bad_invoices = write(
        dir.path(),
        "factures.csv",
        "Facture;Client;Date;Montant;Payé\nF1;X1;01/10/2026;100;\nF2;X1;32/10/2026;100;\nF3;X1;01/10/2026;100;150\n",
    );
    let err = app
        .import_invoices_file(&bad_invoices, &no_options())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "factures.csv:3: invoice_date: '32/10/2026' is not a date (expected DD/MM/YYYY or YYYY-MM-DD)\n\
         factures.csv:4: paid: the amount paid 150 is more than the amount 100"
    );
    let not_csv = write(dir.path(), "x.csv", "one column only\n");
    assert!(matches!(
        app.import_invoices_file(&not_csv, &no_options()),
        Err(AppError::InvalidFile { .. })
    ));
    assert_eq!(dump(&db), before);
}

#[test]
fn open_invoices_give_amount_minus_paid_from_their_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    // Today is 26 November 2026.
    let file = write(
        dir.path(),
        "encours.csv",
        "N° facture;Code client;Raison sociale;Date facture;Échéance;Montant TTC;Montant réglé\n\
         F1;C1;Alpha;15/09/2026;01/10/2026;1 200,00;200,00\n\
         F2;C1;Alpha;01/11/2026;15/12/2026;300,00;\n\
         F3;C2;Beta;01/11/2026;;500,00;\n\
         F4;C2;Beta;01/06/2026;01/07/2026;80,00;80,00\n\
         AV1;C2;Beta;20/11/2026;;-50,00;\n",
    );
    let preview = app.inspect_invoices_file(&file, &no_options()).unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!((preview.invoices, preview.customers), (5, 2));
    assert_eq!(preview.open_amount.as_deref(), Some("1750.00"));
    let report = app.import_invoices_file(&file, &no_options()).unwrap();
    let ledger = report.changes.unwrap().ledger.unwrap();
    assert_eq!((ledger.customers_added, ledger.invoices_added), (2, 4));
    assert_eq!(ledger.lines_added, 7);

    let aging = app.aging(None).unwrap();
    let row = |id: &str| aging.customers.iter().find(|c| c.id == id).unwrap().clone();
    // F1: 1000 left, due 1 October: 56 days late. F2 due 15 December: not due.
    assert_eq!(row("C1").name, "Alpha");
    assert_eq!(row("C1").balance, "1300.00");
    assert_eq!(row("C1").buckets, ["300.00", "0.00", "1000.00", "0.00", "0.00"]);
    // F3 without a due date: 30 days net, due 1 December. F4 paid. AV1 unapplied.
    assert_eq!(row("C2").buckets, ["500.00", "0.00", "0.00", "0.00", "0.00"]);
    assert_eq!(row("C2").unapplied, "-50.00");
    assert_eq!(aging.totals.balance, "1750.00");

    // The same file again changes nothing.
    let before = dump(&db);
    let again = app.import_invoices_file(&file, &no_options()).unwrap();
    assert!(again.changes.unwrap().ledger.unwrap().unchanged);
    assert_eq!(dump(&db), before);

    // A note on F1, then next week's file: F1 paid a bit more, F2 gone, F5 new.
    let f1 = value(&db, "SELECT id FROM invoice WHERE piece_ref = 'F1'");
    execute(
        &db,
        &format!("INSERT INTO note (customer_key, invoice_id, written_on, author, body) VALUES ('C1', {f1}, '2026-11-26', 'me', 'relancé')"),
        &[],
    );
    let next = write(
        dir.path(),
        "encours2.csv",
        "N° facture;Code client;Raison sociale;Date facture;Échéance;Montant TTC;Montant réglé\n\
         F1;C1;Alpha;15/09/2026;01/10/2026;1 200,00;700,00\n\
         F5;C1;Alpha;20/11/2026;20/12/2026;40,00;\n",
    );
    let report = app.import_invoices_file(&next, &no_options()).unwrap();
    let ledger = report.changes.unwrap().ledger.unwrap();
    assert_eq!(ledger.lines_removed, 7);
    assert_eq!(
        (
            ledger.invoices_kept,
            ledger.invoices_added,
            ledger.invoices_missing
        ),
        (1, 1, 3)
    );
    let f1_again = value(
        &db,
        "SELECT invoice_id FROM ledger_line WHERE piece_ref = 'F1' AND amount_minor > 0",
    );
    assert_eq!(f1_again, f1);
    let notes = value(&db, &format!("SELECT count(*) FROM note WHERE invoice_id = {f1}"));
    assert_eq!(notes, "1");
    let aging = app.aging(None).unwrap();
    let c1 = aging.customers.iter().find(|c| c.id == "C1").unwrap();
    assert_eq!(c1.buckets, ["40.00", "0.00", "500.00", "0.00", "0.00"]);
    assert!(aging.customers.iter().all(|c| c.id != "C2"));
}

#[test]
fn open_invoices_beside_an_fec_leave_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let fec = app
        .import_fec(
            &sample("111111111FEC20221231.TXT"),
            &FecImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    let fec_lines = dump_tables(&db, &["ledger_line"]);
    let end = fec.period_end.unwrap();
    let total = app.aging(Some(end)).unwrap().totals.balance;
    // Due ten days before the FEC's last day: 1-30 days late then.
    let file = write(
        dir.path(),
        "encours.csv",
        &format!(
            "Invoice number,Customer,Invoice date,Due date,Amount\nZ1,ZNEW,{},{},100.00\n",
            end - chrono::Days::new(40),
            end - chrono::Days::new(10)
        ),
    );
    app.import_invoices_file(&file, &no_options()).unwrap();
    let after = dump_tables(&db, &["ledger_line"]);
    assert!(after.starts_with(&fec_lines));
    let aging = app.aging(Some(end)).unwrap();
    let z = aging.customers.iter().find(|c| c.id == "ZNEW").unwrap();
    assert_eq!(z.buckets, ["0.00", "100.00", "0.00", "0.00", "0.00"]);
    let expected = total.parse::<rust_decimal::Decimal>().unwrap() + rust_decimal::Decimal::ONE_HUNDRED;
    assert_eq!(aging.totals.balance, encaisse_domain::format_amount(expected));
    // Re-importing the FEC keeps the open-invoices lines.
    let mut changed = std::fs::read(sample("111111111FEC20221231.TXT")).unwrap();
    changed.extend_from_slice(b"\n");
    let copy = dir.path().join("111111111FEC20221231.TXT");
    std::fs::write(&copy, changed).unwrap();
    app.import_fec(&copy, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    assert!(app
        .aging(Some(end))
        .unwrap()
        .customers
        .iter()
        .any(|c| c.id == "ZNEW"));
}

#[test]
fn demo_company_is_replaced_as_by_the_fec_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    app.create_demo(&encaisse_app::DemoOptions {
        seed: Some(1),
        customers: Some(5),
        end: None,
        replace: None,
    })
    .unwrap();
    let file = write(dir.path(), "clients.csv", "Code client;Nom\nK1;Un\n");
    let preview = app.inspect_customers_file(&file, &no_options()).unwrap();
    assert!(preview.changes.unwrap().replaced_demo);
    let report = app.import_customers_file(&file, &no_options()).unwrap();
    assert!(report.changes.unwrap().replaced_demo);
    let status = app.status().unwrap();
    assert_eq!((status.customers, status.lines), (1, 0));
}

/// A workbook whose first sheet is a cover page and whose second holds the customers, without a key header
/// the detection knows.
fn two_sheet_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Export du 26/11/2026").unwrap();
    let clients = wb.add_worksheet();
    clients.set_name("Clients").unwrap();
    for (c, h) in ["Réf.", "Raison sociale", "Ville"].iter().enumerate() {
        clients.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["W1", "Alpha", "Lyon"].iter().enumerate() {
        clients.write_string(1, c as u16, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_screen_gets_every_sheet_and_every_field_to_complete_a_refused_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let path = dir.path().join("clients.xlsx");
    std::fs::write(&path, two_sheet_workbook()).unwrap();

    // The first sheet by default: its one cell is taken as the header, nothing maps; the sheets are listed.
    let first = app.inspect_customers_file(&path, &no_options()).unwrap();
    assert_eq!(first.sheets, ["Notes", "Clients"]);
    assert_eq!(first.sheet.as_deref(), Some("Notes"));
    assert!(first.changes.is_none());

    // The right sheet: the name is detected, the key is not; the preview still lists every field, in order.
    let options = |mapping: Vec<FieldHeader>| TabularOptions {
        mapping,
        sheet: Some("Clients".into()),
    };
    let refused = app.inspect_customers_file(&path, &options(vec![])).unwrap();
    assert_eq!(refused.sheets, ["Notes", "Clients"]);
    assert_eq!(refused.headers, ["Réf.", "Raison sociale", "Ville"]);
    let fields: Vec<&str> = refused.mapping.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "key",
            "name",
            "siren",
            "address",
            "address2",
            "postal_code",
            "city",
            "email",
            "phone",
            "terms",
            "credit_limit",
            "segment",
            "collector"
        ]
    );
    let m = |p: &encaisse_app::TabularPreview, field: &str| {
        let m = p.mapping.iter().find(|m| m.field == field).unwrap();
        (m.required, m.header.clone(), m.by.clone())
    };
    assert_eq!(m(&refused, "key"), (true, None, "none".into()));
    assert_eq!(
        m(&refused, "name"),
        (true, Some("Raison sociale".into()), "detected".into())
    );
    assert_eq!(refused.errors.len(), 1);
    assert!(
        refused.errors[0].starts_with("clients.xlsx:1: key: no column found"),
        "{:?}",
        refused.errors
    );
    assert!(refused.changes.is_none());

    // Completed by the user: the dry run and the import agree, and the mapping is kept for next time.
    let completed = options(vec![FieldHeader {
        field: "key".into(),
        header: "Réf.".into(),
    }]);
    let preview = app.inspect_customers_file(&path, &completed).unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(m(&preview, "key"), (true, Some("Réf.".into()), "user".into()));
    assert_eq!(preview.changes.as_ref().unwrap().customers_added, 1);
    let report = app.import_customers_file(&path, &completed).unwrap();
    assert_eq!(report.changes, preview.changes);
    assert_eq!(customer_row(&db, "W1")[0].as_deref(), Some("Alpha"));
    let next = app.inspect_customers_file(&path, &options(vec![])).unwrap();
    assert_eq!(m(&next, "key"), (true, Some("Réf.".into()), "saved".into()));

    // A CSV file has no sheets.
    let csv = write(dir.path(), "c.csv", "Code client;Nom\nK1;Un\n");
    assert!(app
        .inspect_customers_file(&csv, &no_options())
        .unwrap()
        .sheets
        .is_empty());
}
