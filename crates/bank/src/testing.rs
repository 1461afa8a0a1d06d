//! Generated ledgers and statements for tests and the benchmark (feature `testing`; the crate's matching test
//! compiles this file directly): customers with names, IBANs and creditor references, open invoices, and credit
//! entries paying some of them, each with the clues of its kind and the truth to check a match against.

// By the crate's name (the lib declares `extern crate self as encaisse_bank`): the same file compiles in the
// matching test, where `crate` is the test.
use chrono::{Duration, NaiveDate};
use encaisse_bank::matching::{CustomerClues, IssuedReference, OpenInvoice};
use encaisse_bank::rf::{rf_printed, rf_reference};
use encaisse_bank::Entry;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

pub fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + Duration::days(n)
}

pub fn credit(id: &str, amount: Decimal, label: &str) -> Entry {
    Entry {
        id: id.into(),
        line: 1,
        booking_date: day(90),
        value_date: None,
        amount,
        label: label.into(),
        counterparty_name: None,
        counterparty_iban: None,
        remittance: Vec::new(),
        references: Vec::new(),
        bank_reference: None,
        end_to_end_id: None,
    }
}

const WORDS: &[&str] = &[
    "Atlas", "Boreal", "Cobalt", "Delta", "Emeraude", "Faucon", "Granit", "Horizon", "Iris", "Jade",
    "Kairos", "Lumen", "Mistral", "Nova", "Opale", "Pivot", "Quartz", "Rivage", "Saphir", "Tilleul",
    "Ulysse", "Vega", "Wagram", "Xenon", "Yonne", "Zephyr", "Arbre", "Brume", "Cedre", "Dune",
];
const TRADES: &[&str] = &[
    "Batiment",
    "Transports",
    "Conseil",
    "Menuiserie",
    "Logistique",
    "Imprimerie",
    "Plomberie",
    "Informatique",
    "Nettoyage",
    "Traiteur",
    "Electricite",
    "Peinture",
    "Garage",
    "Boulangerie",
    "Pharmacie",
];

pub struct World {
    pub invoices: Vec<OpenInvoice>,
    pub customers: Vec<CustomerClues>,
    pub references: Vec<IssuedReference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    InvoiceNumber,
    IbanOne,
    IbanSeveral,
    IbanPartial,
    Rf,
    NameOnly,
    AmountOnly,
}

pub struct Truth {
    pub kind: Kind,
    pub customer: String,
    pub invoices: Vec<String>,
}

pub fn world(rng: &mut ChaCha8Rng, customers: usize, invoices: usize) -> World {
    let mut out = World {
        invoices: Vec::with_capacity(invoices),
        customers: Vec::with_capacity(customers),
        references: Vec::new(),
    };
    for c in 0..customers {
        let key = format!("C{c:05}");
        let name = format!(
            "{} {} {}",
            WORDS[c % WORDS.len()],
            TRADES[(c / WORDS.len()) % TRADES.len()],
            WORDS[(c / (WORDS.len() * TRADES.len())) % WORDS.len()]
        );
        let name = if c >= WORDS.len() * TRADES.len() * WORDS.len() {
            format!("{name} {c}")
        } else {
            name
        };
        out.customers.push(CustomerClues {
            customer: key.clone(),
            names: vec![format!("{name} SARL")],
            ibans: if c % 3 == 0 {
                vec![]
            } else {
                vec![format!("FR76{:023}", 10_000_000 + c)]
            },
        });
        if c % 4 == 0 {
            out.references.push(IssuedReference {
                reference: rf_reference(&key).unwrap(),
                customer: key,
                invoices: vec![],
            });
        }
    }
    for i in 0..invoices {
        let c = if i < customers {
            i
        } else {
            rng.random_range(0..customers)
        };
        out.invoices.push(OpenInvoice {
            customer: format!("C{c:05}"),
            number: format!("F2026-{i:06}"),
            due_date: day(rng.random_range(0..120)),
            still_due: Decimal::new(rng.random_range(5_000..2_000_000), 2),
        });
    }
    out
}

