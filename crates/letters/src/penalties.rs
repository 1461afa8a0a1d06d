//! The penalty statement ("relevé des pénalités de retard"): the late-payment interest and the EUR 40 recovery
//! indemnities owed on invoices paid late, per invoice and per part paid, with their totals and the legal basis of
//! the debtor's kind. A statement (note de débit), not an invoice of the sales journal: it says so. An invoice whose
//! penalties were waived stays listed, marked with its reason, outside the totals.

use crate::layout::letter::{self, Column, Flow, Party, Rows, BODY, LEFT, RIGHT};
use crate::layout::{self, fit};
use crate::notice::Signatory;
use crate::pdf::{Align, Canvas, Weight};
use chrono::NaiveDate;
use encaisse_domain::format::{format_amount_fr, format_date_fr, format_percent_fr};
use encaisse_dunning::claims::Basis;
use encaisse_dunning::late_payments::LatePaidInvoice;
use rust_decimal::Decimal;

/// One invoice of the statement, with its waiver's reason when its penalties were waived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementInvoice {
    pub line: LatePaidInvoice,
    pub waiver: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyStatement {
    pub sender: Party,
    pub recipient: Party,
    pub customer_ref: String,
    pub place: String,
    /// The statement's date.
    pub date: NaiveDate,
    /// The payment dates the statement covers (either end open).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Statutory (L441-10), public body (R2192-31) or contractual.
    pub basis: Basis,
    pub invoices: Vec<StatementInvoice>,
    pub signatory: Signatory,
}

impl layout::Dated for PenaltyStatement {
    fn date(&self) -> NaiveDate {
        self.date
    }
}

impl PenaltyStatement {
    fn counted(&self) -> impl Iterator<Item = &LatePaidInvoice> {
        self.invoices
            .iter()
            .filter(|i| i.waiver.is_none())
            .map(|i| &i.line)
    }

    /// Interest of the invoices not waived.
    pub fn interest(&self) -> Decimal {
        self.counted().map(|l| l.interest).sum()
    }

    /// Indemnities of the invoices not waived.
    pub fn indemnities(&self) -> Decimal {
        self.counted().map(|l| l.indemnity).sum()
    }

    pub fn total(&self) -> Decimal {
        self.interest() + self.indemnities()
    }

    /// The statement's reference, quoted with the payment.
    pub fn reference(&self) -> String {
        format!("PEN {} {}", self.customer_ref, self.date.format("%Y%m%d"))
    }
}

/// The sentences of the legal basis: how the interest was computed and the indemnity's article.
pub fn legal_paragraphs(s: &PenaltyStatement) -> Vec<String> {
    let rate = match s.basis {
        Basis::Statutory => "au taux de la Banque centrale européenne en vigueur au 1er janvier ou au 1er juillet \
                             majoré de 10\u{a0}points, chaque semestre à son taux (article L441-10 II du Code de \
                             commerce)"
            .to_string(),
        Basis::PublicBody => "au taux de la Banque centrale européenne en vigueur au premier jour du semestre au \
                              cours duquel les intérêts ont commencé à courir, majoré de 8\u{a0}points (article \
                              R2192-31 du Code de la commande publique)"
            .to_string(),
        Basis::Contractual(r) => format!(
            "au taux contractuel de {} prévu par nos conditions générales de vente (article L441-10 II du Code de \
             commerce)",
            format_percent_fr(r)
        ),
        // A private person owes neither L441-10 penalties nor the indemnity: only the legal interest, from a
        // formal notice (the app states no penalties for one; said here should a statement be drawn anyway).
        Basis::Civil => "au taux de l'intérêt légal à compter de la mise en demeure (articles 1231-6 et 1344-1 du \
                         Code civil)"
            .to_string(),
    };
    let indemnity = match s.basis {
        Basis::PublicBody => "L'indemnité forfaitaire pour frais de recouvrement de 40\u{a0}€ est due pour chaque \
                              facture payée en retard (articles L2192-13 et D2192-35 du Code de la commande \
                              publique).",
        _ => "L'indemnité forfaitaire pour frais de recouvrement de 40\u{a0}€ est due pour chaque facture payée en \
              retard (articles L441-10 II et D441-5 du Code de commerce).",
    };
    vec![
        format!(
            "Les intérêts de retard courent de plein droit, sans qu'un rappel soit nécessaire, du lendemain de la date \
             d'échéance jusqu'au jour de chaque paiement, sur le montant payé en retard, {rate}, selon la formule\u{a0}: \
             montant × taux annuel × nombre de jours de retard / 365."
        ),
        indemnity.to_string(),
        "Le présent relevé est une note de débit\u{a0}: il ne constitue pas une facture de vente et n'est pas porté \
         au journal des ventes."
            .to_string(),
    ]
}

