//! The late-payment claim of French B2B law, computed exactly (shared/domain/french-rules.md): the interest by
//! half-year and the recovery indemnities a formal notice claims, and the rates table they are computed from.
//!
//! - Code de commerce L441-10 II: penalties run from the day after the due date, with no reminder needed, at the ECB
//!   main refinancing rate + 10 points; for the first half-year the rate in force on 1 January, for the second the
//!   rate in force on 1 July. When a delay spans several half-years, each part is computed at its half-year's rate.
//! - Interest = amount still due × annual rate × days / 365. The divisor is 365 in every year, leap years included:
//!   the formula of the rules (and of the official simulators) has no 366 case, so a delay of 366 days in 2024 costs
//!   366/365 of a year's rate.
//! - Each invoice's interest is rounded half-up to the cent once, after its parts are added up exactly (the parts are
//!   never rounded on their own).
//! - Public buyers (Code de la commande publique R2192-31): the ECB rate in force on the first day of the half-year in
//!   which interest began to run, + 8 points, for the whole delay (no split: the text fixes the rate once).
//! - A contractual rate replaces the statutory one; it may not be below 3 × the legal interest rate: a warning names
//!   each half-year where it is (or where that legal rate is unknown).
//! - D441-5: a fixed EUR 40 recovery indemnity for each invoice paid late (D2192-35 for a public buyer).
//! - A private person (Code civil 1231-6, 1344-1): no L441-10 penalty and no EUR 40; interest at the legal rate
//!   ("all other cases": the creditor is a company, Code monétaire et financier L313-2) runs only from the formal
//!   notice, so the claim at the notice's date holds no interest and no indemnity. The basis follows the debtor's
//!   kind: [`Basis::for_kind`].

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A rate in percent per year, in force from the first day of a half-year (1 January or 1 July).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRate {
    pub from: NaiveDate,
    /// Percent per year, e.g. "2.15".
    pub rate: Decimal,
    /// Checked against the published text (Journal officiel, Banque de France). A rate not confirmed is still
    /// used, but every letter that uses it says so (`rates_to_confirm`). Absent in a saved table: confirmed (the
    /// user typed or kept it).
    #[serde(default = "confirmed_by_default")]
    pub confirmed: bool,
}

fn confirmed_by_default() -> bool {
    true
}

impl DatedRate {
    /// A rate checked against its published text.
    pub fn confirmed(from: NaiveDate, rate: Decimal) -> Self {
        DatedRate {
            from,
            rate,
            confirmed: true,
        }
    }
}

/// The rates the computation needs, by half-year: the ECB main refinancing rate in force on 1 January / 1 July, and
/// the legal interest rate ("taux de l'intérêt légal", Code monétaire et financier L313-2) in its two columns: "all
/// other cases" (`legal_interest`, the floor of a contractual rate between professionals: 3 times it, and the rate
/// a company claims from a consumer) and "creditors who are individuals not acting for professional needs"
/// (`legal_interest_individuals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTable {
    pub ecb: Vec<DatedRate>,
    pub legal_interest: Vec<DatedRate>,
    #[serde(default)]
    pub legal_interest_individuals: Vec<DatedRate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PenaltyError {
    #[error(
        "no ECB rate for the half-year starting {0}: add it in Settings → Lettres et taux (penalty rates by half-year)"
    )]
    MissingRate(NaiveDate),
    #[error("rates table: {0}")]
    InvalidTable(String),
    #[error("amount too large for the penalty computation: {0}")]
    Overflow(String),
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid built-in date")
}

/// First day of the half-year holding `d`.
pub fn half_year_start(d: NaiveDate) -> NaiveDate {
    ymd(d.year(), if d.month() <= 6 { 1 } else { 7 }, 1)
}

/// Last day of the half-year holding `d`.
pub fn half_year_end(d: NaiveDate) -> NaiveDate {
    if d.month() <= 6 {
        ymd(d.year(), 6, 30)
    } else {
        ymd(d.year(), 12, 31)
    }
}

impl Default for RateTable {
    fn default() -> Self {
        Self::builtin()
    }
}

