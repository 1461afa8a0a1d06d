//! Letters of the collections workflow: reminder letters written from the same email templates the user edits
//! (the invoice table drawn as a table of the PDF), the formal notice, a preview of either with its free text
//! editable, the day's batch of every letter action of the agenda in one PDF, and printing recorded as the
//! "letter" action of the workflow (which moves the agenda on).

use super::{ExcludedInvoice, NoticeContext, NoticeOptions};
use crate::mail::PreviewRequest;
use crate::workflow::{ActionDto, ActionInput, AgendaItem, SentDocument};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::format::{format_date_fr as date_fr, format_money as money};
use encaisse_domain::format_amount;
use encaisse_letters::notice as nt;
use encaisse_letters::{Lang, Letter, Reminder, ReminderInvoice};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The step of the standard scenario that sends the formal notice (any other letter step sends its template).
pub const FORMAL_NOTICE: &str = "formal_notice";
/// Stands for the invoice table in the rendered text (a private-use character: no template writes it).
const TABLE_MARK: &str = "\u{E000}invoice_table\u{E000}";

/// Which letter: a customer's, for a step of its scenario (its letter action on the day's agenda when absent),
/// with the free text as the user edited it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LetterRequest {
    pub customer: String,
    /// reminder_1…3, personal_letter, formal_notice or a letter step of the customer's own scenario.
    pub step: Option<String>,
    /// Today when absent.
    pub as_of: Option<NaiveDate>,
    /// The text before the invoices (paragraphs separated by blank lines) when the user rewrote it.
    pub text_before: Option<String>,
    /// The text after the invoices when the user rewrote it (reminders only: a notice's is fixed by law).
    pub text_after: Option<String>,
    /// A formal notice also claims the invoices under an open dispute or a running promise (a warning each).
    #[serde(default)]
    pub include_held: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LetterTotal {
    pub label: String,
    /// As printed (1 234,56 €).
    pub amount: String,
    pub strong: bool,
}

/// A letter as it will print: what the preview shows and lets the user edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LetterPreview {
    pub customer: String,
    pub name: String,
    /// notice or reminder
    pub kind: String,
    pub step: String,
    pub template: String,
    /// The language of the letter (the templates' language; a formal notice is always French).
    pub lang: String,
    pub as_of: NaiveDate,
    /// The letterhead: the company's name, address lines, SIREN.
    pub sender: Vec<String>,
    /// The address block in the envelope's window.
    pub recipient: Vec<String>,
    pub place_date: String,
    pub subject: String,
    pub text_before: String,
    pub text_after: String,
    /// The text after the invoices can be edited (not on a formal notice: its mentions are mandatory).
    pub after_editable: bool,
    pub columns: Vec<String>,
    /// Columns aligned right (amounts, days).
    pub right: Vec<bool>,
    /// The invoice table as printed.
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<LetterTotal>,
    /// A reminder's invoices not yet due, in their own table ("À échoir", same columns, no delay) after the
    /// overdue ones: never described as unpaid. Empty on a formal notice or when none.
    pub not_due_rows: Vec<Vec<String>>,
    /// Their total ("Total à échoir"), absent when there are none.
    pub not_due_total: Option<LetterTotal>,
    /// The invoices the letter claims, recorded with the action when it is printed: on the agenda, the action's
    /// overdue invoices (its `invoices` minus `not_due_invoices`).
    pub invoices: Vec<String>,
    /// What is still due on `invoices` ("1234.56"): on the agenda, the action's overdue amount.
    pub still_due: String,
    pub pages: u32,
    /// E.g. a contractual rate below 3 × the legal interest rate.
    pub warnings: Vec<String>,
    /// A formal notice's half-years whose rate is not confirmed (Settings → Lettres et taux): the screen says so.
    pub rates_to_confirm: Vec<NaiveDate>,
    /// A formal notice's invoices past due left out: under an open dispute or a running promise.
    pub excluded: Vec<ExcludedInvoice>,
    /// A formal notice's invoices claimed although under an open dispute or a running promise (`include_held`):
    /// the preview warns about each.
    pub held_claimed: Vec<ExcludedInvoice>,
    /// The step is the customer's action on the day's agenda: printing marks it done.
    pub on_agenda: bool,
    /// The customer's creditor reference ("RF…", compact) the letter prints for the transfer to quote (and a
    /// notice's QR code carries): recorded on the action when printed. Absent on a notice without bank details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub payment_reference: Option<String>,
}

