//! The demo company: about 300 customers over two years of invoices, payments, credit notes, partial
//! payments and payments on account. Lateness follows the French figures of shared/domain/french-rules.md
//! (about 45 % on time, average lateness about 13 days, a few percent beyond 90 days).

mod names;

use chrono::{Datelike, Days, NaiveDate};
use encaisse_domain::customer::siren_with_check_digit;
use encaisse_domain::{Company, Customer, LedgerLine, Terms};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

pub struct DemoBook {
    pub company: Company,
    pub customers: Vec<Customer>,
    /// Customer-account lines, by date.
    pub lines: Vec<LedgerLine>,
    pub start: NaiveDate,
}

/// How a customer pays, relative to the due date.
#[derive(Clone, Copy)]
enum Habit {
    OnTime,
    SlightlyLate,
    Late,
    VeryLate,
    Chronic,
}

impl Habit {
    fn draw(rng: &mut ChaCha8Rng) -> Habit {
        match rng.random_range(0..100) {
            0..45 => Habit::OnTime,
            45..75 => Habit::SlightlyLate,
            75..88 => Habit::Late,
            88..96 => Habit::VeryLate,
            _ => Habit::Chronic,
        }
    }
    /// Days after the due date the money arrives; None: not paid at all.
    fn delay(self, rng: &mut ChaCha8Rng) -> Option<i64> {
        // One invoice in ten escapes the habit (a lost invoice, a quick payer on a good day).
        let habit = if rng.random_bool(0.1) {
            Habit::draw(rng)
        } else {
            self
        };
        match habit {
            Habit::OnTime => Some(rng.random_range(-8..=0)),
            Habit::SlightlyLate => Some(rng.random_range(1..=15)),
            Habit::Late => Some(rng.random_range(10..=45)),
            Habit::VeryLate => Some(rng.random_range(30..=100)),
            Habit::Chronic => (!rng.random_bool(0.12)).then(|| rng.random_range(60..=200)),
        }
    }
}

