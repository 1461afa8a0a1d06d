//! Reminder letters (relance 1–3, the personal letter): the text of the email template the user edits, rendered
//! to plain text by the caller, laid out as a letter for a DL window envelope, with the invoices as a table.

use crate::layout::letter::{self, Column, Flow, Party, Rows, BODY, LEFT, RIGHT};
use crate::layout::{self, fit};
use crate::pdf::{Align, Canvas, Weight};
use chrono::NaiveDate;
use encaisse_domain::format::{format_date, format_money};
use rust_decimal::Decimal;

/// The language of a letter's fixed words (table headings, the date line, amounts).
use encaisse_domain::format::Lang;

/// One invoice of the letter's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderInvoice {
    pub number: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub still_due: Decimal,
    /// Days past due at the letter's date; ≤ 0 before the due date (printed blank).
    pub days_late: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub sender: Party,
    pub recipient: Party,
    pub customer_ref: String,
    /// The customer's ISO 11649 creditor reference ("RF…", compact), printed under the customer's reference for
    /// the transfer to quote.
    pub creditor_reference: Option<String>,
    pub place: String,
    pub date: NaiveDate,
    pub lang: Lang,
    /// The template's subject, rendered.
    pub subject: String,
    /// The text before the invoice table: paragraphs separated by blank lines, lines by line breaks.
    pub before: String,
    pub invoices: Vec<ReminderInvoice>,
    /// Invoices not yet due listed for information, in their own table ("À échoir"), never called unpaid; empty
    /// when none (or when nothing is overdue: a pre-reminder lists them in `invoices`).
    pub not_due: Vec<ReminderInvoice>,
    /// The text after the table (the template's closing and signature).
    pub after: String,
}

impl Reminder {
    pub fn total(&self) -> Decimal {
        self.invoices.iter().map(|i| i.still_due).sum()
    }

    /// What is left to pay on the invoices not yet due.
    pub fn not_due_total(&self) -> Decimal {
        self.not_due.iter().map(|i| i.still_due).sum()
    }
}

const TITLES_FR: [&str; 6] = ["Facture", "Date", "Échéance", "Montant TTC", "Reste dû", "Retard"];
const TITLES_EN: [&str; 6] = [
    "Invoice",
    "Date",
    "Due date",
    "Amount",
    "Left to pay",
    "Days late",
];
const COLUMNS: [Column; 6] = [
    Column::left(21.0),
    Column::left(62.0),
    Column::left(86.0),
    Column::right(135.0),
    Column::right(165.0),
    Column::right(189.0),
];
const TABLE_SIZE: f32 = 8.5;
const ROW: f32 = 5.2;
const ROWS: Rows = Rows {
    size: TABLE_SIZE,
    height: ROW,
    baseline: 3.6,
};

fn titles(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Fr => &TITLES_FR,
        Lang::En => &TITLES_EN,
    }
}

fn reminder_pages(r: &Reminder) -> Vec<Canvas> {
    let mut flow = Flow::new();
    let page = flow.page();
    letter::head(page, &r.sender, &r.recipient);
    let dated = match r.lang {
        Lang::Fr => format!("{}, le {}", r.place, format_date(r.date, r.lang)),
        Lang::En => format!("{}, {}", r.place, format_date(r.date, r.lang)),
    };
    let dated = dated.trim_start_matches([',', ' ']).to_string();
    page.text(
        RIGHT,
        100.0,
        BODY,
        Weight::Regular,
        Align::Right,
        &fit(&dated, BODY, 70.0),
    );
    let reference = match r.lang {
        Lang::Fr => format!("Référence client\u{202f}: {}", r.customer_ref),
        Lang::En => format!("Customer reference: {}", r.customer_ref),
    };
    // The customer's key is data: drawn as typed.
    page.data(
        LEFT,
        100.0,
        8.5,
        Weight::Regular,
        Align::Left,
        &fit(&reference, 8.5, 95.0),
    );
    if let Some(rf) = &r.creditor_reference {
        let label = match r.lang {
            Lang::Fr => "Référence à rappeler avec votre virement\u{202f}:",
            Lang::En => "Reference to quote with your transfer:",
        };
        page.text(LEFT, 104.0, 8.5, Weight::Regular, Align::Left, label);
        page.data(
            LEFT + crate::pdf::text_width(label, 8.5, Weight::Regular) + 1.5,
            104.0,
            8.5,
            Weight::Bold,
            Align::Left,
            &crate::notice::in_fours(rf),
        );
    }
    flow.y = 108.0;
    let subject = match r.lang {
        Lang::Fr => format!("Objet : {}", r.subject),
        Lang::En => format!("Subject: {}", r.subject),
    };
    flow.paragraph(&subject, BODY, Weight::Bold);
    flow.y += 2.0;
    flow.text_block(&r.before);

    let (total_label, not_due_title, not_due_label) = match r.lang {
        Lang::Fr => ("Total restant dû", "À échoir", "Total à échoir"),
        Lang::En => ("Total left to pay", "Not yet due", "Total not yet due"),
    };
    invoice_table(&mut flow, r, &r.invoices, total_label, r.total());
    if !r.not_due.is_empty() {
        flow.need(ROW * 4.0);
        flow.paragraph(not_due_title, BODY, Weight::Bold);
        invoice_table(&mut flow, r, &r.not_due, not_due_label, r.not_due_total());
    }
    flow.text_block(&r.after);
    flow.pages
}

/// A table of invoices with its total line.
fn invoice_table(flow: &mut Flow, r: &Reminder, invoices: &[ReminderInvoice], label: &str, total: Decimal) {
    if invoices.is_empty() {
        return;
    }
    flow.need(ROW * 3.0);
    flow.table_header(&COLUMNS, titles(r.lang), &ROWS);
    for inv in invoices {
        if flow.need(ROW) {
            flow.table_header(&COLUMNS, titles(r.lang), &ROWS);
        }
        let late = match (inv.days_late > 0, r.lang) {
            (false, _) => String::new(),
            (true, Lang::Fr) => format!("{} j", inv.days_late),
            (true, Lang::En) => format!("{} d", inv.days_late),
        };
        let cells = [
            fit(&inv.number, TABLE_SIZE, 38.0),
            format_date(inv.invoice_date, r.lang),
            format_date(inv.due_date, r.lang),
            format_money(inv.amount, r.lang),
            format_money(inv.still_due, r.lang),
            late,
        ];
        flow.table_row(&COLUMNS, &cells, &ROWS);
    }
    flow.need(ROW + 2.0);
    let y = flow.y;
    let page = flow.page();
    page.hline(110.0, RIGHT, y + 0.3, 0.6);
    page.text(112.0, y + 4.2, BODY, Weight::Bold, Align::Left, label);
    page.text(
        COLUMNS[4].x,
        y + 4.2,
        BODY,
        Weight::Bold,
        Align::Right,
        &format_money(total, r.lang),
    );
    flow.y += ROW + 4.0;
}

/// The pages of a reminder letter, numbered within the letter.
pub(crate) fn pages(r: &Reminder) -> Vec<Canvas> {
    let mut own = reminder_pages(r);
    letter::number(&mut own, &r.sender);
    own
}

/// One reminder letter as a PDF file.
pub fn render_reminder(r: &Reminder) -> Vec<u8> {
    let title = format!("Lettre — {}", r.recipient.name);
    layout::render(std::slice::from_ref(r), pages, &title)
}