const TITLES: [&str; 7] = [
    "Facture",
    "Échéance",
    "Payé le",
    "Montant payé",
    "Retard",
    "Intérêts",
    "Indemnité",
];
const COLUMNS: [Column; 7] = [
    Column::left(21.0),
    Column::left(58.0),
    Column::left(80.0),
    Column::right(128.0),
    Column::right(145.0),
    Column::right(168.0),
    Column::right(189.0),
];
const TABLE_SIZE: f32 = 8.5;
const ROW: f32 = 5.2;
const ROWS: Rows = Rows {
    size: TABLE_SIZE,
    height: ROW,
    baseline: 3.6,
};

fn period(s: &PenaltyStatement) -> String {
    match (s.from, s.to) {
        (Some(f), Some(t)) => format!(
            " pour les paiements reçus du {} au {}",
            format_date_fr(f),
            format_date_fr(t)
        ),
        (Some(f), None) => format!(" pour les paiements reçus depuis le {}", format_date_fr(f)),
        (None, Some(t)) => format!(" pour les paiements reçus jusqu'au {}", format_date_fr(t)),
        (None, None) => String::new(),
    }
}

fn total_line(flow: &mut Flow, label: &str, amount: Decimal, weight: Weight) {
    flow.need(ROW);
    let y = flow.y;
    let page = flow.page();
    page.text(112.0, y + 4.2, BODY, weight, Align::Left, label);
    page.text(
        COLUMNS[6].x,
        y + 4.2,
        BODY,
        weight,
        Align::Right,
        &format_amount_fr(amount),
    );
    flow.y += ROW;
}

fn statement_pages(s: &PenaltyStatement) -> Vec<Canvas> {
    let mut flow = Flow::new();
    let page = flow.page();
    letter::head(page, &s.sender, &s.recipient);
    let dated = format!("{}, le {}", s.place, format_date_fr(s.date));
    page.text(
        RIGHT,
        100.0,
        BODY,
        Weight::Regular,
        Align::Right,
        &fit(dated.trim_start_matches([',', ' ']), BODY, 70.0),
    );
    page.text(
        LEFT,
        100.0,
        8.5,
        Weight::Regular,
        Align::Left,
        &fit(&format!("Référence client\u{a0}: {}", s.customer_ref), 8.5, 95.0),
    );
    flow.y = 108.0;
    flow.paragraph(
        "Relevé des pénalités de retard — note de débit",
        11.0,
        Weight::Bold,
    );
    flow.paragraph(
        &format!(
            "Objet\u{a0}: pénalités de retard et indemnités forfaitaires dues sur les factures payées après leur \
             échéance{}",
            period(s)
        ),
        BODY,
        Weight::Regular,
    );
    flow.y += 2.0;
    flow.text_block(
        "Madame, Monsieur,\n\nLes factures ci-dessous ont été réglées après leur date d'échéance. Le retard de \
         paiement fait courir de plein droit des pénalités de retard et une indemnité forfaitaire pour frais de \
         recouvrement, dont voici le détail\u{a0}:",
    );
    flow.need(ROW * 3.0);
    flow.table_header(&COLUMNS, &TITLES, &ROWS);
    for inv in &s.invoices {
        let line = &inv.line;
        for (i, p) in line.parts.iter().enumerate() {
            if flow.need(ROW) {
                flow.table_header(&COLUMNS, &TITLES, &ROWS);
            }
            let first = i == 0;
            let cells = [
                if first {
                    fit(&line.number, TABLE_SIZE, 36.0)
                } else {
                    String::new()
                },
                if first {
                    format_date_fr(line.due_date)
                } else {
                    String::new()
                },
                format_date_fr(p.date),
                format_amount_fr(p.amount),
                if p.days_late > 0 {
                    format!("{}\u{a0}j", p.days_late)
                } else {
                    "à temps".into()
                },
                format_amount_fr(p.interest),
                if first {
                    format_amount_fr(line.indemnity)
                } else {
                    String::new()
                },
            ];
            flow.table_row(&COLUMNS, &cells, &ROWS);
        }
        if let Some(reason) = &inv.waiver {
            flow.paragraph(
                &format!(
                    "Facture {}\u{a0}: pénalités abandonnées (motif\u{a0}: {reason}), non comprises dans les totaux.",
                    line.number
                ),
                8.0,
                Weight::Regular,
            );
        }
    }
    flow.need(ROW * 3.0 + 2.0);
    let y = flow.y;
    flow.page().hline(110.0, RIGHT, y + 0.3, 0.6);
    total_line(&mut flow, "Intérêts de retard", s.interest(), Weight::Regular);
    total_line(
        &mut flow,
        "Indemnités forfaitaires",
        s.indemnities(),
        Weight::Regular,
    );
    total_line(&mut flow, "Total dû", s.total(), Weight::Bold);
    flow.y += 4.0;
    flow.paragraph(
        &format!(
            "Nous vous remercions de bien vouloir nous régler la somme de {} en rappelant la référence {}.",
            format_amount_fr(s.total()),
            s.reference()
        ),
        BODY,
        Weight::Regular,
    );
    for p in legal_paragraphs(s) {
        flow.y += 1.5;
        flow.paragraph(&p, BODY, Weight::Regular);
    }
    flow.y += 1.5;
    flow.paragraph(
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
        BODY,
        Weight::Regular,
    );
    flow.need(LEADING_SIGN * 3.0);
    flow.y += 4.0;
    let y = flow.y;
    let page = flow.page();
    // The name in bold, the title under it; the title alone when no name is known.
    let lines = [
        (s.signatory.name.trim(), Weight::Bold),
        (s.signatory.title.trim(), Weight::Regular),
    ];
    let mut at = y;
    for (text, weight) in lines.into_iter().filter(|(t, _)| !t.is_empty()) {
        page.text(120.0, at, BODY, weight, Align::Left, &fit(text, BODY, 70.0));
        at += LEADING_SIGN;
    }
    flow.pages
}