struct Invoice {
    customer: usize,
    date: NaiveDate,
    amount_cents: i64,
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

/// FEC-style lettering codes: A, B, …, Z, AA, AB, …
fn letter_code(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The demo company's legal mentions for its letterhead (the letter settings' legal form, share capital and
/// trade register city): "SAS au capital de 150 000 €", "RCS Lyon …".
pub const LEGAL_FORM: &str = "SAS";
pub const SHARE_CAPITAL: &str = "150000";
pub const RCS_CITY: &str = "Lyon";

pub fn generate(seed: u64, customer_count: usize, end: NaiveDate) -> DemoBook {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = add_days(end, -729);
    let company = Company {
        name: "Atelier Lumière SAS".into(),
        siren: Some(siren_with_check_digit(&format!(
            "{:08}",
            rng.random_range(30_000_000..99_999_999u32)
        ))),
        address: Some("12 rue de la République\n69002 Lyon".into()),
        currency: "EUR".into(),
    };
    let mut customers = Vec::with_capacity(customer_count);
    let mut profiles = Vec::with_capacity(customer_count);
    for i in 0..customer_count {
        let person = names::draw(&mut rng, i);
        let terms = match rng.random_range(0..100) {
            0..45 => Terms::Net(30),
            45..65 => Terms::DaysEndOfMonth(45),
            65..80 => Terms::Net(60),
            80..90 => Terms::EndOfMonthPlus(30),
            _ => Terms::Net(45),
        };
        // Monthly invoices and typical invoice size: many small customers, a few large accounts.
        let per_month: f64 = if rng.random_bool(0.15) {
            rng.random_range(4.0..10.0)
        } else {
            rng.random_range(0.3..3.0)
        };
        let typical_cents: f64 = 10f64.powf(rng.random_range(4.3..5.9));
        let segment = if typical_cents * per_month > 2_000_000.0 {
            "grand_compte"
        } else if person.public_body {
            "secteur_public"
        } else if per_month < 0.8 {
            "occasionnel"
        } else {
            "pme"
        };
        let limit_cents = ((typical_cents * per_month * 3.0) as i64 / 100_000 + 1) * 100_000;
        let mut c = Customer::new(format!("C{:05}", i + 1), person.name);
        c.siren = Some(siren_with_check_digit(&format!(
            "{:08}",
            rng.random_range(30_000_000..99_999_999u32)
        )));
        c.address = Some(person.address);
        c.email = Some(person.email);
        c.phone = Some(person.phone);
        c.terms = Some(terms);
        c.credit_limit = Some(cents(limit_cents));
        c.segment = Some(segment.into());
        c.collector = Some(["Claire Martin", "Julien Roux", "Sophie Lambert"][i % 3].into());
        customers.push(c);
        profiles.push((Habit::draw(&mut rng), per_month, typical_cents));
    }

    // Invoices, day by day, so that numbers follow dates.
    let mut invoices = Vec::new();
    let mut day = start;
    while day <= end {
        let business_day = day.weekday().number_from_monday() <= 5;
        if business_day {
            for (ci, &(_, per_month, typical)) in profiles.iter().enumerate() {
                if rng.random_bool((per_month / 21.7).min(1.0)) {
                    let spread: f64 = rng.random_range(0.3..2.2);
                    let amount_cents = ((typical * spread) as i64).max(1_500);
                    invoices.push(Invoice {
                        customer: ci,
                        date: day,
                        amount_cents,
                    });
                }
            }
        }
        day = add_days(day, 1);
    }

    let mut lines = Vec::new();
    let mut letters = vec![0usize; customer_count];
    let mut bank_num = 0usize;
    for (n, inv) in invoices.iter().enumerate() {
        let customer = &customers[inv.customer];
        let terms = customer.terms.unwrap_or_default();
        let number = format!("F{}-{:05}", inv.date.year(), n + 1);
        let invoice_line = LedgerLine {
            customer_key: customer.key.clone(),
            journal: "VE".into(),
            entry_num: format!("VE{:06}", n + 1),
            entry_date: inv.date,
            piece_ref: number.clone(),
            piece_date: Some(inv.date),
            label: format!("Facture {number}"),
            amount: cents(inv.amount_cents),
            letter: None,
            letter_date: None,
            due_date: None,
        };
        let due = terms.due_date(inv.date);
        let mut payments: Vec<(NaiveDate, i64, &str)> = Vec::new();
        let mut owed = inv.amount_cents;
        // A credit note for part of the invoice (a return, a price error) before payment.
        if rng.random_bool(0.03) {
            let credit = owed * rng.random_range(10..=100) / 100;
            payments.push((add_days(inv.date, rng.random_range(5..25)), credit, "AV"));
            owed -= credit;
        }
        if owed > 0 {
            if let Some(delay) = profiles[inv.customer].0.delay(&mut rng) {
                let paid_on = add_days(due, delay).max(inv.date);
                if rng.random_bool(0.06) {
                    // Paid in two instalments.
                    let first = owed * rng.random_range(30..=70) / 100;
                    payments.push((paid_on, first, "BQ"));
                    payments.push((add_days(paid_on, rng.random_range(15..60)), owed - first, "BQ"));
                } else {
                    payments.push((paid_on, owed, "BQ"));
                }
            }
        }
        let received: Vec<_> = payments.iter().filter(|p| p.0 <= end).copied().collect();
        let letter = (!received.is_empty()).then(|| {
            letters[inv.customer] += 1;
            letter_code(letters[inv.customer] - 1)
        });
        let letter_date = received.iter().map(|p| p.0).max();
        let mut invoice_line = invoice_line;
        invoice_line.letter = letter.clone();
        invoice_line.letter_date = letter_date;
        lines.push(invoice_line);
        for (date, amount, journal) in received {
            bank_num += 1;
            let (piece, label) = if journal == "AV" {
                (
                    format!("AV{}-{:05}", date.year(), bank_num),
                    format!("Avoir sur {number}"),
                )
            } else {
                (
                    format!("VIR{:06}", bank_num),
                    format!("Virement {} {number}", customer.name),
                )
            };
            lines.push(LedgerLine {
                customer_key: customer.key.clone(),
                journal: if journal == "AV" { "VE".into() } else { "BQ".into() },
                entry_num: format!("{journal}{bank_num:06}"),
                entry_date: date,
                piece_ref: piece,
                piece_date: Some(date),
                label,
                amount: -cents(amount),
                letter: letter.clone(),
                letter_date,
                due_date: None,
            });
        }
    }

    // Payments on account not yet matched: the accountant has not lettered them.
    for (ci, c) in customers.iter().enumerate() {
        if rng.random_bool(0.04) {
            bank_num += 1;
            let date = add_days(end, -rng.random_range(0..40));
            let amount = (profiles[ci].2 * rng.random_range(0.2..1.0)) as i64;
            lines.push(LedgerLine {
                customer_key: c.key.clone(),
                journal: "BQ".into(),
                entry_num: format!("BQ{bank_num:06}"),
                entry_date: date,
                piece_ref: format!("VIR{bank_num:06}"),
                piece_date: Some(date),
                label: format!("Virement reçu {} (à affecter)", c.name),
                amount: -cents(amount.max(1_000)),
                letter: None,
                letter_date: None,
                due_date: None,
            });
        }
    }
    lines.sort_by(|a, b| (a.entry_date, &a.entry_num).cmp(&(b.entry_date, &b.entry_num)));
    DemoBook {
        company,
        customers,
        lines,
        start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_codes() {
        assert_eq!(letter_code(0), "A");
        assert_eq!(letter_code(25), "Z");
        assert_eq!(letter_code(26), "AA");
        assert_eq!(letter_code(27), "AB");
        assert_eq!(letter_code(26 + 26 * 26), "AAA");
    }

    #[test]
    fn same_seed_same_book_and_lettering_is_consistent() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let a = generate(7, 40, end);
        let b = generate(7, 40, end);
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.customers, b.customers);
        assert_ne!(generate(8, 40, end).lines, a.lines);
        assert!(a
            .lines
            .iter()
            .all(|l| l.entry_date <= end && l.entry_date >= a.start));
        // Every lettered group belongs to one customer and never takes more than its invoices.
        let mut groups: std::collections::HashMap<(String, String), Decimal> = Default::default();
        for l in a.lines.iter().filter(|l| l.letter.is_some()) {
            *groups
                .entry((l.customer_key.clone(), l.letter.clone().unwrap()))
                .or_default() += l.amount;
        }
        assert!(groups.values().all(|s| *s >= Decimal::ZERO));
        assert!(groups.values().any(|s| s.is_zero()));
        assert!(
            groups.values().any(|s| *s > Decimal::ZERO),
            "some partial payments"
        );
    }
}
