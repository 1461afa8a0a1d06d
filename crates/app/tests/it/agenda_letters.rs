//! One account of each letter action on the demo company: the agenda's overdue invoices and their still-due total,
//! the letter's (what it claims, its still-due total) and the recorded action's invoices are the same for every
//! letter and formal notice of the day; and a letter is recorded only once it reached a viewer.

use crate::common::dump_tables;
use chrono::NaiveDate;
use encaisse_app::letters::{LetterRequest, NoticeOptions, Viewer};
use encaisse_app::workflow::{AgendaItem, DisputeInput, PromiseInput};
use encaisse_app::{App, AppError, DemoOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

const TODAY: &str = "2026-11-26";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The demo company of `encaisse demo --end 2026-11-26` (the default seed and size).
fn demo(dir: &Path, viewer: Option<Arc<dyn Viewer>>) -> App {
    let app = crate::backend::open(&dir.join("e.db"), Box::new(FixedClock(d(TODAY)))).unwrap();
    let app = match viewer {
        Some(v) => app.with_viewer(v),
        None => app,
    };
    app.create_demo(&DemoOptions {
        seed: None,
        customers: None,
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    app
}

fn letter_items(app: &App) -> Vec<AgendaItem> {
    app.agenda_view(None)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.action.channel.split('+').any(|c| c == "letter"))
        .collect()
}

fn sorted(list: &[String]) -> Vec<String> {
    let mut list = list.to_vec();
    list.sort();
    list
}

#[test]
fn every_letter_of_the_agenda_claims_its_overdue_invoices_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path(), None);
    let items = letter_items(&app);
    assert!(items.iter().any(|i| i.action.step == "formal_notice"));
    assert!(items.iter().any(|i| i.action.step == "personal_letter"));
    assert!(
        items.iter().any(|i| !i.action.not_due_invoices.is_empty()),
        "the demo has a letter action listing invoices not yet due"
    );
    for item in &items {
        let a = &item.action;
        let who = format!("{} {}", a.customer, a.step);
        // The agenda: its invoices split into overdue and not yet due, the amounts adding up.
        let overdue: Vec<String> = a
            .invoices
            .iter()
            .filter(|i| !a.not_due_invoices.contains(i))
            .cloned()
            .collect();
        assert!(!overdue.is_empty(), "{who}");
        let residual = |numbers: &[String]| -> Decimal {
            item.lines
                .iter()
                .filter(|l| numbers.contains(&l.number))
                .map(|l| dec(&l.residual))
                .sum()
        };
        assert_eq!(dec(&item.overdue_amount), residual(&overdue), "{who}");
        assert_eq!(dec(&item.not_due_amount), residual(&a.not_due_invoices), "{who}");
        assert_eq!(
            dec(&a.amount),
            dec(&item.overdue_amount) + dec(&item.not_due_amount),
            "{who}"
        );
        for l in &item.lines {
            assert_eq!(
                a.not_due_invoices.contains(&l.number),
                l.days_late <= 0,
                "{who} {}",
                l.number
            );
        }

        // The letter claims exactly the overdue invoices, for their still-due total.
        let req = LetterRequest {
            customer: a.customer.clone(),
            ..LetterRequest::default()
        };
        let preview = app.letter_preview(&req).unwrap();
        assert!(preview.on_agenda, "{who}");
        assert_eq!(preview.step, a.step, "{who}");
        assert_eq!(sorted(&preview.invoices), sorted(&overdue), "{who}");
        assert_eq!(preview.still_due, item.overdue_amount, "{who}");
        assert_eq!(preview.rows.len(), overdue.len(), "{who}");
        // The invoices not yet due, apart in their own table with their total (a reminder, not a notice).
        let coming: Vec<&String> = if preview.kind == "reminder" && !overdue.is_empty() {
            a.not_due_invoices.iter().collect()
        } else {
            Vec::new()
        };
        let mut shown: Vec<&String> = preview.not_due_rows.iter().map(|r| &r[0]).collect();
        shown.sort();
        let mut coming_sorted = coming.clone();
        coming_sorted.sort();
        assert_eq!(shown, coming_sorted, "{who}");
        assert_eq!(
            preview.not_due_total.as_ref().map(|t| t.label.as_str()),
            (!coming.is_empty()).then_some("Total à échoir"),
            "{who}"
        );

        // Printed: the action recorded lists the invoices the letter claimed.
        let printed = app.print_letter(&req, |_, _| Ok(())).unwrap();
        assert_eq!(printed.preview, preview, "{who}");
        assert_eq!(sorted(&printed.action.invoices), sorted(&overdue), "{who}");
        let records = app.workflow_records(&a.customer, None).unwrap();
        let recorded = records
            .actions
            .iter()
            .find(|r| r.id == printed.action.id)
            .unwrap();
        assert_eq!(sorted(&recorded.invoices), sorted(&overdue), "{who}");
        assert_eq!(recorded.step.as_deref(), Some(a.step.as_str()), "{who}");
    }
    assert!(letter_items(&app).is_empty());
}

