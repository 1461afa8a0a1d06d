//! Bank statements into the demo company: a camt.053 made from the demo's open invoices (a payment naming an
//! invoice is matched, one of an unknown payer stays unmatched), the same file twice changes nothing, an
//! overlapping statement shares its entries, a user's decisions (match with a split, on account, ignore, unmatch)
//! survive a re-import and are audited, a statement is removed with what it carried, a CFONB file, refusals.

use crate::common::dump_tables;
use chrono::NaiveDate;
use encaisse_app::bank::{BankImportOptions, BankStatus, InvoiceShare};
use encaisse_app::reports::AgingOptions;
use encaisse_app::{App, AppError, DemoOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

const TODAY: &str = "2026-11-26";
const TABLES: &[&str] = &[
    "bank_account",
    "bank_statement",
    "bank_entry",
    "bank_statement_entry",
    "bank_match",
    "bank_allocation",
    "bank_iban",
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub(crate) fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d(TODAY)))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

/// The demo's open invoices at today: (customer, name, number, still due), the largest first.
pub(crate) fn open_invoices(app: &App) -> Vec<(String, String, String, Decimal)> {
    let mut v: Vec<_> = app
        .aging_invoices(&AgingOptions::default(), None)
        .unwrap()
        .invoices
        .into_iter()
        .map(|i| (i.customer_id, i.customer_name, i.piece_ref, dec(&i.residual)))
        .filter(|i| i.3 > Decimal::ZERO)
        .collect();
    v.sort_by(|a, b| b.3.cmp(&a.3).then(a.2.cmp(&b.2)));
    v
}

/// One entry of a hand-made camt.053: (bank reference, amount, payer, remittance).
pub(crate) struct Ntry<'a>(pub &'a str, pub Decimal, pub &'a str, pub &'a str);

/// A camt.053.001.02 statement of one day with these entries, balanced.
pub(crate) fn camt(dir: &Path, name: &str, id: &str, day: &str, entries: &[Ntry]) -> PathBuf {
    let opening = dec("1000.00");
    let closing = opening + entries.iter().map(|e| e.1).sum::<Decimal>();
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M-{id}</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{id}</Id>
      <FrToDt><FrDtTm>{day}T00:00:00</FrDtTm><ToDtTm>{day}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>FR7630004005680001234567890</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
"#
    );
    for Ntry(reference, amount, payer, remittance) in entries {
        let (abs, ind) = if *amount < Decimal::ZERO {
            (-*amount, "DBIT")
        } else {
            (*amount, "CRDT")
        };
        xml.push_str(&format!(
            r#"      <Ntry>
        <Amt Ccy="EUR">{abs}</Amt><CdtDbtInd>{ind}</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt>
        <AcctSvcrRef>{reference}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>{payer}</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>VIR SEPA RECU</AddtlNtryInf>
      </Ntry>
"#
        ));
    }
    xml.push_str("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n");
    let path = dir.join(name);
    std::fs::write(&path, xml).unwrap();
    path
}

fn import(app: &App, files: &[PathBuf]) -> encaisse_app::bank::BankImportReport {
    app.import_bank(files, &BankImportOptions::default()).unwrap()
}

