//! Matching: each clue on hand-made cases, then generated ledgers and statements (seeded): every automatic match
//! right, the share matched automatically printed and bounded, the right invoices in the top three otherwise.

#[path = "../src/testing.rs"]
mod testing;

use encaisse_bank::matching::{
    match_entries, CustomerClues, IssuedReference, Ledger, MatchOptions, MatchStatus, OpenInvoice, Reason,
};
use encaisse_bank::rf::{rf_printed, rf_reference};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use testing::{credit, day, receipts, world, Kind, Truth};

fn inv(customer: &str, number: &str, due: i64, still_due: Decimal) -> OpenInvoice {
    OpenInvoice {
        customer: customer.into(),
        number: number.into(),
        due_date: day(due),
        still_due,
    }
}

fn invoices_of(c: &encaisse_bank::matching::Candidate) -> Vec<&str> {
    c.allocations.iter().map(|a| a.invoice.as_str()).collect()
}

fn ledger_fixture() -> (Vec<OpenInvoice>, Vec<CustomerClues>, Vec<IssuedReference>) {
    let invoices = vec![
        inv("DUP", "F2026-00123", 10, dec!(1500.00)),
        inv("DUP", "F2026-00130", 20, dec!(800.00)),
        inv("DUP", "F2026-00140", 30, dec!(200.00)),
        inv("MAR", "F2026-00124", 5, dec!(250.00)),
        inv("MAR", "F2026-00125", 15, dec!(250.00)),
        inv("ALP", "F2026-00200", 12, dec!(333.33)),
        inv("ALP", "F2026-00201", 8, dec!(111.11)),
    ];
    let customers = vec![
        CustomerClues {
            customer: "DUP".into(),
            names: vec!["Dupont et Fils SARL".into()],
            ibans: vec!["FR76 3000 6000 0112 3456 7890 189".into()],
        },
        CustomerClues {
            customer: "MAR".into(),
            names: vec!["Martin & Cie".into()],
            ibans: vec![],
        },
        CustomerClues {
            customer: "ALP".into(),
            names: vec!["Alpha Industrie".into()],
            ibans: vec![],
        },
    ];
    let refs = vec![IssuedReference {
        reference: rf_reference("ALP").unwrap(),
        customer: "ALP".into(),
        invoices: vec![],
    }];
    (invoices, customers, refs)
}

#[test]
fn each_clue_gives_its_reason() {
    let (invoices, customers, refs) = ledger_fixture();
    let ledger = Ledger::new(&invoices, &customers, &refs);
    let o = MatchOptions::default();

    // An invoice number written with other separators and case, the amount equal.
    let e = credit("e1", dec!(1500.00), "VIR SEPA facture f2026 00123");
    let m = &match_entries(&[e], &ledger, &o)[0];
    assert_eq!(m.status, MatchStatus::Matched);
    let c = m.matched.as_ref().unwrap();
    assert_eq!(
        (c.customer.as_str(), invoices_of(c)),
        ("DUP", vec!["F2026-00123"])
    );
    assert!(c.reasons.contains(&Reason::InvoiceNumberInLabel {
        invoice: "F2026-00123".into()
    }));
    let json = serde_json::to_value(&c.reasons[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"code": "invoice_number_in_label", "invoice": "F2026-00123"})
    );

    // One invoice named, another paid with it: the named one keeps its reason in the exact allocation.
    let e = credit("e1b", dec!(1700.00), "F2026-00123 ET SOLDE");
    let c = match_entries(&[e], &ledger, &o)[0]
        .matched
        .clone()
        .expect("matched");
    assert_eq!(invoices_of(&c), ["F2026-00123", "F2026-00140"]);
    assert!(c.reasons.contains(&Reason::InvoiceNumberInLabel {
        invoice: "F2026-00123".into()
    }));
    // An invoice named but another one's amount paid: a question for the user, the named invoice first.
    let e = credit("e1c", dec!(1500.00), "F2026-00130");
    let m = &match_entries(&[e], &ledger, &o)[0];
    assert_eq!(m.status, MatchStatus::Suggested);
    assert_eq!(invoices_of(&m.suggestions[0]), ["F2026-00130"]);
    assert_eq!(m.suggestions[0].unapplied, dec!(700.00));
    assert!(m.suggestions.iter().any(|c| invoices_of(c) == ["F2026-00123"]));

    // The known IBAN and two invoices summing to the amount.
    let mut e = credit("e2", dec!(1000.00), "VIREMENT");
    e.counterparty_iban = Some("FR7630006000011234567890189".into());
    let m = &match_entries(&[e], &ledger, &o)[0];
    let c = m.matched.as_ref().expect("matched");
    assert_eq!(invoices_of(c), ["F2026-00130", "F2026-00140"]);
    assert!(c.reasons.iter().any(|r| matches!(r, Reason::KnownIban { .. })));
    assert!(c
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::AmountEqualsNInvoices { count: 2, .. })));

    // A partial payment by the known IBAN: earliest due first, a suggestion only.
    let mut e = credit("e3", dec!(600.00), "VIREMENT");
    e.counterparty_iban = Some("FR7630006000011234567890189".into());
    let m = &match_entries(&[e], &ledger, &o)[0];
    assert_eq!(m.status, MatchStatus::Suggested);
    let c = &m.suggestions[0];
    assert_eq!(c.allocations[0].invoice, "F2026-00123");
    assert_eq!(c.allocations[0].amount, dec!(600.00));
    assert!(c
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::PartialPayment { .. })));

    // The creditor reference, printed in groups: two invoices of Alpha sum to the amount.
    let e = credit(
        "e4",
        dec!(444.44),
        &format!("PAIEMENT {}", rf_printed(&rf_reference("ALP").unwrap())),
    );
    let m = &match_entries(&[e], &ledger, &o)[0];
    let c = m.matched.as_ref().expect("matched");
    assert_eq!(
        (c.customer.as_str(), invoices_of(c)),
        ("ALP", vec!["F2026-00201", "F2026-00200"])
    );

    // Two invoices of Martin owe 250: the name is known but the invoice is not; suggestions, both shown.
    let mut e = credit("e5", dec!(250.00), "VIR MARTIN ET CIE");
    e.counterparty_name = Some("MARTIN & CIE".into());
    let m = &match_entries(&[e], &ledger, &o)[0];
    assert_eq!(m.status, MatchStatus::Suggested);
    assert_eq!(m.suggestions.len(), 2);
    assert!(m.suggestions[0]
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::NameMatch { .. })));
    assert!(m.suggestions[0]
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::AmountAmbiguous { .. })));

    // No clue, an amount only one invoice owes: matched on the amount.
    let e = credit("e6", dec!(333.33), "VIREMENT RECU");
    let m = &match_entries(&[e], &ledger, &o)[0];
    let c = m.matched.as_ref().expect("matched");
    assert_eq!(invoices_of(c), ["F2026-00200"]);
    assert!(c.reasons.contains(&Reason::AmountUniqueInLedger));

    // Nothing fits: unmatched. Debits are not matched at all.
    let e = credit("e7", dec!(12.34), "VIREMENT RECU");
    assert_eq!(match_entries(&[e], &ledger, &o)[0].status, MatchStatus::Unmatched);
    assert!(match_entries(&[credit("d", dec!(-250.00), "F2026-00124")], &ledger, &o).is_empty());
}

