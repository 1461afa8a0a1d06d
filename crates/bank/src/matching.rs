//! Matching credit entries to open invoices, explainably and deterministically.
//!
//! The clues, from the strongest: invoice numbers written in the entry's texts (compared on letters and digits
//! only, any case), an ISO 11649 creditor reference Encaisse issued (for a customer or a letter's invoices), the
//! payer's IBAN known for a customer, the payer's name (normalised: no accents, no legal form) among a customer's
//! names. Each customer a clue points to gets candidate allocations of the amount: the invoices named, one
//! invoice of that amount, several of its invoices summing to it exactly (a bounded subset search), or a partial
//! payment of its invoices earliest due first. With no clue at all, invoices whose amount still due is exactly the
//! entry's are candidates (a strong one when the amount is unique in the ledger).
//!
//! Scores (0–100) add the reasons' weights: an invoice number 60, a creditor reference 60, a known IBAN 40, the
//! payer's name 30 (20 when only found in the label), the amount equal to the invoices 30 (15 when another
//! allocation of that customer fits as well), a partial payment 10, one invoice whose amount no other open invoice of the ledger owes 45. A candidate
//! at or above the threshold (70) and ahead of the next by at least 10 is matched; otherwise the best three are
//! suggestions.

use crate::text::{compact, name_tokens, normalise_name};
use crate::Entry;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// An invoice still (partly) due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub customer: String,
    pub number: String,
    pub due_date: NaiveDate,
    pub still_due: Decimal,
}

/// What identifies a customer's payments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerClues {
    pub customer: String,
    /// The customer's names (its name, its trade name, names learned from confirmed matches).
    pub names: Vec<String>,
    /// IBANs the customer paid from (learned once a match is confirmed).
    pub ibans: Vec<String>,
}

/// A creditor reference Encaisse issued: for a customer (`invoices` empty) or for a letter's invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedReference {
    pub reference: String,
    pub customer: String,
    pub invoices: Vec<String>,
}

/// The matching's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchOptions {
    /// The score from which a candidate is matched without asking.
    pub threshold: u32,
    /// The lead a matched candidate needs over the next one.
    pub margin: u32,
    /// How many of a customer's open invoices (earliest due first) the subset search considers.
    pub subset_invoices: usize,
    /// The largest number of invoices one payment is searched to settle.
    pub subset_size: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            threshold: 70,
            margin: 10,
            subset_invoices: 24,
            subset_size: 5,
        }
    }
}

/// Why a candidate is proposed, as data (the screen words it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The invoice's number is in the entry's label, remittance or references.
    InvoiceNumberInLabel {
        invoice: String,
    },
    /// A creditor reference Encaisse issued for this customer or these invoices.
    CreditorReference {
        reference: String,
    },
    KnownIban {
        iban: String,
    },
    /// The payer's name is one of the customer's names.
    NameMatch {
        name: String,
    },
    /// The customer's name is written in the entry's label.
    NameInLabel {
        name: String,
    },
    /// The amount is what one invoice still owes.
    AmountEqualsInvoice {
        invoice: String,
    },
    /// The amount is what these invoices still owe together.
    AmountEqualsNInvoices {
        count: usize,
        invoices: Vec<String>,
    },
    /// The amount settles part of the invoices, earliest due first.
    PartialPayment {
        amount: Decimal,
        still_due: Decimal,
    },
    /// No other open invoice in the ledger owes this amount.
    AmountUniqueInLedger,
    /// Another allocation of this customer fits the amount as well.
    AmountAmbiguous {
        alternatives: usize,
    },
    /// More than the invoices owe: the rest stays on account.
    Overpayment {
        unapplied: Decimal,
    },
}

impl Reason {
    fn weight(&self) -> u32 {
        match self {
            Reason::InvoiceNumberInLabel { .. } | Reason::CreditorReference { .. } => 60,
            Reason::KnownIban { .. } => 40,
            Reason::NameMatch { .. } => 30,
            Reason::NameInLabel { .. } => 20,
            Reason::AmountEqualsInvoice { .. } | Reason::AmountEqualsNInvoices { .. } => 30,
            Reason::PartialPayment { .. } => 10,
            Reason::AmountUniqueInLedger => 45,
            Reason::AmountAmbiguous { .. } => 0,
            Reason::Overpayment { .. } => 0,
        }
    }
}

/// An amount put on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub invoice: String,
    pub amount: Decimal,
}