fn overdue(item: &AgendaItem) -> Vec<String> {
    item.action
        .invoices
        .iter()
        .filter(|i| !item.action.not_due_invoices.contains(i))
        .cloned()
        .collect()
}

#[test]
fn no_letter_claims_an_invoice_disputed_or_promised_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path(), None);
    let item = letter_items(&app)
        .into_iter()
        .find(|i| i.action.step == "formal_notice" && overdue(i).len() >= 3)
        .unwrap();
    let customer = item.action.customer.clone();
    let before = overdue(&item);
    app.open_dispute(&DisputeInput {
        customer: customer.clone(),
        invoices: vec![before[0].clone()],
        kind: "price".into(),
        department: "sales".into(),
        amount: None,
        opened_on: None,
        user: "test".into(),
        comment: String::new(),
    })
    .unwrap();
    app.add_promise(&PromiseInput {
        customer: customer.clone(),
        invoices: vec![before[1].clone()],
        date: d("2026-12-10"),
        amount: "100.00".into(),
        grace_days: None,
        made_on: None,
        action_id: None,
        user: "test".into(),
        comment: String::new(),
    })
    .unwrap();
    let item = letter_items(&app)
        .into_iter()
        .find(|i| i.action.customer == customer)
        .unwrap();
    let now = overdue(&item);
    assert_eq!(now, before[2..], "the agenda leaves them out");
    // The notice of the agenda, the notice on its own (`encaisse letter notice`) and a reminder letter chosen in
    // the customer file all leave them out.
    let preview = app
        .letter_preview(&LetterRequest {
            customer: customer.clone(),
            ..LetterRequest::default()
        })
        .unwrap();
    assert_eq!(sorted(&preview.invoices), sorted(&now));
    let claim = app
        .notice(&customer, None, &NoticeOptions::default())
        .unwrap()
        .claim;
    let claimed: Vec<String> = claim.invoices.iter().map(|i| i.number.clone()).collect();
    assert_eq!(sorted(&claimed), sorted(&now));
    assert_eq!(claim.still_due, item.overdue_amount);
    let reminder = app
        .letter_preview(&LetterRequest {
            customer: customer.clone(),
            step: Some("reminder_2".into()),
            ..LetterRequest::default()
        })
        .unwrap();
    assert!(!reminder.on_agenda);
    assert_eq!(sorted(&reminder.invoices), sorted(&now));
    assert_eq!(reminder.still_due, item.overdue_amount);
}

/// A viewer that fails (none installed) or opens, remembering what it was given.
struct FakeViewer {
    works: bool,
    opened: Mutex<Vec<PathBuf>>,
}

impl Viewer for FakeViewer {
    fn open(&self, path: &Path) -> Result<(), String> {
        self.opened.lock().unwrap().push(path.to_path_buf());
        if self.works {
            Ok(())
        } else {
            Err("Launcher \"xdg-open\" failed".into())
        }
    }
}