#[test]
fn a_payment_naming_a_demo_invoice_is_matched_and_the_same_file_twice_changes_nothing() {
    let (dir, app) = demo();
    let open = open_invoices(&app);
    let (customer, _, number, due) = open[0].clone();
    let file = camt(
        dir.path(),
        "day1.xml",
        "S1",
        "2026-11-25",
        &[
            Ntry("R1", due, "SOMEONE", &format!("PAIEMENT FACTURE {number}")),
            Ntry("R2", dec("77.77"), "NOBODY KNOWN", "CADEAU"),
            Ntry("R3", dec("-12.50"), "BANQUE", "FRAIS"),
        ],
    );
    let dry = app
        .inspect_bank(std::slice::from_ref(&file), &BankImportOptions::default())
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!((dry.credits, dry.matched), (2, 1));
    assert!(
        app.bank_entries(None).unwrap().entries.is_empty(),
        "a dry run writes nothing"
    );

    let first = import(&app, std::slice::from_ref(&file));
    assert_eq!(first.statements.len(), 1);
    let s = &first.statements[0];
    assert_eq!(
        (s.format.as_str(), s.account.as_str(), s.entries),
        ("camt053.001.02", "FR7630004005680001234567890", 3)
    );
    assert_eq!(
        (first.credits, first.matched, first.suggested, first.unmatched),
        (2, 1, 0, 1)
    );
    assert_eq!(first.entries_added, 3);

    let matched = app.bank_entries(Some(BankStatus::Matched)).unwrap().entries;
    assert_eq!(matched.len(), 1);
    let m = &matched[0];
    assert_eq!(m.decided_by, "auto");
    assert_eq!(m.matches.len(), 1);
    assert_eq!(
        (m.matches[0].invoice.as_str(), m.matches[0].customer.as_str()),
        (number.as_str(), customer.as_str())
    );
    assert_eq!(dec(&m.matches[0].amount), due);
    assert!(
        m.reasons
            .iter()
            .any(|r| r.code == "invoice_number_in_label" && r.invoice.as_deref() == Some(&number)),
        "{:?}",
        m.reasons
    );
    assert_eq!(
        app.bank_entries(Some(BankStatus::Unmatched))
            .unwrap()
            .entries
            .len(),
        1
    );

    let path = dir.path().join("e.db");
    let before = dump_tables(&path, TABLES);
    let again = import(&app, std::slice::from_ref(&file));
    assert!(again.statements[0].already_imported);
    assert_eq!((again.entries_added, again.entries_known), (0, 3));
    assert_eq!((again.credits, again.matched, again.unmatched), (2, 1, 1));
    assert_eq!(
        dump_tables(&path, TABLES),
        before,
        "the same file twice: no change"
    );
    let imports: Vec<_> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.facts.import_kind.as_deref() == Some("bank"))
        .collect();
    assert_eq!(
        imports.len(),
        1,
        "the import is audited once, the unchanged re-import not"
    );
    assert_eq!(imports[0].facts.file.as_deref(), Some("day1.xml"));

    // An invoice paid by a matched entry is no longer open to a second automatic match.
    let twice = camt(
        dir.path(),
        "day2.xml",
        "S2",
        "2026-11-26",
        &[Ntry("R9", due, "SOMEONE", &format!("FACTURE {number}"))],
    );
    let second = import(&app, &[twice]);
    assert_eq!(second.matched, 0, "{second:?}");
}

