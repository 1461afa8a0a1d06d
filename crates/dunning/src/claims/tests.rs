use super::*;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn inv(number: &str, due: &str, amount: Decimal, still_due: Decimal) -> InvoiceDue {
    InvoiceDue {
        number: number.into(),
        invoice_date: d(due) - chrono::Days::new(30),
        due_date: d(due),
        amount,
        still_due,
    }
}

fn table() -> RateTable {
    RateTable::builtin()
}

#[test]
fn builtin_table_is_the_rules_table() {
    let t = table();
    t.check().unwrap();
    // french-rules.md: penalty rate by semester = ECB on 1 Jan / 1 Jul + 10.
    for (day, penalty) in [
        ("2023-03-01", dec!(12.50)),
        ("2023-07-01", dec!(14.00)),
        ("2024-06-30", dec!(14.50)),
        ("2024-12-31", dec!(14.25)),
        ("2025-01-01", dec!(13.15)),
        ("2025-08-15", dec!(12.15)),
        ("2026-02-01", dec!(12.15)),
        ("2026-11-26", dec!(12.15)),
        ("2019-05-05", dec!(10.00)),
    ] {
        assert_eq!(t.ecb_rate(d(day)).unwrap() + STATUTORY_MARGIN, penalty, "{day}");
    }
    assert_eq!(
        t.ecb_rate(d("2027-01-01")),
        Err(PenaltyError::MissingRate(d("2027-01-01")))
    );
    assert_eq!(
        t.ecb_rate(d("2016-03-01")),
        Err(PenaltyError::MissingRate(d("2016-01-01")))
    );
    assert_eq!(t.legal_interest_rate(d("2025-09-01")), Some(dec!(2.76)));
    assert_eq!(t.legal_interest_rate(d("2026-09-01")), None);
}

/// The legal interest rates of the arrêtés, 2023 H1 to 2026 H1 (all other cases / creditors who are individuals);
/// 2026 H2 not published in the table; the ECB rate of 2026 H2 shipped to confirm, every other one confirmed.
#[test]
fn builtin_legal_rates_from_2023_and_what_is_to_confirm() {
    let t = table();
    for (day, other, individuals) in [
        ("2023-01-01", dec!(2.06), dec!(4.47)),
        ("2023-12-31", dec!(4.22), dec!(6.82)),
        ("2024-03-01", dec!(5.07), dec!(8.01)),
        ("2024-07-01", dec!(4.92), dec!(8.16)),
        ("2025-06-30", dec!(3.71), dec!(7.21)),
        ("2025-07-01", dec!(2.76), dec!(6.65)),
        ("2026-01-01", dec!(2.62), dec!(6.67)),
    ] {
        assert_eq!(t.legal_interest_rate(d(day)), Some(other), "{day}");
        assert_eq!(
            t.legal_interest_individuals_rate(d(day)),
            Some(individuals),
            "{day}"
        );
        assert!(!t.legal_interest_to_confirm(d(day)), "{day}");
    }
    assert_eq!(t.legal_interest_rate(d("2022-12-31")), None);
    assert_eq!(t.legal_interest_individuals_rate(d("2026-07-01")), None);
    assert!(t.ecb_to_confirm(d("2026-07-01")));
    assert!(t.ecb_to_confirm(d("2026-12-31")));
    assert!(!t.ecb_to_confirm(d("2026-06-30")));
    // Not in the table is "missing", not "to confirm".
    assert!(!t.ecb_to_confirm(d("2027-01-01")));
    let unconfirmed = t.ecb.iter().filter(|r| !r.confirmed).count();
    assert_eq!(unconfirmed, 1);
}

