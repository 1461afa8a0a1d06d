//! How amounts, dates and rates read in French and in English, in one place: the letters, the reports and the
//! emails all print them this way. The machine format of the JSON and CSV contracts is here too.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::money::round_cents;

/// The language of the words and numbers a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

/// The machine format of the contracts: a dot and exactly two decimals ("1234.50", "-100.00").
pub fn format_amount(amount: Decimal) -> String {
    let mut r = round_cents(amount);
    if r.is_zero() {
        r = Decimal::ZERO;
    }
    r.rescale(2);
    r.to_string()
}

/// The sign, the integer digits grouped by three with `separator`, and the two decimals of an amount rounded to
/// the cent.
fn grouped(amount: Decimal, separator: char) -> (&'static str, String, String) {
    let plain = format_amount(amount);
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::with_capacity(int.len() + int.len() / 3 * 2);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    (sign, out, frac.to_string())
}

/// The French display of a number of euros without the sign: "1 234,56", "-100,00". The spaces are no-break
/// spaces (U+00A0), so that a line is never broken inside an amount.
pub fn format_number_fr(amount: Decimal) -> String {
    let (sign, int, frac) = grouped(amount, '\u{a0}');
    format!("{sign}{int},{frac}")
}

/// The French display of an amount in euros: "1 234,56 €", "-40,00 €". The spaces are no-break spaces (U+00A0),
/// so that a line is never broken inside an amount.
pub fn format_amount_fr(amount: Decimal) -> String {
    format!("{}\u{a0}€", format_number_fr(amount))
}

/// The English display of an amount in euros: "€1,234.56", "-€40.00".
pub fn format_amount_en(amount: Decimal) -> String {
    let (sign, int, frac) = grouped(amount, ',');
    format!("{sign}€{int}.{frac}")
}

/// An amount in euros in `lang`: "1 234,56 €" or "€1,234.56".
pub fn format_money(amount: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Fr => format_amount_fr(amount),
        Lang::En => format_amount_en(amount),
    }
}

/// 26/11/2026.
pub fn format_date_fr(d: NaiveDate) -> String {
    // By hand: chrono's strftime parsing showed in the batch profile.
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// A date in `lang`: 26/11/2026 in both, day first as in France and the United Kingdom (the English letters and
/// emails print it this way).
pub fn format_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr | Lang::En => format_date_fr(d),
    }
}

/// A rate in percent, French style, at least two decimals and at most four: "12,15 %", "10,00 %", "12,125 %"
/// (a no-break space before the sign).
pub fn format_percent_fr(rate: Decimal) -> String {
    let mut r = rate.round_dp(4).normalize();
    if r.scale() < 2 {
        r.rescale(2);
    }
    format!("{}\u{a0}%", r.to_string().replace('.', ","))
}

