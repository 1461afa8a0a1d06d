//! The formal notice ("mise en demeure de payer") with every mention of shared/domain/french-rules.md: heading,
//! place and date, both parties' identities, the invoices with their penalties and indemnities, the total claimed,
//! the deadline, the legal basis (L441-10, D441-5), the injonction de payer warning, the signature, "Lettre
//! recommandée avec accusé de réception", and the bank details with a SEPA transfer QR code.

use crate::pdf::{self, Align, Canvas, Weight};
use crate::penalties::{Basis, Claim};
use chrono::NaiveDate;
use encaisse_domain::format::{format_amount, format_amount_fr};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// Address lines, street first, postcode and city last.
    pub address: Vec<String>,
    pub siren: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankDetails {
    /// Account holder (the beneficiary name of the transfer).
    pub holder: String,
    pub iban: String,
    pub bic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatory {
    pub name: String,
    /// "Directeur administratif et financier"…
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub sender: Party,
    pub recipient: Party,
    /// The customer's key in the ledger, printed as the reference.
    pub customer_ref: String,
    /// Where the letter is written ("Lyon").
    pub place: String,
    /// The letter's date: the as-of date of the claim.
    pub date: NaiveDate,
    /// Payment expected by this date.
    pub deadline: NaiveDate,
    pub signatory: Signatory,
    pub bank: Option<BankDetails>,
    pub claim: Claim,
    /// The customer's unapplied credits (payments on account, credit notes not matched to an invoice), as a
    /// positive amount: shown under the claim and deducted from what is asked for (and from the QR code's amount).
    /// The penalties stay computed per invoice on its still-due amount.
    pub credits: Decimal,
    /// The paragraph before the invoices, when the user rewrote it (the standard one when absent).
    pub intro: Option<String>,
}

impl Notice {
    /// What the debtor is asked to pay: the total claimed less the unapplied credits, never below zero.
    pub fn to_pay(&self) -> Decimal {
        (self.claim.total - self.credits.max(Decimal::ZERO)).max(Decimal::ZERO)
    }

    /// The standard paragraph before the invoices.
    pub fn default_intro(&self) -> String {
        format!(
            "Malgré nos précédentes relances, les factures ci-dessous, échues, restent impayées à ce jour. Au {}, \
             vous nous êtes redevable des sommes suivantes :",
            date_fr(self.claim.as_of)
        )
    }

    /// The transfer reference the debtor is asked to quote.
    pub fn payment_reference(&self) -> String {
        use chrono::Datelike;
        let d = self.date;
        format!(
            "MED {} {:04}{:02}{:02}",
            self.customer_ref,
            d.year(),
            d.month(),
            d.day()
        )
    }
}

// Dates and rates are formatted by the domain; `date_fr` stays at this path for the app's letter preview.
pub use encaisse_domain::format::format_date_fr as date_fr;
use encaisse_domain::format::format_percent_fr as percent_fr;

pub(crate) fn siren_fr(siren: &str) -> String {
    if siren.len() == 9 && siren.is_ascii() {
        format!("{} {} {}", &siren[0..3], &siren[3..6], &siren[6..9])
    } else {
        siren.to_string()
    }
}

fn iban_fr(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The EPC069-12 ("SEPA credit transfer", version 002) payload a banking app reads from the QR code: service tag,
/// version, UTF-8, SCT, BIC, beneficiary, IBAN, amount, no purpose, no structured reference, the reference as
/// remittance text. None when the amount is outside 0.01–999,999,999.99 or the IBAN is missing.
pub fn epc_payload(bank: &BankDetails, amount: Decimal, reference: &str) -> Option<String> {
    let iban: String = bank.iban.chars().filter(|c| !c.is_whitespace()).collect();
    let max = Decimal::new(99_999_999_999, 2);
    if iban.is_empty() || amount < Decimal::new(1, 2) || amount > max {
        return None;
    }
    let bic: String = bank
        .bic
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let name: String = bank.holder.chars().take(70).collect();
    let text: String = reference.chars().take(140).collect();
    Some(format!(
        "BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\nEUR{}\n\n\n{text}",
        format_amount(amount)
    ))
}

/// The QR code's modules (true = dark) and its width, at error correction level M as EPC069-12 requires.
pub fn qr_matrix(payload: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

pub(crate) const LEFT: f32 = 20.0;
pub(crate) const RIGHT: f32 = 190.0;
pub(crate) const WIDTH: f32 = RIGHT - LEFT;
pub(crate) const BODY: f32 = 9.0;
pub(crate) const LEADING: f32 = 4.1;
const TOP_CONT: f32 = 22.0;
const BOTTOM: f32 = 280.0;
/// The window of a DL envelope (110 × 220 mm, window on the right) over an A4 sheet folded in three: the address
/// block starts here, 110 mm from the left edge and 50 mm from the top, within a 90 × 45 mm window.
pub const WINDOW_X: f32 = 110.0;
pub const WINDOW_TOP: f32 = 50.0;

/// The pages of a letter as they fill up: a new page when the next block does not fit.
pub(crate) struct Flow {
    pub(crate) pages: Vec<Canvas>,
    pub(crate) y: f32,
}

impl Flow {
    pub(crate) fn page(&mut self) -> &mut Canvas {
        self.pages.last_mut().expect("a flow has a page")
    }
    /// Makes room for `h` mm, turning the page if needed; true when it turned.
    pub(crate) fn need(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM {
            self.pages.push(Canvas::new());
            self.y = TOP_CONT;
            true
        } else {
            false
        }
    }
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, weight: Weight) {
        let lines = pdf::wrap(text, size, weight, WIDTH);
        // `y` is the top of the next line; its baseline is about one cap height below.
        for line in lines {
            self.need(LEADING);
            let y = self.y + size * 0.3;
            self.page().text(LEFT, y, size, weight, Align::Left, &line);
            self.y += LEADING;
        }
        self.y += LEADING * 0.4;
    }
}

struct Column {
    title: &'static str,
    x: f32,
    align: Align,
}

const COLUMNS: [Column; 8] = [
    Column {
        title: "Facture",
        x: 21.0,
        align: Align::Left,
    },
    Column {
        title: "Date",
        x: 52.0,
        align: Align::Left,
    },
    Column {
        title: "Échéance",
        x: 70.0,
        align: Align::Left,
    },
    Column {
        title: "Montant TTC",
        x: 110.0,
        align: Align::Right,
    },
    Column {
        title: "Reste dû",
        x: 132.0,
        align: Align::Right,
    },
    Column {
        title: "Jours",
        x: 144.0,
        align: Align::Right,
    },
    Column {
        title: "Pénalités",
        x: 166.0,
        align: Align::Right,
    },
    Column {
        title: "Indemnité",
        x: 189.0,
        align: Align::Right,
    },
];
const TABLE_SIZE: f32 = 8.0;
const ROW: f32 = 5.0;
const TOTAL_ROW: f32 = 4.6;

fn table_header(flow: &mut Flow) {
    let y = flow.y;
    let page = flow.page();
    page.fill_rect(LEFT, y, WIDTH, ROW, 0.88);
    for c in &COLUMNS {
        page.text(c.x, y + 3.5, TABLE_SIZE, Weight::Bold, c.align, c.title);
    }
    flow.y += ROW;
}

pub(crate) fn fit(s: &str, size: f32, width: f32) -> String {
    if pdf::text_width(s, size, Weight::Regular) <= width {
        return s.to_string();
    }
    let mut out: String = s.to_string();
    while !out.is_empty() && pdf::text_width(&format!("{out}…"), size, Weight::Regular) > width {
        out.pop();
    }
    format!("{out}…")
}

fn rates_sentence(claim: &Claim) -> String {
    let list = claim
        .rates
        .iter()
        .map(|r| {
            format!(
                "{} du {} au {}",
                percent_fr(r.rate),
                date_fr(r.from),
                date_fr(r.to)
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    let basis = match claim.basis {
        Basis::Statutory => {
            "au taux de la Banque centrale européenne en vigueur au 1er janvier ou au 1er juillet majoré de 10 points \
             (article L441-10 II du Code de commerce), chaque semestre à son taux"
                .to_string()
        }
        Basis::PublicBody => "au taux de la Banque centrale européenne en vigueur au premier jour du semestre au cours \
                               duquel les intérêts ont commencé à courir, majoré de 8 points (article R2192-31 du Code \
                               de la commande publique)"
            .to_string(),
        Basis::Contractual(rate) => format!("au taux contractuel de {}", percent_fr(rate)),
    };
    format!(
        "Les pénalités de retard sont calculées sur le montant restant dû, du lendemain de l'échéance au {}, {basis}, \
         selon la formule : montant restant dû × taux annuel × nombre de jours de retard / 365. Taux appliqués : {list}.",
        date_fr(claim.as_of)
    )
}

/// The subject line (after "Objet : ").
pub fn subject(n: &Notice) -> String {
    let count = n.claim.invoices.len();
    let s = if count > 1 { "s" } else { "" };
    format!(
        "mise en demeure de payer {count} facture{s} échue{s} — total réclamé {}",
        format_amount_fr(n.claim.total)
    )
}

/// The paragraphs after the totals, fixed by the law: how the penalties are computed, the demand with its
/// deadline, the legal basis, the injonction de payer warning, the salutation.
pub fn closing_paragraphs(n: &Notice) -> Vec<String> {
    let days = (n.deadline - n.date).num_days();
    vec![
        rates_sentence(&n.claim),
        format!(
            "En conséquence, nous vous mettons en demeure de nous régler la somme de {} au plus tard le {}, soit \
             dans un délai de {days} jours à compter de la date de la présente lettre.",
            format_amount_fr(n.to_pay()),
            date_fr(n.deadline)
        ),
        "Conformément à l'article L441-10 du Code de commerce, les pénalités de retard sont exigibles de plein droit \
         dès le lendemain de la date d'échéance, sans qu'un rappel soit nécessaire. L'article D441-5 du Code de \
         commerce fixe à 40 € le montant de l'indemnité forfaitaire pour frais de recouvrement due pour chaque \
         facture payée en retard."
            .into(),
        "À défaut de paiement dans ce délai, nous saisirons sans autre avis le tribunal compétent d'une requête en \
         injonction de payer (articles 1405 et suivants du Code de procédure civile), les frais de la procédure \
         restant à votre charge. La présente lettre vaut mise en demeure au sens de l'article 1344 du Code civil."
            .into(),
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.".into(),
    ]
}

/// Fold marks, the sender's letterhead and the recipient's address in the envelope's window.
pub(crate) fn head(page: &mut Canvas, sender: &Party, recipient: &Party) {
    // Fold marks for a DL envelope (A4 folded in three).
    page.hline(4.0, 9.0, 99.0, 0.4);
    page.hline(4.0, 9.0, 198.0, 0.4);

    // Letterhead.
    let mut y = 20.0;
    page.text(LEFT, y, 14.0, Weight::Bold, Align::Left, &sender.name);
    y += 5.5;
    for line in &sender.address {
        page.text(LEFT, y, 9.0, Weight::Regular, Align::Left, line);
        y += 4.2;
    }
    if let Some(siren) = &sender.siren {
        page.text(
            LEFT,
            y,
            9.0,
            Weight::Regular,
            Align::Left,
            &format!("SIREN {}", siren_fr(siren)),
        );
    }

    // Recipient, in the envelope's window.
    let mut y = WINDOW_TOP + 4.0;
    page.text(
        WINDOW_X,
        y,
        10.5,
        Weight::Bold,
        Align::Left,
        &fit(&recipient.name, 10.5, 85.0),
    );
    y += 5.0;
    for line in &recipient.address {
        page.text(
            WINDOW_X,
            y,
            10.0,
            Weight::Regular,
            Align::Left,
            &fit(line, 10.0, 85.0),
        );
        y += 4.8;
    }
    if let Some(siren) = &recipient.siren {
        page.text(
            WINDOW_X,
            y,
            8.5,
            Weight::Regular,
            Align::Left,
            &format!("SIREN {}", siren_fr(siren)),
        );
    }
}

/// The pages of one notice (page numbers are added by the caller: they count the letter's own pages).
fn notice_pages(n: &Notice) -> Vec<Canvas> {
    let claim = &n.claim;
    let mut flow = Flow {
        pages: vec![Canvas::new()],
        y: 0.0,
    };
    let page = flow.page();
    head(page, &n.sender, &n.recipient);

    // Place and date; registered letter; reference.
    page.text(
        RIGHT,
        100.0,
        BODY,
        Weight::Regular,
        Align::Right,
        &format!("{}, le {}", n.place, date_fr(n.date)),
    );
    page.text(
        LEFT,
        100.0,
        BODY,
        Weight::Bold,
        Align::Left,
        "Lettre recommandée avec accusé de réception",
    );
    page.text(
        LEFT,
        104.5,
        8.5,
        Weight::Regular,
        Align::Left,
        &format!("Référence client : {}", n.customer_ref),
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

    // The invoices.
    flow.need(ROW * 2.0);
    table_header(&mut flow);
    for line in &claim.invoices {
        if flow.need(ROW) {
            table_header(&mut flow);
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
        let y = flow.y;
        let page = flow.page();
        for (c, text) in COLUMNS.iter().zip(&cells) {
            page.text(c.x, y + 3.5, TABLE_SIZE, Weight::Regular, c.align, text);
        }
        page.hline(LEFT, RIGHT, y + ROW, 0.2);
        flow.y += ROW;
    }

    // Totals.
    flow.y += 2.0;
    let label_x = 100.0;
    let credits = n.credits.max(Decimal::ZERO);
    let to_pay = n.to_pay();
    let mut totals = vec![
        ("Principal restant dû", claim.still_due, Weight::Regular),
        (
            "Pénalités de retard (art. L441-10 C. com.)",
            claim.interest,
            Weight::Regular,
        ),
        (
            "Indemnités forfaitaires (art. D441-5 C. com.)",
            claim.indemnities,
            Weight::Regular,
        ),
        ("Total réclamé", claim.total, Weight::Bold),
    ];
    if !credits.is_zero() {
        totals.push((
            "Avoirs et règlements non imputés à déduire",
            -credits,
            Weight::Regular,
        ));
        totals.push(("Net à payer", to_pay, Weight::Bold));
    }
    flow.need(TOTAL_ROW * if credits.is_zero() { 4.0 } else { 6.0 } + 2.0);
    for (i, (label, amount, weight)) in totals.iter().enumerate() {
        let y = flow.y;
        let page = flow.page();
        if i == 3 || i == 5 {
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

    for (i, p) in closing_paragraphs(n).iter().enumerate() {
        match i {
            0 => flow.paragraph(p, 8.5, Weight::Regular),
            1 => flow.paragraph(p, BODY, Weight::Bold),
            _ => flow.paragraph(p, BODY, Weight::Regular),
        }
    }

    // Bank details with the SEPA transfer QR code on the left, the signature on the right.
    let height = 31.0;
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
        &n.signatory.name,
    );
    let mut y = top + 9.6;
    for line in pdf::wrap(&n.signatory.title, BODY, Weight::Regular, RIGHT - sign_x) {
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
            ("IBAN", iban_fr(&bank.iban)),
            ("BIC", bic),
            ("Montant", format_amount_fr(to_pay)),
            ("Référence", reference.clone()),
        ] {
            if value.is_empty() {
                continue;
            }
            page.text(x, y, 8.5, Weight::Regular, Align::Left, &format!("{label} :"));
            page.text(x + 18.0, y, 8.5, Weight::Regular, Align::Left, &value);
            y += 4.1;
        }
        if let Some((width, dark)) = epc_payload(bank, to_pay, &reference).and_then(|p| qr_matrix(&p)) {
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

/// Footers: the sender, and the page number within the letter.
pub(crate) fn number(pages: &mut [Canvas], sender: &Party) {
    let total = pages.len();
    let footer = match &sender.siren {
        Some(s) => format!("{} — SIREN {}", sender.name, siren_fr(s)),
        None => sender.name.clone(),
    };
    for (i, page) in pages.iter_mut().enumerate() {
        page.text(LEFT, 287.0, 7.0, Weight::Regular, Align::Left, &footer);
        page.text(
            RIGHT,
            287.0,
            7.0,
            Weight::Regular,
            Align::Right,
            &format!("Page {}/{}", i + 1, total),
        );
    }
}

/// One formal notice as a PDF file.
pub fn render_notice(n: &Notice) -> Vec<u8> {
    render_notices(std::slice::from_ref(n))
}

/// Several notices in one PDF, each starting on a new page and numbered on its own.
pub fn render_notices(notices: &[Notice]) -> Vec<u8> {
    let title = match notices {
        [one] => format!("Mise en demeure — {}", one.recipient.name),
        _ => format!("Mises en demeure ({})", notices.len()),
    };
    crate::batch::render(notices, pages, &title)
}

/// The pages of a notice, numbered within the letter.
pub(crate) fn pages(n: &Notice) -> Vec<Canvas> {
    let mut own = notice_pages(n);
    number(&mut own, &n.sender);
    own
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn bank() -> BankDetails {
        BankDetails {
            holder: "Atelier Rhône Équipement".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: Some("AGRIFRPP".into()),
        }
    }

    #[test]
    fn epc_payload_has_the_twelve_lines_of_version_002() {
        let p = epc_payload(&bank(), dec!(1234.5), "MED C00012 20261126").unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement\nFR7630006000011234567890189\nEUR1234.50\n\n\nMED C00012 20261126"
        );
        assert_eq!(p.lines().count(), 11);
        assert!(epc_payload(&bank(), dec!(0), "x").is_none());
        assert!(epc_payload(&bank(), dec!(1000000000), "x").is_none());
        let (width, dark) = qr_matrix(&p).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21 && (width - 17) % 4 == 0);
    }

    #[test]
    fn french_formats() {
        assert_eq!(siren_fr("732829320"), "732 829 320");
        assert_eq!(
            iban_fr("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