// ---- Generated ledgers and statements ----

fn right(c: &encaisse_bank::matching::Candidate, t: &Truth) -> bool {
    let mut got: Vec<&str> = invoices_of(c);
    let mut want: Vec<&str> = t.invoices.iter().map(String::as_str).collect();
    got.sort_unstable();
    want.sort_unstable();
    c.customer == t.customer && got == want
}

#[test]
fn generated_statements_auto_matches_are_all_right_and_the_rest_is_in_the_top_three() {
    for seed in [1u64, 2, 3] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let w = world(&mut rng, 600, 6_000);
        let ledger = Ledger::new(&w.invoices, &w.customers, &w.references);
        let (entries, truths) = receipts(&mut rng, &w, 400);
        let results = match_entries(&entries, &ledger, &MatchOptions::default());
        assert_eq!(
            results,
            match_entries(&entries, &ledger, &MatchOptions::default()),
            "deterministic"
        );
        let unique = |amount: Decimal| w.invoices.iter().filter(|i| i.still_due == amount).count() == 1;
        let (mut eligible, mut auto, mut total_auto) = (0, 0, 0);
        for ((e, r), t) in entries.iter().zip(&results).zip(&truths) {
            assert_eq!(r.entry, e.id);
            let carries = matches!(
                t.kind,
                Kind::InvoiceNumber | Kind::IbanOne | Kind::IbanSeveral | Kind::IbanPartial | Kind::Rf
            ) || (t.kind != Kind::IbanPartial && t.invoices.len() == 1 && unique(e.amount));
            if let Some(m) = &r.matched {
                total_auto += 1;
                assert!(right(m, t), "seed {seed}: {:?} matched wrongly: {m:?}", t.kind);
                if carries {
                    auto += 1;
                }
            } else {
                assert!(
                    r.suggestions.iter().any(|c| right(c, t)),
                    "seed {seed}: {:?} {} not in the top three: {:?}",
                    t.kind,
                    e.label,
                    r.suggestions
                );
            }
            if carries {
                eligible += 1;
            }
        }
        let share = auto * 1000 / eligible;
        println!(
            "seed {seed}: {total_auto}/{} receipts matched automatically; {auto}/{eligible} = {}.{}% of those carrying an invoice number, a known IBAN, a creditor reference or a unique amount",
            entries.len(),
            share / 10,
            share % 10
        );
        assert!(share >= 900, "seed {seed}: {auto}/{eligible}");
    }
}

/// Matching 10,000 entries against 200,000 open invoices of 15,000 customers, timed once:
/// `cargo test --release -p encaisse-bank --test matching -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed_10000_entries_against_200000_invoices() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let w = world(&mut rng, 15_000, 200_000);
    let (entries, _) = receipts(&mut rng, &w, 10_000);
    let start = std::time::Instant::now();
    let ledger = Ledger::new(&w.invoices, &w.customers, &w.references);
    let indexed = start.elapsed();
    let results = match_entries(&entries, &ledger, &MatchOptions::default());
    let total = start.elapsed();
    let matched = results
        .iter()
        .filter(|r| r.status == MatchStatus::Matched)
        .count();
    println!(
        "indexing 200,000 invoices: {indexed:?}; indexing + matching 10,000 entries: {total:?}; {matched} matched"
    );
}
