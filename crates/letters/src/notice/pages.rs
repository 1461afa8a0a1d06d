//! The notice on its pages: the letterhead and the window address, the heading, the invoices with their penalties,
//! the totals, the paragraphs the law requires, the signature and the transfer's details with its QR code.

use super::transfer::{epc_payload, in_fours, qr_matrix};
use super::{closing_paragraphs, subject, totals_labels, Notice};
use crate::layout::fit;
use crate::layout::letter::{self, Column, Flow, Rows, BODY, BOTTOM, LEFT, RIGHT};
use crate::pdf::{self, Align, Canvas, Weight};
use encaisse_domain::format::{format_amount_fr, format_date_fr as date_fr};
use rust_decimal::Decimal;

const TITLES: [&str; 8] = [
    "Facture",
    "Date",
    "Échéance",
    "Montant TTC",
    "Reste dû",
    "Jours",
    "Pénalités",
    "Indemnité",
];
const COLUMNS: [Column; 8] = [
    Column::left(21.0),
    Column::left(52.0),
    Column::left(70.0),
    Column::right(110.0),
    Column::right(132.0),
    Column::right(144.0),
    Column::right(166.0),
    Column::right(189.0),
];
const TABLE_SIZE: f32 = 8.0;
const ROW: f32 = 5.0;
const ROWS: Rows = Rows {
    size: TABLE_SIZE,
    height: ROW,
    baseline: 3.5,
};
const TOTAL_ROW: f32 = 4.6;