impl RateTable {
    /// The table of shared/domain/french-rules.md (ECB rate on 1 January / 1 July, 2023 H1 to 2026 H2), preceded by
    /// the ECB's 0.00 % of 16 March 2016 to 26 July 2022 (2016 H2 to 2022 H2), so that old invoices of an imported
    /// ledger can be claimed too; the legal interest rates of 2023 H1 to 2026 H1, each checked against its published
    /// arrêté (e.g. 26 Dec 2022 for 2023 H1, 27 Jun 2023, 21 Dec 2023, 19 Jun 2025, 15 Dec 2025 for 2026 H1) or the
    /// service-public.fr table that reproduces them. The ECB rate of
    /// 2026 H2 (2.15, unchanged since 11 June 2025) is shipped to confirm; the legal rates of 2026 H2 were not found
    /// and are left out (the screen says where to add them). Later half-years are added in the settings.
    pub fn builtin() -> Self {
        let mut ecb: Vec<DatedRate> = (2016..=2022)
            .flat_map(|y| [(y, 1), (y, 7)])
            .filter(|&(y, m)| (y, m) != (2016, 1))
            .map(|(y, m)| DatedRate::confirmed(ymd(y, m, 1), Decimal::ZERO))
            .collect();
        for (y, m, rate, confirmed) in [
            (2023, 1, Decimal::new(250, 2), true),
            (2023, 7, Decimal::new(400, 2), true),
            (2024, 1, Decimal::new(450, 2), true),
            (2024, 7, Decimal::new(425, 2), true),
            (2025, 1, Decimal::new(315, 2), true),
            (2025, 7, Decimal::new(215, 2), true),
            (2026, 1, Decimal::new(215, 2), true),
            (2026, 7, Decimal::new(215, 2), false),
        ] {
            ecb.push(DatedRate {
                from: ymd(y, m, 1),
                rate,
                confirmed,
            });
        }
        // (year, month, all other cases, individuals), in hundredths of a percent.
        const LEGAL: [(i32, u32, i64, i64); 7] = [
            (2023, 1, 206, 447),
            (2023, 7, 422, 682),
            (2024, 1, 507, 801),
            (2024, 7, 492, 816),
            (2025, 1, 371, 721),
            (2025, 7, 276, 665),
            (2026, 1, 262, 667),
        ];
        let legal = |column: fn(&(i32, u32, i64, i64)) -> i64| -> Vec<DatedRate> {
            LEGAL
                .iter()
                .map(|r| DatedRate::confirmed(ymd(r.0, r.1, 1), Decimal::new(column(r), 2)))
                .collect()
        };
        RateTable {
            ecb,
            legal_interest: legal(|r| r.2),
            legal_interest_individuals: legal(|r| r.3),
        }
    }