#[test]
fn overlapping_statements_share_entries_and_decisions_survive_re_imports() {
    let (dir, app) = demo();
    let open = open_invoices(&app);
    // Two invoices of one customer for a split.
    let (customer, name, a, a_due) = open[0].clone();
    let (b, b_due) = open
        .iter()
        .find(|i| i.0 == customer && i.2 != a)
        .map(|i| (i.2.clone(), i.3))
        .expect("the largest debtor has two open invoices");
    let paid = a_due + dec("10.00");
    let day = camt(
        dir.path(),
        "one.xml",
        "S1",
        "2026-11-25",
        &[
            Ntry("P1", paid, "UNKNOWN PAYER", "VIREMENT"),
            Ntry("P2", dec("55.00"), "ANOTHER", "ACOMPTE"),
            Ntry("P3", dec("66.00"), "OURSELVES", "VIREMENT INTERNE"),
        ],
    );
    import(&app, std::slice::from_ref(&day));
    let entries = app.bank_entries(None).unwrap().entries;
    let id = |r: &str| entries.iter().find(|e| e.id.ends_with(r)).unwrap().id.clone();

    // Split: all of A, 10.00 on B.
    let e = app
        .bank_match(
            &id(":P1"),
            &[
                InvoiceShare::parse(&a).unwrap(),
                InvoiceShare::parse(&format!("{b}=10.00")).unwrap(),
            ],
        )
        .unwrap();
    assert_eq!(e.status, BankStatus::Matched);
    assert_eq!(e.decided_by, "user");
    assert_eq!(e.customer.as_deref(), Some(customer.as_str()));
    assert_eq!(e.customer_name.as_deref(), Some(name.as_str()));
    // In the order given; a server keeps no order of writing, its shares come by invoice.
    let mut want = vec![(a.clone(), a_due), (b.clone(), dec("10.00"))];
    if crate::backend::on_postgres() {
        want.sort();
    }
    assert_eq!(
        e.matches
            .iter()
            .map(|m| (m.invoice.clone(), dec(&m.amount)))
            .collect::<Vec<_>>(),
        want
    );
    assert!(b_due >= dec("10.00"));
    let on_account = app.bank_on_account(&id(":P2"), &customer).unwrap();
    assert_eq!(on_account.status, BankStatus::OnAccount);
    assert_eq!(dec(&on_account.unapplied), dec("55.00"));
    let ignored = app.bank_ignore(&id(":P3")).unwrap();
    assert_eq!(ignored.status, BankStatus::Ignored);

    // Refusals: more than the invoice owes, an unknown invoice, an amount beyond the entry.
    let err = app
        .bank_match(
            &id(":P2"),
            &[InvoiceShare::parse(&format!("{b}=999999999")).unwrap()],
        )
        .unwrap_err();
    assert!(
        matches!(err, AppError::InvalidInput(ref m) if m.contains("more than the invoice still owes")),
        "{err}"
    );
    let err = app
        .bank_match(&id(":P2"), &[InvoiceShare::parse("NO-SUCH-INVOICE").unwrap()])
        .unwrap_err();
    assert!(
        matches!(err, AppError::InvalidInput(ref m) if m.contains("not an open invoice")),
        "{err}"
    );

    // A statement overlapping the first (the same day, one entry more, another id): entries shared by identity,
    // every decision kept.
    let overlapping = camt(
        dir.path(),
        "two.xml",
        "S1-BIS",
        "2026-11-25",
        &[
            Ntry("P1", paid, "UNKNOWN PAYER", "VIREMENT"),
            Ntry("P2", dec("55.00"), "ANOTHER", "ACOMPTE"),
            Ntry("P3", dec("66.00"), "OURSELVES", "VIREMENT INTERNE"),
            Ntry("P4", dec("12.34"), "SOMEBODY", "RIEN"),
        ],
    );
    let r = import(&app, &[day.clone(), overlapping]);
    assert_eq!((r.entries_added, r.entries_known), (1, 6));
    assert_eq!(r.credits, 4, "each entry counted once");
    let after = app.bank_entries(None).unwrap().entries;
    assert_eq!(after.len(), 4);
    let status = |r: &str| after.iter().find(|e| e.id.ends_with(r)).unwrap();
    assert_eq!(status(":P1").status, BankStatus::Matched);
    assert_eq!(status(":P1").matches.len(), 2);
    assert_eq!(status(":P2").status, BankStatus::OnAccount);
    assert_eq!(status(":P3").status, BankStatus::Ignored);

    // The payer's IBAN was learned with the confirmed match.
    let db = dir.path().join("e.db");
    let learned = crate::common::query(&db, "SELECT iban, customer_key FROM bank_iban");
    assert_eq!(
        learned,
        vec![vec![
            Some("FR7630006000011234567890189".to_string()),
            Some(customer.clone())
        ]]
    );

    // Unmatch: back to unmatched by a user, kept through a re-import.
    let un = app.bank_unmatch(&id(":P1")).unwrap();
    assert_eq!((un.status, un.matches.len()), (BankStatus::Unmatched, 0));
    import(&app, &[day]);
    let p1 = app.bank_entry_status(&id(":P1"));
    assert_eq!(p1, (BankStatus::Unmatched, "user".to_string()));

    // Every decision is in the audit trail.
    let trail = app.audit_trail(None, None).unwrap();
    let kinds: Vec<String> = trail.iter().map(|e| format!("{:?}", e.kind)).collect();
    for k in [
        "BankEntryMatched",
        "BankEntryOnAccount",
        "BankEntryIgnored",
        "BankEntryUnmatched",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} missing in {kinds:?}");
    }
}

trait EntryStatus {
    fn bank_entry_status(&self, id: &str) -> (BankStatus, String);
}

impl EntryStatus for App {
    fn bank_entry_status(&self, id: &str) -> (BankStatus, String) {
        let e = self
            .bank_entries(None)
            .unwrap()
            .entries
            .into_iter()
            .find(|e| e.id == id)
            .unwrap();
        (e.status, e.decided_by)
    }
}

#[test]
fn a_statement_is_removed_with_the_entries_and_matches_it_carried_and_the_removal_is_audited() {
    let (dir, app) = demo();
    let open = open_invoices(&app);
    let (_, _, number, due) = open[0].clone();
    let first = camt(
        dir.path(),
        "a.xml",
        "A",
        "2026-11-24",
        &[
            Ntry("X1", due, "PAYER", &format!("FACTURE {number}")),
            Ntry("X2", dec("5.00"), "P", "R"),
        ],
    );
    let second = camt(
        dir.path(),
        "b.xml",
        "B",
        "2026-11-24",
        &[Ntry("X2", dec("5.00"), "P", "R")],
    );
    import(&app, &[first, second]);
    let statements = app.bank_statements().unwrap().statements;
    assert_eq!(statements.len(), 2);
    let a = statements.iter().find(|s| s.file == "a.xml").unwrap();
    let removed = app.bank_remove_statement(a.id).unwrap();
    // X1 (matched) goes; X2 stays, the other statement carries it.
    assert_eq!((removed.entries_removed, removed.decisions_removed), (1, 1));
    let left = app.bank_entries(None).unwrap().entries;
    assert_eq!(left.len(), 1);
    assert!(left[0].id.ends_with(":X2"));
    let db = dir.path().join("e.db");
    assert!(
        dump_tables(&db, &["bank_allocation"]).is_empty(),
        "the match went with its entry"
    );
    let trail = app.audit_trail(None, None).unwrap();
    assert!(trail
        .iter()
        .any(|e| format!("{:?}", e.kind) == "BankStatementRemoved"));
    let err = app.bank_remove_statement(a.id).unwrap_err();
    assert!(matches!(err, AppError::InvalidInput(_)), "{err}");
}

