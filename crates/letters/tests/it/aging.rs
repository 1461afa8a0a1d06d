//! The printable aged balance.

use crate::support::{d, pages, pdftotext};
use encaisse_analytics::{aged_balance, Buckets};
use encaisse_domain::{Customer, Terms};
use encaisse_letters::render_aged_balance;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[test]
fn the_aged_balance_prints_customers_buckets_and_totals() {
    let line = |key: &str, piece: &str, date: &str, amount: Decimal| {
        encaisse_domain::testing::line(key, date, piece, amount)
    };
    let c1 = Customer::new("C1", "Café de la Gare");
    let c2 = Customer::new("C2", "Société Générale d'Électricité");
    let l1 = vec![
        line("C1", "F1", "2026-10-01", dec!(1234.56)),
        line("C1", "AV", "2026-11-01", dec!(-100)),
    ];
    let l2 = vec![line("C2", "F2", "2026-06-01", dec!(98765.43))];
    let aged = aged_balance(
        [(&c1, l1.as_slice()), (&c2, l2.as_slice())],
        Terms::Net(30),
        &Buckets::default(),
        d("2026-11-26"),
    );
    let pdf = render_aged_balance("Atelier Rhône Équipement SAS", &aged);
    assert_eq!(pages(&pdf), vec![(842.0, 595.0)], "one A4 landscape page");
    assert_eq!(pdf, render_aged_balance("Atelier Rhône Équipement SAS", &aged));
    let Some(text) = pdftotext(&pdf, "aging.pdf") else {
        return;
    };
    for needle in [
        "Balance âgée des comptes clients",
        "au 26/11/2026",
        "Non échu",
        "1 à 30 j",
        "91 j et plus",
        "Non affecté",
        "Café de la Gare",
        "Société Générale d'Électricité",
        "1 234,56",
        "98 765,43",
        "-100,00",
        "99 899,99",
        "TOTAL",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}