    /// Reads an edited table (the settings' JSON) and checks it.
    pub fn from_json(json: &str) -> Result<Self, PenaltyError> {
        let t: RateTable =
            serde_json::from_str(json).map_err(|e| PenaltyError::InvalidTable(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a rates table serializes")
    }

    /// Every date is the first day of a half-year, strictly increasing, rates not negative.
    pub fn check(&self) -> Result<(), PenaltyError> {
        for (name, list) in [
            ("ecb", &self.ecb),
            ("legal_interest", &self.legal_interest),
            ("legal_interest_individuals", &self.legal_interest_individuals),
        ] {
            for r in list {
                if half_year_start(r.from) != r.from {
                    return Err(PenaltyError::InvalidTable(format!(
                        "{name}: {} is not 1 January or 1 July",
                        r.from
                    )));
                }
                if r.rate.is_sign_negative() && !r.rate.is_zero() {
                    return Err(PenaltyError::InvalidTable(format!(
                        "{name}: negative rate {} from {}",
                        r.rate, r.from
                    )));
                }
            }
            if let Some(w) = list.windows(2).find(|w| w[0].from >= w[1].from) {
                return Err(PenaltyError::InvalidTable(format!(
                    "{name}: {} comes after {}: list the half-years in order, once each",
                    w[1].from, w[0].from
                )));
            }
        }
        Ok(())
    }

    fn lookup(list: &[DatedRate], half_year: NaiveDate) -> Option<Decimal> {
        list.iter().find(|r| r.from == half_year).map(|r| r.rate)
    }

    /// The ECB rate of the half-year holding `d`.
    pub fn ecb_rate(&self, d: NaiveDate) -> Result<Decimal, PenaltyError> {
        let start = half_year_start(d);
        Self::lookup(&self.ecb, start).ok_or(PenaltyError::MissingRate(start))
    }

    /// The legal interest rate ("all other cases") of the half-year holding `d`, when the table has it.
    pub fn legal_interest_rate(&self, d: NaiveDate) -> Option<Decimal> {
        Self::lookup(&self.legal_interest, half_year_start(d))
    }

    /// The legal interest rate for creditors who are individuals, of the half-year holding `d`, when the table has it.
    pub fn legal_interest_individuals_rate(&self, d: NaiveDate) -> Option<Decimal> {
        Self::lookup(&self.legal_interest_individuals, half_year_start(d))
    }

    fn unconfirmed(list: &[DatedRate], half_year: NaiveDate) -> bool {
        list.iter().any(|r| r.from == half_year && !r.confirmed)
    }

    /// The ECB rate of the half-year holding `d` is in the table but not confirmed.
    pub fn ecb_to_confirm(&self, d: NaiveDate) -> bool {
        Self::unconfirmed(&self.ecb, half_year_start(d))
    }

    /// The legal interest rate ("all other cases") of the half-year holding `d` is in the table but not confirmed.
    pub fn legal_interest_to_confirm(&self, d: NaiveDate) -> bool {
        Self::unconfirmed(&self.legal_interest, half_year_start(d))
    }
}

/// Which rate the creditor claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "rate")]
pub enum Basis {
    /// L441-10: ECB + 10 points, each half-year at its own rate.
    #[default]
    Statutory,
    /// R2192-31: the debtor is a public buyer; ECB + 8 points, fixed at the half-year in which interest began.
    PublicBody,
    /// A rate agreed in the contract or the terms of sale, percent per year.
    Contractual(Decimal),
    /// Code civil 1231-6 and 1344-1: the debtor is a private person; no penalty nor indemnity, interest at the
    /// legal rate runs from the formal notice (nothing is owed at its date).
    Civil,
}

impl Basis {
    /// What the law lets a company claim from a debtor of this kind: a professional owes the contractual rate when
    /// there is one, else the statutory one; a public body R2192-31 (its rate is fixed by the code, a contractual
    /// rate does not apply); a private person the civil legal interest.
    pub fn for_kind(kind: encaisse_domain::DebtorKind, contractual: Option<Decimal>) -> Basis {
        use encaisse_domain::DebtorKind;
        match (kind, contractual) {
            (DebtorKind::Professional, Some(r)) => Basis::Contractual(r),
            (DebtorKind::Professional, None) => Basis::Statutory,
            (DebtorKind::PublicBody, _) => Basis::PublicBody,
            (DebtorKind::PrivatePerson, _) => Basis::Civil,
        }
    }

    /// The text the claim rests on, as the JSON names it: "L441-10" (statutory or contractual rate), "R2192-31"
    /// (public buyer) or "civil" (private person).
    pub fn code(&self) -> &'static str {
        match self {
            Basis::Statutory | Basis::Contractual(_) => "L441-10",
            Basis::PublicBody => "R2192-31",
            Basis::Civil => "civil",
        }
    }

    /// Whether the EUR 40 recovery indemnity is owed per invoice paid late (D441-5, D2192-35).
    pub fn indemnity_owed(&self) -> bool {
        !matches!(self, Basis::Civil)
    }
}

pub const STATUTORY_MARGIN: Decimal = Decimal::from_parts(10, 0, 0, false, 0);
pub const PUBLIC_BODY_MARGIN: Decimal = Decimal::from_parts(8, 0, 0, false, 0);
/// D441-5: per invoice paid late.
pub const RECOVERY_INDEMNITY: Decimal = Decimal::from_parts(40, 0, 0, false, 0);

/// An invoice as the claim sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDue {
    pub number: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The invoice's amount including VAT.
    pub amount: Decimal,
    /// What is left to pay (after partial payments): the base of the penalties.
    pub still_due: Decimal,
}

/// A stretch of the delay at one rate: `from..=to`, `days` days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    /// Percent per year.
    pub rate: Decimal,
    /// The half-year this part lies in (its rate may come from an earlier one for a public body).
    pub half_year: NaiveDate,
}

impl Part {
    /// still due × rate (percent) × days: exact; interest = sum of these / 36,500.
    pub fn accrual(&self, still_due: Decimal) -> Result<Decimal, PenaltyError> {
        still_due
            .checked_mul(self.rate)
            .and_then(|v| v.checked_mul(Decimal::from(self.days)))
            .ok_or_else(|| PenaltyError::Overflow(still_due.to_string()))
    }
}

/// 100 (percent) × 365 (days a year, leap years too).
pub const DIVISOR: Decimal = Decimal::from_parts(36_500, 0, 0, false, 0);

/// One late invoice with what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePenalty {
    pub invoice: InvoiceDue,
    /// as-of − due date.
    pub days_late: i64,
    pub parts: Vec<Part>,
    /// Σ still due × rate × days over the parts, exact (interest before rounding × 36,500).
    pub accrual: Decimal,
    /// Rounded half-up to the cent.
    pub interest: Decimal,
    pub indemnity: Decimal,
}

