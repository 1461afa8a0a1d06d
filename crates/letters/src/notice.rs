//! The formal notice ("mise en demeure de payer") with every mention of shared/domain/french-rules.md: heading,
//! place and date, both parties' identities, the invoices with their penalties and indemnities, the total claimed,
//! the deadline, the legal basis (L441-10, D441-5), the injonction de payer warning, the signature, "Lettre
//! recommandée avec accusé de réception", and the bank details with a SEPA transfer QR code.
//!
//! This module holds the notice's data and its wording; `pages` lays it out, `transfer` writes the transfer's QR
//! code.

mod pages;
mod qr_mask;
mod transfer;

pub(crate) use pages::pages;
pub(crate) use transfer::in_fours;
pub use transfer::{epc_payload, qr_matrix, Remittance};

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
    /// The customer's ISO 11649 creditor reference ("RF…", compact, its check digits computed by the caller): the
    /// reference the debtor is asked to quote, in the QR code's structured field. Absent: a free-text reference.
    pub creditor_reference: Option<String>,
    /// Where the letter is written ("Lyon").
    pub place: String,
    /// The letter's date: the as-of date of the claim.
    pub date: NaiveDate,
    /// Days granted to pay, counted from the letter's receipt (a registered letter's date of delivery is not known
    /// when it is written).
    pub deadline_days: u32,
    /// The actions log holds reminders sent for the claimed invoices before the letter's date: the standard
    /// opening says "Malgré nos précédentes relances" only then.
    pub reminded: bool,
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

    /// The standard paragraph before the invoices: it recalls the previous reminders only when some were sent.
    pub fn default_intro(&self) -> String {
        let opening = if self.reminded {
            "Malgré nos précédentes relances, les factures ci-dessous, échues, restent impayées à ce jour."
        } else {
            "Sauf erreur ou omission de notre part, les factures ci-dessous, échues, restent impayées à ce jour."
        };
        format!(
            "{opening} Au {}, vous nous êtes redevable des sommes suivantes\u{a0}:",
            format_date_fr(self.claim.as_of)
        )
    }

    /// The transfer reference the debtor is asked to quote: the creditor reference in groups of four, else a
    /// free text naming the customer and the letter's date.
    pub fn payment_reference(&self) -> String {
        use chrono::Datelike;
        if let Some(rf) = &self.creditor_reference {
            return transfer::in_fours(rf);
        }
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

impl Notice {
    /// What the QR code's transfer carries: the creditor reference (structured) or the free-text reference.
    pub fn remittance(&self) -> Remittance {
        match &self.creditor_reference {
            Some(rf) => Remittance::Structured(rf.clone()),
            None => Remittance::Text(self.payment_reference()),
        }
    }
}

fn rates_sentence(claim: &Claim) -> String {
    let list = claim
        .rates
        .iter()
        .map(|r| {
            let period = format!("{} au {}", format_date_fr(r.from), format_date_fr(r.to));
            match claim.basis {
                // The one rate of the half-year interest began in.
                Basis::PublicBody => {
                    format!("{} (taux du semestre du {period})", format_percent_fr(r.rate))
                }
                _ => format!("{} du {period}", format_percent_fr(r.rate)),
            }
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
                               de la commande publique), ce taux restant fixe pour toute la durée du retard"
            .to_string(),
        Basis::Contractual(rate) => format!("au taux contractuel de {}", format_percent_fr(rate)),
        Basis::Civil => return civil_interest_sentence(claim),
    };
    let (what, rates) = match claim.basis {
        Basis::PublicBody => ("Les intérêts moratoires sont calculés", "Taux appliqué"),
        _ => ("Les pénalités de retard sont calculées", "Taux appliqués"),
    };
    let running = match claim.basis {
        Basis::PublicBody => "Ces intérêts continuent",
        _ => "Ces pénalités continuent",
    };
    format!(
        "{what} sur le montant restant dû, du lendemain de l'échéance au {}, {basis}, selon la formule : montant \
         restant dû × taux annuel × nombre de jours de retard / 365. {rates} : {list}. {running} de courir après le {} \
         jusqu\u{2019}au complet paiement des sommes dues.",
        format_date_fr(claim.as_of),
        format_date_fr(claim.as_of)
    )
}

/// A private person owes no penalty and no indemnity: interest at the legal rate runs from the notice (Code civil
/// 1231-6, 1344-1), at the rate "for all other cases" of the half-year (the creditor is a company).
fn civil_interest_sentence(claim: &Claim) -> String {
    let rate = match claim.rates.first() {
        Some(r) => format!(
            ", soit {} pour le semestre du {} au {}, puis au taux de chaque semestre suivant",
            format_percent_fr(r.rate),
            format_date_fr(r.from),
            format_date_fr(r.to)
        ),
        None => ", au taux de chaque semestre".to_string(),
    };
    format!(
        "Conformément aux articles 1231-6 et 1344-1 du Code civil, les sommes dues produisent intérêts au taux de \
         l\u{2019}intérêt légal à compter de la présente mise en demeure{rate}, jusqu\u{2019}au complet paiement. \
         Aucun intérêt n\u{2019}est réclamé pour la période antérieure à la présente."
    )
}

/// The labels of the claim's interest and indemnities in the totals, by basis; none for a private person (nothing
/// of either is claimed).
pub fn totals_labels(basis: Basis) -> Option<(&'static str, &'static str)> {
    match basis {
        Basis::Statutory | Basis::Contractual(_) => Some((
            "Pénalités de retard (art. L441-10 C. com.)",
            "Indemnités forfaitaires (art. D441-5 C. com.)",
        )),
        Basis::PublicBody => Some((
            "Intérêts moratoires (art. R2192-31 CCP)",
            "Indemnités forfaitaires (art. D2192-35 CCP)",
        )),
        Basis::Civil => None,
    }
}

/// The subject line (after "Objet : "): the amount asked for is the one of the demand and of the QR code, the
/// unapplied credits deducted.
pub fn subject(n: &Notice) -> String {
    let count = n.claim.invoices.len();
    let s = if count > 1 { "s" } else { "" };
    let label = if n.credits > Decimal::ZERO {
        "net à payer"
    } else {
        "total réclamé"
    };
    format!(
        "mise en demeure de payer {count} facture{s} échue{s} — {label} {}",
        format_amount_fr(n.to_pay())
    )
}

/// The paragraphs after the totals, fixed by the law: how the penalties are computed, the demand with its
/// deadline, the legal basis, the injonction de payer warning, the salutation.
pub fn closing_paragraphs(n: &Notice) -> Vec<String> {
    let days = n.deadline_days;
    let s = if days > 1 { "s" } else { "" };
    let mut out = vec![
        rates_sentence(&n.claim),
        format!(
            "En conséquence, nous vous mettons en demeure de nous régler la somme de {} dans un délai de \
             {days}\u{a0}jour{s} à compter de la réception de la présente.",
            format_amount_fr(n.to_pay()),
        ),
        legal_basis(n.claim.basis),
        route(n.claim.basis),
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.".into(),
    ];
    // A private person: no penalty nor indemnity to found (the interest sentence cites the Code civil).
    out.retain(|p| !p.is_empty());
    out
}

/// What the penalties and the EUR 40 rest on, by basis (empty for a private person: neither is owed).
fn legal_basis(basis: Basis) -> String {
    match basis {
        Basis::Statutory | Basis::Contractual(_) => {
            "Conformément à l'article L441-10 du Code de commerce, les pénalités de retard sont exigibles de plein droit \
             dès le lendemain de la date d'échéance, sans qu'un rappel soit nécessaire. L'article D441-5 du Code de \
             commerce fixe à 40 € le montant de l'indemnité forfaitaire pour frais de recouvrement due pour chaque \
             facture payée en retard."
        }
        Basis::PublicBody => {
            "Conformément à l'article L2192-13 du Code de la commande publique, le retard de paiement fait courir de \
             plein droit et sans autre formalité des intérêts moratoires ainsi qu'une indemnité forfaitaire pour frais \
             de recouvrement, dont l'article D2192-35 du même code fixe le montant à 40 € pour chaque facture payée \
             en retard."
        }
        Basis::Civil => "",
    }
    .into()
}

/// The route if the debtor does not pay: the injonction de payer, or for a public person (against whom it is not
/// open) a référé-provision before the administrative court.
fn route(basis: Basis) -> String {
    match basis {
        Basis::Statutory | Basis::Contractual(_) => {
            "À défaut de paiement dans ce délai, nous saisirons sans autre avis le tribunal compétent d'une requête en \
             injonction de payer (articles 1405 et suivants du Code de procédure civile), les frais de la procédure \
             restant à votre charge. La présente lettre vaut mise en demeure au sens de l'article 1344 du Code civil."
        }
        Basis::PublicBody => {
            "À défaut de paiement dans ce délai, nous saisirons sans autre avis le juge des référés du tribunal \
             administratif compétent d'une demande de provision (référé-provision, article R541-1 du Code de justice \
             administrative). La présente lettre vaut mise en demeure au sens de l'article 1344 du Code civil."
        }
        Basis::Civil => {
            "À défaut de paiement dans ce délai, nous saisirons sans autre avis le tribunal judiciaire compétent d'une \
             requête en injonction de payer (articles 1405 et suivants du Code de procédure civile). La présente lettre \
             vaut mise en demeure au sens de l'article 1344 du Code civil."
        }
    }
    .into()
}

/// One formal notice as a PDF file.
pub fn render_notice(n: &Notice) -> Vec<u8> {
    render_notices(std::slice::from_ref(n))
}

/// Several notices in one PDF, each starting on a new page and numbered on its own, laid out on every core.
pub fn render_notices(notices: &[Notice]) -> Vec<u8> {
    render_notices_on(notices, crate::cores::available())
}

/// [`render_notices`] on `threads` threads: the same bytes whatever their number.
pub fn render_notices_on(notices: &[Notice], threads: std::num::NonZeroUsize) -> Vec<u8> {
    let title = match notices {
        [one] => format!("Mise en demeure — {}", one.recipient.name),
        _ => format!("Mises en demeure ({})", notices.len()),
    };
    layout::render_on(notices, pages, &title, threads)
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
                legal: None,
            },
            recipient: Party {
                name: "B".into(),
                address: vec![],
                siren: None,
                legal: None,
            },
            customer_ref: "C00012".into(),
            creditor_reference: None,
            place: "Lyon".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            deadline_days: 8,
            reminded: false,
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
        assert!(n
            .default_intro()
            .starts_with("Sauf erreur ou omission de notre part,"));
        assert_eq!(
            subject(&n),
            "mise en demeure de payer 0 facture échue — net à payer 0,00\u{a0}€"
        );
        let n = Notice {
            credits: dec!(34.5),
            reminded: true,
            ..n
        };
        assert!(n.default_intro().starts_with("Malgré nos précédentes relances,"));
        assert_eq!(
            subject(&n),
            "mise en demeure de payer 0 facture échue — net à payer 1\u{a0}200,00\u{a0}€",
            "the subject asks for what the demand and the QR code ask for"
        );
        let n = Notice {
            credits: dec!(0),
            ..n
        };
        assert_eq!(
            subject(&n),
            "mise en demeure de payer 0 facture échue — total réclamé 1\u{a0}234,50\u{a0}€"
        );
        let closing = closing_paragraphs(&n);
        assert!(
            closing[1].ends_with("dans un délai de 8\u{a0}jours à compter de la réception de la présente.")
        );
        assert!(closing[0].ends_with(
            "Ces pénalités continuent de courir après le 26/11/2026 jusqu\u{2019}au complet paiement des sommes dues."
        ));
    }
}