/// A proposed settlement of one entry by one customer's invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub customer: String,
    pub allocations: Vec<Allocation>,
    /// What the allocations leave of the entry (booked on account if confirmed).
    pub unapplied: Decimal,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Matched,
    Suggested,
    Unmatched,
}

/// The outcome for one credit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryMatch {
    pub entry: String,
    pub status: MatchStatus,
    /// The matched candidate (status matched).
    pub matched: Option<Candidate>,
    /// The best three candidates, best first (the matched one first when matched).
    pub suggestions: Vec<Candidate>,
}

/// A customer's name in the index: the customer, the name's significant words, the name as written.
type NameEntry<'a> = (&'a str, Vec<String>, &'a str);

/// The open ledger, indexed once for many entries.
pub struct Ledger<'a> {
    invoices: &'a [OpenInvoice],
    /// Compact invoice number → invoices.
    by_number: FxHashMap<String, Vec<usize>>,
    /// Customer → its invoices, earliest due first (then number).
    by_customer: FxHashMap<&'a str, Vec<usize>>,
    by_amount: FxHashMap<Decimal, Vec<usize>>,
    by_iban: FxHashMap<String, Vec<&'a str>>,
    by_name: FxHashMap<String, Vec<&'a str>>,
    /// First significant word of a name → (customer, the name's words, the name as written).
    by_name_word: FxHashMap<String, Vec<NameEntry<'a>>>,
    references: FxHashMap<String, &'a IssuedReference>,
    /// The longest compact invoice number, in tokens, bounds the windows tried in a text.
    max_number_len: usize,
}

impl<'a> Ledger<'a> {
    pub fn new(
        invoices: &'a [OpenInvoice],
        customers: &'a [CustomerClues],
        references: &'a [IssuedReference],
    ) -> Self {
        let n = invoices.len();
        let mut by_number: FxHashMap<String, Vec<usize>> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut by_customer: FxHashMap<&str, Vec<usize>> =
            FxHashMap::with_capacity_and_hasher(customers.len(), Default::default());
        let mut by_amount: FxHashMap<Decimal, Vec<usize>> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut max_number_len = 0;
        for (i, inv) in invoices.iter().enumerate() {
            if inv.still_due <= Decimal::ZERO {
                continue;
            }
            let c = compact(&inv.number);
            // Numbers of fewer than 4 characters would be found in any text.
            if c.len() >= 4 {
                max_number_len = max_number_len.max(c.len());
                by_number.entry(c).or_default().push(i);
            }
            by_customer.entry(inv.customer.as_str()).or_default().push(i);
            by_amount.entry(inv.still_due.normalize()).or_default().push(i);
        }
        for list in by_customer.values_mut() {
            list.sort_by(|&a, &b| {
                let (a, b) = (&invoices[a], &invoices[b]);
                (a.due_date, &a.number).cmp(&(b.due_date, &b.number))
            });
        }
        let mut by_iban: FxHashMap<String, Vec<&str>> = FxHashMap::default();
        let mut by_name: FxHashMap<String, Vec<&str>> = FxHashMap::default();
        let mut by_name_word: FxHashMap<String, Vec<NameEntry>> = FxHashMap::default();
        for c in customers {
            for iban in &c.ibans {
                by_iban.entry(compact(iban)).or_default().push(&c.customer);
            }
            for name in &c.names {
                let words = name_tokens(name);
                if words.is_empty() || words.concat().len() < 3 {
                    continue;
                }
                by_name.entry(words.join(" ")).or_default().push(&c.customer);
                by_name_word
                    .entry(words[0].clone())
                    .or_default()
                    .push((&c.customer, words, name.as_str()));
            }
        }
        for v in by_iban.values_mut().chain(by_name.values_mut()) {
            v.sort_unstable();
            v.dedup();
        }
        let references = references.iter().map(|r| (compact(&r.reference), r)).collect();
        Ledger {
            invoices,
            by_number,
            by_customer,
            by_amount,
            by_iban,
            by_name,
            by_name_word,
            references,
            max_number_len,
        }
    }
}

/// Matches each credit entry (amount > 0; others are skipped) against the ledger. Same input, same output.
pub fn match_entries(entries: &[Entry], ledger: &Ledger, options: &MatchOptions) -> Vec<EntryMatch> {
    entries
        .iter()
        .filter(|e| e.amount > Decimal::ZERO)
        .map(|e| match_entry(e, ledger, options))
        .collect()
}

