//! A customer's score (0–100) and class (A–E), explained: each factor says its value, its weight and the points
//! it took away from 100.

use crate::behaviour::one_decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// What the score is computed from. Broken promises and open disputes come from the dunning work; zero when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScoreInput {
    /// Weighted days late over 12 months (None: no paid invoice).
    pub avg_days_late: Option<Decimal>,
    /// Days late of the last 3 months minus the 12 before (None: not enough history).
    pub trend: Option<Decimal>,
    /// Open invoices (residuals) and the part more than 60 days late.
    pub open: Decimal,
    pub overdue_over_60: Decimal,
    /// Balance (due and not yet due) against the credit limit.
    pub exposure: Decimal,
    pub credit_limit: Option<Decimal>,
    pub broken_promises: u32,
    pub open_disputes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorKind {
    DaysLate,
    Trend,
    OverdueOver60,
    CreditLimitUse,
    BrokenPromises,
    OpenDisputes,
}

impl FactorKind {
    pub fn code(self) -> &'static str {
        match self {
            FactorKind::DaysLate => "days_late",
            FactorKind::Trend => "trend",
            FactorKind::OverdueOver60 => "overdue_over_60",
            FactorKind::CreditLimitUse => "credit_limit_use",
            FactorKind::BrokenPromises => "broken_promises",
            FactorKind::OpenDisputes => "open_disputes",
        }
    }

    /// Points out of 100 this factor can take away; the weights add up to 100.
    pub fn weight(self) -> u32 {
        match self {
            FactorKind::DaysLate => 35,
            FactorKind::Trend => 15,
            FactorKind::OverdueOver60 => 20,
            FactorKind::CreditLimitUse => 10,
            FactorKind::BrokenPromises => 10,
            FactorKind::OpenDisputes => 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factor {
    pub kind: FactorKind,
    /// The measured value: days, days, percent, percent, count, count. None when unknown (takes nothing away).
    pub value: Option<Decimal>,
    /// Points taken away, one decimal, 0 to the weight.
    pub points_lost: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub score: u8,
    pub class: char,
    pub factors: Vec<Factor>,
}

/// Class from score: A ≥ 80, B ≥ 60, C ≥ 40, D ≥ 20, E below.
pub fn class_of(score: u8) -> char {
    match score {
        80.. => 'A',
        60..=79 => 'B',
        40..=59 => 'C',
        20..=39 => 'D',
        _ => 'E',
    }
}

/// Fraction in [0, 1] of `value` between `zero` (nothing lost) and `full` (the whole weight lost).
fn ramp(value: Decimal, zero: Decimal, full: Decimal) -> Decimal {
    ((value - zero) / (full - zero)).clamp(Decimal::ZERO, Decimal::ONE)
}

/// The score: 100 minus each factor's share of its weight.
/// - days late: 0 days nothing, 60 days or more the whole weight;
/// - trend: paying no later than before nothing, 30 more days the whole weight;
/// - overdue over 60 days: its share of the open invoices;
/// - credit-limit use: up to 80 % of the limit nothing, 120 % or more the whole weight;
/// - broken promises: a third per promise, up to 3; open disputes: half per dispute, up to 2.
pub fn score(input: &ScoreInput) -> Score {
    let d = Decimal::from;
    let hundred = Decimal::ONE_HUNDRED;
    let over_60_share = (input.open > Decimal::ZERO).then(|| input.overdue_over_60 / input.open * hundred);
    let limit_use = input
        .credit_limit
        .filter(|l| *l > Decimal::ZERO)
        .map(|l| input.exposure / l * hundred);
    let measured: [(FactorKind, Option<Decimal>, Option<Decimal>); 6] = [
        (
            FactorKind::DaysLate,
            input.avg_days_late,
            input.avg_days_late.map(|v| ramp(v, d(0), d(60))),
        ),
        (
            FactorKind::Trend,
            input.trend,
            input.trend.map(|v| ramp(v, d(0), d(30))),
        ),
        (
            FactorKind::OverdueOver60,
            over_60_share,
            over_60_share.map(|v| ramp(v, d(0), hundred)),
        ),
        (
            FactorKind::CreditLimitUse,
            limit_use,
            limit_use.map(|v| ramp(v, d(80), d(120))),
        ),
        (
            FactorKind::BrokenPromises,
            Some(d(input.broken_promises)),
            Some(ramp(d(input.broken_promises), d(0), d(3))),
        ),
        (
            FactorKind::OpenDisputes,
            Some(d(input.open_disputes)),
            Some(ramp(d(input.open_disputes), d(0), d(2))),
        ),
    ];
    let factors: Vec<Factor> = measured
        .into_iter()
        .map(|(kind, value, fraction)| Factor {
            kind,
            value: value.map(one_decimal),
            points_lost: one_decimal(fraction.unwrap_or_default() * d(kind.weight())),
        })
        .collect();
    let lost: Decimal = factors.iter().map(|f| f.points_lost).sum();
    let s = (hundred - lost)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .clamp(Decimal::ZERO, hundred);
    let score = s.to_u8().unwrap_or(0);
    Score {
        score,
        class: class_of(score),
        factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn weights_add_up_to_100_and_a_perfect_payer_scores_100() {
        let s = score(&ScoreInput {
            avg_days_late: Some(dec!(0)),
            open: dec!(100),
            exposure: dec!(100),
            credit_limit: Some(dec!(1000)),
            ..ScoreInput::default()
        });
        let weights: u32 = s.factors.iter().map(|f| f.kind.weight()).sum();
        assert_eq!(weights, 100);
        assert_eq!((s.score, s.class), (100, 'A'));
    }

    #[test]
    fn hand_computed_score() {
        let s = score(&ScoreInput {
            avg_days_late: Some(dec!(30)), // half of 35 = 17.5
            trend: Some(dec!(6)),          // 6/30 of 15 = 3
            open: dec!(1000),
            overdue_over_60: dec!(250), // 25 % of 20 = 5
            exposure: dec!(1100),
            credit_limit: Some(dec!(1000)), // 110 %: (110-80)/40 of 10 = 7.5
            broken_promises: 1,             // 1/3 of 10 = 3.3
            open_disputes: 3,               // capped: 10
        });
        let lost: Vec<Decimal> = s.factors.iter().map(|f| f.points_lost).collect();
        assert_eq!(
            lost,
            [dec!(17.5), dec!(3.0), dec!(5.0), dec!(7.5), dec!(3.3), dec!(10.0)]
        );
        // 100 − 46.3 = 53.7 → 54, class C.
        assert_eq!((s.score, s.class), (54, 'C'));
        assert_eq!(s.factors[3].value, Some(dec!(110.0)));
    }

    #[test]
    fn unknown_values_take_nothing_and_classes_have_edges() {
        let s = score(&ScoreInput::default());
        assert_eq!(s.score, 100);
        assert!(s.factors[0].value.is_none());
        for (score, class) in [
            (100, 'A'),
            (80, 'A'),
            (79, 'B'),
            (60, 'B'),
            (59, 'C'),
            (40, 'C'),
            (39, 'D'),
            (20, 'D'),
            (19, 'E'),
            (0, 'E'),
        ] {
            assert_eq!(class_of(score), class, "{score}");
        }
        let worst = score(&ScoreInput {
            avg_days_late: Some(dec!(200)),
            trend: Some(dec!(90)),
            open: dec!(10),
            overdue_over_60: dec!(10),
            exposure: dec!(500),
            credit_limit: Some(dec!(100)),
            broken_promises: 9,
            open_disputes: 9,
        });
        assert_eq!((worst.score, worst.class), (0, 'E'));
    }
}
