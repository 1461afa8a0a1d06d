//! The agenda's rules, one test per rule, on hand-made cases and on a ledger.

use super::*;
use encaisse_domain::collections::{Department, DisputeKind};
use encaisse_domain::testing::d;
use rust_decimal_macros::dec;

fn inv(piece: &str, due: &str, residual: Decimal) -> InvoiceCase {
    InvoiceCase {
        invoice_id: None,
        piece_ref: piece.into(),
        due_date: d(due),
        residual,
        steps_done: Vec::new(),
        promises: Vec::new(),
        disputes: Vec::new(),
    }
}

fn case<'a>(s: &'a Scenario, invoices: Vec<InvoiceCase>) -> CustomerCase<'a> {
    CustomerCase {
        key: "C1".into(),
        scenario: s,
        paused: false,
        actions: Vec::new(),
        unapplied: Decimal::ZERO,
        invoices,
        follow_ups: Vec::new(),
    }
}

fn step_on(c: &CustomerCase<'_>, day: &str) -> Option<String> {
    action_for(c, AgendaRules::default(), d(day)).map(|a| a.step.id)
}

/// Due 2026-03-01: −3 is 02-26, +5 is 03-06, +15 is 03-16, +30 is 03-31, +60 is 04-30, +75 is 05-15.
#[test]
fn each_step_starts_exactly_at_its_offset() {
    let s = Scenario::standard();
    let c = case(&s, vec![inv("F1", "2026-03-01", dec!(100))]);
    for (day, step) in [
        ("2026-02-25", None),
        ("2026-02-26", Some("pre_reminder")),
        ("2026-03-05", Some("pre_reminder")),
        ("2026-03-06", Some("reminder_1")),
        ("2026-03-15", Some("reminder_1")),
        ("2026-03-16", Some("reminder_2")),
        ("2026-03-30", Some("reminder_2")),
        ("2026-03-31", Some("reminder_3")),
        ("2026-04-29", Some("reminder_3")),
        ("2026-04-30", Some("personal_letter")),
        ("2026-05-14", Some("personal_letter")),
        ("2026-05-15", Some("formal_notice")),
    ] {
        assert_eq!(step_on(&c, day).as_deref(), step, "{day}");
    }
    let a = action_for(&c, AgendaRules::default(), d("2026-04-30")).unwrap();
    assert!(a.needs_validation, "the personal letter is validated by a person");
    assert_eq!(a.step.channels.len(), 2);
    let a = action_for(&c, AgendaRules::default(), d("2026-03-16")).unwrap();
    assert!(!a.needs_validation);
    assert_eq!(a.invoices[0].days_late, 15);
}

#[test]
fn steps_done_are_not_repeated_and_later_steps_still_come() {
    let s = Scenario::standard();
    let mut i = inv("F1", "2026-03-01", dec!(100));
    i.steps_done.push(("reminder_1".into(), d("2026-03-06")));
    let mut c = case(&s, vec![i]);
    c.actions.push((ActionKind::Email, d("2026-03-06")));
    // Done on 03-06: nothing more until reminder_2 on 03-16 (gap long passed by then).
    assert_eq!(step_on(&c, "2026-03-06"), None);
    assert_eq!(step_on(&c, "2026-03-12"), None);
    assert_eq!(step_on(&c, "2026-03-15"), None);
    assert_eq!(step_on(&c, "2026-03-16").as_deref(), Some("reminder_2"));
    // A record dated after the day does not count as done on the day (replaying an earlier date).
    assert_eq!(step_on(&c, "2026-03-05").as_deref(), Some("pre_reminder"));
}

#[test]
fn one_action_at_the_highest_pending_step_listing_every_invoice_that_reached_a_step() {
    let s = Scenario::standard();
    // As of 2026-06-01: F1 due 05-27 (+5, reminder_1), F2 due 04-01 (+61, personal_letter, done),
    // F3 due 05-01 (+31, reminder_3), F4 due 06-03 (−2, pre_reminder), F5 due 06-10 (−9: not reached).
    let mut f2 = inv("F2", "2026-04-01", dec!(200));
    f2.steps_done.push(("personal_letter".into(), d("2026-05-20")));
    let c = case(
        &s,
        vec![
            inv("F1", "2026-05-27", dec!(100)),
            f2,
            inv("F3", "2026-05-01", dec!(300)),
            inv("F4", "2026-06-03", dec!(40)),
            inv("F5", "2026-06-10", dec!(1000)),
        ],
    );
    let a = action_for(&c, AgendaRules::default(), d("2026-06-01")).unwrap();
    assert_eq!(
        a.step.id, "reminder_3",
        "F2's higher step was done; F3's is the highest pending"
    );
    let refs: Vec<_> = a.invoices.iter().map(|i| i.piece_ref.as_str()).collect();
    assert_eq!(
        refs,
        ["F2", "F3", "F1", "F4"],
        "by due date; F5 has not reached a step"
    );
    let pending: Vec<_> = a.invoices.iter().map(|i| i.pending).collect();
    assert_eq!(pending, [false, true, true, true]);
    assert_eq!(a.open_amount, dec!(640));
    assert_eq!(a.invoices[0].reached, "personal_letter");
    // F4 is listed (its pre-reminder) but not yet due: a letter claims the three others.
    let overdue: Vec<_> = a.invoices.iter().map(ListedInvoice::is_overdue).collect();
    assert_eq!(overdue, [true, true, true, false]);
}

