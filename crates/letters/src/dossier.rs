//! The summary sheet of a litigation file (dossier contentieux): who claims what from whom, the amounts, what the
//! next step needs, and the list of the file's documents. The app writes every sentence (French); this lays them
//! out on A4 pages numbered like a letter.

use crate::layout::letter::{self, siren_fr, Column, Flow, Party, Rows, BODY, LEFT, RIGHT, WIDTH};
use crate::layout::{self, fit_weight};
use crate::pdf::{Align, Canvas, Weight};
use chrono::NaiveDate;
use encaisse_domain::format::{format_date, Lang};

/// One amount line: its label and the amount as printed ("1 234,56 €"); `strong` for a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryAmount {
    pub label: String,
    pub amount: String,
    pub strong: bool,
}

/// One document of the file as the summary lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryDocument {
    /// Its name in the file.
    pub file: String,
    /// What it is, dated ("Relance 1 (courriel) du 05/11/2026").
    pub what: String,
    /// Where it comes from ("conservé tel qu'envoyé", "reconstitué", "établi le …").
    pub origin: String,
}

/// The summary sheet's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierSummary {
    pub as_of: NaiveDate,
    /// The creditor (the company) and the debtor (the customer), each with its SIREN.
    pub creditor: Party,
    pub debtor: Party,
    /// The customer's reference in the company's books.
    pub debtor_ref: String,
    /// "Professionnel (société commerciale ou commerçant)", "Personne publique"…
    pub debtor_kind: String,
    pub amounts: Vec<SummaryAmount>,
    /// Sentences under the amounts: the rates used, what was left out of the claim…
    pub claim_notes: Vec<String>,
    /// The next step: a title ("Injonction de payer — tribunal de commerce") and its paragraphs.
    pub route_title: String,
    pub route: Vec<String>,
    pub documents: Vec<SummaryDocument>,
    /// Closing remarks (documents reconstituted, parts to add).
    pub remarks: Vec<String>,
}

impl layout::Dated for DossierSummary {
    fn date(&self) -> NaiveDate {
        self.as_of
    }
}

const ROWS: Rows = Rows {
    size: BODY,
    height: 5.4,
    baseline: 3.8,
};
const AMOUNTS: [Column; 2] = [Column::left(LEFT + 2.0), Column::right(RIGHT - 2.0)];

fn heading(flow: &mut Flow, text: &str) {
    flow.need(14.0);
    flow.y += 2.5;
    flow.paragraph(text, 10.5, Weight::Bold);
    let y = flow.y - 1.8;
    flow.page().hline(LEFT, RIGHT, y, 0.4);
    flow.y += 0.8;
}

fn party(flow: &mut Flow, role: &str, p: &Party, extra: &[String]) {
    flow.need(16.0);
    flow.paragraph(&format!("{role} : {}", p.name), BODY, Weight::Bold);
    flow.y -= 1.2;
    let mut lines: Vec<String> = p.address.clone();
    match &p.siren {
        Some(s) => lines.push(format!("SIREN {}", siren_fr(s))),
        None => lines.push("SIREN non renseigné".into()),
    }
    lines.extend(p.mentions().into_iter().filter(|m| !m.starts_with("SIREN")));
    lines.extend(extra.iter().cloned());
    for line in lines {
        flow.paragraph(&line, BODY, Weight::Regular);
        flow.y -= 1.6;
    }
    flow.y += 2.0;
}