#[test]
fn a_cfonb_file_is_imported_once_and_a_damaged_file_writes_nothing() {
    let (dir, app) = demo();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bank/tests/fixtures");
    let cfonb = fixtures.join("cfonb120.txt");
    let r = import(&app, std::slice::from_ref(&cfonb));
    assert_eq!(r.statements.len(), 1);
    assert_eq!(r.statements[0].format, "cfonb120");
    assert!(r.statements[0].entries > 0);
    assert!(r.credits > 0);
    assert_eq!(r.credits, r.matched + r.suggested + r.unmatched);
    let db = dir.path().join("e.db");
    let before = dump_tables(&db, TABLES);
    let again = import(&app, std::slice::from_ref(&cfonb));
    assert_eq!(again.entries_added, 0);
    assert_eq!(dump_tables(&db, TABLES), before);

    // A damaged CFONB record beside a good camt file: both refused, the problem names file, line and field.
    let text = std::fs::read_to_string(&cfonb).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1].replace_range(90..100, "ABCDEFGHIJ");
    let damaged = dir.path().join("damaged.txt");
    std::fs::write(&damaged, lines.join("\n")).unwrap();
    let good = camt(
        dir.path(),
        "good.xml",
        "G",
        "2026-11-20",
        &[Ntry("G1", dec("1.00"), "P", "R")],
    );
    let err = app
        .import_bank(&[good, damaged], &BankImportOptions::default())
        .unwrap_err();
    match err {
        AppError::InvalidFile { problems, .. } => {
            assert!(
                problems.iter().all(|p| p.file == "damaged.txt" && p.line == 2),
                "{problems:?}"
            );
            assert!(!problems[0].field.is_empty());
        }
        other => panic!("{other}"),
    }
    assert_eq!(dump_tables(&db, TABLES), before, "nothing written");
}

#[test]
fn a_bank_csv_export_needs_its_account_and_reads_the_usual_headers_or_a_mapping() {
    use encaisse_app::imports::FieldHeader;
    let (dir, app) = demo();
    let open = open_invoices(&app);
    let (_, _, number, due) = open[0].clone();
    let amount = due.to_string().replace('.', ",");
    let csv = dir.path().join("export.csv");
    std::fs::write(
        &csv,
        format!(
            "Date;Libellé;Montant;Réf banque\n25/11/2026;VIR {number};{amount};B-1\n25/11/2026;FRAIS;-3,00;B-2\n"
        ),
    )
    .unwrap();
    let err = app
        .import_bank(std::slice::from_ref(&csv), &BankImportOptions::default())
        .unwrap_err();
    match &err {
        AppError::InvalidFile { problems, .. } => {
            assert_eq!(
                (problems[0].file.as_str(), problems[0].field.as_str()),
                ("export.csv", "account")
            )
        }
        other => panic!("{other}"),
    }
    let account = Some("FR76 3000 4005 6800 0123 4567 890".to_string());
    let guessed = app
        .import_bank(
            std::slice::from_ref(&csv),
            &BankImportOptions {
                account: account.clone(),
                csv_mapping: Vec::new(),
            },
        )
        .unwrap();
    assert_eq!(guessed.statements[0].format, "csv");
    assert_eq!(guessed.statements[0].account, "FR7630004005680001234567890");
    assert_eq!((guessed.credits, guessed.matched), (1, 1));

    // The same export read through an explicit mapping: the same entries, already known.
    let map = |field: &str, header: &str| FieldHeader {
        field: field.into(),
        header: header.into(),
    };
    let mapped = app
        .import_bank(
            &[csv],
            &BankImportOptions {
                account,
                csv_mapping: vec![
                    map("date", "Date"),
                    map("label", "Libellé"),
                    map("amount", "Montant"),
                ],
            },
        )
        .unwrap();
    assert_eq!((mapped.entries_added, mapped.entries_known), (0, 2));
    let err = app
        .inspect_bank(
            &[dir.path().join("export.csv")],
            &BankImportOptions {
                account: None,
                csv_mapping: vec![map("colour", "Date")],
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, AppError::InvalidInput(ref m) if m.contains("'colour' is not a field")),
        "{err}"
    );
}
