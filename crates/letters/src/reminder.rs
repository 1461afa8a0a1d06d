//! Reminder letters (relance 1–3, the personal letter): the text of the email template the user edits, rendered
//! to plain text by the caller, laid out as a letter for a DL window envelope, with the invoices as a table.

use crate::notice::{self, Flow, Party, BODY, LEFT, RIGHT, WIDTH};
use crate::pdf::{Align, Canvas, Weight};
use chrono::NaiveDate;
use encaisse_domain::format::format_date_fr as date_fr;
use rust_decimal::Decimal;

/// The language of a letter's fixed words (table headings, the date line, amounts).
pub use encaisse_domain::format::Lang;

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
    pub place: String,
    pub date: NaiveDate,
    pub lang: Lang,
    /// The template's subject, rendered.
    pub subject: String,
    /// The text before the invoice table: paragraphs separated by blank lines, lines by line breaks.
    pub before: String,
    pub invoices: Vec<ReminderInvoice>,
    /// The text after the table (the template's closing and signature).
    pub after: String,
}

impl Reminder {
    pub fn total(&self) -> Decimal {
        self.invoices.iter().map(|i| i.still_due).sum()
    }
}

/// An amount in the letter's language: 1 234,56 € or €1,234.56. The app's letter preview names it at this path.
pub use encaisse_domain::format::format_money as money;

struct Column {
    fr: &'static str,
    en: &'static str,
    x: f32,
    align: Align,
}

const COLUMNS: [Column; 6] = [
    Column {
        fr: "Facture",
        en: "Invoice",
        x: 21.0,
        align: Align::Left,
    },
    Column {
        fr: "Date",
        en: "Date",
        x: 62.0,
        align: Align::Left,
    },
    Column {
        fr: "Échéance",
        en: "Due date",
        x: 86.0,
        align: Align::Left,
    },
    Column {
        fr: "Montant TTC",
        en: "Amount",
        x: 135.0,
        align: Align::Right,
    },
    Column {
        fr: "Reste dû",
        en: "Left to pay",
        x: 165.0,
        align: Align::Right,
    },
    Column {
        fr: "Retard",
        en: "Days late",
        x: 189.0,
        align: Align::Right,
    },
];
const TABLE_SIZE: f32 = 8.5;
const ROW: f32 = 5.2;

fn table_header(flow: &mut Flow, lang: Lang) {
    let y = flow.y;
    let page = flow.page();
    page.fill_rect(LEFT, y, WIDTH, ROW, 0.88);
    for c in &COLUMNS {
        let title = if lang == Lang::Fr { c.fr } else { c.en };
        page.text(c.x, y + 3.6, TABLE_SIZE, Weight::Bold, c.align, title);
    }
    flow.y += ROW;
}

/// Paragraphs (blank lines between them), each line of a paragraph kept as the template wrote it.
fn text_block(flow: &mut Flow, text: &str) {
    for para in text.split("\n\n").map(|p| p.trim_matches('\n')) {
        if para.trim().is_empty() {
            continue;
        }
        let lines: Vec<&str> = para.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            flow.paragraph(line.trim_end(), BODY, Weight::Regular);
            if i + 1 < lines.len() {
                // A line break inside a paragraph: no paragraph space after it.
                flow.y -= notice::LEADING * 0.4;
            }
        }
        flow.y += notice::LEADING * 0.5;
    }
}

fn reminder_pages(r: &Reminder) -> Vec<Canvas> {
    let mut flow = Flow {
        pages: vec![Canvas::new()],
        y: 0.0,
    };
    let page = flow.page();
    notice::head(page, &r.sender, &r.recipient);
    let dated = match r.lang {
        Lang::Fr => format!("{}, le {}", r.place, date_fr(r.date)),
        Lang::En => format!("{}, {}", r.place, date_fr(r.date)),
    };
    let dated = dated.trim_start_matches([',', ' ']).to_string();
    page.text(RIGHT, 100.0, BODY, Weight::Regular, Align::Right, &dated);
    let reference = match r.lang {
        Lang::Fr => format!("Référence client : {}", r.customer_ref),
        Lang::En => format!("Customer reference: {}", r.customer_ref),
    };
    page.text(LEFT, 100.0, 8.5, Weight::Regular, Align::Left, &reference);
    flow.y = 108.0;
    let subject = match r.lang {
        Lang::Fr => format!("Objet : {}", r.subject),
        Lang::En => format!("Subject: {}", r.subject),
    };
    flow.paragraph(&subject, BODY, Weight::Bold);
    flow.y += 2.0;
    text_block(&mut flow, &r.before);

    if !r.invoices.is_empty() {
        flow.need(ROW * 3.0);
        table_header(&mut flow, r.lang);
        for inv in &r.invoices {
            if flow.need(ROW) {
                table_header(&mut flow, r.lang);
            }
            let late = match (inv.days_late > 0, r.lang) {
                (false, _) => String::new(),
                (true, Lang::Fr) => format!("{} j", inv.days_late),
                (true, Lang::En) => format!("{} d", inv.days_late),
            };
            let cells = [
                notice::fit(&inv.number, TABLE_SIZE, 38.0),
                date_fr(inv.invoice_date),
                date_fr(inv.due_date),
                money(inv.amount, r.lang),
                money(inv.still_due, r.lang),
                late,
            ];
            let y = flow.y;
            let page = flow.page();
            for (c, text) in COLUMNS.iter().zip(&cells) {
                page.text(c.x, y + 3.6, TABLE_SIZE, Weight::Regular, c.align, text);
            }
            page.hline(LEFT, RIGHT, y + ROW, 0.2);
            flow.y += ROW;
        }
        flow.need(ROW + 2.0);
        let y = flow.y;
        let page = flow.page();
        page.hline(110.0, RIGHT, y + 0.3, 0.6);
        let label = match r.lang {
            Lang::Fr => "Total restant dû",
            Lang::En => "Total left to pay",
        };
        page.text(112.0, y + 4.2, BODY, Weight::Bold, Align::Left, label);
        page.text(
            COLUMNS[4].x,
            y + 4.2,
            BODY,
            Weight::Bold,
            Align::Right,
            &money(r.total(), r.lang),
        );
        flow.y += ROW + 4.0;
    }
    text_block(&mut flow, &r.after);
    flow.pages
}

/// The pages of a reminder letter, numbered within the letter.
pub(crate) fn pages(r: &Reminder) -> Vec<Canvas> {
    let mut own = reminder_pages(r);
    notice::number(&mut own, &r.sender);
    own
}

/// One reminder letter as a PDF file.
pub fn render_reminder(r: &Reminder) -> Vec<u8> {
    crate::batch::render_letters(&[crate::batch::Letter::Reminder(r.clone())])
}