/// The clues an entry gives about one customer.
#[derive(Default)]
struct Clues {
    numbers: Vec<usize>,
    reasons: Vec<Reason>,
}

/// Invoices whose compact number is written in a text: windows of one to a few consecutive words.
fn numbers_in(text: &str, ledger: &Ledger, out: &mut Vec<usize>) {
    let upper = text.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    for i in 0..tokens.len() {
        let mut window = String::new();
        for t in &tokens[i..tokens.len().min(i + 6)] {
            window.push_str(t);
            if window.len() > ledger.max_number_len {
                break;
            }
            if let Some(found) = ledger.by_number.get(&window) {
                out.extend(found);
            }
        }
    }
}

pub fn match_entry(e: &Entry, ledger: &Ledger, options: &MatchOptions) -> EntryMatch {
    let mut clues: FxHashMap<&str, Clues> = FxHashMap::default();
    let mut numbers = Vec::new();
    let mut rfs = Vec::new();
    for t in e.texts() {
        numbers_in(t, ledger, &mut numbers);
        rfs.extend(crate::rf::find_rf(t));
    }
    numbers.sort_unstable();
    numbers.dedup();
    for &i in &numbers {
        let inv = &ledger.invoices[i];
        let c = clues.entry(inv.customer.as_str()).or_default();
        c.numbers.push(i);
        c.reasons.push(Reason::InvoiceNumberInLabel {
            invoice: inv.number.clone(),
        });
    }
    rfs.sort();
    rfs.dedup();
    for rf in rfs {
        if let Some(r) = ledger.references.get(&rf) {
            let c = clues.entry(r.customer.as_str()).or_default();
            c.reasons.push(Reason::CreditorReference {
                reference: rf.clone(),
            });
            let named: FxHashSet<String> = r.invoices.iter().map(|n| compact(n)).collect();
            if let Some(list) = ledger.by_customer.get(r.customer.as_str()) {
                c.numbers.extend(
                    list.iter()
                        .filter(|&&i| named.contains(&compact(&ledger.invoices[i].number))),
                );
            }
        }
    }
    if let Some(iban) = &e.counterparty_iban {
        for &cust in ledger.by_iban.get(&compact(iban)).into_iter().flatten() {
            clues
                .entry(cust)
                .or_default()
                .reasons
                .push(Reason::KnownIban { iban: compact(iban) });
        }
    }
    let mut named_customers: FxHashSet<&str> = FxHashSet::default();
    if let Some(name) = &e.counterparty_name {
        for &cust in ledger.by_name.get(&normalise_name(name)).into_iter().flatten() {
            named_customers.insert(cust);
            clues
                .entry(cust)
                .or_default()
                .reasons
                .push(Reason::NameMatch { name: name.clone() });
        }
    }
    // A customer's name written in the label or remittance (all its significant words present).
    let words: FxHashSet<String> = e
        .texts()
        .chain(e.counterparty_name.as_deref())
        .flat_map(name_tokens)
        .collect();
    let mut in_label: Vec<(&str, &str)> = Vec::new();
    for w in &words {
        for (cust, name_words, name) in ledger.by_name_word.get(w).into_iter().flatten() {
            if !named_customers.contains(cust) && name_words.iter().all(|x| words.contains(x)) {
                in_label.push((cust, name));
            }
        }
    }
    in_label.sort_unstable();
    in_label.dedup_by(|a, b| a.0 == b.0);
    for (cust, name) in in_label {
        clues.entry(cust).or_default().reasons.push(Reason::NameInLabel {
            name: name.to_string(),
        });
    }

    let amount = e.amount;
    let mut candidates = Vec::new();
    let mut customers: Vec<&str> = clues.keys().copied().collect();
    customers.sort_unstable();
    for cust in customers {
        let c = &clues[cust];
        customer_candidates(cust, c, amount, ledger, options, &mut candidates);
    }
    if clues.is_empty() {
        // No clue: the invoices that owe exactly this amount.
        let same: &[usize] = ledger
            .by_amount
            .get(&amount.normalize())
            .map_or(&[], Vec::as_slice);
        for &i in same.iter().take(10) {
            let inv = &ledger.invoices[i];
            let mut reasons = vec![Reason::AmountEqualsInvoice {
                invoice: inv.number.clone(),
            }];
            if same.len() == 1 {
                reasons.push(Reason::AmountUniqueInLedger);
            }
            candidates.push(candidate(
                &inv.customer,
                vec![(i, inv.still_due)],
                amount,
                reasons,
                ledger,
            ));
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.customer.cmp(&b.customer))
            .then_with(|| a.allocations.len().cmp(&b.allocations.len()))
            .then_with(|| {
                let k = |c: &Candidate| {
                    c.allocations
                        .iter()
                        .map(|x| x.invoice.clone())
                        .collect::<Vec<_>>()
                };
                k(a).cmp(&k(b))
            })
    });
    candidates.dedup_by(|a, b| a.customer == b.customer && a.allocations == b.allocations);
    candidates.truncate(3);
    let matched = match candidates.as_slice() {
        [best, rest @ ..]
            if best.score >= options.threshold
                && rest
                    .first()
                    .is_none_or(|n| n.score + options.margin <= best.score) =>
        {
            Some(best.clone())
        }
        _ => None,
    };
    let status = if matched.is_some() {
        MatchStatus::Matched
    } else if candidates.is_empty() {
        MatchStatus::Unmatched
    } else {
        MatchStatus::Suggested
    };
    EntryMatch {
        entry: e.id.clone(),
        status,
        matched,
        suggestions: candidates,
    }
}

