//! The litigation file (dossier contentieux) of one customer on a hand-built ledger: every letter printed and every
//! email sent is kept as sent (the email's bytes are those the SMTP server received; the hash is the action's);
//! the zip holds each file the manifest lists with its SHA-256 and size; a reminder sent before documents were
//! kept is regenerated and marked "reconstitue"; the formal notice is the one sent, else one written at the date;
//! the same data gives the same bytes.

use chrono::NaiveDate;
use encaisse_app::dossier::{Dossier, DossierManifest};
use encaisse_app::letters::LetterRequest;
use encaisse_app::mail::{Keyring, SaveSmtp, Security, SendEmails, SmtpSettings};
use encaisse_app::workflow::{ActionDto, ActionInput, DisputeInput};
use encaisse_app::{App, FecImportOptions, TabularOptions};
use encaisse_domain::FixedClock;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use crate::smtp_sink::Sink;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// C1 owes F1 (1 200 €, due 2026-02-09) and F2 (300 €, due 2026-03-03); C2 owes F3. 30 days net.
const FEC: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise
VE\tVE\t1\t20260110\t411000\tClients\tC1\tClient C1\tF1\t20260110\tF1\t1200,00\t0,00\t\t\t20260110\t\t
VE\tVE\t1\t20260110\t706000\tVentes\t\t\tF1\t20260110\tF1\t0,00\t1200,00\t\t\t20260110\t\t
VE\tVE\t2\t20260201\t411000\tClients\tC1\tClient C1\tF2\t20260201\tF2\t300,00\t0,00\t\t\t20260201\t\t
VE\tVE\t2\t20260201\t706000\tVentes\t\t\tF2\t20260201\tF2\t0,00\t300,00\t\t\t20260201\t\t
VE\tVE\t3\t20260115\t411000\tClients\tC2\tClient C2\tF3\t20260115\tF3\t500,00\t0,00\t\t\t20260115\t\t
VE\tVE\t3\t20260115\t706000\tVentes\t\t\tF3\t20260115\tF3\t0,00\t500,00\t\t\t20260115\t\t
";

fn open(db: &Path, today: &str, keyring: &Arc<Keyring>) -> App {
    crate::backend::open(db, Box::new(FixedClock(d(today))))
        .unwrap()
        .with_secrets(keyring.clone())
}

fn setup(dir: &Path, sink: &Sink, keyring: &Arc<Keyring>) -> App {
    let app = open(&dir.join("e.db"), "2026-02-10", keyring);
    let fec = dir.join("123456789FEC20261231.txt");
    std::fs::write(&fec, FEC).unwrap();
    app.import_fec(&fec, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    let customers = dir.join("clients.csv");
    std::fs::write(
        &customers,
        "Code client;Raison sociale;Email;Adresse;SIREN\nC1;Café de la Gare SARL;compta@cafe.test;3 place de la Gare 69007 Lyon;552100554\nC2;Dupont;paie@dupont.test;;\n",
    )
    .unwrap();
    app.import_customers_file(&customers, &TabularOptions::default())
        .unwrap();
    app.save_smtp(
        &SaveSmtp {
            settings: SmtpSettings {
                host: "127.0.0.1".into(),
                port: sink.port,
                security: Security::None,
                from_address: "relances@atelier.test".into(),
                from_name: "Atelier Dupuis".into(),
                ..SmtpSettings::default()
            },
            password: None,
        },
        "anne",
    )
    .unwrap();
    app
}

fn entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// Every file the manifest lists is in the zip with its SHA-256 and size, the manifest.json in the zip is the
/// manifest, and nothing else is there.
fn check_manifest(d: &Dossier) -> BTreeMap<String, Vec<u8>> {
    let files = entries(&d.zip);
    let written: DossierManifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(written, d.manifest);
    for f in &d.manifest.files {
        let bytes = files
            .get(&f.name)
            .unwrap_or_else(|| panic!("{} listed but not in the zip", f.name));
        assert_eq!(sha(bytes), f.sha256, "{}", f.name);
        assert_eq!(bytes.len() as u64, f.size, "{}", f.name);
        assert_eq!(f.reconstituted, f.origin == "reconstituted", "{}", f.name);
    }
    assert_eq!(files.len(), d.manifest.files.len() + 1, "{:?}", files.keys());
    files
}

fn file_of<'a>(d: &'a Dossier, action: &ActionDto) -> &'a encaisse_app::dossier::DossierFile {
    d.manifest
        .files
        .iter()
        .find(|f| f.action_id == Some(action.id))
        .unwrap_or_else(|| panic!("no file for action {}: {:?}", action.id, d.manifest.files))
}