/// A printed letter: the PDF and the action recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedLetter {
    pub pdf: Vec<u8>,
    pub preview: LetterPreview,
    pub action: ActionDto,
}

/// One letter of the day's batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchLetter {
    pub customer: String,
    pub name: String,
    pub step: String,
    /// notice or reminder
    pub kind: String,
    pub pages: u32,
    /// The "letter" action recorded for it, when printing was recorded.
    #[ts(type = "number | null")]
    pub action_id: Option<i64>,
}

/// A letter of the day's batch that could not be written (a rate missing for a half-year of its delay, nothing
/// left to claim…), and why: the other letters print without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LeftOut {
    pub customer: String,
    pub name: String,
    pub step: String,
    /// What stops this letter, naming the screen where to fix it.
    pub reason: String,
    /// When the reason is a missing ECB rate: the first day of the half-year to add (Settings → Lettres et taux).
    pub missing_rate: Option<NaiveDate>,
}

/// The day's letters: those in the PDF, and those left out with their reason (`encaisse letters batch` exits 2
/// when some were).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchResult {
    pub letters: Vec<BatchLetter>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LettersBatch {
    pub pdf: Vec<u8>,
    pub letters: Vec<BatchLetter>,
    pub left_out: Vec<LeftOut>,
}

impl LettersBatch {
    /// What the CLI's `--json` and the app show.
    pub fn result(&self) -> BatchResult {
        BatchResult {
            letters: self.letters.clone(),
            left_out: self.left_out.clone(),
        }
    }
}

struct Built {
    letter: Letter,
    preview: LetterPreview,
}

/// The invoices a letter of the agenda claims: the action's overdue ones; a preventive letter (a letter step
/// reached before the due date, in a user's scenario) is about those not yet due.
fn claimed(item: &AgendaItem) -> Vec<String> {
    let overdue: Vec<String> = item
        .action
        .invoices
        .iter()
        .filter(|i| !item.action.not_due_invoices.contains(i))
        .cloned()
        .collect();
    if overdue.is_empty() {
        item.action.invoices.clone()
    } else {
        overdue
    }
}