#[test]
fn an_invoice_is_overdue_from_the_day_after_its_due_date() {
    let s = Scenario::standard();
    let c = case(&s, vec![inv("F1", "2026-03-01", dec!(100))]);
    for (day, overdue) in [("2026-02-27", false), ("2026-03-01", false), ("2026-03-02", true)] {
        let a = action_for(&c, AgendaRules::default(), d(day)).unwrap();
        assert_eq!(a.invoices[0].is_overdue(), overdue, "{day}");
    }
}

#[test]
fn a_very_late_invoice_goes_straight_to_its_step() {
    let s = Scenario::standard();
    let c = case(&s, vec![inv("F1", "2026-01-01", dec!(100))]);
    // First seen 80 days late: the formal notice, not the pre-reminder.
    assert_eq!(step_on(&c, "2026-03-22").as_deref(), Some("formal_notice"));
    let mut i = inv("F1", "2026-01-01", dec!(100));
    i.steps_done.push(("reminder_3".into(), d("2026-03-22")));
    let c = case(&s, vec![i]);
    // Once its first action was recorded at reminder_3 (the user chose a gentler step), no earlier step.
    assert_eq!(step_on(&c, "2026-03-30").as_deref(), Some("formal_notice"));
    let mut i = inv("F1", "2026-02-10", dec!(100));
    i.steps_done.push(("reminder_3".into(), d("2026-03-22")));
    let c = case(&s, vec![i]);
    assert_eq!(step_on(&c, "2026-04-10"), None, "59 days late: below the letter");
    assert_eq!(step_on(&c, "2026-04-11").as_deref(), Some("personal_letter"));
}

#[test]
fn minimum_gap_between_two_chases() {
    let s = Scenario::standard();
    let mut c = case(&s, vec![inv("F1", "2026-03-01", dec!(100))]);
    // Called on 03-20 about something else: the reminder_2 due since 03-16 waits until 03-25.
    c.actions.push((ActionKind::Call, d("2026-03-20")));
    assert_eq!(step_on(&c, "2026-03-20"), None);
    assert_eq!(step_on(&c, "2026-03-24"), None, "4 days after");
    assert_eq!(
        step_on(&c, "2026-03-25").as_deref(),
        Some("reminder_2"),
        "5 days after"
    );
    // A note is not a chase.
    c.actions = vec![(ActionKind::Note, d("2026-03-24"))];
    assert_eq!(step_on(&c, "2026-03-24").as_deref(), Some("reminder_2"));
    // The gap is a setting.
    c.actions = vec![(ActionKind::Email, d("2026-03-20"))];
    let rules = AgendaRules { min_gap_days: 10 };
    assert!(action_for(&c, rules, d("2026-03-29")).is_none());
    assert!(action_for(&c, rules, d("2026-03-30")).is_some());
    assert!(action_for(&c, AgendaRules { min_gap_days: 0 }, d("2026-03-20")).is_some());
}