fn candidate(
    customer: &str,
    alloc: Vec<(usize, Decimal)>,
    amount: Decimal,
    reasons: Vec<Reason>,
    ledger: &Ledger,
) -> Candidate {
    let applied: Decimal = alloc.iter().map(|a| a.1).sum();
    let score = reasons.iter().map(Reason::weight).sum::<u32>().min(100);
    Candidate {
        customer: customer.to_string(),
        allocations: alloc
            .into_iter()
            .map(|(i, a)| Allocation {
                invoice: ledger.invoices[i].number.clone(),
                amount: a,
            })
            .collect(),
        unapplied: amount - applied,
        score,
        reasons,
    }
}

/// Earliest due first over `list`, up to `amount`.
fn settle(list: &[usize], amount: Decimal, ledger: &Ledger) -> Vec<(usize, Decimal)> {
    let mut left = amount;
    let mut out = Vec::new();
    for &i in list {
        if left <= Decimal::ZERO {
            break;
        }
        let a = ledger.invoices[i].still_due.min(left);
        out.push((i, a));
        left -= a;
    }
    out
}

fn amount_reason(list: &[usize], ledger: &Ledger) -> Reason {
    if list.len() == 1 {
        Reason::AmountEqualsInvoice {
            invoice: ledger.invoices[list[0]].number.clone(),
        }
    } else {
        Reason::AmountEqualsNInvoices {
            count: list.len(),
            invoices: list.iter().map(|&i| ledger.invoices[i].number.clone()).collect(),
        }
    }
}