fn viewer(works: bool) -> Arc<FakeViewer> {
    Arc::new(FakeViewer {
        works,
        opened: Mutex::new(Vec::new()),
    })
}

const RECORDS: &[&str] = &["action", "action_invoice", "audit_log"];

#[test]
fn printing_without_a_pdf_viewer_records_nothing_and_says_where_the_pdf_is() {
    let dir = tempfile::tempdir().unwrap();
    let none = viewer(false);
    let app = demo(dir.path(), Some(none.clone()));
    let db = dir.path().join("e.db");
    let before = dump_tables(&db, RECORDS);
    let items = letter_items(&app);
    let customer = items[0].action.customer.clone();
    let req = LetterRequest {
        customer: customer.clone(),
        ..LetterRequest::default()
    };

    let Err(AppError::NoPdfViewer { path, message }) = app.print_letter_to_file(&req) else {
        panic!("printing without a viewer must fail with no_pdf_viewer");
    };
    assert_eq!(none.opened.lock().unwrap().as_slice(), [PathBuf::from(&path)]);
    assert!(
        std::fs::read(&path).unwrap().starts_with(b"%PDF-"),
        "the PDF stays at {path}"
    );
    assert!(message.contains(&path), "{message}");
    assert_eq!(
        dump_tables(&db, RECORDS),
        before,
        "nothing recorded, nothing audited"
    );
    assert_eq!(letter_items(&app), items, "the letter is still on the day's list");

    // The day's batch: the same.
    let Err(AppError::NoPdfViewer { path, .. }) = app.letters_batch_to_file(None, None) else {
        panic!("printing the batch without a viewer must fail with no_pdf_viewer");
    };
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));
    assert_eq!(dump_tables(&db, RECORDS), before);
    assert_eq!(letter_items(&app), items);
    // Saving the batch where the user chose needs no viewer and records nothing.
    let saved = dir.path().join("lettres.pdf");
    let (batch, path) = app.letters_batch_to_file(None, Some(&saved)).unwrap();
    let letters = batch.letters;
    assert_eq!((letters.len(), path), (items.len(), saved.clone()));
    assert!(letters.iter().all(|l| l.action_id.is_none()));
    assert_eq!(dump_tables(&db, RECORDS), before);

    // An App without a viewer (the CLI's) cannot print either.
    let bare = crate::backend::open(&db, Box::new(FixedClock(d(TODAY)))).unwrap();
    assert!(matches!(
        bare.print_letter_to_file(&req),
        Err(AppError::NoPdfViewer { .. })
    ));
    assert_eq!(dump_tables(&db, RECORDS), before);
}

#[test]
fn printing_through_a_viewer_records_the_letter_once_it_opened() {
    let dir = tempfile::tempdir().unwrap();
    let works = viewer(true);
    let app = demo(dir.path(), Some(works.clone()));
    let items = letter_items(&app);
    let customer = items[0].action.customer.clone();
    let printed = app
        .print_letter_to_file(&LetterRequest {
            customer: customer.clone(),
            ..LetterRequest::default()
        })
        .unwrap();
    assert_eq!(
        works.opened.lock().unwrap().as_slice(),
        std::slice::from_ref(&printed.path)
    );
    assert_eq!(printed.action.kind.as_str(), "letter");
    assert_eq!(
        sorted(&printed.action.invoices),
        sorted(&printed.preview.invoices)
    );
    let left = letter_items(&app);
    assert_eq!(left.len(), items.len() - 1);
    assert!(!left.iter().any(|i| i.action.customer == customer));

    // The batch: opened, then every letter recorded.
    let (batch, path) = app.letters_batch_to_file(None, None).unwrap();
    assert!(batch.left_out.is_empty());
    let letters = batch.letters;
    assert_eq!(works.opened.lock().unwrap().last(), Some(&path));
    assert_eq!(letters.len(), left.len());
    assert!(letters.iter().all(|l| l.action_id.is_some()));
    assert!(letter_items(&app).is_empty());
}