fn pdftotext(pdf: &[u8], dir: &Path) -> Option<String> {
    let path = dir.join("summary.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8(out.stdout)
                .unwrap()
                .split(|c: char| c.is_whitespace() || c == '\u{a0}')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => {
            eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

#[test]
fn the_litigation_file_holds_what_was_sent_as_sent_and_marks_what_was_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);

    // Before documents were kept: a letter and an email the log holds without their bytes.
    let old_letter = app
        .record_action(&ActionInput {
            customer: "C1".into(),
            kind: "letter".into(),
            invoices: vec!["F1".into()],
            step: Some("reminder_1".into()),
            date: Some(d("2026-02-10")),
            subject: Some("Factures échues".into()),
            body: "Bonjour, F1 reste impayée.".into(),
            ..ActionInput::default()
        })
        .unwrap();
    let old_email = app
        .record_action(&ActionInput {
            customer: "C1".into(),
            kind: "email".into(),
            invoices: vec!["F1".into()],
            date: Some(d("2026-02-11")),
            recipient: Some("compta@cafe.test".into()),
            subject: Some("Relance F1".into()),
            body: "Bonjour,\n\nLa facture F1 reste impayée.".into(),
            ..ActionInput::default()
        })
        .unwrap();
    assert_eq!(old_letter.document_sha256, None);
    app.open_dispute(&DisputeInput {
        customer: "C1".into(),
        invoices: vec!["F2".into()],
        kind: "quality".into(),
        department: "quality".into(),
        amount: None,
        opened_on: Some(d("2026-02-12")),
        user: "anne".into(),
        comment: "Pièces abîmées".into(),
    })
    .unwrap();
    drop(app);

    // From now on: the agenda's email of 02-24 (reminder_2), sent through the SMTP server, is kept as the server
    // received it.
    let app = open(&dir.path().join("e.db"), "2026-02-24", &keyring);
    let report = app
        .send_emails(
            &SendEmails {
                as_of: None,
                customers: vec!["C1".into()],
                user: "anne".into(),
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.sent.len(), 1, "{:?}", report.failed);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    // A letter printed: the PDF handed to the printer is the one kept.
    let mut printed = Vec::new();
    let letter = app
        .print_letter(
            &LetterRequest {
                customer: "C1".into(),
                step: Some("reminder_3".into()),
                as_of: Some(d("2026-02-24")),
                ..LetterRequest::default()
            },
            |pdf, _| {
                printed = pdf.to_vec();
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(letter.action.document_sha256, Some(sha(&printed)));
    let actions = app.workflow_records("C1", None).unwrap().actions;
    let email = actions.iter().find(|a| a.id == report.sent[0].action_id).unwrap();
    drop(app);

    let app = open(&dir.path().join("e.db"), "2026-03-02", &keyring);
    let as_of = d("2026-03-01");
    let dossier = app.dossier("C1", Some(as_of)).unwrap();
    let files = check_manifest(&dossier);
    // The same data at the same date: the same bytes.
    assert_eq!(app.dossier("C1", Some(as_of)).unwrap().zip, dossier.zip);

    // The email as the server received it: its hash is the action's.
    let kept = file_of(&dossier, email);
    assert_eq!(Some(&kept.sha256), email.document_sha256.as_ref());
    assert!(
        kept.name.ends_with("-courriel.eml") && kept.origin == "sent" && !kept.reconstituted,
        "{kept:?}"
    );
    let eml = &files[&kept.name];
    assert_eq!(
        String::from_utf8_lossy(eml).trim_end(),
        received[0].data.trim_end(),
        "the email kept is the one the server received"
    );
    // The printed letter: the very PDF printed.
    let kept = file_of(&dossier, &letter.action);
    assert_eq!(files[&kept.name], printed);
    assert_eq!(kept.date, d("2026-02-24"));
    // Those from before: regenerated (the letter) or taken from the log (the email), named and marked so.
    let rebuilt = file_of(&dossier, &old_letter);
    assert!(rebuilt.reconstituted, "{rebuilt:?}");
    assert!(
        rebuilt.name.ends_with("-reconstitue.pdf") && files[&rebuilt.name].starts_with(b"%PDF"),
        "{rebuilt:?}"
    );
    let rebuilt = file_of(&dossier, &old_email);
    assert!(
        rebuilt.reconstituted && rebuilt.name.ends_with("-2026-02-11-courriel-reconstitue.txt"),
        "{rebuilt:?}"
    );
    let text = String::from_utf8(files[&rebuilt.name].clone()).unwrap();
    assert!(
        text.contains("reconstitué") && text.contains("Objet : Relance F1"),
        "{text}"
    );

    // No formal notice sent: one written at the date, said so.
    let names: Vec<&str> = dossier.manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names[0], "00-fiche-de-synthese.pdf");
    assert_eq!(names[1], "01-mise-en-demeure-2026-03-01-non-envoyee.pdf");
    assert_eq!(dossier.manifest.files[1].origin, "generated");
    for expected in [
        "releve-de-compte.pdf",
        "releve-de-compte.csv",
        "litiges-et-promesses.csv",
        "journal-des-actions.csv",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(expected)),
            "{expected}: {names:?}"
        );
    }
    let csv = |suffix: &str| {
        let name = names.iter().find(|n| n.ends_with(suffix)).unwrap();
        String::from_utf8(files[*name].clone()).unwrap()
    };
    let disputes = csv("litiges-et-promesses.csv");
    assert!(
        disputes.contains("Litige;") && disputes.contains("Qualité") && disputes.contains("F2"),
        "{disputes}"
    );
    let statement = csv("releve-de-compte.csv");
    assert!(
        statement.contains("F1;") && statement.contains("1200,00") && statement.contains("1500,00"),
        "{statement}"
    );
    let log = csv("journal-des-actions.csv");
    assert!(log.contains(email.document_sha256.as_deref().unwrap()), "{log}");

    // The summary: the parties, the amounts and the route for a commercial company.
    if let Some(text) = pdftotext(&files["00-fiche-de-synthese.pdf"], dir.path()) {
        for needle in [
            "Dossier contentieux — Café de la Gare SARL",
            "SIREN 552 100 554",
            "SIREN 123 456 789",
            "Principal restant dû",
            "1 200,00 €",
            "tribunal de commerce",
            "reconstitué",
            "01-mise-en-demeure-2026-03-01-non-envoyee.pdf",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }

    // Once a formal notice is printed, the file holds that one, as printed.
    let mut notice = Vec::new();
    let sent = app
        .print_letter(
            &LetterRequest {
                customer: "C1".into(),
                step: Some("formal_notice".into()),
                as_of: Some(as_of),
                ..LetterRequest::default()
            },
            |pdf, _| {
                notice = pdf.to_vec();
                Ok(())
            },
        )
        .unwrap();
    let dossier = app.dossier("C1", Some(as_of)).unwrap();
    let files = check_manifest(&dossier);
    let first = &dossier.manifest.files[1];
    assert_eq!(
        (
            first.name.as_str(),
            first.kind.as_str(),
            first.origin.as_str(),
            first.action_id
        ),
        (
            "01-mise-en-demeure-2026-03-01.pdf",
            "formal_notice",
            "sent",
            Some(sent.action.id)
        )
    );
    assert_eq!(files[&first.name], notice);

    // The next step follows the debtor's kind: a private person goes to the tribunal judiciaire, a public body to
    // the administrative court.
    for (category, kind, route) in [
        ("private_person", "private_person", "tribunal judiciaire"),
        ("public_body", "public_body", "tribunal administratif"),
    ] {
        app.set_customer_category("C2", Some(category)).unwrap();
        let dossier = app.dossier("C2", Some(as_of)).unwrap();
        let files = check_manifest(&dossier);
        assert_eq!(serde_json::to_value(dossier.manifest.debtor_kind).unwrap(), kind);
        if let Some(text) = pdftotext(&files["00-fiche-de-synthese.pdf"], dir.path()) {
            assert!(text.contains(route), "{route}: {text}");
            assert!(!text.contains("tribunal de commerce"), "{category}: {text}");
        }
    }
}

/// On the demo company, a debtor with invoices paid late: the file holds the penalty statement (the same PDF as
/// `letter penalties` up to the date), listed in the manifest; a debtor who always paid on time has none.
#[test]
fn the_litigation_file_holds_the_penalty_statement_when_penalties_are_owed() {
    use encaisse_app::penalties::PenaltiesQuery;
    let dir = tempfile::tempdir().unwrap();
    let as_of = d("2026-11-26");
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(as_of))).unwrap();
    app.create_demo(&encaisse_app::DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(as_of),
        replace: None,
    })
    .unwrap();
    let all = PenaltiesQuery {
        as_of: Some(as_of),
        ..Default::default()
    };
    let owed: Vec<String> = app
        .penalties(&all)
        .unwrap()
        .statement
        .customers
        .into_iter()
        .map(|c| c.id)
        .collect();
    let aging = app.aging(Some(as_of)).unwrap();
    let overdue = |id: &str| {
        aging
            .customers
            .iter()
            .any(|c| c.id == id && c.buckets.iter().skip(1).any(|b| b != "0.00"))
    };
    // The first debtor owing penalties with something to claim (not every invoice past due disputed or promised).
    let (late, dossier) = owed
        .iter()
        .filter(|c| overdue(c))
        .find_map(|c| Some((c, app.dossier(c, Some(as_of)).ok()?)))
        .expect("a debtor with penalties owed and invoices past due");
    let files = check_manifest(&dossier);
    let entry = dossier
        .manifest
        .files
        .iter()
        .find(|f| f.kind == "penalty_statement")
        .unwrap_or_else(|| panic!("no penalty statement: {:?}", dossier.manifest.files));
    assert!(entry.name.ends_with("-releve-des-penalites.pdf"), "{entry:?}");
    let printed = app
        .penalty_statement_pdf(&PenaltiesQuery {
            customer: Some(late.clone()),
            ..all.clone()
        })
        .unwrap();
    assert_eq!(files[&entry.name], printed);

    if let Some(on_time) = aging
        .customers
        .iter()
        .map(|c| c.id.clone())
        .filter(|k| !owed.contains(k) && overdue(k))
        .find_map(|k| Some((k.clone(), app.dossier(&k, Some(as_of)).ok()?)))
    {
        let (on_time, dossier) = on_time;
        assert!(
            dossier
                .manifest
                .files
                .iter()
                .all(|f| f.kind != "penalty_statement"),
            "{on_time}: {:?}",
            dossier.manifest.files
        );
    }
}
