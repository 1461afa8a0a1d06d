//! FEC import through the app: real samples pinned by snapshots, every variant giving the same figures,
//! malformed files refused with line numbers and no change, re-imports keeping what users attached.

use chrono::NaiveDate;
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common;
use common::dump;

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

fn import(app: &App, path: &Path) -> Result<encaisse_app::ImportPreview, AppError> {
    app.import_fec(path, &FecImportOptions::default(), &mut |_| {})
}

// Hand-checked figures (sample 0000000001FEC20220831, as of 2022-08-31, 30 days net):
// - CMOURL: FA 220395 of 31/08/2022, 438,88 €, alone in lettering group AAED (a group that does not net to
//   zero, with no credit): open, due 30/09/2022, so not due.
// - CRETAY: FA 220301 (100,33 €, 24/05) and FA 220302 (202,56 €, 25/05) alone in group AACO: open, due 23/06
//   and 24/06, 69 and 68 days late: 302,89 € in 61-90.
#[test]
fn real_samples_aged_balance_at_their_last_entry_date() {
    for name in [
        "0000000001FEC20220831.txt",
        "000000000FEC20231231.txt",
        "111111111FEC20221231.TXT",
        "123456789FEC20500930.txt",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let app = open(&dir.path().join("e.db"));
        let report = import(&app, &sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let end = report.period_end.unwrap();
        let aging = app.aging(Some(end)).unwrap();
        assert_eq!(
            aging.totals.balance, report.open_amount,
            "the preview's figure is the database's"
        );
        insta::assert_json_snapshot!(name, aging);
        if name.starts_with("0000000001") {
            let row = |id: &str| aging.customers.iter().find(|c| c.id == id).unwrap().clone();
            assert_eq!(row("CMOURL").buckets, ["438.88", "0.00", "0.00", "0.00", "0.00"]);
            assert_eq!(row("CRETAY").buckets, ["0.00", "0.00", "0.00", "302.89", "0.00"]);
        }
        // And the DSO contract works on an imported ledger.
        let dso = app.dso(Some(end), None).unwrap();
        assert_eq!(dso.receivables, aging.totals.balance);
    }
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let path = sample("111111111FEC20221231.TXT");
    let first = import(&app, &path).unwrap();
    assert!(!first.changes.unchanged);
    let before = dump(&db);
    let again = import(&app, &path).unwrap();
    assert!(again.changes.unchanged);
    assert_eq!(dump(&db), before);
}

// ---------------------------------------------------------------------------------------------------------
// A small ledger written in every variant the FEC allows.

struct Rec {
    journal: &'static str,
    num: String,
    date: NaiveDate,
    account: &'static str,
    account_lib: &'static str,
    aux: &'static str,
    aux_lib: &'static str,
    piece: String,
    piece_date: Option<NaiveDate>,
    label: String,
    cents: i64,
    letter: &'static str,
    letter_date: Option<NaiveDate>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const CUSTOMERS: [(&str, &str); 4] = [
    ("CCAFE", "Café de la Gare"),
    ("CSOC", "Société Générale d'Équipement"),
    ("CPECH", "Pêcheries Noël"),
    ("", ""),
];

fn ledger() -> Vec<Rec> {
    let mut recs = Vec::new();
    let mut entry = 0;
    let mut push_entry = |recs: &mut Vec<Rec>, lines: Vec<Rec>| {
        entry += 1;
        for mut l in lines {
            l.num = format!("{entry}");
            recs.push(l);
        }
    };
    let customer_line = |c: usize, journal, date, piece: &str, cents, letter, letter_date| {
        let (aux, aux_lib) = CUSTOMERS[c];
        Rec {
            journal,
            num: String::new(),
            date,
            account: if aux.is_empty() { "411900" } else { "411000" },
            account_lib: if aux.is_empty() {
                "Clients divers - Épicerie"
            } else {
                "Clients"
            },
            aux,
            aux_lib,
            piece: piece.to_string(),
            piece_date: if c == 2 { None } else { Some(date) },
            label: format!("Pièce {piece} - {aux_lib}"),
            cents,
            letter,
            letter_date,
        }
    };
    let other = |journal, date, account, lib, piece: &str, cents| Rec {
        journal,
        num: String::new(),
        date,
        account,
        account_lib: lib,
        aux: "",
        aux_lib: "",
        piece: piece.to_string(),
        piece_date: Some(date),
        label: format!("Pièce {piece}"),
        cents,
        letter: "",
        letter_date: None,
    };
    // Opening balance: an old invoice of the first customer.
    push_entry(
        &mut recs,
        vec![
            customer_line(0, "AN", d(2026, 1, 1), "F2025-099", 120_000, "", None),
            other("AN", d(2026, 1, 1), "890000", "Bilan d'ouverture", "AN", -120_000),
        ],
    );
    let letters = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"];
    for i in 0..24usize {
        let c = i % 4;
        let date = d(2026, 1 + (i as u32 % 10), 3 + (i as u32 * 7) % 25);
        let ht = 10_000 + (i as i64 * 7_919) % 90_000;
        let ttc = ht * 6 / 5;
        let piece = format!("F2026-{:03}", i + 1);
        let (letter, letter_date, paid, pay_date) = match i % 6 {
            0 => (
                letters[i / 2],
                Some(date + chrono::Days::new(40)),
                ttc,
                date + chrono::Days::new(40),
            ),
            1 => (
                letters[i / 2],
                Some(date + chrono::Days::new(20)),
                ttc / 2,
                date + chrono::Days::new(20),
            ),
            2 => (
                letters[i / 2],
                Some(date + chrono::Days::new(90)),
                ttc,
                date + chrono::Days::new(30),
            ),
            3 => ("", None, ttc - 1_000, date + chrono::Days::new(25)),
            _ => ("", None, 0, date),
        };
        push_entry(
            &mut recs,
            vec![
                customer_line(c, "VE", date, &piece, ttc, letter, letter_date),
                other("VE", date, "706000", "Prestations de services", &piece, -ht),
                other("VE", date, "445710", "TVA collectée", &piece, -(ttc - ht)),
            ],
        );
        if paid > 0 {
            let pay = format!("VIR{:03}", i + 1);
            push_entry(
                &mut recs,
                vec![
                    other("BQ", pay_date, "512000", "Banque - Crédit Agricole", &pay, paid),
                    customer_line(c, "BQ", pay_date, &pay, -paid, letter, letter_date),
                ],
            );
        }
    }
    // A credit note not yet lettered.
    push_entry(
        &mut recs,
        vec![
            customer_line(1, "VE", d(2026, 9, 15), "AV2026-001", -15_000, "", None),
            other(
                "VE",
                d(2026, 9, 15),
                "709000",
                "Rabais accordés",
                "AV2026-001",
                12_500,
            ),
            other(
                "VE",
                d(2026, 9, 15),
                "445710",
                "TVA collectée",
                "AV2026-001",
                2_500,
            ),
        ],
    );
    recs
}

#[derive(Clone, Copy, Debug)]
struct Variant {
    pipe: bool,
    trailing: bool,
    encoding: &'static str,
    eol: &'static str,
    montant_sens: bool,
    extra_columns: usize,
    padded: bool,
    upper_header: bool,
}

fn amount_text(cents: i64, padded: bool) -> String {
    let s = format!("{},{:02}", cents / 100, cents % 100);
    if padded {
        format!("{s:0>13}")
    } else {
        s
    }
}

fn render(v: Variant) -> Vec<u8> {
    let sep = if v.pipe { "|" } else { "\t" };
    let mut header: Vec<String> = [
        "JournalCode",
        "JournalLib",
        "EcritureNum",
        "EcritureDate",
        "CompteNum",
        "CompteLib",
        "CompAuxNum",
        "CompAuxLib",
        "PieceRef",
        "PieceDate",
        "EcritureLib",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if v.montant_sens {
        header.extend(["Montant".into(), "Sens".into()]);
    } else {
        header.extend(["Debit".into(), "Credit".into()]);
    }
    header.extend(["EcritureLet", "DateLet", "ValidDate", "MontantDevise", "Idevise"].map(String::from));
    let extras = ["CodeEtablissement", "DateRglt", "ModeRglt", "NatOp", "IdClient"];
    let extras: &[&str] = match v.extra_columns {
        1 => &extras[..1],
        3 => &extras[1..4],
        4 => &extras[1..5],
        _ => &[],
    };
    header.extend(extras.iter().map(|s| s.to_string()));
    if v.upper_header {
        header = header.iter().map(|h| h.to_uppercase()).collect();
    }
    let pad = |s: String| if v.padded { format!("{s:<12}") } else { s };
    let date = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%Y%m%d").to_string());
    let mut text = header.join(sep);
    if v.trailing {
        text.push_str(sep);
    }
    text.push_str(v.eol);
    for r in ledger() {
        let mut f = vec![
            pad(r.journal.into()),
            pad(format!("Journal {}", r.journal)),
            pad(r.num.clone()),
            date(Some(r.date)),
            pad(r.account.into()),
            pad(r.account_lib.into()),
            pad(r.aux.into()),
            pad(r.aux_lib.into()),
            pad(r.piece.clone()),
            date(r.piece_date),
            pad(r.label.clone()),
        ];
        if v.montant_sens {
            f.push(amount_text(r.cents.abs(), v.padded));
            f.push(if r.cents >= 0 { "D".into() } else { "C".into() });
        } else {
            f.push(amount_text(r.cents.max(0), v.padded));
            f.push(amount_text((-r.cents).max(0), v.padded));
        }
        f.extend([
            pad(r.letter.into()),
            date(r.letter_date),
            date(Some(r.date)),
            String::new(),
            String::new(),
        ]);
        f.extend(extras.iter().map(|_| String::new()));
        text.push_str(&f.join(sep));
        if v.trailing {
            text.push_str(sep);
        }
        text.push_str(v.eol);
    }
    match v.encoding {
        "utf8" => text.into_bytes(),
        "bom" => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        "iso" => encoding_rs::ISO_8859_15.encode(&text).0.into_owned(),
        "cp1252" => {
            // A typographic apostrophe only Windows-1252 has, in 0x80–0x9F.
            encoding_rs::WINDOWS_1252
                .encode(&text.replace("d'Équipement", "d\u{2019}Équipement"))
                .0
                .into_owned()
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_variant_gives_the_same_aged_balance() {
    let base = Variant {
        pipe: false,
        trailing: false,
        encoding: "utf8",
        eol: "\n",
        montant_sens: false,
        extra_columns: 0,
        padded: false,
        upper_header: false,
    };
    let variants = [
        base,
        Variant {
            pipe: true,
            trailing: true,
            ..base
        },
        Variant {
            encoding: "bom",
            eol: "\r\n",
            ..base
        },
        Variant {
            encoding: "iso",
            eol: "\r\r\n",
            padded: true,
            ..base
        },
        Variant {
            encoding: "cp1252",
            pipe: true,
            ..base
        },
        Variant {
            montant_sens: true,
            upper_header: true,
            ..base
        },
        Variant {
            extra_columns: 1,
            ..base
        },
        Variant {
            extra_columns: 3,
            eol: "\r",
            ..base
        },
        Variant {
            extra_columns: 4,
            padded: true,
            trailing: true,
            ..base
        },
    ];
    let dates = [d(2026, 3, 31), d(2026, 6, 30), d(2026, 10, 31), d(2026, 12, 31)];
    let mut reference: Option<Vec<String>> = None;
    for v in variants {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("123456782FEC20261231.txt");
        std::fs::write(&file, render(v)).unwrap();
        let app = open(&dir.path().join("e.db"));
        let report = import(&app, &file).unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(report.customers, 4, "{v:?}");
        let figures: Vec<String> = dates
            .iter()
            .map(|date| {
                let aging = app.aging(Some(*date)).unwrap();
                // The Windows-1252 variant writes a typographic apostrophe on purpose (see `render`).
                serde_json::to_string(&(aging, app.dso(Some(*date), None).unwrap()))
                    .unwrap()
                    .replace('\u{2019}', "'")
            })
            .collect();
        match &reference {
            None => reference = Some(figures),
            Some(r) => assert_eq!(&figures, r, "{v:?}"),
        }
    }
    // The figures themselves are the rules': check a date by hand-free invariants and one exact customer.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("123456782FEC20261231.txt");
    std::fs::write(&file, render(base)).unwrap();
    let app = open(&dir.path().join("e.db"));
    import(&app, &file).unwrap();
    let aging = app.aging(Some(d(2026, 12, 31))).unwrap();
    let soc = aging.customers.iter().find(|c| c.id == "CSOC").unwrap();
    // Unapplied, by hand: the unlettered credit note (150,00) and the two unlettered payments of invoices 10 and
    // 22 (TTC − 10,00: 975,25 − 10,00 = 965,25 and 1 035,58 − 10,00 = 1 025,58): −2 140,83.
    assert_eq!(soc.unapplied, "-2140.83");
    assert!(
        aging.customers.iter().any(|c| c.id == "411900"),
        "an account without CompAuxNum is its own customer"
    );
    assert_eq!(
        aging.customers.iter().find(|c| c.id == "411900").unwrap().name,
        "Clients divers - Épicerie"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Malformed files.

const GOOD_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";
const GOOD_1: &str = "VE\tVentes\t1\t20260105\t411000\tClients\tC1\tClient Un\tF1\t20260105\tFacture F1\t120,00\t0,00\t\t\t20260105\t\t";
const GOOD_2: &str =
    "VE\tVentes\t1\t20260105\t706000\tVentes\t\t\tF1\t20260105\tFacture F1\t0,00\t120,00\t\t\t20260105\t\t";

fn refused(body: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    import(&app, &sample("111111111FEC20221231.TXT")).unwrap();
    let before = dump(&db);
    let file = dir.path().join("bad.txt");
    std::fs::write(&file, body).unwrap();
    match import(&app, &file) {
        Err(AppError::InvalidFile { message, .. }) => {
            for e in expected {
                assert!(
                    message.lines().any(|l| l.starts_with(e)),
                    "expected a line starting with {e:?} in:\n{message}"
                );
            }
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        dump(&db),
        before,
        "a refused file must leave the database exactly as it was"
    );
}

#[test]
fn wrong_column_count() {
    let short = GOOD_1.rsplit_once('\t').unwrap().0.rsplit_once('\t').unwrap().0;
    refused(
        &format!("{GOOD_HEADER}\n{GOOD_2}\n{short}\n"),
        &["bad.txt:3: record: expected 18 fields, found 16"],
    );
}

#[test]
fn bad_date_and_bad_amount_are_all_listed() {
    let bad_date = GOOD_1.replace("\t20260105\t411000", "\t20261305\t411000");
    let bad_amount = GOOD_2.replace("120,00\t\t", "12O,00\t\t");
    refused(
        &format!("{GOOD_HEADER}\n{bad_date}\n{bad_amount}\n"),
        &[
            "bad.txt:2: EcritureDate: '20261305' is not a date",
            "bad.txt:3: Credit: '12O,00' is not an amount",
        ],
    );
}

#[test]
fn unknown_separator() {
    refused(
        &format!(
            "{}\n{}\n",
            GOOD_HEADER.replace('\t', ";"),
            GOOD_1.replace('\t', ";")
        ),
        &["bad.txt:1: header: unknown separator"],
    );
}

#[test]
fn unbalanced_entry() {
    let half = GOOD_2.replace("120,00", "100,00");
    refused(
        &format!("{GOOD_HEADER}\n{GOOD_1}\n{half}\n"),
        &["bad.txt:2: EcritureNum: entry VE 1 does not balance"],
    );
}

#[test]
fn missing_required_column() {
    let header = GOOD_HEADER.replace("CompteNum\t", "");
    let drop = |l: &str| {
        let mut f: Vec<&str> = l.split('\t').collect();
        f.remove(4);
        f.join("\t")
    };
    refused(
        &format!("{header}\n{}\n{}\n", drop(GOOD_1), drop(GOOD_2)),
        &["bad.txt:1: CompteNum: required column is missing"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// Re-import of an updated file of the same fiscal year.

#[test]
fn reimport_keeps_notes_on_the_same_invoices_and_marks_vanished_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let v1 = dir.path().join("123456782FEC20261231.txt");
    let text = String::from_utf8(render(Variant {
        pipe: false,
        trailing: false,
        encoding: "utf8",
        eol: "\n",
        montant_sens: false,
        extra_columns: 0,
        padded: false,
        upper_header: false,
    }))
    .unwrap();
    std::fs::write(&v1, &text).unwrap();
    import(&app, &v1).unwrap();

    let store = crate::backend::store(&db);
    let kept = store
        .invoice_id("CCAFE", "F2026-005")
        .unwrap()
        .expect("invoice F2026-005");
    let gone = store
        .invoice_id("CSOC", "F2026-002")
        .unwrap()
        .expect("invoice F2026-002");
    let note = encaisse_store::NewNote {
        customer_key: "CCAFE",
        invoice_id: Some(kept),
        written_on: today(),
        author: "Claire",
        body: "Promet de payer vendredi",
    };
    store.add_note(&note).unwrap();

    // The updated export: F2026-002 was cancelled (its entry removed), a new invoice appears.
    let v2 = dir.path().join("123456782FEC20261231-v2.txt");
    let updated: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\tF2026-002\t") && !l.contains("\tVIR002\t"))
        .collect();
    let mut updated = updated.join("\n");
    updated.push_str("\nVE\tJournal VE\t99\t20261120\t411000\tClients\tCCAFE\tCafé de la Gare\tF2026-100\t20261120\tNouvelle\t600,00\t0,00\t\t\t20261120\t\t");
    updated.push_str("\nVE\tJournal VE\t99\t20261120\t706000\tVentes\t\t\tF2026-100\t20261120\tNouvelle\t0,00\t600,00\t\t\t20261120\t\t\n");
    std::fs::write(&v2, &updated).unwrap();

    let preview = app.inspect_fec(&v2, &FecImportOptions::default()).unwrap();
    assert_eq!(preview.changes.invoices_missing, 1);
    assert_eq!(preview.changes.invoices_added, 1);
    let report = import(&app, &v2).unwrap();
    assert_eq!(
        report.changes, preview.changes,
        "the preview says exactly what the import does"
    );
    assert_eq!(report.changes.customers_added, 0);

    assert_eq!(
        store.invoice_id("CCAFE", "F2026-005").unwrap(),
        Some(kept),
        "same invoice, same identity"
    );
    let notes = store.notes("CCAFE").unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].invoice_id, Some(kept));
    assert_eq!(notes[0].body, "Promet de payer vendredi");
    assert_eq!(
        store.invoice_missing_since(gone).unwrap(),
        Some(today()),
        "vanished, marked, not deleted"
    );
    let aging = app.aging(Some(d(2026, 11, 30))).unwrap();
    assert!(aging.customers.iter().any(|c| c.id == "CCAFE"));

    // Importing the first file again brings the cancelled invoice back under its old identity.
    let back = import(&app, &v1).unwrap();
    assert_eq!(back.changes.invoices_back, 1);
    assert_eq!(store.invoice_missing_since(gone).unwrap(), None);
}

#[test]
fn another_companys_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    import(&app, &sample("111111111FEC20221231.TXT")).unwrap();
    let before = dump(&db);
    let err = import(&app, &sample("123456789FEC20500930.txt")).unwrap_err();
    assert!(
        matches!(err, AppError::InvalidInput(ref m) if m.contains("SIREN")),
        "{err:?}"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn an_import_replaces_the_demo_company() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"));
    app.create_demo(&encaisse_app::DemoOptions {
        seed: Some(1),
        customers: Some(10),
        end: None,
        replace: None,
    })
    .unwrap();
    let preview = app
        .inspect_fec(&sample("111111111FEC20221231.TXT"), &FecImportOptions::default())
        .unwrap();
    assert!(preview.changes.replaced_demo);
    assert_eq!(app.status().unwrap().customers, 10, "a preview writes nothing");
    let report = import(&app, &sample("111111111FEC20221231.TXT")).unwrap();
    assert!(report.changes.replaced_demo);
    assert_eq!(app.status().unwrap().customers, 34);
}

/// An FEC of `invoices` two-line sales entries for 500 customers (about 110 bytes a record, so that 30,000
/// invoices pass the writer's bulk threshold of 50,000 expected lines), plus `tail` records.
fn large_fec(invoices: usize, first_day: NaiveDate, tail: &str) -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    for i in 0..invoices {
        let date = (first_day + chrono::Days::new((i % 300) as u64)).format("%Y%m%d");
        let customer = i % 500;
        let cents = 10_000 + (i % 977) * 13;
        let amount = format!("{},{:02}", cents / 100, cents % 100);
        out.push_str(&format!(
            "VE\tVentes\t{i}\t{date}\t411000\tClients\tC{customer:04}\tClient numéro {customer}\tF{i:06}\t{date}\tFacture F{i:06}\t{amount}\t0,00\t\t\t{date}\t\t\n\
             VE\tVentes\t{i}\t{date}\t706000\tVentes\t\t\tF{i:06}\t{date}\tFacture F{i:06}\t0,00\t{amount}\t\t\t{date}\t\t\n"
        ));
    }
    out.push_str(tail);
    out
}

/// The rows whose references SQLite finds unsound (the server checks every reference as it writes: none).
fn foreign_key_problems(db: &Path) -> usize {
    if crate::backend::on_postgres() {
        return 0;
    }
    common::query(db, "PRAGMA foreign_key_check").len()
}

/// The database's indexes, as created.
fn indexes(db: &Path) -> Vec<Vec<Option<String>>> {
    common::query(
        db,
        if crate::backend::on_postgres() {
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
        } else {
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        },
    )
}

#[test]
fn a_large_file_is_written_while_read_and_an_error_in_its_last_line_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    let app = open(&db);
    import(&app, &sample("111111111FEC20221231.TXT")).unwrap();
    let before = dump(&db);
    let first = d(2026, 1, 1);
    // Thousands of batches reach the writer before the reader meets the unbalanced entry at the end.
    let bad = dir.path().join("bad").join("111111111FEC20261231.txt");
    std::fs::create_dir(dir.path().join("bad")).unwrap();
    let tail = "OD\tOpérations diverses\tX1\t20261231\t411000\tClients\tC0001\tClient numéro 1\tX1\t20261231\tErreur\t10,00\t0,00\t\t\t20261231\t\t\n";
    std::fs::write(&bad, large_fec(30_000, first, tail)).unwrap();
    let lines = 30_000 * 2 + 2;
    match import(&app, &bad) {
        Err(AppError::InvalidFile { message, .. }) => assert!(
            message.contains(&format!(
                "111111111FEC20261231.txt:{lines}: EcritureNum: entry OD X1 does not balance"
            )),
            "{message}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        dump(&db),
        before,
        "a refused file must leave the database exactly as it was"
    );
    // The same file, balanced: written while read, the indexes rebuilt as they were, every reference sound.
    let good = dir.path().join("111111111FEC20261231.txt");
    std::fs::write(&good, large_fec(30_000, first, "")).unwrap();
    let preview = app.inspect_fec(&good, &FecImportOptions::default()).unwrap();
    assert_eq!(dump(&db), before, "an analysis writes nothing");
    assert_eq!(preview.changes.invoices_added, 30_000);
    let done = import(&app, &good).unwrap();
    assert_eq!(done.customer_lines, 30_000);
    assert_eq!(done.customers, 500);
    assert_eq!(done.changes.invoices_added, 30_000);
    drop(open(&dir.path().join("fresh.db")));
    assert_eq!(
        indexes(&db),
        indexes(&dir.path().join("fresh.db")),
        "the same indexes as a new database"
    );
    assert_eq!(foreign_key_problems(&db), 0);
    // The file's open amount is its lines' sum, and the aged balance at its last day says the same.
    let total: i64 = (0..30_000).map(|i| 10_000 + (i % 977) * 13).sum();
    let expected = format!("{}.{:02}", total / 100, total % 100);
    assert_eq!(done.open_amount, expected);
    let aging = app.aging(Some(d(2026, 10, 27))).unwrap();
    assert_eq!(aging.totals.balance, expected);
}

#[test]
fn the_fiscal_year_is_the_earliest_date_even_when_it_comes_after_the_first_batches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("year.db");
    let app = open(&db);
    // 6,000 invoices from 2026-02-01 (more than one batch), then an opening entry dated 2026-01-01.
    let tail = "AN\tA nouveaux\tAN1\t20260101\t411000\tClients\tC0001\tClient numéro 1\tAN1\t20260101\tReport\t50,00\t0,00\t\t\t20260101\t\t\n\
                AN\tA nouveaux\tAN1\t20260101\t890000\tBilan\t\t\tAN1\t20260101\tReport\t0,00\t50,00\t\t\t20260101\t\t\n";
    let file = dir.path().join("123456789FEC20261231.txt");
    std::fs::write(&file, large_fec(6_000, d(2026, 2, 1), tail)).unwrap();
    let done = import(&app, &file).unwrap();
    assert_eq!(done.period_start, Some(d(2026, 1, 1)));
    let years = |table: &str| -> Vec<Option<String>> {
        common::query(&db, &format!("SELECT DISTINCT fiscal_year FROM {table}"))
            .into_iter()
            .map(|mut r| r.remove(0))
            .collect()
    };
    assert_eq!(years("ledger_line"), vec![Some("2026-01-01".to_string())]);
    assert_eq!(years("invoice"), vec![Some("2026-01-01".to_string())]);
    assert_eq!(years("import_batch"), vec![Some("2026-01-01".to_string())]);
    // An updated export of that year replaces its lines (one invoice less: marked missing, not deleted).
    std::fs::write(&file, large_fec(5_999, d(2026, 2, 1), tail)).unwrap();
    let again = import(&app, &file).unwrap();
    assert_eq!(again.changes.lines_removed, 6_001);
    assert_eq!(again.changes.lines_added, 6_000);
    assert_eq!(again.changes.invoices_kept, 6_000);
    assert_eq!(again.changes.invoices_missing, 1);
    assert_eq!(foreign_key_problems(&db), 0);
}

#[test]
fn the_years_turnover_is_recorded_for_the_d441_6_table_unless_the_user_entered_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let app = open(&db);
    let file = dir.path().join("123456789FEC20261231.txt");
    std::fs::write(&file, large_fec(10, d(2026, 1, 1), "")).unwrap();
    import(&app, &file).unwrap();
    let year_end = d(2026, 12, 31);
    // Ten sales credited to 706000: the turnover excl. VAT is their sum.
    let total: i64 = (0..10).map(|i| 10_000 + (i % 977) * 13).sum();
    let report = app.d441_6(year_end, None).unwrap();
    assert_eq!(
        report.turnover,
        Some(format!("{}.{:02}", total / 100, total % 100))
    );
    assert_eq!(report.turnover_source.as_deref(), Some("fec"));
    app.set_turnover(year_end, rust_decimal::Decimal::new(9_999_900, 2))
        .unwrap();
    std::fs::write(&file, large_fec(11, d(2026, 1, 1), "")).unwrap();
    import(&app, &file).unwrap();
    let report = app.d441_6(year_end, None).unwrap();
    assert_eq!(report.turnover.as_deref(), Some("99999.00"));
    assert_eq!(report.turnover_source.as_deref(), Some("user"));
}