/// Receipts paying distinct invoices of the world, each with the clues of its kind.
pub fn receipts(rng: &mut ChaCha8Rng, w: &World, n: usize) -> (Vec<Entry>, Vec<Truth>) {
    let mut by_customer: std::collections::BTreeMap<&str, Vec<&OpenInvoice>> = Default::default();
    for i in &w.invoices {
        by_customer.entry(&i.customer).or_default().push(i);
    }
    for list in by_customer.values_mut() {
        list.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    }
    let clue = |key: &str| &w.customers[key[1..].parse::<usize>().unwrap()];
    let keys: Vec<&str> = by_customer.keys().copied().collect();
    let mut used = std::collections::HashSet::new();
    let (mut entries, mut truths) = (Vec::new(), Vec::new());
    while entries.len() < n {
        let key = keys[rng.random_range(0..keys.len())];
        if !used.insert(key) {
            continue; // one receipt per customer: the ledger is not updated between receipts
        }
        let c = clue(key);
        let open = &by_customer[key];
        let has_rf = w.references.iter().any(|r| r.customer == key);
        let mut kind = match rng.random_range(0..100) {
            0..35 => Kind::InvoiceNumber,
            35..50 => Kind::IbanOne,
            50..60 => Kind::IbanSeveral,
            60..68 => Kind::IbanPartial,
            68..78 => Kind::Rf,
            78..88 => Kind::NameOnly,
            _ => Kind::AmountOnly,
        };
        if matches!(kind, Kind::IbanOne | Kind::IbanSeveral | Kind::IbanPartial) && c.ibans.is_empty()
            || kind == Kind::Rf && !has_rf
            || kind == Kind::IbanSeveral && open.len() < 3
        {
            kind = Kind::InvoiceNumber;
        }
        let id = format!("E{}", entries.len());
        let pick = open[rng.random_range(0..open.len())];
        let (amount, paid, mut e) = match kind {
            Kind::InvoiceNumber => {
                let written = match rng.random_range(0..3) {
                    0 => format!("FACTURE {}", pick.number),
                    1 => format!("fact {}", pick.number.to_lowercase().replace('-', " ")),
                    _ => format!("REGLEMENT {}", pick.number.replace('-', "")),
                };
                (
                    pick.still_due,
                    vec![pick],
                    credit(&id, pick.still_due, &format!("VIR SEPA {written}")),
                )
            }
            Kind::IbanOne | Kind::Rf | Kind::NameOnly | Kind::AmountOnly => (
                pick.still_due,
                vec![pick],
                credit(&id, pick.still_due, "VIREMENT RECU"),
            ),
            Kind::IbanSeveral => {
                let a = open[0];
                let b = open[1 + rng.random_range(0..open.len() - 1)];
                let amount = a.still_due + b.still_due;
                (amount, vec![a, b], credit(&id, amount, "VIREMENT RECU"))
            }
            Kind::IbanPartial => {
                let first = open[0];
                let amount = (first.still_due / Decimal::TWO).round_dp(2);
                (amount, vec![first], credit(&id, amount, "VIREMENT RECU"))
            }
        };
        match kind {
            Kind::IbanOne | Kind::IbanSeveral | Kind::IbanPartial => {
                e.counterparty_iban = Some(c.ibans[0].clone())
            }
            Kind::Rf => {
                let r = w.references.iter().find(|r| r.customer == key).unwrap();
                e.remittance.push(format!("REF {}", rf_printed(&r.reference)));
            }
            Kind::NameOnly => e.counterparty_name = Some(c.names[0].to_uppercase().replace(" SARL", " SAS")),
            _ => {}
        }
        let _ = amount;
        entries.push(e);
        truths.push(Truth {
            kind,
            customer: key.to_string(),
            invoices: paid.iter().map(|i| i.number.clone()).collect(),
        });
    }
    (entries, truths)
}