fn customer_candidates(
    cust: &str,
    clues: &Clues,
    amount: Decimal,
    ledger: &Ledger,
    options: &MatchOptions,
    out: &mut Vec<Candidate>,
) {
    let open: &[usize] = ledger.by_customer.get(cust).map_or(&[], Vec::as_slice);
    // The invoices named, earliest due first.
    let mut named: Vec<usize> = open
        .iter()
        .copied()
        .filter(|i| clues.numbers.contains(i))
        .collect();
    named.dedup();
    if !named.is_empty() {
        let due: Decimal = named.iter().map(|&i| ledger.invoices[i].still_due).sum();
        let mut reasons = clues.reasons.clone();
        if due == amount {
            reasons.push(amount_reason(&named, ledger));
        } else if amount < due {
            reasons.push(Reason::PartialPayment {
                amount,
                still_due: due,
            });
        } else {
            reasons.push(Reason::Overpayment {
                unapplied: amount - due,
            });
        }
        out.push(candidate(
            cust,
            settle(&named, amount, ledger),
            amount,
            reasons,
            ledger,
        ));
        if due == amount {
            return;
        }
    }
    // Exact settlements: one invoice, else a subset of its invoices (earliest due first, bounded).
    let singles: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&i| ledger.invoices[i].still_due == amount)
        .collect();
    let mut exact: Vec<Vec<usize>> = singles.iter().map(|&i| vec![i]).collect();
    if exact.is_empty() {
        let pool = &open[..open.len().min(options.subset_invoices)];
        let total: Decimal = open.iter().map(|&i| ledger.invoices[i].still_due).sum();
        if total == amount && open.len() > pool.len() {
            exact.push(open.to_vec());
        }
        subsets(pool, amount, options.subset_size, ledger, &mut exact);
    }
    let alternatives = exact.len();
    let unique_in_ledger = ledger
        .by_amount
        .get(&amount.normalize())
        .is_some_and(|l| l.len() == 1);
    for list in exact.iter().take(3) {
        let mut reasons = reasons_for(clues, list, ledger);
        reasons.push(amount_reason(list, ledger));
        // An amount unique in the ledger says nothing more when the payer named other invoices.
        if list.len() == 1 && unique_in_ledger && named.is_empty() {
            reasons.push(Reason::AmountUniqueInLedger);
        }
        let mut c = candidate(
            cust,
            list.iter().map(|&i| (i, ledger.invoices[i].still_due)).collect(),
            amount,
            reasons,
            ledger,
        );
        if alternatives > 1 {
            c.score -= 15.min(c.score);
            c.reasons.push(Reason::AmountAmbiguous {
                alternatives: alternatives - 1,
            });
        }
        out.push(c);
    }
    if exact.is_empty() && !open.is_empty() {
        let due: Decimal = open.iter().map(|&i| ledger.invoices[i].still_due).sum();
        let alloc = settle(open, amount, ledger);
        let on: Vec<usize> = alloc.iter().map(|a| a.0).collect();
        let mut reasons = reasons_for(clues, &on, ledger);
        if amount < due {
            reasons.push(Reason::PartialPayment {
                amount,
                still_due: due,
            });
        } else {
            reasons.push(Reason::Overpayment {
                unapplied: amount - due,
            });
        }
        out.push(candidate(cust, alloc, amount, reasons, ledger));
    }
}

/// The customer's clues that concern an allocation: an invoice number counts only for the invoices it names.
fn reasons_for(clues: &Clues, list: &[usize], ledger: &Ledger) -> Vec<Reason> {
    clues
        .reasons
        .iter()
        .filter(|r| match r {
            Reason::InvoiceNumberInLabel { invoice } => {
                list.iter().any(|&i| &ledger.invoices[i].number == invoice)
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Subsets of 2 to `max_size` invoices of `pool` (in pool order) summing to `amount`; stops after 3 found or a
/// bounded number of steps, so that a customer with many invoices stays cheap.
fn subsets(pool: &[usize], amount: Decimal, max_size: usize, ledger: &Ledger, out: &mut Vec<Vec<usize>>) {
    // Exact integers at the amounts' common scale: the search compares and subtracts a great many times.
    let scale = pool
        .iter()
        .map(|&i| ledger.invoices[i].still_due.scale())
        .chain([amount.scale()])
        .max()
        .unwrap_or(0)
        .min(12);
    let units = |d: Decimal| {
        let mut d = d;
        d.rescale(scale);
        d.mantissa()
    };
    let amounts: Vec<i128> = pool
        .iter()
        .map(|&i| units(ledger.invoices[i].still_due))
        .collect();
    let mut steps = 0u32;
    let mut chosen = Vec::new();
    #[allow(clippy::too_many_arguments)]
    fn go(
        from: usize,
        left: i128,
        amounts: &[i128],
        pool: &[usize],
        max_size: usize,
        chosen: &mut Vec<usize>,
        steps: &mut u32,
        out: &mut Vec<Vec<usize>>,
    ) {
        for j in from..amounts.len() {
            *steps += 1;
            if out.len() >= 3 || *steps > 20_000 {
                return;
            }
            let a = amounts[j];
            if a > left {
                continue;
            }
            chosen.push(pool[j]);
            if a == left {
                if chosen.len() >= 2 {
                    out.push(chosen.clone());
                }
            } else if chosen.len() < max_size {
                go(j + 1, left - a, amounts, pool, max_size, chosen, steps, out);
            }
            chosen.pop();
        }
    }
    let before = out.len();
    go(
        0,
        units(amount),
        &amounts,
        pool,
        max_size,
        &mut chosen,
        &mut steps,
        out,
    );
    // Amounts of more decimals than a Decimal holds at the common scale were rounded: the sums are checked exactly.
    let mut i = before;
    while i < out.len() {
        if out[i]
            .iter()
            .map(|&k| ledger.invoices[k].still_due)
            .sum::<Decimal>()
            == amount
        {
            i += 1;
        } else {
            out.remove(i);
        }
    }
}