const LEADING_SIGN: f32 = 4.5;

/// The pages of one statement, numbered within it.
pub(crate) fn pages(s: &PenaltyStatement) -> Vec<Canvas> {
    let mut own = statement_pages(s);
    letter::number(&mut own, &s.sender);
    own
}

/// One penalty statement as a PDF file.
pub fn render_penalty_statement(s: &PenaltyStatement) -> Vec<u8> {
    render_penalty_statements(std::slice::from_ref(s))
}

/// Several statements in one PDF, each starting on a new page and numbered on its own.
pub fn render_penalty_statements(statements: &[PenaltyStatement]) -> Vec<u8> {
    let title = match statements {
        [one] => format!("Relevé des pénalités de retard — {}", one.recipient.name),
        _ => format!("Relevés des pénalités de retard ({})", statements.len()),
    };
    layout::render(statements, pages, &title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encaisse_dunning::late_payments::PaidPart;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn line(number: &str, interest: Decimal) -> LatePaidInvoice {
        LatePaidInvoice {
            number: number.into(),
            due_date: d("2025-03-31"),
            parts: vec![PaidPart {
                date: d("2025-04-30"),
                amount: dec!(100),
                days_late: 30,
                stretches: vec![],
                interest,
            }],
            interest,
            indemnity: dec!(40),
        }
    }

    #[test]
    fn waived_invoices_stay_listed_but_out_of_the_totals_and_the_basis_names_its_articles() {
        let party = |name: &str| Party {
            name: name.into(),
            address: vec![],
            siren: None,
            legal: None,
        };
        let s = PenaltyStatement {
            sender: party("A"),
            recipient: party("B"),
            customer_ref: "C1".into(),
            place: "Lyon".into(),
            date: d("2025-12-31"),
            from: None,
            to: None,
            basis: Basis::Statutory,
            invoices: vec![
                StatementInvoice {
                    line: line("F1", dec!(1.10)),
                    waiver: None,
                },
                StatementInvoice {
                    line: line("F2", dec!(2.20)),
                    waiver: Some("geste commercial".into()),
                },
            ],
            signatory: Signatory {
                name: "S".into(),
                title: "T".into(),
            },
        };
        assert_eq!(
            (s.interest(), s.indemnities(), s.total()),
            (dec!(1.10), dec!(40), dec!(41.10))
        );
        assert_eq!(s.reference(), "PEN C1 20251231");
        let legal = legal_paragraphs(&s).join(" ");
        assert!(legal.contains("L441-10 II") && legal.contains("D441-5"));
        assert!(legal.contains("ne constitue pas une facture"));
        let public = PenaltyStatement {
            basis: Basis::PublicBody,
            ..s.clone()
        };
        let legal = legal_paragraphs(&public).join(" ");
        assert!(legal.contains("R2192-31") && legal.contains("D2192-35"));
        assert!(!legal.contains("D441-5"));
        assert!(render_penalty_statement(&s).starts_with(b"%PDF"));
    }
}