impl InvoicePenalty {
    /// The interest before rounding (exact up to Decimal's 28 digits: one division).
    pub fn interest_unrounded(&self) -> Decimal {
        self.accrual / DIVISOR
    }
}

/// A rate used by the claim over a half-year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppliedRate {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rate: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The contractual rate is below 3 × the legal interest rate of this half-year.
    BelowFloor {
        half_year: NaiveDate,
        contractual: Decimal,
        floor: Decimal,
    },
    /// The table has no legal interest rate for this half-year: the floor could not be checked.
    LegalRateUnknown { half_year: NaiveDate },
    /// A private person: the table has no legal interest rate for the half-year of the notice, so the letter cannot
    /// say the rate that will run from it.
    CivilRateUnknown { half_year: NaiveDate },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::BelowFloor {
                half_year,
                contractual,
                floor,
            } => write!(
                f,
                "the contractual rate {contractual} % is below 3 × the legal interest rate of the half-year \
                 starting {half_year} ({floor} %, L441-10 II)"
            ),
            Warning::LegalRateUnknown { half_year } => write!(
                f,
                "no legal interest rate for the half-year starting {half_year}: the contractual rate's floor \
                 (3 × that rate) could not be checked"
            ),
            Warning::CivilRateUnknown { half_year } => write!(
                f,
                "no legal interest rate for the half-year starting {half_year}: the letter cannot say the rate \
                 of the interest that runs from it; add it in Settings → Lettres et taux"
            ),
        }
    }
}

/// What the formal notice claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub as_of: NaiveDate,
    pub basis: Basis,
    /// Late invoices with something still due, by due date then number.
    pub invoices: Vec<InvoicePenalty>,
    pub still_due: Decimal,
    pub interest: Decimal,
    pub indemnities: Decimal,
    /// still due + interest + indemnities.
    pub total: Decimal,
    /// Distinct (half-year, rate) used, in date order. A public body: the one fixed rate of each invoice with the
    /// half-year it comes from (the one interest began in). A private person: the legal interest rate of the
    /// notice's half-year, the one that runs from it (none when the table lacks it: a warning says so).
    pub rates: Vec<AppliedRate>,
    pub warnings: Vec<Warning>,
    /// The first days of the half-years whose rate the claim used but the table does not mark confirmed, in order:
    /// the ECB rate of each half-year of the delay (statutory), of the half-year interest began (public body), the
    /// legal interest rate of each half-year (a contractual rate's floor).
    pub rates_to_confirm: Vec<NaiveDate>,
}

