//! Strict inputs through the app (issue 13): a hostile file is refused with named problems and the database is
//! left exactly as it was; the longest values a file may hold go through the daily report, the e-mails, the
//! letters and the printed reports.

use chrono::NaiveDate;
use encaisse_app::export_file::{ExportFormat, ExportReport};
use encaisse_app::letters::RateRow;
use encaisse_app::mail::PreviewRequest;
use encaisse_app::{App, AppError, FecImportOptions, ProblemCode, TabularOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common::dump;

fn open(path: &Path, today: NaiveDate) -> App {
    crate::backend::open(path, Box::new(FixedClock(today))).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

/// Where a problem is expected and its kind: line, field, code.
type Expected = (u32, &'static str, ProblemCode);

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

fn fec_entry(num: u32, date: &str, name: &str) -> String {
    format!(
        "VE\tVentes\t{num}\t{date}\t411000\tClients\tC{num}\t{name}\tF{num}\t{date}\tFacture F{num}\t120,00\t0,00\t\t\t{date}\t\t\n\
         VE\tVentes\t{num}\t{date}\t706000\tVentes\t\t\tF{num}\t{date}\tFacture F{num}\t0,00\t120,00\t\t\t{date}\t\t\n"
    )
}

/// The problems of a refused import, after checking the database did not change.
fn refused_unchanged(
    db: &Path,
    import: impl FnOnce() -> Result<(), AppError>,
) -> Vec<encaisse_app::FileProblem> {
    let before = dump(db);
    let problems = match import() {
        Err(AppError::InvalidFile { problems, .. }) => problems,
        other => panic!("not refused as a file: {other:?}"),
    };
    assert_eq!(dump(db), before, "a refused file changed the database");
    assert!(!problems.is_empty());
    problems
}

#[test]
fn hostile_fec_files_are_refused_with_named_problems_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db, day(2022, 10, 15));
    app.import_fec(
        &sample("0000000001FEC20220831.txt"),
        &FecImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let cases: [(&str, Vec<u8>, Expected); 5] = [
        (
            "year-0000.txt",
            format!("{FEC_HEADER}\n{}", fec_entry(1, "00000101", "Client Un")).into_bytes(),
            (2, "EcritureDate", ProblemCode::BadDate),
        ),
        (
            "nul.txt",
            format!("{FEC_HEADER}\n{}", fec_entry(1, "20220105", "Client\0Un")).into_bytes(),
            (2, "CompAuxLib", ProblemCode::ControlCharacter),
        ),
        (
            "long-name.txt",
            format!("{FEC_HEADER}\n{}", fec_entry(1, "20220105", &"X".repeat(3000))).into_bytes(),
            (2, "CompAuxLib", ProblemCode::TooLong),
        ),
        (
            "utf16.txt",
            [0xFF, 0xFE]
                .into_iter()
                .chain(
                    format!("{FEC_HEADER}\n{}", fec_entry(1, "20220105", "Client Un"))
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes),
                )
                .collect(),
            (0, "file", ProblemCode::NotText),
        ),
        (
            "header-only.txt",
            format!("{FEC_HEADER}\n").into_bytes(),
            (1, "file", ProblemCode::EmptyFile),
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let problems = refused_unchanged(&db, || {
            app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
                .map(drop)
        });
        let found: Vec<(u32, &str, ProblemCode)> = problems
            .iter()
            .map(|p| (p.line, p.field.as_str(), p.code))
            .collect();
        assert!(found.contains(&expected), "{name}: {expected:?} not in {found:?}");
        assert!(problems.iter().all(|p| p.file == name), "{problems:?}");
        if name == "utf16.txt" {
            assert_eq!(
                problems.len(),
                1,
                "one problem, not a missing column each: {problems:?}"
            );
            assert_eq!(
                problems[0].reason,
                "UTF-16 is not supported: save the file as UTF-8"
            );
        }
    }
}

#[test]
fn an_unbalanced_quote_in_a_customers_file_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db, day(2022, 10, 15));
    app.import_fec(
        &sample("0000000001FEC20220831.txt"),
        &FecImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let path = dir.path().join("clients.csv");
    std::fs::write(
        &path,
        "Code client;Raison sociale;Ville\nCLAURE;\"Laurent Primeurs;Paris\nCMOURL;Mourlhon;Lyon\nCNOURR;Nourrit;Lyon\n",
    )
    .unwrap();
    let problems = refused_unchanged(&db, || {
        app.import_customers_file(&path, &TabularOptions::default())
            .map(drop)
    });
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].line, problems[0].code),
        (2, ProblemCode::UnclosedQuote)
    );
}