fn summary_pages(s: &DossierSummary) -> Vec<Canvas> {
    let mut flow = Flow::new();
    let title = format!("Dossier contentieux — {}", s.debtor.name);
    let page = flow.page();
    page.text(
        LEFT,
        22.0,
        15.0,
        Weight::Bold,
        Align::Left,
        &fit_weight(&title, 15.0, Weight::Bold, WIDTH),
    );
    page.text(
        LEFT,
        28.5,
        BODY,
        Weight::Regular,
        Align::Left,
        &format!(
            "Fiche de synthèse au {} — référence client {}",
            format_date(s.as_of, Lang::Fr),
            s.debtor_ref
        ),
    );
    flow.y = 34.0;

    heading(&mut flow, "Les parties");
    party(&mut flow, "Créancier", &s.creditor, &[]);
    party(
        &mut flow,
        "Débiteur",
        &s.debtor,
        &[format!("Qualité : {}", s.debtor_kind)],
    );

    heading(&mut flow, "La créance");
    flow.need(ROWS.height * 2.0);
    flow.table_header(&AMOUNTS, &["Poste", "Montant"], &ROWS);
    for a in &s.amounts {
        flow.need(ROWS.height);
        let y = flow.y;
        let weight = if a.strong { Weight::Bold } else { Weight::Regular };
        let page = flow.page();
        page.text(
            AMOUNTS[0].x,
            y + ROWS.baseline,
            BODY,
            weight,
            Align::Left,
            &fit_weight(&a.label, BODY, weight, 125.0),
        );
        page.text(
            AMOUNTS[1].x,
            y + ROWS.baseline,
            BODY,
            weight,
            Align::Right,
            &a.amount,
        );
        page.hline(LEFT, RIGHT, y + ROWS.height, 0.2);
        flow.y += ROWS.height;
    }
    flow.y += 2.0;
    for n in &s.claim_notes {
        flow.paragraph(n, 8.5, Weight::Regular);
    }

    heading(&mut flow, &format!("Prochaine étape : {}", s.route_title));
    for p in &s.route {
        flow.paragraph(p, BODY, Weight::Regular);
    }

    heading(&mut flow, "Pièces du dossier");
    for (i, d) in s.documents.iter().enumerate() {
        flow.need(12.0);
        flow.paragraph(&format!("{}. {}", i + 1, d.what), BODY, Weight::Bold);
        flow.y -= 1.6;
        flow.paragraph(&format!("{} — {}", d.file, d.origin), 8.0, Weight::Regular);
    }
    if !s.remarks.is_empty() {
        flow.y += 1.5;
        for r in &s.remarks {
            flow.paragraph(r, 8.5, Weight::Regular);
        }
    }
    flow.pages
}

fn pages(s: &DossierSummary) -> Vec<Canvas> {
    let mut own = summary_pages(s);
    letter::number(&mut own, &s.creditor);
    own
}

/// The summary sheet as a PDF file: same content, same bytes.
pub fn render_dossier_summary(s: &DossierSummary) -> Vec<u8> {
    let title = format!("Dossier contentieux — {}", s.debtor.name);
    layout::render(std::slice::from_ref(s), pages, &title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(documents: usize) -> DossierSummary {
        let party = |name: &str, siren: &str| Party {
            name: name.into(),
            address: vec!["1 rue de la Paix".into(), "75002 Paris".into()],
            siren: Some(siren.into()),
            legal: None,
        };
        DossierSummary {
            as_of: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            creditor: party("Atelier SAS", "732829320"),
            debtor: party("Client SARL", "552100554"),
            debtor_ref: "C1".into(),
            debtor_kind: "Professionnel".into(),
            amounts: vec![SummaryAmount {
                label: "Principal".into(),
                amount: "1\u{a0}234,56\u{a0}€".into(),
                strong: true,
            }],
            claim_notes: vec!["Taux BCE + 10 points.".into()],
            route_title: "injonction de payer".into(),
            route: vec!["Requête au tribunal de commerce.".into()],
            documents: (0..documents)
                .map(|i| SummaryDocument {
                    file: format!("{i:02}-relance.pdf"),
                    what: format!("Relance {i}"),
                    origin: "conservée telle qu'envoyée".into(),
                })
                .collect(),
            remarks: Vec::new(),
        }
    }

    #[test]
    fn deterministic_and_flowing_onto_more_pages() {
        let one = render_dossier_summary(&summary(3));
        assert!(one.starts_with(b"%PDF"));
        assert_eq!(one, render_dossier_summary(&summary(3)));
        assert_eq!(pages(&summary(3)).len(), 1);
        assert!(pages(&summary(60)).len() > 1);
    }
}