#[test]
fn a_follow_up_date_holds_the_chase_then_brings_the_customer_back() {
    let s = Scenario::standard();
    // Due 03-01: reminder_2 reached on 03-16, done that day by email.
    let mut f1 = inv("F1", "2026-03-01", dec!(100));
    f1.steps_done.push(("reminder_2".into(), d("2026-03-16")));
    let mut c = case(&s, vec![f1]);
    c.actions.push((ActionKind::Email, d("2026-03-16")));
    // Called on 03-20 (after the 5-day gap would allow nothing anyway): "call me back on 04-10".
    c.actions.push((ActionKind::Call, d("2026-03-20")));
    c.follow_ups.push(FollowUp {
        set_on: d("2026-03-20"),
        due: d("2026-04-10"),
        kind: ActionKind::Call,
    });
    // reminder_3 is reached on 03-31 but the customer was promised a call on 04-10: nothing before.
    assert_eq!(step_on(&c, "2026-03-31"), None);
    assert_eq!(step_on(&c, "2026-04-09"), None);
    // On 04-10 the pending reminder_3 comes, marked as the follow-up.
    let a = action_for(&c, AgendaRules::default(), d("2026-04-10")).unwrap();
    assert_eq!(a.step.id, "reminder_3");
    assert_eq!(a.channels, vec![Channel::Email]);
    assert_eq!(a.follow_up.map(|f| f.due), Some(d("2026-04-10")));
    assert!(!a.needs_validation);

    // With reminder_3 already done: no step pending, the follow-up alone gives a call at the highest step
    // reached, needing a person — even 2 days after the last chase (the gap does not hold it back).
    c.invoices[0]
        .steps_done
        .push(("reminder_3".into(), d("2026-04-08")));
    c.actions.push((ActionKind::Email, d("2026-04-08")));
    let a = action_for(&c, AgendaRules::default(), d("2026-04-10")).unwrap();
    assert_eq!(a.step.id, "reminder_3");
    assert_eq!(a.channels, vec![Channel::Call]);
    assert!(a.needs_validation);
    assert_eq!(a.invoices.len(), 1);
    assert!(!a.invoices[0].pending);
    // Still there the days after, until a call is logged after the action that set it.
    assert!(action_for(&c, AgendaRules::default(), d("2026-04-14")).is_some());
    c.actions.push((ActionKind::Call, d("2026-04-14")));
    assert_eq!(step_on(&c, "2026-04-15"), None, "followed up on 04-14");
    assert_eq!(
        step_on(&c, "2026-04-29"),
        None,
        "nothing pending until personal_letter"
    );
    assert_eq!(step_on(&c, "2026-04-30").as_deref(), Some("personal_letter"));

    // A note's follow-up keeps the step's channels; only the latest follow-up counts.
    c.follow_ups = vec![
        FollowUp {
            set_on: d("2026-03-20"),
            due: d("2026-04-10"),
            kind: ActionKind::Call,
        },
        FollowUp {
            set_on: d("2026-04-14"),
            due: d("2026-04-20"),
            kind: ActionKind::Note,
        },
    ];
    c.actions.retain(|(_, day)| *day <= d("2026-04-14"));
    assert_eq!(step_on(&c, "2026-04-19"), None);
    let a = action_for(&c, AgendaRules::default(), d("2026-04-20")).unwrap();
    assert_eq!(a.channels, s.steps[3].channels);
    // A follow-up with nothing left to chase (all paid) gives no action.
    c.invoices[0].residual = Decimal::ZERO;
    assert!(action_for(&c, AgendaRules::default(), d("2026-04-20")).is_none());
}

#[test]
fn disputed_invoices_leave_the_chase_until_closed() {
    let s = Scenario::standard();
    let mut f1 = inv("F1", "2026-03-01", dec!(100));
    f1.disputes.push(Dispute {
        kind: DisputeKind::Quality,
        department: Department::Quality,
        opened_on: d("2026-03-10"),
        closed_on: Some(d("2026-04-02")),
        amount: dec!(100),
    });
    let c = case(&s, vec![f1, inv("F2", "2026-03-20", dec!(50))]);
    // 03-16: F1 disputed, F2 at −4 (nothing): no action although F1 is at reminder_2.
    assert_eq!(step_on(&c, "2026-03-16"), None);
    // 03-17: F2 reaches the pre-reminder; F1 not listed.
    let a = action_for(&c, AgendaRules::default(), d("2026-03-17")).unwrap();
    assert_eq!(a.step.id, "pre_reminder");
    assert_eq!(a.invoices.len(), 1);
    assert_eq!(a.invoices[0].piece_ref, "F2");
    // Before the dispute was opened and from the day it is closed, F1 is chased.
    assert_eq!(step_on(&c, "2026-03-09").as_deref(), Some("reminder_1"));
    assert_eq!(
        step_on(&c, "2026-04-01").as_deref(),
        Some("reminder_1"),
        "F1 still disputed, F2 at +12"
    );
    let a = action_for(&c, AgendaRules::default(), d("2026-04-02")).unwrap();
    assert_eq!(a.step.id, "reminder_3");
    assert_eq!(a.invoices[0].piece_ref, "F1");
}