/// A SIREN (9 digits) or SIRET (14 digits) as printed in France: "633 786 025", "633 786 025 00012", with
/// no-break spaces; anything else (a foreign or mistyped number) as given. The UI's `formatSiren` does the same.
pub fn format_siren(value: &str) -> String {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return value.to_string();
    }
    match digits.len() {
        9 => format!("{}\u{a0}{}\u{a0}{}", &digits[..3], &digits[3..6], &digits[6..]),
        14 => format!(
            "{}\u{a0}{}\u{a0}{}\u{a0}{}",
            &digits[..3],
            &digits[3..6],
            &digits[6..9],
            &digits[9..]
        ),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn contract_format_has_two_decimals() {
        assert_eq!(format_amount(dec!(1234.5)), "1234.50");
        assert_eq!(format_amount(dec!(-100)), "-100.00");
        assert_eq!(format_amount(dec!(0)), "0.00");
        assert_eq!(format_amount(dec!(-0.001)), "0.00");
        assert_eq!(format_amount(dec!(0.005)), "0.01");
    }

    #[test]
    fn french_format_groups_thousands_with_no_break_spaces() {
        let fr = |d| format_amount_fr(d).replace('\u{a0}', " ");
        assert_eq!(fr(dec!(1234.56)), "1 234,56 €");
        assert_eq!(fr(dec!(40)), "40,00 €");
        assert_eq!(fr(dec!(0.005)), "0,01 €");
        assert_eq!(fr(dec!(-1234567.8)), "-1 234 567,80 €");
        assert_eq!(fr(dec!(999)), "999,00 €");
        assert_eq!(fr(dec!(100000)), "100 000,00 €");
        assert!(!format_amount_fr(dec!(1234)).contains(' '), "no breakable space");
    }

    #[test]
    fn french_number_is_the_amount_without_its_sign() {
        assert_eq!(format_number_fr(dec!(1234.56)), "1\u{a0}234,56");
        assert_eq!(format_number_fr(dec!(-100)), "-100,00");
        assert_eq!(format_number_fr(dec!(0)), "0,00");
    }

    #[test]
    fn english_format_groups_thousands_with_commas() {
        assert_eq!(format_amount_en(dec!(1234.56)), "€1,234.56");
        assert_eq!(format_amount_en(dec!(1234567.5)), "€1,234,567.50");
        assert_eq!(format_amount_en(dec!(-12)), "-€12.00");
        assert_eq!(format_amount_en(dec!(-40)), "-€40.00");
        assert_eq!(format_amount_en(dec!(999)), "€999.00");
        assert_eq!(format_amount_en(dec!(0.005)), "€0.01");
    }

    #[test]
    fn money_in_each_language() {
        assert_eq!(format_money(dec!(1234.5), Lang::Fr), "1\u{a0}234,50\u{a0}€");
        assert_eq!(format_money(dec!(1234.5), Lang::En), "€1,234.50");
    }

    #[test]
    fn dates_day_first_in_both_languages() {
        assert_eq!(format_date_fr(day(2026, 11, 26)), "26/11/2026");
        assert_eq!(format_date_fr(day(2026, 1, 5)), "05/01/2026");
        assert_eq!(format_date(day(2026, 11, 26), Lang::Fr), "26/11/2026");
        assert_eq!(format_date(day(2026, 11, 26), Lang::En), "26/11/2026");
        assert_eq!(format_date_fr(day(812, 3, 4)), "04/03/0812");
    }

    #[test]
    fn percent_in_french() {
        assert_eq!(format_percent_fr(dec!(12.15)), "12,15\u{a0}%");
        assert_eq!(format_percent_fr(dec!(10)), "10,00\u{a0}%");
        assert_eq!(format_percent_fr(dec!(12.125)), "12,125\u{a0}%");
        assert_eq!(format_percent_fr(dec!(2.123456)), "2,1235\u{a0}%");
    }

    proptest! {
        #[test]
        fn date_matches_chrono(n in 0i64..200_000) {
            let d = day(1900, 1, 1) + chrono::Days::new(n as u64);
            prop_assert_eq!(format_date_fr(d), d.format("%d/%m/%Y").to_string());
        }

        #[test]
        fn both_languages_show_the_same_digits(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let d = Decimal::new(minor, 2);
            let digits = |s: String| s.chars().filter(char::is_ascii_digit).collect::<String>();
            prop_assert_eq!(digits(format_amount_fr(d)), digits(format_amount_en(d)));
            prop_assert_eq!(digits(format_amount_fr(d)), digits(format_amount(d)));
        }
    }

    #[test]
    fn siren_and_siret_are_grouped_the_french_way() {
        assert_eq!(format_siren("633786025"), "633\u{a0}786\u{a0}025");
        assert_eq!(format_siren(" 633 786 025 "), "633\u{a0}786\u{a0}025");
        assert_eq!(format_siren("63378602500012"), "633\u{a0}786\u{a0}025\u{a0}00012");
        assert_eq!(format_siren("BE0123456789"), "BE0123456789");
        assert_eq!(format_siren("12345"), "12345");
    }
}