/// The template's body with `{{ tableau_factures }}` (or its alias `{{ invoice_table }}`, any spacing) replaced by
/// the mark, so that the rendered text says where the table goes.
fn mark_table(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close)
                if crate::mail::templates::french_name(after[..close].trim()) == "tableau_factures" =>
            {
                out.push_str(&rest[..open]);
                out.push_str(TABLE_MARK);
                rest = &after[close + 2..];
            }
            _ => {
                out.push_str(&rest[..open + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The rendered text split around the table: before, after (all before when the template has no table).
fn split_at_table(text: &str) -> (String, String) {
    let trim = |s: &str| s.trim_matches(|c: char| c == '\n' || c == ' ').to_string();
    match text.split_once(TABLE_MARK) {
        Some((before, after)) => (trim(before), trim(&after.replace(TABLE_MARK, ""))),
        None => (trim(text), String::new()),
    }
}

fn has_letter(item: &AgendaItem) -> bool {
    item.action.channel.split('+').any(|c| c.trim() == "letter")
}

fn lang_of(s: &str) -> (Lang, String) {
    if s.trim() == "en" {
        (Lang::En, "en".into())
    } else {
        (Lang::Fr, "fr".into())
    }
}

fn party_lines(p: &encaisse_letters::Party) -> Vec<String> {
    let mut lines = vec![p.name.clone()];
    lines.extend(p.address.iter().cloned());
    lines.extend(p.mentions());
    lines
}

fn count(pages: usize) -> u32 {
    u32::try_from(pages).unwrap_or(u32::MAX)
}

impl App {
    fn build_letter(
        &self,
        ctx: &NoticeContext,
        item: Option<&AgendaItem>,
        req: &LetterRequest,
    ) -> AppResult<Built> {
        let as_of = ctx.as_of;
        let customer = req.customer.trim();
        let item = item.filter(|i| i.action.customer == customer);
        let step = req
            .step
            .clone()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| item.filter(|i| has_letter(i)).map(|i| i.action.step.clone()))
            .ok_or_else(|| {
                AppError::InvalidInput(format!(
                    "customer {customer} has no letter to send on the agenda of {as_of}: choose a step"
                ))
            })?;
        let on_agenda = item.filter(|i| i.action.step == step);
        let debtor = ctx.customer(customer)?;
        if step == FORMAL_NOTICE {
            let options = NoticeOptions {
                intro: req.text_before.clone(),
                include_held: req.include_held,
                ..NoticeOptions::default()
            };
            let only = on_agenda.map(claimed);
            let (notice, claim, warnings) = ctx.build(customer, only.as_deref(), &options)?;
            let fr = |d: Decimal| money(d, Lang::Fr);
            let c = &notice.claim;
            // A private person owes neither penalty nor indemnity: no such line nor column.
            let labels = nt::totals_labels(c.basis);
            let mut totals = vec![("Principal restant dû", c.still_due, false)];
            if let Some((interest, indemnities)) = labels {
                totals.push((interest, c.interest, false));
                totals.push((indemnities, c.indemnities, false));
            }
            totals.push(("Total réclamé", c.total, true));
            let shown = if labels.is_some() { 8 } else { 6 };
            if !notice.credits.is_zero() {
                totals.push((
                    "Avoirs et règlements non imputés à déduire",
                    -notice.credits,
                    false,
                ));
                totals.push(("Net à payer", notice.to_pay(), true));
            }
            let letter = Letter::Notice(notice.clone());
            let preview = LetterPreview {
                customer: debtor.key.clone(),
                name: debtor.name.clone(),
                kind: "notice".into(),
                step: step.clone(),
                template: on_agenda.map_or_else(|| FORMAL_NOTICE.to_string(), |i| i.template.clone()),
                lang: "fr".into(),
                as_of,
                sender: party_lines(&notice.sender),
                recipient: party_lines(&notice.recipient),
                place_date: format!("{}, le {}", notice.place, date_fr(as_of)),
                subject: nt::subject(&notice),
                text_before: notice.intro.clone().unwrap_or_else(|| notice.default_intro()),
                text_after: nt::closing_paragraphs(&notice).join("\n\n"),
                after_editable: false,
                columns: [
                    "Facture",
                    "Date",
                    "Échéance",
                    "Montant TTC",
                    "Reste dû",
                    "Jours",
                    "Pénalités",
                    "Indemnité",
                ]
                .map(String::from)
                .into_iter()
                .take(shown)
                .collect(),
                right: vec![false, false, false, true, true, true, true, true]
                    .into_iter()
                    .take(shown)
                    .collect(),
                rows: c
                    .invoices
                    .iter()
                    .map(|l| {
                        vec![
                            l.invoice.number.clone(),
                            date_fr(l.invoice.invoice_date),
                            date_fr(l.invoice.due_date),
                            fr(l.invoice.amount),
                            fr(l.invoice.still_due),
                            l.days_late.to_string(),
                            fr(l.interest),
                            fr(l.indemnity),
                        ]
                        .into_iter()
                        .take(shown)
                        .collect()
                    })
                    .collect(),
                totals: totals
                    .into_iter()
                    .map(|(label, amount, strong)| LetterTotal {
                        label: label.into(),
                        amount: fr(amount),
                        strong,
                    })
                    .collect(),
                not_due_rows: Vec::new(),
                not_due_total: None,
                invoices: claim.invoices.iter().map(|i| i.number.clone()).collect(),
                still_due: claim.still_due.clone(),
                pages: count(letter.page_count()),
                warnings,
                rates_to_confirm: claim.rates_to_confirm.clone(),
                excluded: claim.excluded.clone(),
                held_claimed: ctx.held_claimed(&claim),
                on_agenda: on_agenda.is_some(),
                // Printed in the transfer block, which needs the bank details.
                payment_reference: notice
                    .creditor_reference
                    .clone()
                    .filter(|_| notice.bank.is_some()),
            };
            return Ok(Built { letter, preview });
        }

        // A reminder: the template of the step, rendered as the email would be, the table drawn in the PDF.
        let template = on_agenda.map_or_else(|| step.clone(), |i| i.template.clone());
        let (lang, lang_code) = lang_of(&self.mail_settings()?.language);
        let body = self.email_template(&template, &lang_code)?.body;
        // The text written as the email would be, about the invoices the letter claims (the template's total and
        // count included): on the agenda its overdue ones, else every open invoice past due (every open one when
        // none is), neither disputed nor promised that day.
        // The invoices not yet due go into their own table ("À échoir") when some are overdue: the action's, or the
        // customer's open ones.
        let (about, coming): (Vec<String>, Vec<String>) = match on_agenda {
            Some(i) => {
                let about = claimed(i);
                let coming = if about.is_empty() {
                    Vec::new()
                } else {
                    i.action.not_due_invoices.clone()
                };
                (about, coming)
            }
            None => {
                let (_, _, lines, _) = self.open_lines(customer, as_of, None, &lang_code)?;
                let (overdue, not_due): (Vec<_>, Vec<_>) = lines
                    .iter()
                    .filter(|l| ctx.claimable(customer, &l.number))
                    .map(|l| (l.days_late > 0, l.number.clone()))
                    .partition(|(late, _)| *late);
                let names = |v: Vec<(bool, String)>| v.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
                if overdue.is_empty() {
                    (names(not_due), Vec::new())
                } else {
                    (names(overdue), names(not_due))
                }
            }
        };
        let sender = self.sender(Some(&lang_code))?;
        let rendered = self.compose_about(
            &PreviewRequest {
                customer: customer.to_string(),
                template: Some(template.clone()),
                as_of: Some(as_of),
                lang: Some(lang_code.clone()),
                subject: None,
                body: Some(mark_table(&body)),
            },
            &sender,
            &template,
            on_agenda.map(|i| i.action.step.as_str()),
            Some(&about),
        )?;
        let (mut before, mut after) = split_at_table(&rendered.rendered.text);
        if let Some(t) = req.text_before.as_ref() {
            before = t.trim().to_string();
        }
        if let Some(t) = req.text_after.as_ref() {
            after = t.trim().to_string();
        }
        let items = ctx
            .aged
            .customers
            .binary_search_by(|c| c.key.as_str().cmp(customer))
            .map(|i| ctx.aged.customers[i].position.open_items.as_slice())
            .unwrap_or_default();
        let line = |i: &encaisse_analytics::OpenItem| ReminderInvoice {
            number: i.piece_ref.clone(),
            invoice_date: i.invoice_date,
            due_date: i.due_date,
            amount: i.amount,
            still_due: i.residual,
            days_late: (as_of - i.due_date).num_days(),
        };
        let invoices: Vec<ReminderInvoice> = items
            .iter()
            .filter(|i| rendered.invoices.contains(&i.piece_ref))
            .map(line)
            .collect();
        let not_due: Vec<ReminderInvoice> = items
            .iter()
            .filter(|i| coming.contains(&i.piece_ref) && !rendered.invoices.contains(&i.piece_ref))
            .map(line)
            .collect();
        if invoices.is_empty() {
            return Err(AppError::InvalidInput(format!(
                "customer {customer}: no open invoice to write about on {as_of}"
            )));
        }
        let reminder = Reminder {
            sender: ctx.sender(),
            recipient: NoticeContext::recipient(debtor),
            customer_ref: debtor.key.clone(),
            creditor_reference: Some(ctx.payment_reference(&debtor.key)),
            place: ctx.place(),
            date: as_of,
            lang,
            subject: rendered.rendered.subject.clone(),
            before: before.clone(),
            invoices,
            not_due,
            after: after.clone(),
        };
        reminder
            .check_printable()
            .map_err(|e| AppError::InvalidInput(format!("customer {customer}: {e}")))?;
        let fr = lang == Lang::Fr;
        let place_date = if fr {
            format!("{}, le {}", reminder.place, date_fr(as_of))
        } else {
            format!("{}, {}", reminder.place, date_fr(as_of))
        };
        let letter = Letter::Reminder(reminder.clone());
        let row = |i: &ReminderInvoice| {
            vec![
                i.number.clone(),
                date_fr(i.invoice_date),
                date_fr(i.due_date),
                money(i.amount, lang),
                money(i.still_due, lang),
                match (i.days_late > 0, fr) {
                    (false, _) => String::new(),
                    (true, true) => format!("{} j", i.days_late),
                    (true, false) => format!("{} d", i.days_late),
                },
            ]
        };
        let preview = LetterPreview {
            customer: debtor.key.clone(),
            name: debtor.name.clone(),
            kind: "reminder".into(),
            step: step.clone(),
            template,
            lang: lang_code,
            as_of,
            sender: party_lines(&reminder.sender),
            recipient: party_lines(&reminder.recipient),
            place_date: place_date.trim_start_matches([',', ' ']).to_string(),
            subject: reminder.subject.clone(),
            text_before: before,
            text_after: after,
            after_editable: true,
            columns: if fr {
                ["Facture", "Date", "Échéance", "Montant TTC", "Reste dû", "Retard"]
            } else {
                [
                    "Invoice",
                    "Date",
                    "Due date",
                    "Amount",
                    "Left to pay",
                    "Days late",
                ]
            }
            .map(String::from)
            .to_vec(),
            right: vec![false, false, false, true, true, true],
            rows: reminder.invoices.iter().map(row).collect(),
            not_due_rows: reminder.not_due.iter().map(row).collect(),
            not_due_total: (!reminder.not_due.is_empty()).then(|| LetterTotal {
                label: if fr {
                    "Total à échoir"
                } else {
                    "Total not yet due"
                }
                .into(),
                amount: money(reminder.not_due_total(), lang),
                strong: false,
            }),
            totals: vec![LetterTotal {
                label: if fr {
                    "Total restant dû"
                } else {
                    "Total left to pay"
                }
                .into(),
                amount: money(reminder.total(), lang),
                strong: true,
            }],
            invoices: reminder.invoices.iter().map(|i| i.number.clone()).collect(),
            still_due: format_amount(reminder.total()),
            pages: count(letter.page_count()),
            warnings: Vec::new(),
            rates_to_confirm: Vec::new(),
            excluded: Vec::new(),
            held_claimed: Vec::new(),
            on_agenda: on_agenda.is_some(),
            payment_reference: reminder.creditor_reference.clone(),
        };
        Ok(Built { letter, preview })
    }

    fn one_letter(&self, req: &LetterRequest) -> AppResult<Built> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let ctx = self.notice_context(as_of)?;
        let view = self.agenda_view(Some(as_of))?;
        let item = view
            .items
            .iter()
            .find(|i| i.action.customer == req.customer.trim());
        self.build_letter(&ctx, item, req)
    }

    /// Records a printed letter as the workflow's "letter" action of its step, listing the invoices it claims, its
    /// PDF kept as printed (the hash on the action).
    fn record_letter(&self, p: &LetterPreview, user: &str, pdf: &[u8]) -> AppResult<ActionDto> {
        let mut body = p.text_before.clone();
        body.push_str("\n\n");
        body.push_str(&p.invoices.join(", "));
        if !p.text_after.is_empty() {
            body.push_str("\n\n");
            body.push_str(&p.text_after);
        }
        self.record_sent(
            &ActionInput {
                customer: p.customer.clone(),
                kind: "letter".into(),
                invoices: p.invoices.clone(),
                step: Some(p.step.clone()),
                date: Some(p.as_of),
                user: user.to_string(),
                template: Some(p.template.clone()),
                recipient: Some(p.recipient.join(", ")),
                subject: Some(p.subject.clone()),
                body,
                ..ActionInput::default()
            },
            Some(SentDocument {
                media_type: "application/pdf",
                bytes: pdf,
                payment_reference: p.payment_reference.as_deref(),
            }),
        )
    }

    /// What a letter will say, for the preview: recipient, subject, the free text, the invoice table, the totals.
    pub fn letter_preview(&self, req: &LetterRequest) -> AppResult<LetterPreview> {
        Ok(self.one_letter(req)?.preview)
    }

    /// A letter as a PDF (nothing recorded).
    pub fn letter_pdf(&self, req: &LetterRequest) -> AppResult<(Vec<u8>, LetterPreview)> {
        let built = self.one_letter(req)?;
        Ok((encaisse_letters::render_letters(&[built.letter]), built.preview))
    }

    /// A letter printed by the actor: its PDF handed to `deliver` (a viewer, a printer, a file), then, only once
    /// `deliver` succeeded, the "letter" action of its step recorded (the agenda moves on). When `deliver` fails,
    /// its error is returned and nothing is recorded.
    pub fn print_letter(
        &self,
        req: &LetterRequest,
        deliver: impl FnOnce(&[u8], &LetterPreview) -> AppResult<()>,
    ) -> AppResult<PrintedLetter> {
        let built = self.one_letter(req)?;
        let pdf = encaisse_letters::render_letters(std::slice::from_ref(&built.letter));
        deliver(&pdf, &built.preview)?;
        let action = self.record_letter(&built.preview, &self.actor().0, &pdf)?;
        Ok(PrintedLetter {
            pdf,
            preview: built.preview,
            action,
        })
    }

    /// Every letter action of the day's agenda in one PDF, in the agenda's order: the formal notice for the
    /// formal_notice step, the step's template as a reminder letter for any other letter step. Each letter starts
    /// on a new sheet and counts its own pages. Nothing is recorded.
    pub fn letters_batch(&self, as_of: Option<NaiveDate>) -> AppResult<LettersBatch> {
        self.batch(as_of, None::<fn(&[u8]) -> AppResult<()>>)
    }

    /// The day's letters printed by the actor: the PDF of [`App::letters_batch`] handed to `deliver` (a viewer, a
    /// printer, a file), then, only once `deliver` succeeded, each letter recorded as printed. When `deliver`
    /// fails, its error is returned and nothing is recorded.
    pub fn print_letters_batch(
        &self,
        as_of: Option<NaiveDate>,
        deliver: impl FnOnce(&[u8]) -> AppResult<()>,
    ) -> AppResult<LettersBatch> {
        self.batch(as_of, Some(deliver))
    }

    fn batch(
        &self,
        as_of: Option<NaiveDate>,
        deliver: Option<impl FnOnce(&[u8]) -> AppResult<()>>,
    ) -> AppResult<LettersBatch> {
        let actor = self.actor().0;
        let as_of = as_of.unwrap_or_else(|| self.today());
        let ctx = self.notice_context(as_of)?;
        let view = self.agenda_view(Some(as_of))?;
        let threads = encaisse_letters::cores::available();
        let items: Vec<&AgendaItem> = view.items.iter().filter(|i| has_letter(i)).collect();
        // Each letter built (and laid out, to count its pages) on its own, on every core; read in the agenda's order.
        let results = encaisse_letters::cores::map(&items, threads, |item| {
            let req = LetterRequest {
                customer: item.action.customer.clone(),
                step: Some(item.action.step.clone()),
                as_of: Some(as_of),
                ..LetterRequest::default()
            };
            self.build_letter(&ctx, Some(item), &req)
        });
        let mut built = Vec::new();
        let mut left_out = Vec::new();
        for (item, result) in items.iter().zip(results) {
            match result {
                Ok(b) => built.push(b),
                // A letter that cannot be written (what the user can fix: a rate to add, a value refused) is left
                // out with its reason; the database or the disk failing stops the batch.
                Err(AppError::InvalidInput(reason)) => {
                    let customer = item.action.customer.clone();
                    let missing_rate = reason
                        .contains("no ECB rate")
                        .then(|| ctx.missing_rate(&customer))
                        .flatten();
                    left_out.push(LeftOut {
                        name: ctx
                            .customer(&customer)
                            .map(|c| c.name.clone())
                            .unwrap_or_default(),
                        step: item.action.step.clone(),
                        reason: match missing_rate {
                            Some(h) => format!(
                                "customer {customer}: no ECB rate for the half-year starting {h}: add it in \
                                 Settings → Lettres et taux (penalty rates by half-year)"
                            ),
                            None => reason,
                        },
                        missing_rate,
                        customer,
                    });
                }
                Err(e) => return Err(e),
            }
        }
        if built.is_empty() {
            return Err(match left_out.is_empty() {
                true => AppError::NoData(format!("no letter to print on the agenda of {as_of}")),
                false => AppError::InvalidInput(format!(
                    "no letter of the agenda of {as_of} could be written: {}",
                    left_out
                        .iter()
                        .map(|l| l.reason.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
            });
        }
        let letters: Vec<Letter> = built.iter().map(|b| b.letter.clone()).collect();
        let pdf = encaisse_letters::render_letters_on(&letters, threads);
        let record = deliver.is_some();
        if let Some(deliver) = deliver {
            deliver(&pdf)?;
        }
        // Each letter kept on its own (the batch's other letters are other customers'): the same bytes as when
        // printed alone, each file written on one thread, the files on every core.
        let owns = match record {
            true => encaisse_letters::cores::map(&letters, threads, |l| {
                Some(encaisse_letters::render_letters_on(
                    std::slice::from_ref(l),
                    std::num::NonZeroUsize::MIN,
                ))
            }),
            false => vec![None; letters.len()],
        };
        let mut out = Vec::with_capacity(built.len());
        for (b, own) in built.iter().zip(owns) {
            let action_id = match own {
                Some(own) => Some(self.record_letter(&b.preview, &actor, &own)?.id),
                None => None,
            };
            out.push(BatchLetter {
                customer: b.preview.customer.clone(),
                name: b.preview.name.clone(),
                step: b.preview.step.clone(),
                kind: b.preview.kind.clone(),
                pages: b.preview.pages,
                action_id,
            });
        }
        Ok(LettersBatch {
            pdf,
            letters: out,
            left_out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_placeholder_is_marked_whatever_its_spacing() {
        assert_eq!(
            mark_table("A\n\n{{ invoice_table }}\n\nB {{total}} {{invoice_table}}"),
            format!("A\n\n{TABLE_MARK}\n\nB {{{{total}}}} {TABLE_MARK}")
        );
        assert_eq!(mark_table("{{ invoices }} {{"), "{{ invoices }} {{");
        assert_eq!(
            mark_table("A {{tableau_factures }} B"),
            format!("A {TABLE_MARK} B")
        );
        let (before, after) = split_at_table(&format!("Hello,\n\nSee:\n\n{TABLE_MARK}\n\nTotal.\nBye"));
        assert_eq!(before, "Hello,\n\nSee:");
        assert_eq!(after, "Total.\nBye");
        assert_eq!(
            split_at_table("No table"),
            ("No table".to_string(), String::new())
        );
    }
}