#[test]
fn the_longest_accepted_names_go_through_the_daily_report_emails_letters_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let today = day(2022, 10, 15);
    let app = open(&db, today);
    app.import_fec(
        &sample("0000000001FEC20220831.txt"),
        &FecImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let agenda = app.agenda_view(Some(today)).unwrap();
    assert!(agenda.items.len() >= 5, "{}", agenda.items.len());
    // Every customer of the agenda renamed to a name of 500 characters, the most a customers file may hold.
    let name = |key: &str| {
        format!("{key} {}", "Société Générale d'Électricité ".repeat(20))
            .chars()
            .take(500)
            .collect::<String>()
    };
    let mut csv = String::from("Code client;Raison sociale\n");
    for item in &agenda.items {
        csv.push_str(&format!(
            "{};{}\n",
            item.action.customer,
            name(&item.action.customer)
        ));
    }
    let path = dir.path().join("clients.csv");
    std::fs::write(&path, csv).unwrap();
    app.import_customers_file(&path, &TabularOptions::default())
        .unwrap();
    let first = &agenda.items[0].action.customer;
    let long = name(first);
    assert_eq!(long.chars().count(), 500);

    // The daily report: whole in the HTML part, cut in the text part's table.
    let report = app.daily_report(Some(today)).unwrap();
    assert_eq!(report.agenda_count as usize, agenda.items.len());
    assert!(
        report.html.contains(&long.replace('\'', "&#39;")),
        "the HTML part has the whole name"
    );
    let longest_line = report.text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest_line < 200, "a text line of {longest_line} characters");
    assert!(report
        .text
        .contains(&format!("{}…", long.chars().take(79).collect::<String>())));

    // The e-mail of the agenda to that customer.
    let email = app
        .preview_email(&PreviewRequest {
            customer: first.clone(),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(email.name, long);

    // Every letter of the day, and the printed reports.
    let batch = app.letters_batch(Some(today)).unwrap();
    assert!(!batch.letters.is_empty() && batch.pdf.starts_with(b"%PDF-"));
    assert!(batch.letters.iter().any(|l| l.name.chars().count() == 500));
    let aging = app.aging_report_pdf(Some(today)).unwrap();
    assert!(aging.starts_with(b"%PDF-"));
    let out = dir.path().join("clients.pdf");
    app.export_report(
        &ExportReport::Customers { as_of: Some(today) },
        ExportFormat::Pdf,
        &out,
    )
    .unwrap();
}

#[test]
fn an_invoice_older_than_the_rates_table_leaves_its_customer_out_of_the_letters_batch() {
    // 1900-01-01 is accepted; an invoice of 2010 is real (an opening balance): the rates table starts in 2016.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let today = day(2022, 10, 15);
    let app = open(&db, today);
    let text = std::fs::read_to_string(sample("0000000001FEC20220831.txt")).unwrap();
    let old = text.replacen(
        "\tCLAURE\tLAURENT PRIMEURS\tRAN\t20210901\t",
        "\tCLAURE\tLAURENT PRIMEURS\tRAN\t20100901\t",
        1,
    );
    assert_ne!(old, text);
    let path = dir.path().join("0000000001FEC20220831.txt");
    std::fs::write(&path, old).unwrap();
    app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    // The other letters print; CLAURE's is left out, naming the half-year and the screen where to add its rate.
    let batch = app.letters_batch(Some(today)).unwrap();
    assert!(batch.pdf.starts_with(b"%PDF-"));
    assert_eq!(batch.letters.len(), 8);
    assert!(batch.letters.iter().all(|l| l.customer != "CLAURE"));
    assert_eq!(batch.left_out.len(), 1, "{:?}", batch.left_out);
    let out = &batch.left_out[0];
    assert_eq!(
        (out.customer.as_str(), out.name.as_str(), out.step.as_str()),
        ("CLAURE", "LAURENT PRIMEURS", "formal_notice")
    );
    assert_eq!(out.missing_rate, Some(day(2010, 7, 1)));
    assert_eq!(
        out.reason,
        "customer CLAURE: no ECB rate for the half-year starting 2010-07-01: add it in Settings → Lettres et taux \
         (penalty rates by half-year)"
    );
    assert_eq!(batch.result().left_out, batch.left_out);
    // Its own notice says the same; once the half-years are added, nobody is left out.
    let e = app
        .notice("CLAURE", Some(today), &Default::default())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("2010-07-01: add it in Settings → Lettres et taux"),
        "{e}"
    );
    let mut rates = app.rates().unwrap();
    for y in 2010..=2016 {
        for m in [1, 7] {
            if !rates.ecb.iter().any(|r| r.from == day(y, m, 1)) {
                rates.ecb.push(RateRow {
                    from: day(y, m, 1),
                    rate: "1.00".into(),
                    confirmed: true,
                });
            }
        }
    }
    app.save_rates(&rates, "claire").unwrap();
    let batch = app.letters_batch(Some(today)).unwrap();
    assert!(batch.left_out.is_empty(), "{:?}", batch.left_out);
    assert_eq!(batch.letters.len(), 9);
}