/// The pages of one notice (page numbers are added by the caller: they count the letter's own pages).
fn notice_pages(n: &Notice) -> Vec<Canvas> {
    let claim = &n.claim;
    let mut flow = Flow::new();
    let page = flow.page();
    letter::head(page, &n.sender, &n.recipient);

    // Place and date; registered letter; reference.
    page.text(
        RIGHT,
        100.0,
        BODY,
        Weight::Regular,
        Align::Right,
        &fit(&format!("{}, le {}", n.place, date_fr(n.date)), BODY, 70.0),
    );
    page.text(
        LEFT,
        100.0,
        BODY,
        Weight::Bold,
        Align::Left,
        "Lettre recommandée avec accusé de réception",
    );
    // The customer's key is data: drawn as typed (the label's no-break space written here).
    page.data(
        LEFT,
        104.5,
        8.5,
        Weight::Regular,
        Align::Left,
        &fit(
            &format!("Référence client\u{202f}: {}", n.customer_ref),
            8.5,
            95.0,
        ),
    );

    page.text(
        105.0,
        112.0,
        15.0,
        Weight::Bold,
        Align::Center,
        "MISE EN DEMEURE DE PAYER",
    );
    let subject = format!("Objet : {}", subject(n));
    flow.y = 116.5;
    flow.paragraph(&subject, BODY, Weight::Bold);
    flow.paragraph("Madame, Monsieur,", BODY, Weight::Regular);
    let intro = n.intro.clone().unwrap_or_else(|| n.default_intro());
    for p in intro.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        flow.paragraph(p, BODY, Weight::Regular);
    }

    // The invoices; a private person's without the penalty and indemnity columns (neither is owed).
    let labels = totals_labels(claim.basis);
    let titles = if labels.is_some() {
        &TITLES[..]
    } else {
        &TITLES[..6]
    };
    flow.need(ROW * 2.0);
    flow.table_header(&COLUMNS, titles, &ROWS);
    for line in &claim.invoices {
        if flow.need(ROW) {
            flow.table_header(&COLUMNS, titles, &ROWS);
        }
        let inv = &line.invoice;
        let cells = [
            fit(&inv.number, TABLE_SIZE, 30.0),
            date_fr(inv.invoice_date),
            date_fr(inv.due_date),
            format_amount_fr(inv.amount),
            format_amount_fr(inv.still_due),
            line.days_late.to_string(),
            format_amount_fr(line.interest),
            format_amount_fr(line.indemnity),
        ];
        flow.table_row(&COLUMNS, &cells[..titles.len()], &ROWS);
    }

    // Totals.
    flow.y += 2.0;
    let label_x = 100.0;
    let credits = n.credits.max(Decimal::ZERO);
    let to_pay = n.to_pay();
    let mut totals = vec![("Principal restant dû", claim.still_due, Weight::Regular)];
    if let Some((interest, indemnities)) = labels {
        totals.push((interest, claim.interest, Weight::Regular));
        totals.push((indemnities, claim.indemnities, Weight::Regular));
    }
    totals.push(("Total réclamé", claim.total, Weight::Bold));
    if !credits.is_zero() {
        totals.push((
            "Avoirs et règlements non imputés à déduire",
            -credits,
            Weight::Regular,
        ));
        totals.push(("Net à payer", to_pay, Weight::Bold));
    }
    let rows = u16::try_from(totals.len()).unwrap_or(6);
    flow.need(TOTAL_ROW * f32::from(rows) + 2.0);
    for (label, amount, weight) in &totals {
        let y = flow.y;
        let page = flow.page();
        if *weight == Weight::Bold {
            page.hline(label_x, RIGHT, y + 0.3, 0.6);
        }
        page.text(label_x, y + 3.8, BODY, *weight, Align::Left, label);
        page.text(
            RIGHT - 1.0,
            y + 3.8,
            BODY,
            *weight,
            Align::Right,
            &format_amount_fr(*amount),
        );
        flow.y += TOTAL_ROW;
    }
    flow.y += 1.5;

    let closing = closing_paragraphs(n);
    let style = |i: usize| match i {
        0 => (8.5, Weight::Regular),
        1 => (BODY, Weight::Bold),
        _ => (BODY, Weight::Regular),
    };
    // Kept together: the demand with its deadline (the bold paragraph) whole, with the last two lines of the
    // paragraph before it; the salutation whole with the signature block under it, and the end of the paragraph
    // before them. Nothing of it splits across pages or starts a page alone.
    let height = 31.0;
    let last = closing.len().saturating_sub(1);
    let kept = |i: usize| {
        let (size, weight) = style(i);
        Flow::height(&closing[i], size, weight)
    };
    for (i, p) in closing.iter().enumerate() {
        let (size, weight) = style(i);
        let (tail, then) = match i {
            1 => (usize::MAX, 0.0),
            _ if i == last => (usize::MAX, height - 4.0),
            _ if i + 1 == last => (2, kept(last) + height - 4.0),
            0 => (2, kept(1)),
            _ => (0, 0.0),
        };
        flow.paragraph_kept(p, size, weight, tail, then);
    }

    // Bank details with the SEPA transfer QR code on the left, the signature on the right.
    // The block may come down to the footer's margin (its box ends 2 mm above its height).
    if flow.y + height > BOTTOM + 4.0 {
        flow.need(height);
    }
    let top = flow.y + 1.0;
    let reference = n.payment_reference();
    let page = flow.page();
    let sign_x = 142.0;
    page.text(
        sign_x,
        top + 5.0,
        BODY,
        Weight::Bold,
        Align::Left,
        &crate::layout::fit_weight(&n.signatory.name, BODY, Weight::Bold, RIGHT - sign_x),
    );
    let mut y = top + 9.6;
    // At most three lines of title in the block's height, the third cut when there is more.
    let mut title = pdf::wrap(&n.signatory.title, BODY, Weight::Regular, RIGHT - sign_x);
    if title.len() > 3 {
        let rest = title[2..].join(" ");
        title.truncate(2);
        title.push(format!(
            "{}…",
            fit(&rest, BODY, RIGHT - sign_x).trim_end_matches('…')
        ));
    }
    for line in title {
        page.text(sign_x, y, BODY, Weight::Regular, Align::Left, &line);
        y += 4.4;
    }
    page.text(sign_x, y, 7.5, Weight::Regular, Align::Left, "Signature :");
    if let Some(bank) = &n.bank {
        let box_w = 116.0;
        page.stroke_rect(LEFT, top, box_w, height - 2.0, 0.5);
        let x = LEFT + 3.0;
        let mut y = top + 5.0;
        page.text(x, y, 9.5, Weight::Bold, Align::Left, "Règlement par virement");
        y += 5.0;
        let bic = bank.bic.clone().unwrap_or_default();
        for (label, value) in [
            ("Titulaire", fit(&bank.holder, 8.5, 58.0)),
            ("IBAN", in_fours(&bank.iban)),
            ("BIC", bic),
            ("Montant", format_amount_fr(to_pay)),
        ] {
            if value.is_empty() {
                continue;
            }
            page.text(x, y, 8.5, Weight::Regular, Align::Left, &format!("{label} :"));
            page.data(x + 18.0, y, 8.5, Weight::Regular, Align::Left, &value);
            y += 4.1;
        }
        // The creditor reference the bank gives back with the payment: its label says to quote it.
        let label = if n.creditor_reference.is_some() {
            "Référence à rappeler :"
        } else {
            "Référence :"
        };
        page.text(x, y, 8.5, Weight::Regular, Align::Left, label);
        let value_x = (x + 18.0).max(x + pdf::text_width(label, 8.5, Weight::Regular) + 1.5);
        let bold = if n.creditor_reference.is_some() {
            Weight::Bold
        } else {
            Weight::Regular
        };
        page.data(
            value_x,
            y,
            8.5,
            bold,
            Align::Left,
            &crate::layout::fit_weight(&reference, 8.5, bold, LEFT + box_w - 29.0 - value_x),
        );
        if let Some((width, dark)) = epc_payload(bank, to_pay, &n.remittance()).and_then(|p| qr_matrix(&p)) {
            let side = 23.0;
            let module = side / f32::from(u16::try_from(width).unwrap_or(u16::MAX));
            let qx = LEFT + box_w - 3.0 - side;
            page.matrix(qx, top + 2.0, module, width, &dark);
            page.text(
                qx + side / 2.0,
                top + side + 4.3,
                6.5,
                Weight::Regular,
                Align::Center,
                "Scannez pour payer",
            );
        }
    }
    flow.y = top + height;
    flow.pages
}

/// The pages of a notice, numbered within the letter.
pub(crate) fn pages(n: &Notice) -> Vec<Canvas> {
    let mut own = notice_pages(n);
    letter::number(&mut own, &n.sender);
    own
}
