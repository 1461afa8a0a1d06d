//! Batches: each letter on its own sheets and numbered on its own, in order, the same bytes for the same data.

use crate::support::{notice, pages, pdftotext, reminder};
use encaisse_letters::{
    render_letters, render_letters_on, render_notice, render_notices, render_notices_on, Lang, Letter, Notice,
};
use std::num::NonZeroUsize;

fn threads(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap()
}

/// A batch of notices and reminders: each letter on its own sheets, numbered on its own, as many pages as the
/// letters printed one by one.
#[test]
fn a_mixed_batch_has_the_pages_of_its_letters() {
    let letters = vec![
        Letter::Reminder(reminder(2, Lang::Fr)),
        Letter::Notice(notice(60)),
        Letter::Reminder(reminder(80, Lang::Fr)),
        Letter::Notice(notice(2)),
    ];
    let batch = render_letters(&letters);
    assert_eq!(batch, render_letters(&letters), "same data, same bytes");
    let one_by_one: Vec<usize> = letters
        .iter()
        .map(|l| pages(&render_letters(std::slice::from_ref(l))).len())
        .collect();
    assert_eq!(
        one_by_one,
        letters.iter().map(Letter::page_count).collect::<Vec<_>>()
    );
    assert!(one_by_one[1] >= 2 && one_by_one[2] >= 2, "{one_by_one:?}");
    assert_eq!(pages(&batch).len(), one_by_one.iter().sum::<usize>());
    let Some(text) = pdftotext(&batch, "mixed.pdf") else {
        return;
    };
    assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), 2);
    assert_eq!(text.matches("deuxième relance").count(), 2);
    assert_eq!(text.matches("Page 1/1").count(), 2);
    assert_eq!(text.matches("Page 1/").count(), 4, "each letter starts at page 1");
}

/// A large batch is laid out and written on several threads, in parts: still in order, the same bytes as on one
/// thread.
#[test]
fn a_large_batch_keeps_order_and_bytes() {
    let notices: Vec<Notice> = (0..40).map(|i| notice(2 + i % 5)).collect();
    let a = render_notices(&notices);
    // By default on every core of the machine.
    assert!(
        a == render_notices_on(&notices, threads(1)),
        "the batch on every core differs from one thread"
    );
    let one_by_one: usize = notices.iter().map(|n| pages(&render_notice(n)).len()).sum();
    assert_eq!(pages(&a).len(), one_by_one);
    let Some(text) = pdftotext(&a, "large.pdf") else {
        return;
    };
    assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), 40);
    // Letter i has 2 + i % 5 invoices: the subjects follow in that order.
    let counts: Vec<usize> = text
        .split("mise en demeure de payer ")
        .skip(1)
        .map(|s| s.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, (0..40).map(|i| 2 + i % 5).collect::<Vec<_>>());
}

/// The day's batch of notices and reminders, more than a part's worth: the same bytes on one thread or several,
/// each letter where it was given.
#[test]
fn a_mixed_batch_on_several_threads_is_the_batch_on_one() {
    let letters: Vec<Letter> = (0..34)
        .map(|i| match i % 3 {
            0 => Letter::Reminder(reminder(1 + i % 4, Lang::Fr)),
            1 => Letter::Notice(notice(2 + i % 5)),
            _ => Letter::Reminder(reminder(2, Lang::En)),
        })
        .collect();
    let one = render_letters_on(&letters, threads(1));
    assert!(
        render_letters_on(&letters, threads(3)) == one,
        "3 threads differ from one"
    );
    let expected: usize = letters.iter().map(Letter::page_count).sum();
    assert_eq!(pages(&one).len(), expected);
    let mut reversed = letters.clone();
    reversed.reverse();
    assert!(
        render_letters_on(&reversed, threads(2)) != one,
        "another order, another file"
    );
}