/// A table saved before the flag existed reads as confirmed; the flag round-trips.
#[test]
fn the_confirmed_flag_defaults_to_true_and_round_trips() {
    let old = r#"{"ecb":[{"from":"2026-07-01","rate":"2.15"}],"legal_interest":[{"from":"2026-01-01","rate":"2.62"}]}"#;
    let t = RateTable::from_json(old).unwrap();
    assert!(t.ecb[0].confirmed && t.legal_interest[0].confirmed);
    assert!(t.legal_interest_individuals.is_empty());
    let mut t = table();
    t.legal_interest.push(DatedRate {
        from: d("2026-07-01"),
        rate: dec!(2.50),
        confirmed: false,
    });
    let back = RateTable::from_json(&t.to_json()).unwrap();
    assert_eq!(back, t);
    assert!(back.legal_interest_to_confirm(d("2026-08-01")));
    let bad =
        r#"{"ecb":[],"legal_interest":[],"legal_interest_individuals":[{"from":"2026-03-01","rate":"6"}]}"#;
    assert!(
        matches!(RateTable::from_json(bad), Err(PenaltyError::InvalidTable(m)) if m.contains("legal_interest_individuals: 2026-03-01"))
    );
}

/// Each basis names the half-years whose unconfirmed rate it used: statutory every half-year of the delay, a public
/// body the half-year interest began, a contractual rate the half-years whose legal rate bounds it.
#[test]
fn a_claim_lists_the_half_years_to_confirm() {
    let mut t = table();
    // 2025 H2's legal rate marked unconfirmed for the contractual case.
    t.legal_interest
        .iter_mut()
        .find(|r| r.from == d("2025-07-01"))
        .unwrap()
        .confirmed = false;
    let late_2026 = [inv("F1", "2026-06-15", dec!(1000), dec!(1000))];
    let statutory = claim(&late_2026, d("2026-11-26"), &t, Basis::Statutory).unwrap();
    assert_eq!(statutory.rates_to_confirm, [d("2026-07-01")]);
    // Interest began in 2026 H1 (confirmed): the public body's fixed rate needs nothing confirmed.
    let public = claim(&late_2026, d("2026-11-26"), &t, Basis::PublicBody).unwrap();
    assert!(public.rates_to_confirm.is_empty());
    let began_h2 = [inv("F2", "2026-07-10", dec!(1000), dec!(1000))];
    let public = claim(&began_h2, d("2026-11-26"), &t, Basis::PublicBody).unwrap();
    assert_eq!(public.rates_to_confirm, [d("2026-07-01")]);
    let old = [inv("F3", "2025-06-20", dec!(1000), dec!(1000))];
    let statutory = claim(&old, d("2026-03-01"), &t, Basis::Statutory).unwrap();
    assert!(
        statutory.rates_to_confirm.is_empty(),
        "2025 H1 to 2026 H1 all confirmed"
    );
    let contractual = claim(&old, d("2026-03-01"), &t, Basis::Contractual(dec!(15))).unwrap();
    assert_eq!(contractual.rates_to_confirm, [d("2025-07-01")]);
}

#[test]
fn an_edited_table_round_trips_and_is_checked() {
    let mut t = table();
    t.ecb.push(DatedRate::confirmed(d("2027-01-01"), dec!(1.90)));
    let back = RateTable::from_json(&t.to_json()).unwrap();
    assert_eq!(back, t);
    assert_eq!(back.ecb_rate(d("2027-03-01")).unwrap(), dec!(1.90));
    let bad = r#"{"ecb":[{"from":"2026-02-01","rate":"2.15"}],"legal_interest":[]}"#;
    assert!(
        matches!(RateTable::from_json(bad), Err(PenaltyError::InvalidTable(m)) if m.contains("2026-02-01"))
    );
    let unordered = r#"{"ecb":[{"from":"2026-07-01","rate":"2.15"},{"from":"2026-01-01","rate":"2.15"}],"legal_interest":[]}"#;
    assert!(RateTable::from_json(unordered).is_err());
    assert!(RateTable::from_json("{").is_err());
}

#[test]
fn half_year_bounds() {
    assert_eq!(half_year_start(d("2026-06-30")), d("2026-01-01"));
    assert_eq!(half_year_end(d("2026-06-30")), d("2026-06-30"));
    assert_eq!(half_year_start(d("2026-07-01")), d("2026-07-01"));
    assert_eq!(half_year_end(d("2026-07-01")), d("2026-12-31"));
}

