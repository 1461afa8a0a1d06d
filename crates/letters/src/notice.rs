//! The formal notice ("mise en demeure de payer") with every mention of shared/domain/french-rules.md: heading,
//! place and date, both parties' identities, the invoices with their penalties and indemnities, the total claimed,
//! the deadline, the legal basis (L441-10, D441-5), the injonction de payer warning, the signature, "Lettre
//! recommandée avec accusé de réception", and the bank details with a SEPA transfer QR code.
//!
//! This module holds the notice's data and its wording; `pages` lays it out, `transfer` writes the transfer's QR
//! code.

mod pages;
mod transfer;

pub(crate) use pages::pages;
pub use transfer::{epc_payload, qr_matrix};

use crate::layout;
use chrono::NaiveDate;
use encaisse_domain::format::{format_amount_fr, format_date_fr, format_percent_fr};
use encaisse_dunning::claims::{Basis, Claim};
use rust_decimal::Decimal;

use crate::layout::letter::Party;

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
            format_date_fr(self.claim.as_of)
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

fn rates_sentence(claim: &Claim) -> String {
    let list = claim
        .rates
        .iter()
        .map(|r| {
            format!(
                "{} du {} au {}",
                format_percent_fr(r.rate),
                format_date_fr(r.from),
                format_date_fr(r.to)
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
        Basis::Contractual(rate) => format!("au taux contractuel de {}", format_percent_fr(rate)),
    };
    format!(
        "Les pénalités de retard sont calculées sur le montant restant dû, du lendemain de l'échéance au {}, {basis}, \
         selon la formule : montant restant dû × taux annuel × nombre de jours de retard / 365. Taux appliqués : {list}.",
        format_date_fr(claim.as_of)
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
            format_date_fr(n.deadline)
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
    layout::render(notices, pages, &title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_subject_counts_the_invoices_and_the_intro_dates_the_claim() {
        let n = Notice {
            sender: Party {
                name: "A".into(),
                address: vec![],
                siren: None,
            },
            recipient: Party {
                name: "B".into(),
                address: vec![],
                siren: None,
            },
            customer_ref: "C00012".into(),
            place: "Lyon".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            signatory: Signatory {
                name: "S".into(),
                title: "T".into(),
            },
            bank: None,
            claim: Claim {
                as_of: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                basis: Basis::Statutory,
                invoices: vec![],
                still_due: dec!(0),
                interest: dec!(0),
                indemnities: dec!(0),
                total: dec!(1234.5),
                rates: vec![],
                warnings: vec![],
                rates_to_confirm: vec![],
            },
            credits: dec!(1300),
            intro: None,
        };
        assert_eq!(n.payment_reference(), "MED C00012 20261126");
        assert_eq!(n.to_pay(), dec!(0));
        assert!(n.default_intro().contains("Au 26/11/2026,"));
        assert_eq!(
            subject(&n),
            "mise en demeure de payer 0 facture échue — total réclamé 1\u{a0}234,50\u{a0}€"
        );
    }
}