#[test]
fn a_running_promise_holds_until_its_date_plus_grace() {
    let s = Scenario::standard();
    let mut f1 = inv("F1", "2026-03-01", dec!(100));
    f1.promises.push(Promise {
        made_on: d("2026-03-16"),
        date: d("2026-03-25"),
        amount: dec!(100),
        grace_days: 3,
    });
    let c = case(&s, vec![f1]);
    assert_eq!(step_on(&c, "2026-03-15").as_deref(), Some("reminder_1"));
    assert_eq!(step_on(&c, "2026-03-16"), None);
    assert_eq!(step_on(&c, "2026-03-28"), None, "deadline 03-28 still holds");
    assert_eq!(
        step_on(&c, "2026-03-29").as_deref(),
        Some("reminder_2"),
        "broken: the chase resumes"
    );
    assert_eq!(step_on(&c, "2026-03-31").as_deref(), Some("reminder_3"));
}

#[test]
fn paused_customer_is_left_out() {
    let s = Scenario::standard();
    let mut c = case(&s, vec![inv("F1", "2026-03-01", dec!(100))]);
    assert!(step_on(&c, "2026-04-01").is_some());
    c.paused = true;
    assert_eq!(step_on(&c, "2026-04-01"), None);
}

#[test]
fn unapplied_credits_flag_the_action_for_validation() {
    let s = Scenario::standard();
    let mut c = case(&s, vec![inv("F1", "2026-03-01", dec!(100))]);
    c.unapplied = dec!(-40);
    let a = action_for(&c, AgendaRules::default(), d("2026-03-16")).unwrap();
    assert_eq!(a.step.id, "reminder_2");
    assert!(a.needs_validation);
    assert_eq!(a.unapplied, dec!(-40));
    assert_eq!(a.open_amount, dec!(100));
}

#[test]
fn agenda_is_one_action_per_customer_by_key() {
    let s = Scenario::standard();
    let mut a = case(
        &s,
        vec![
            inv("F1", "2026-03-01", dec!(100)),
            inv("F2", "2026-02-01", dec!(5)),
        ],
    );
    a.key = "C2".into();
    let mut b = case(&s, vec![inv("F9", "2026-03-10", dec!(1))]);
    b.key = "C1".into();
    let mut quiet = case(&s, vec![inv("F7", "2026-06-01", dec!(1))]);
    quiet.key = "C0".into();
    let list = agenda(&[a, b, quiet], AgendaRules::default(), d("2026-03-16"));
    let got: Vec<_> = list
        .iter()
        .map(|x| (x.customer.as_str(), x.step.id.as_str(), x.invoices.len()))
        .collect();
    assert_eq!(got, [("C1", "reminder_1", 1), ("C2", "reminder_3", 2)]);
}

#[test]
fn open_invoices_from_the_ledger_with_the_customers_terms() {
    use encaisse_domain::Terms;
    let line = |date: &str, piece: &str, amount, letter: Option<&str>| {
        let line = encaisse_domain::testing::line("C1", date, piece, amount);
        match letter {
            Some(code) => line.lettered_on(code, "2026-02-12"),
            None => line,
        }
    };
    // End of month + 10: F1 of 01-15 is due 02-10; F2 of 01-20 too, but a payment of 02-12 lettered with it
    // leaves 30 on it.
    let lines = [
        line("2026-01-15", "F1", dec!(100), None),
        line("2026-01-20", "F2", dec!(80), Some("A")),
        line("2026-02-12", "VIR1", dec!(-50), Some("A")),
    ];
    let s = Scenario::standard();
    let at = |day: &str| {
        let pos = encaisse_analytics::position(&lines, Terms::EndOfMonthPlus(10), d(day));
        action_for(&case(&s, invoice_cases(&pos)), AgendaRules::default(), d(day))
    };
    assert!(at("2026-02-06").is_none());
    assert_eq!(at("2026-02-07").unwrap().step.id, "pre_reminder");
    assert_eq!(at("2026-02-14").unwrap().step.id, "pre_reminder");
    let a = at("2026-02-15").unwrap();
    assert_eq!(a.step.id, "reminder_1");
    assert_eq!(a.open_amount, dec!(130));
    // With 30 days net they would be due 02-14 and 02-19: F1 at +1 only.
    let pos = encaisse_analytics::position(&lines, Terms::Net(30), d("2026-02-15"));
    let a = action_for(
        &case(&s, invoice_cases(&pos)),
        AgendaRules::default(),
        d("2026-02-15"),
    )
    .unwrap();
    assert_eq!(a.step.id, "pre_reminder");
}

#[test]
fn steps_of_another_scenario_do_not_count_as_done() {
    let s = Scenario::standard();
    let mut i = inv("F1", "2026-03-01", dec!(100));
    i.steps_done.push(("gentle_call".into(), d("2026-03-10")));
    let c = case(&s, vec![i]);
    assert_eq!(step_on(&c, "2026-03-16").as_deref(), Some("reminder_2"));
}