/// See [`Claim::rates_to_confirm`].
fn to_confirm(lines: &[InvoicePenalty], basis: Basis, table: &RateTable) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = match basis {
        Basis::Statutory => lines
            .iter()
            .flat_map(|l| &l.parts)
            .map(|p| p.half_year)
            .filter(|&h| table.ecb_to_confirm(h))
            .collect(),
        Basis::PublicBody => lines
            .iter()
            .filter_map(|l| l.parts.first())
            .map(|p| half_year_start(p.from))
            .filter(|&h| table.ecb_to_confirm(h))
            .collect(),
        Basis::Contractual(_) => lines
            .iter()
            .flat_map(|l| &l.parts)
            .map(|p| p.half_year)
            .filter(|&h| table.legal_interest_to_confirm(h))
            .collect(),
        Basis::Civil => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// The parts of a delay from the day after `due_date` to `as_of` (empty when not late), one per half-year; always
/// empty for a private person (interest runs from the notice, not from the due date).
pub fn parts(
    due_date: NaiveDate,
    as_of: NaiveDate,
    table: &RateTable,
    basis: Basis,
) -> Result<Vec<Part>, PenaltyError> {
    let mut out = Vec::new();
    let Some(first) = due_date.succ_opt() else {
        return Ok(out);
    };
    if basis == Basis::Civil {
        return Ok(out);
    }
    let public_rate = match basis {
        Basis::PublicBody if first <= as_of => Some(table.ecb_rate(first)? + PUBLIC_BODY_MARGIN),
        _ => None,
    };
    let mut from = first;
    while from <= as_of {
        let to = half_year_end(from).min(as_of);
        let rate = match basis {
            Basis::Statutory => table.ecb_rate(from)? + STATUTORY_MARGIN,
            Basis::PublicBody => public_rate.unwrap_or_default(),
            Basis::Contractual(r) => r,
            Basis::Civil => Decimal::ZERO,
        };
        out.push(Part {
            from,
            to,
            days: (to - from).num_days() + 1,
            rate,
            half_year: half_year_start(from),
        });
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(out)
}

/// Penalties of one invoice at `as_of` (zero parts when it is not late).
pub fn invoice_penalty(
    invoice: &InvoiceDue,
    as_of: NaiveDate,
    table: &RateTable,
    basis: Basis,
) -> Result<InvoicePenalty, PenaltyError> {
    let parts = parts(invoice.due_date, as_of, table, basis)?;
    let mut accrual = Decimal::ZERO;
    for p in &parts {
        accrual = accrual
            .checked_add(p.accrual(invoice.still_due)?)
            .ok_or_else(|| PenaltyError::Overflow(invoice.number.clone()))?;
    }
    let days_late = (as_of - invoice.due_date).num_days();
    let late = days_late > 0 && invoice.still_due > Decimal::ZERO && basis.indemnity_owed();
    Ok(InvoicePenalty {
        invoice: invoice.clone(),
        days_late: days_late.max(0),
        interest: encaisse_domain::money::round_cents(accrual / DIVISOR),
        accrual,
        indemnity: if late { RECOVERY_INDEMNITY } else { Decimal::ZERO },
        parts,
    })
}

/// The claim of a formal notice at `as_of`: every invoice past its due date with something still due.
pub fn claim(
    invoices: &[InvoiceDue],
    as_of: NaiveDate,
    table: &RateTable,
    basis: Basis,
) -> Result<Claim, PenaltyError> {
    let mut lines = Vec::new();
    for inv in invoices
        .iter()
        .filter(|i| i.due_date < as_of && i.still_due > Decimal::ZERO)
    {
        lines.push(invoice_penalty(inv, as_of, table, basis)?);
    }
    lines.sort_by(|a, b| {
        (a.invoice.due_date, &a.invoice.number).cmp(&(b.invoice.due_date, &b.invoice.number))
    });
    let still_due: Decimal = lines.iter().map(|l| l.invoice.still_due).sum();
    let interest: Decimal = lines.iter().map(|l| l.interest).sum();
    let indemnities: Decimal = lines.iter().map(|l| l.indemnity).sum();
    let mut warnings = Vec::new();
    let mut rates: Vec<AppliedRate> = match basis {
        // The one fixed rate of each invoice and the half-year it comes from.
        Basis::PublicBody => lines
            .iter()
            .filter_map(|l| l.parts.first())
            .map(|p| {
                let from = half_year_start(p.from);
                AppliedRate {
                    from,
                    to: half_year_end(from),
                    rate: p.rate,
                }
            })
            .collect(),
        // The rate that runs from the notice.
        Basis::Civil if !lines.is_empty() => match table.legal_interest_rate(as_of) {
            Some(rate) => vec![AppliedRate {
                from: half_year_start(as_of),
                to: half_year_end(as_of),
                rate,
            }],
            None => {
                warnings.push(Warning::CivilRateUnknown {
                    half_year: half_year_start(as_of),
                });
                Vec::new()
            }
        },
        _ => lines
            .iter()
            .flat_map(|l| &l.parts)
            .map(|p| AppliedRate {
                from: p.half_year,
                to: half_year_end(p.half_year),
                rate: p.rate,
            })
            .collect(),
    };
    rates.sort();
    rates.dedup();
    if let Basis::Contractual(rate) = basis {
        let mut half_years: Vec<NaiveDate> = rates.iter().map(|r| r.from).collect();
        half_years.dedup();
        for h in half_years {
            match table.legal_interest_rate(h) {
                Some(legal) if rate < legal * Decimal::from(3) => warnings.push(Warning::BelowFloor {
                    half_year: h,
                    contractual: rate,
                    floor: legal * Decimal::from(3),
                }),
                Some(_) => {}
                None => warnings.push(Warning::LegalRateUnknown { half_year: h }),
            }
        }
    }
    let mut rates_to_confirm = to_confirm(&lines, basis, table);
    if basis == Basis::Civil && !rates.is_empty() && table.legal_interest_to_confirm(as_of) {
        rates_to_confirm.push(half_year_start(as_of));
    }
    Ok(Claim {
        as_of,
        basis,
        rates_to_confirm,
        still_due,
        interest,
        indemnities,
        total: still_due + interest + indemnities,
        invoices: lines,
        rates,
        warnings,
    })
}

#[cfg(test)]
mod tests;