/// Due 15 June 2024, as of 10 January 2025: 209 days late over three half-years.
/// 2024 H1: 16–30 June = 15 days at 14.50 %; 2024 H2: 184 days at 14.25 %; 2025 H1: 1–10 January = 10 days at
/// 13.15 %. On 1,000.00: (1000 × 14.50 × 15 + 1000 × 14.25 × 184 + 1000 × 13.15 × 10) / 36,500
/// = (217,500 + 2,622,000 + 131,500) / 36,500 = 2,971,000 / 36,500 = 81.3972… → 81.40.
#[test]
fn three_half_years_at_three_rates() {
    let p = invoice_penalty(
        &inv("F1", "2024-06-15", dec!(1000), dec!(1000)),
        d("2025-01-10"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(p.days_late, 209);
    let got: Vec<_> = p.parts.iter().map(|x| (x.from, x.to, x.days, x.rate)).collect();
    assert_eq!(
        got,
        vec![
            (d("2024-06-16"), d("2024-06-30"), 15, dec!(14.50)),
            (d("2024-07-01"), d("2024-12-31"), 184, dec!(14.25)),
            (d("2025-01-01"), d("2025-01-10"), 10, dec!(13.15)),
        ]
    );
    assert_eq!(p.accrual, dec!(2971000));
    assert_eq!(p.interest, dec!(81.40));
    assert_eq!(p.indemnity, dec!(40));
}

/// Due 31 December 2024, as of 20 July 2025: 2025 H1 = 181 days at 13.15 %, 2025 H2 = 20 days at 12.15 %.
/// On 2,500.00: (2500 × 13.15 × 181 + 2500 × 12.15 × 20) / 36,500 = (5,950,375 + 607,500) / 36,500
/// = 6,557,875 / 36,500 = 179.6678… → 179.67.
#[test]
fn due_on_31_december_crosses_1_july() {
    let p = invoice_penalty(
        &inv("F2", "2024-12-31", dec!(2500), dec!(2500)),
        d("2025-07-20"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(p.days_late, 201);
    assert_eq!(p.parts[0].from, d("2025-01-01"));
    assert_eq!(p.parts[0].days, 181);
    assert_eq!(p.parts[1].days, 20);
    assert_eq!(p.accrual, dec!(6557875));
    assert_eq!(p.interest, dec!(179.67));
}

/// Rounding half-up at exactly half a cent, with a due date on 30 June: 150.00 due 30 June 2025, as of
/// 30 June 2026 = 365 days, 184 days of 2025 H2 and 181 of 2026 H1, both at 12.15 %:
/// 150 × 12.15 × 365 / 36,500 = 18.225 exactly → 18.23 (banker's rounding would give 18.22).
#[test]
fn half_a_cent_rounds_up_and_due_on_30_june() {
    let p = invoice_penalty(
        &inv("F3", "2025-06-30", dec!(150), dec!(150)),
        d("2026-06-30"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(p.parts.len(), 2);
    assert_eq!(p.parts[0].from, d("2025-07-01"));
    assert_eq!((p.parts[0].days, p.parts[1].days), (184, 181));
    assert_eq!(p.interest_unrounded(), dec!(18.225));
    assert_eq!(p.interest, dec!(18.23));
}

/// 2024 is a leap year: 366 days late over 2024 still divide by 365.
/// 365.00 due 31 December 2023, as of 31 December 2024: 182 days at 14.50 % + 184 days at 14.25 %
/// = 365 × (14.50 × 182 + 14.25 × 184) / 36,500 = (2639 + 2622) / 100 = 52.61.
#[test]
fn leap_year_divides_by_365() {
    let p = invoice_penalty(
        &inv("F4", "2023-12-31", dec!(365), dec!(365)),
        d("2024-12-31"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(p.days_late, 366);
    assert_eq!((p.parts[0].days, p.parts[1].days), (182, 184));
    assert_eq!(p.interest, dec!(52.61));
}

#[test]
fn due_on_the_as_of_date_is_not_late() {
    let c = claim(
        &[
            inv("F5", "2026-11-26", dec!(100), dec!(100)),
            inv("F6", "2026-12-10", dec!(100), dec!(100)),
        ],
        d("2026-11-26"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert!(c.invoices.is_empty());
    assert_eq!(c.total, dec!(0));
    // One day later it is: 1 day, interest 100 × 12.15 / 36,500 = 0.0332… → 0.03, and the EUR 40.
    let c = claim(
        &[inv("F5", "2026-11-26", dec!(100), dec!(100))],
        d("2026-11-27"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(c.invoices[0].days_late, 1);
    assert_eq!(c.interest, dec!(0.03));
    assert_eq!(c.indemnities, dec!(40));
    assert_eq!(c.total, dec!(140.03));
}

/// A partial payment: penalties on what is still due only. 4,000.00 invoice, 1,000.00 still due, due
/// 1 October 2026, as of 26 November 2026 = 56 days at 12.15 %: 1000 × 12.15 × 56 / 36,500 = 18.6410… → 18.64.
#[test]
fn partial_payment_counts_what_is_still_due() {
    let c = claim(
        &[
            inv("F7", "2026-10-01", dec!(4000), dec!(1000)),
            inv("F8", "2026-09-01", dec!(500), dec!(0)),
        ],
        d("2026-11-26"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(c.invoices.len(), 1, "a paid invoice is not claimed");
    assert_eq!(c.invoices[0].days_late, 56);
    assert_eq!(c.invoices[0].interest, dec!(18.64));
    assert_eq!(c.still_due, dec!(1000));
    assert_eq!(c.total, dec!(1058.64));
    assert_eq!(
        c.rates,
        vec![AppliedRate {
            from: d("2026-07-01"),
            to: d("2026-12-31"),
            rate: dec!(12.15)
        }]
    );
}

/// A public body: ECB + 8 fixed at the half-year interest began, no split. Due 15 June 2024, as of
/// 10 January 2025 (209 days): ECB 1 January 2024 = 4.50, rate 12.50 % throughout:
/// 1000 × 12.50 × 209 / 36,500 = 71.5753… → 71.58.
#[test]
fn public_body_plus_8_points_fixed_at_the_start() {
    let c = claim(
        &[inv("F9", "2024-06-15", dec!(1000), dec!(1000))],
        d("2025-01-10"),
        &table(),
        Basis::PublicBody,
    )
    .unwrap();
    let p = &c.invoices[0];
    assert!(p.parts.iter().all(|x| x.rate == dec!(12.50)));
    assert_eq!(p.parts.len(), 3);
    assert_eq!(p.interest, dec!(71.58));
    assert_eq!(p.indemnity, dec!(40));
    assert_eq!(c.total, dec!(1111.58));
    // The one fixed rate and the half-year it comes from, not one line per half-year of the delay.
    assert_eq!(
        c.rates,
        [AppliedRate {
            from: d("2024-01-01"),
            to: d("2024-06-30"),
            rate: dec!(12.50)
        }]
    );
    assert!(c.warnings.is_empty());
}

/// The kind of debtor decides the basis: a professional the contractual rate when there is one, else ECB + 10; a
/// public body R2192-31 whatever the contract says; a private person the civil legal interest.
#[test]
fn the_debtor_kind_decides_the_basis() {
    use encaisse_domain::DebtorKind::*;
    assert_eq!(Basis::for_kind(Professional, None), Basis::Statutory);
    assert_eq!(
        Basis::for_kind(Professional, Some(dec!(15))),
        Basis::Contractual(dec!(15))
    );
    assert_eq!(Basis::for_kind(PublicBody, Some(dec!(15))), Basis::PublicBody);
    assert_eq!(Basis::for_kind(PrivatePerson, Some(dec!(15))), Basis::Civil);
    let codes: Vec<&str> = [
        Basis::Statutory,
        Basis::Contractual(dec!(15)),
        Basis::PublicBody,
        Basis::Civil,
    ]
    .iter()
    .map(Basis::code)
    .collect();
    assert_eq!(codes, ["L441-10", "L441-10", "R2192-31", "civil"]);
}

/// A professional, by hand: 1,000.00 due 1 October 2026, as of 26 November 2026: 56 days at ECB 2.15 + 10 = 12.15 %:
/// 1000 × 12.15 × 56 / 36,500 = 18.6410… → 18.64, plus EUR 40 (D441-5): 1,058.64.
#[test]
fn professional_by_hand() {
    let c = claim(
        &[inv("P1", "2026-10-01", dec!(1000), dec!(1000))],
        d("2026-11-26"),
        &table(),
        Basis::for_kind(encaisse_domain::DebtorKind::Professional, None),
    )
    .unwrap();
    assert_eq!(c.basis.code(), "L441-10");
    assert_eq!(c.invoices[0].days_late, 56);
    assert_eq!(c.interest, dec!(18.64));
    assert_eq!(c.indemnities, dec!(40));
    assert_eq!(c.total, dec!(1058.64));
    assert_eq!(c.rates[0].rate, dec!(12.15));
    assert_eq!(c.rates_to_confirm, [d("2026-07-01")]);
}

/// A public body, by hand: 2,000.00 due 15 December 2025, as of 1 March 2026. Interest began on 16 December 2025
/// (2025 H2, ECB 2.15): 10.15 % for the whole delay, 2026 H1 included; 16 + 31 + 28 + 1 = 76 days:
/// 2000 × 10.15 × 76 / 36,500 = 42.2684… → 42.27, plus EUR 40 (D2192-35): 2,082.27.
#[test]
fn public_body_by_hand_one_rate_from_the_half_year_interest_began() {
    let c = claim(
        &[inv("B1", "2025-12-15", dec!(2000), dec!(2000))],
        d("2026-03-01"),
        &table(),
        Basis::for_kind(encaisse_domain::DebtorKind::PublicBody, Some(dec!(15))),
    )
    .unwrap();
    assert_eq!(c.basis.code(), "R2192-31");
    assert_eq!(c.invoices[0].days_late, 76);
    assert_eq!(c.invoices[0].parts.len(), 2);
    assert_eq!(c.interest, dec!(42.27));
    assert_eq!(c.indemnities, dec!(40));
    assert_eq!(c.total, dec!(2082.27));
    assert_eq!(
        c.rates,
        [AppliedRate {
            from: d("2025-07-01"),
            to: d("2025-12-31"),
            rate: dec!(10.15)
        }]
    );
    assert!(c.rates_to_confirm.is_empty());
}

/// A private person: no penalty, no EUR 40; at the notice's date the claim is what is still due (interest at the
/// legal rate runs from the notice): 1,500.00 + 250.50 = 1,750.50, 0.00 of interest and indemnities. The rate that
/// will run is the legal rate ("all other cases") of the notice's half-year: 2.62 % in 2026 H1.
#[test]
fn private_person_by_hand_nothing_but_the_principal_at_the_notice() {
    let invoices = [
        inv("V1", "2026-01-10", dec!(1500), dec!(1500)),
        inv("V2", "2025-11-30", dec!(400), dec!(250.50)),
    ];
    let c = claim(
        &invoices,
        d("2026-03-01"),
        &table(),
        Basis::for_kind(encaisse_domain::DebtorKind::PrivatePerson, None),
    )
    .unwrap();
    assert_eq!(c.basis.code(), "civil");
    assert_eq!(c.invoices.len(), 2);
    assert!(c
        .invoices
        .iter()
        .all(|l| l.parts.is_empty() && l.interest == dec!(0)));
    assert_eq!(c.invoices[0].days_late, 91);
    assert_eq!(c.still_due, dec!(1750.50));
    assert_eq!(c.interest, dec!(0));
    assert_eq!(c.indemnities, dec!(0));
    assert_eq!(c.total, dec!(1750.50));
    assert_eq!(
        c.rates,
        [AppliedRate {
            from: d("2026-01-01"),
            to: d("2026-06-30"),
            rate: dec!(2.62)
        }]
    );
    assert!(c.warnings.is_empty());
    // 2026 H2: the table has no legal rate; the claim stands (nothing is claimed) and says so.
    let c = claim(&invoices, d("2026-11-26"), &table(), Basis::Civil).unwrap();
    assert_eq!(c.total, dec!(1750.50));
    assert!(c.rates.is_empty());
    assert_eq!(
        c.warnings,
        [Warning::CivilRateUnknown {
            half_year: d("2026-07-01")
        }]
    );
}

/// A contractual rate of 8.00 % over 2025 H2 and 2026 H1 and H2: the floors are 8.28 % (2025 H2) and 7.86 %
/// (2026 H1); 2026 H2 has no legal rate in the table.
#[test]
fn contractual_rate_warns_below_three_times_the_legal_rate() {
    let c = claim(
        &[inv("F10", "2025-12-01", dec!(1000), dec!(1000))],
        d("2026-07-31"),
        &table(),
        Basis::Contractual(dec!(8.00)),
    )
    .unwrap();
    // 242 days at 8 %: 1000 × 8 × 242 / 36,500 = 53.0410… → 53.04.
    assert_eq!(c.invoices[0].days_late, 242);
    assert_eq!(c.interest, dec!(53.04));
    assert_eq!(
        c.warnings,
        vec![
            Warning::BelowFloor {
                half_year: d("2025-07-01"),
                contractual: dec!(8.00),
                floor: dec!(8.28)
            },
            Warning::LegalRateUnknown {
                half_year: d("2026-07-01")
            },
        ]
    );
    assert!(c.warnings[0].to_string().contains("8.28"));
}

#[test]
fn a_rate_missing_from_the_table_is_an_error() {
    let e = claim(
        &[inv("F11", "2026-12-15", dec!(10), dec!(10))],
        d("2027-02-01"),
        &table(),
        Basis::Statutory,
    )
    .unwrap_err();
    assert_eq!(e, PenaltyError::MissingRate(d("2027-01-01")));
}

#[test]
fn totals_add_up_over_invoices() {
    let c = claim(
        &[
            inv("A", "2026-10-01", dec!(1234.56), dec!(1234.56)),
            inv("B", "2026-03-15", dec!(99.99), dec!(50)),
        ],
        d("2026-11-26"),
        &table(),
        Basis::Statutory,
    )
    .unwrap();
    assert_eq!(c.invoices[0].invoice.number, "B", "oldest due date first");
    assert_eq!(c.indemnities, dec!(80));
    assert_eq!(c.total, c.still_due + c.interest + c.indemnities);
    assert_eq!(c.interest, c.invoices.iter().map(|i| i.interest).sum::<Decimal>());
}

fn day_in(range: std::ops::Range<i64>) -> impl Strategy<Value = NaiveDate> {
    range.prop_map(|n| d("2023-01-01") + chrono::Days::new(n as u64))
}

proptest! {
    #[test]
    fn interest_grows_with_days(due in day_in(0..1400), late in 0i64..500, cents in 1i64..100_000_000,
                                public in any::<bool>()) {
        let basis = if public { Basis::PublicBody } else { Basis::Statutory };
        let i = inv("P", "2023-01-01", Decimal::new(cents, 2), Decimal::new(cents, 2));
        let i = InvoiceDue { due_date: due, ..i };
        let as_of = due + chrono::Days::new(late as u64);
        prop_assume!(as_of < d("2026-12-31"));
        let a = invoice_penalty(&i, as_of, &table(), basis).unwrap();
        let b = invoice_penalty(&i, as_of + chrono::Days::new(1), &table(), basis).unwrap();
        prop_assert!(b.accrual > a.accrual);
        prop_assert!(b.interest >= a.interest);
        prop_assert_eq!(a.parts.iter().map(|p| p.days).sum::<i64>(), a.days_late);
    }

    #[test]
    fn accrual_is_additive_over_parts(due in day_in(0..1400), late in 1i64..700, split in 0i64..700,
                                      cents in 1i64..100_000_000) {
        let as_of = due + chrono::Days::new(late as u64);
        prop_assume!(as_of < d("2026-12-31"));
        let mid = due + chrono::Days::new((split % late) as u64);
        let amount = Decimal::new(cents, 2);
        let mk = |due_date| InvoiceDue { due_date, ..inv("P", "2023-01-01", amount, amount) };
        let whole = invoice_penalty(&mk(due), as_of, &table(), Basis::Statutory).unwrap();
        let first = invoice_penalty(&mk(due), mid, &table(), Basis::Statutory).unwrap();
        let second = invoice_penalty(&mk(mid), as_of, &table(), Basis::Statutory).unwrap();
        prop_assert_eq!(whole.accrual, first.accrual + second.accrual);
        let parts_sum = whole.parts.iter().map(|p| p.accrual(amount).unwrap()).sum::<Decimal>();
        prop_assert_eq!(whole.accrual, parts_sum);
        prop_assert_eq!(whole.interest, encaisse_domain::money::round_cents(parts_sum / DIVISOR));
    }
}
