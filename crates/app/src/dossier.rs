//! The litigation file (dossier contentieux) of one customer, for the lawyer, the court or the collection agency:
//! one zip holding the formal notice, the proof of each reminder sent (the letters' PDFs and the emails' messages
//! kept as sent; those sent before documents were kept are regenerated and named "reconstitue"), the account
//! statement, the disputes and promises, the actions log, a summary sheet (parties, amounts, the next step by the
//! debtor's kind, the list of documents) and `manifest.json` (every file with its SHA-256 and size). The same data
//! at the same date gives the same bytes: the zip's timestamps are the as-of date.

use crate::exports::{self, Cell, Sheet};
use crate::letters::{LetterRequest, NoticeClaim, NoticeContext, NoticeOptions};
use crate::workflow::{ActionDto, DisputeDto, PromiseDto};
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use encaisse_analytics::open_items::position;
use encaisse_analytics::settlement::paid_invoices;
use encaisse_domain::collections::ActionKind;
use encaisse_domain::format::{format_date_fr as date_fr, format_money, Lang};
use encaisse_domain::DebtorKind;
use encaisse_letters::{DossierSummary, SummaryAmount, SummaryDocument};
use encaisse_store::documents::sha256_hex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use ts_rs::TS;

/// One file of the litigation file, as `manifest.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierFile {
    /// Its name in the zip.
    pub name: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub media_type: String,
    /// summary, formal_notice, reminder, statement, penalty_statement (penalties on invoices paid late, when some
    /// are owed), disputes_promises, actions_log.
    pub kind: String,
    /// The day it was sent (a letter, an email), or the file's date.
    pub date: NaiveDate,
    /// sent: kept as sent (its hash is the action's); reconstituted: sent before documents were kept, regenerated
    /// now; generated: written for this file (a formal notice never sent, the statement, the summary).
    pub origin: String,
    pub reconstituted: bool,
    /// The action of the log that sent it.
    #[ts(type = "number | null")]
    pub action_id: Option<i64>,
}

/// `manifest.json`: what the litigation file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierManifest {
    pub customer: String,
    pub name: String,
    pub as_of: NaiveDate,
    pub debtor_kind: DebtorKind,
    /// Every file of the zip but the manifest itself, in the zip's order.
    pub files: Vec<DossierFile>,
}

/// A litigation file: the zip's bytes and its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub zip: Vec<u8>,
    pub manifest: DossierManifest,
}

/// A litigation file written where the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierDone {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Files in the zip, the manifest apart.
    pub files: u32,
    /// Of which regenerated because they were sent before documents were kept.
    pub reconstituted: u32,
}

/// A file before it goes into the zip.
struct Part {
    /// The name without its number ("mise-en-demeure-2026-11-20.pdf").
    name: String,
    bytes: Vec<u8>,
    media_type: &'static str,
    kind: &'static str,
    date: NaiveDate,
    origin: &'static str,
    action_id: Option<i64>,
    /// What the summary says it is.
    what: String,
}

/// The step of the formal notice (`letters::print::FORMAL_NOTICE`).
const FORMAL_NOTICE: &str = "formal_notice";
const SENT: &str = "sent";
const RECONSTITUTED: &str = "reconstituted";
const GENERATED: &str = "generated";

fn origin_fr(p: &Part) -> String {
    match p.origin {
        SENT => format!("conservé tel qu'envoyé (SHA-256 {})", &sha256_hex(&p.bytes)[..16]),
        RECONSTITUTED if p.media_type == "text/plain" => {
            "reconstitué : envoyé avant la conservation des documents, repris du journal des actions".into()
        }
        RECONSTITUTED => {
            "reconstitué : envoyé avant la conservation des documents, régénéré pour ce dossier".into()
        }
        _ => "établi pour ce dossier".into(),
    }
}

/// A step or template id as part of a file name: ASCII letters, digits, '-' and '_' only.
fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn amount(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn eur(d: Decimal) -> String {
    format_money(d, Lang::Fr)
}

/// Legal forms of civil (not commercial) debtors, as a name may carry them: their disputes go to the tribunal
/// judiciaire, not the tribunal de commerce.
const CIVIL_FORMS: [&str; 11] = [
    "SCI",
    "SCP",
    "SCM",
    "SELARL",
    "SELAS",
    "SELAFA",
    "SELCA",
    "GAEC",
    "EARL",
    "ASSOCIATION",
    "SYNDICAT",
];

fn civil_form(name: &str) -> Option<&'static str> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_uppercase)
        .collect();
    CIVIL_FORMS
        .iter()
        .find(|f| words.iter().any(|w| w == *f))
        .copied()
}

/// The debtor's kind in words, the next step's title and paragraphs.
fn route(kind: DebtorKind, name: &str) -> (String, String, Vec<String>) {
    let pieces = "Pièces à joindre : les factures (à tirer de la comptabilité), les bons de commande ou de \
                  livraison, le contrat ou les conditions générales de vente acceptées, la mise en demeure et son \
                  avis de réception, le relevé de compte et les preuves des relances de ce dossier.";
    match kind {
        DebtorKind::PublicBody => (
            "Personne publique".into(),
            "référé-provision devant le tribunal administratif".into(),
            vec![
                "Le débiteur est une personne publique : ni injonction de payer ni saisie (ses biens sont \
                 insaisissables). La voie est le référé-provision (art. R541-1 du code de justice \
                 administrative) devant le juge des référés du tribunal administratif, en règle générale celui \
                 dans le ressort duquel le contrat est exécuté (art. R312-11 CJA), lorsque l'obligation n'est pas \
                 sérieusement contestable."
                    .into(),
                "Les intérêts moratoires (art. L2192-13 et R2192-31 du code de la commande publique) et \
                 l'indemnité forfaitaire de 40 € (art. D2192-35) sont dus de plein droit, sans rappel préalable."
                    .into(),
                pieces.into(),
            ],
        ),
        DebtorKind::PrivatePerson => (
            "Particulier (personne physique hors besoins professionnels)".into(),
            "injonction de payer — tribunal judiciaire".into(),
            vec![
                "Le débiteur est un particulier : la requête en injonction de payer (art. 1405 et suivants du \
                 code de procédure civile) est présentée au tribunal judiciaire du lieu où il demeure \
                 (art. 1406 CPC)."
                    .into(),
                "Sont dus le principal et les intérêts au taux légal à compter de la mise en demeure (art. 1231-6 \
                 et 1344-1 du code civil) ; ni pénalités de l'art. L441-10 du code de commerce ni indemnité \
                 forfaitaire de 40 €. L'action d'un professionnel pour les biens ou services fournis à un \
                 consommateur se prescrit par deux ans (art. L218-2 du code de la consommation)."
                    .into(),
                "La requête indique les noms et adresses des parties, le montant réclamé avec le décompte de ses \
                 éléments et le fondement de la créance, et est accompagnée des pièces justificatives \
                 (art. 1407 CPC)."
                    .into(),
                pieces.into(),
            ],
        ),
        DebtorKind::Professional => match civil_form(name) {
            Some(form) => (
                format!("Professionnel (forme civile : {form})"),
                "injonction de payer — tribunal judiciaire".into(),
                vec![
                    format!(
                        "Le débiteur est un professionnel dont la raison sociale porte une forme civile ({form}) : \
                         la requête en injonction de payer (art. 1405 et suivants du code de procédure civile) \
                         est présentée au tribunal judiciaire du lieu de son siège (art. 1406 CPC). À vérifier \
                         sur son extrait d'immatriculation."
                    ),
                    "La requête indique les noms et adresses des parties (pour une personne morale : sa forme, \
                     sa dénomination et son siège), le montant réclamé avec le décompte de ses éléments et le \
                     fondement de la créance, et est accompagnée des pièces justificatives (art. 1407 CPC)."
                        .into(),
                    pieces.into(),
                ],
            ),
            None => (
                "Professionnel (société commerciale ou commerçant)".into(),
                "injonction de payer — tribunal de commerce".into(),
                vec![
                    "Le débiteur est un professionnel, société commerciale ou commerçant (à vérifier sur son \
                     extrait Kbis) : la requête en injonction de payer (art. 1405 et suivants du code de \
                     procédure civile) est présentée au président du tribunal de commerce du lieu de son siège \
                     (art. 1406 CPC). S'il s'agit d'une société civile, d'une association ou d'une profession \
                     libérale : le tribunal judiciaire du lieu de son siège."
                        .into(),
                    "La requête indique les noms et adresses des parties (pour une personne morale : sa forme, \
                     sa dénomination et son siège), le montant réclamé avec le décompte de ses éléments et le \
                     fondement de la créance, et est accompagnée des pièces justificatives (art. 1407 CPC)."
                        .into(),
                    pieces.into(),
                ],
            ),
        },
    }
}

/// The claim's lines for the summary, worded by the debtor's kind.
fn amounts(kind: DebtorKind, claim: &NoticeClaim) -> Vec<SummaryAmount> {
    let (interest, indemnity) = match kind {
        DebtorKind::Professional => (
            "Pénalités de retard (art. L441-10 C. com.)",
            "Indemnités forfaitaires (art. D441-5 C. com.)",
        ),
        DebtorKind::PublicBody => (
            "Intérêts moratoires (art. R2192-31 CCP)",
            "Indemnités forfaitaires (art. D2192-35 CCP)",
        ),
        DebtorKind::PrivatePerson if amount(&claim.indemnities).is_zero() => (
            "Intérêts au taux légal (à compter de la mise en demeure)",
            "Indemnités forfaitaires (non dues)",
        ),
        DebtorKind::PrivatePerson => (
            "Intérêts au taux légal (à compter de la mise en demeure)",
            "Indemnités forfaitaires",
        ),
    };
    let line = |label: &str, value: Decimal, strong: bool| SummaryAmount {
        label: label.into(),
        amount: eur(value),
        strong,
    };
    let mut out = vec![
        line("Principal restant dû", amount(&claim.still_due), false),
        line(interest, amount(&claim.interest), false),
        line(indemnity, amount(&claim.indemnities), false),
        line("Total de la créance", amount(&claim.total), true),
    ];
    if amount(&claim.credits) > Decimal::ZERO {
        out.push(line(
            "Avoirs et règlements non imputés à déduire",
            -amount(&claim.credits),
            false,
        ));
        out.push(line("Net à réclamer", amount(&claim.to_pay), true));
    }
    out
}

fn claim_notes(claim: &NoticeClaim) -> Vec<String> {
    let mut notes = vec![format!(
        "Calculée au {} sur {} facture(s) échue(s).",
        date_fr(claim.as_of),
        claim.invoices.len()
    )];
    if !claim.rates.is_empty() {
        let rates: Vec<String> = claim
            .rates
            .iter()
            .map(|r| {
                format!(
                    "du {} au {} : {} %",
                    date_fr(r.from),
                    date_fr(r.to),
                    r.rate.replace('.', ",")
                )
            })
            .collect();
        notes.push(format!("Taux appliqués : {}.", rates.join(" ; ")));
    }
    if !claim.excluded.is_empty() {
        let list: Vec<String> = claim
            .excluded
            .iter()
            .map(|e| {
                let why = if e.reason == "dispute" {
                    "litige ouvert"
                } else {
                    "promesse en cours"
                };
                format!("{} ({why})", e.invoice)
            })
            .collect();
        notes.push(format!(
            "Factures échues laissées hors de la créance : {}.",
            list.join(", ")
        ));
    }
    if !claim.rates_to_confirm.is_empty() {
        let list: Vec<String> = claim.rates_to_confirm.iter().map(|d| date_fr(*d)).collect();
        notes.push(format!(
            "Taux à confirmer pour le ou les semestres commençant le {}.",
            list.join(", ")
        ));
    }
    notes
}

fn step_fr(step: Option<&str>) -> String {
    match step {
        Some("reminder_1") => "Relance 1".into(),
        Some("reminder_2") => "Relance 2".into(),
        Some("reminder_3") => "Relance 3".into(),
        Some("personal_letter") => "Lettre personnelle".into(),
        Some(FORMAL_NOTICE) => "Mise en demeure".into(),
        Some(other) => format!("Relance ({other})"),
        None => "Relance".into(),
    }
}

fn dispute_kind_fr(word: &str) -> &str {
    match word {
        "price" => "Prix",
        "quantity" => "Quantité",
        "quality" => "Qualité",
        "delivery" => "Livraison",
        "invoicing_error" => "Erreur de facturation",
        "missing_purchase_order" => "Bon de commande manquant",
        "duplicate" => "Doublon",
        "other" => "Autre",
        w => w,
    }
}

fn department_fr(word: &str) -> &str {
    match word {
        "sales" => "Commercial",
        "logistics" => "Logistique",
        "quality" => "Qualité",
        "accounting" => "Comptabilité",
        w => w,
    }
}

fn promise_status_fr(word: &str) -> &str {
    match word {
        "running" => "En cours",
        "kept" => "Tenue",
        "broken" => "Non tenue",
        w => w,
    }
}

fn kind_fr(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Email => "Courriel",
        ActionKind::Letter => "Courrier",
        ActionKind::Call => "Appel",
        ActionKind::Sms => "SMS",
        ActionKind::Note => "Note",
    }
}

fn word<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The disputes and promises up to the date, one row each.
fn disputes_promises_sheet(disputes: &[DisputeDto], promises: &[PromiseDto], as_of: NaiveDate) -> Sheet {
    let mut rows = Vec::new();
    for d in disputes.iter().filter(|d| d.opened_on <= as_of) {
        let closed = d.closed_on.filter(|c| *c <= as_of);
        let comments: Vec<String> = d
            .comments
            .iter()
            .filter(|c| c.date <= as_of)
            .map(|c| format!("{} {} : {}", date_fr(c.date), c.user_name, c.body))
            .collect();
        rows.push(vec![
            Cell::Text("Litige".into()),
            Cell::Int(d.id),
            Cell::Date(d.opened_on),
            Cell::Text(format!(
                "{} ({})",
                dispute_kind_fr(&word(&d.kind)),
                department_fr(&word(&d.department))
            )),
            Cell::Text(if closed.is_some() { "Clos" } else { "Ouvert" }.into()),
            closed.map_or(Cell::Empty, Cell::Date),
            Cell::Amount(d.amount.clone()),
            Cell::Text(d.invoices.join(", ")),
            Cell::Text(if d.user_name.is_empty() {
                d.user.clone()
            } else {
                d.user_name.clone()
            }),
            Cell::Text(if closed.is_some() {
                d.resolution.clone()
            } else {
                String::new()
            }),
            Cell::Text(comments.join(" | ")),
        ]);
    }
    for p in promises.iter().filter(|p| p.made_on <= as_of) {
        rows.push(vec![
            Cell::Text("Promesse".into()),
            Cell::Int(p.id),
            Cell::Date(p.made_on),
            Cell::Text(format!("Paiement promis le {}", date_fr(p.date))),
            Cell::Text(promise_status_fr(&word(&p.status)).into()),
            Cell::Date(p.deadline),
            Cell::Amount(p.amount.clone()),
            Cell::Text(p.invoices.join(", ")),
            Cell::Text(p.user.clone()),
            Cell::Empty,
            Cell::Text(p.comment.clone()),
        ]);
    }
    Sheet {
        title: format!("Litiges et promesses au {}", date_fr(as_of)),
        headers: [
            "Type",
            "N°",
            "Date",
            "Objet",
            "Statut",
            "Clos le / échéance",
            "Montant",
            "Factures",
            "Par",
            "Résolution",
            "Commentaires",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn actions_sheet(actions: &[ActionDto], as_of: NaiveDate) -> Sheet {
    Sheet {
        title: format!("Journal des actions au {}", date_fr(as_of)),
        headers: [
            "Date",
            "Type",
            "Étape",
            "Modèle",
            "Destinataire",
            "Objet",
            "Factures",
            "Par",
            "Issue",
            "Document SHA-256",
        ]
        .map(String::from)
        .to_vec(),
        rows: actions
            .iter()
            .filter(|a| a.date <= as_of)
            .map(|a| {
                let opt = |o: &Option<String>| o.clone().map_or(Cell::Empty, Cell::Text);
                vec![
                    Cell::Date(a.date),
                    Cell::Text(kind_fr(a.kind).into()),
                    opt(&a.step),
                    opt(&a.template),
                    opt(&a.recipient),
                    opt(&a.subject),
                    Cell::Text(a.invoices.join(", ")),
                    Cell::Text(a.user.clone()),
                    a.outcome.as_ref().map_or(Cell::Empty, |o| Cell::Text(word(o))),
                    opt(&a.document_sha256),
                ]
            })
            .collect(),
    }
}

/// A reminder whose bytes were not kept, as the log recorded it (an email's text, or a letter that can no longer
/// be regenerated): plain text, marked reconstituted.
fn from_the_log(a: &ActionDto) -> Vec<u8> {
    let mut s = String::from(
        "Document reconstitué à partir du journal des actions d'Encaisse : le document tel qu'envoyé n'a pas été \
         conservé (envoyé avant la conservation des documents).\n\n",
    );
    s.push_str(&format!("Date : {}\n", date_fr(a.date)));
    s.push_str(&format!("Type : {}\n", kind_fr(a.kind)));
    if let Some(r) = &a.recipient {
        s.push_str(&format!("Destinataire : {r}\n"));
    }
    if let Some(o) = &a.subject {
        s.push_str(&format!("Objet : {o}\n"));
    }
    s.push_str(&format!("Factures : {}\n\n", a.invoices.join(", ")));
    s.push_str(&a.body);
    s.push('\n');
    s.into_bytes()
}

/// The zip, every entry dated the as-of date at midnight: the same parts give the same bytes.
fn zip(parts: &[(String, Vec<u8>)], as_of: NaiveDate) -> AppResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let failed = |e: zip::result::ZipError| AppError::Io(format!("litigation file: {e}"));
    let year = u16::try_from(as_of.year()).unwrap_or(1980).clamp(1980, 2107);
    let month = u8::try_from(as_of.month()).unwrap_or(1);
    let day = u8::try_from(as_of.day()).unwrap_or(1);
    let stamp = zip::DateTime::from_date_and_time(year, month, day, 0, 0, 0)
        .map_err(|e| AppError::Io(format!("litigation file: date {as_of}: {e}")))?;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        w.start_file(name.as_str(), options).map_err(failed)?;
        w.write_all(bytes)
            .map_err(|e| AppError::Io(format!("litigation file: {e}")))?;
    }
    Ok(w.finish().map_err(failed)?.into_inner())
}

impl App {
    /// The account statement: the customer's lines of the fiscal year in force up to the date (opening entries,
    /// invoices, payments, credit notes) with the running balance, each invoice's due date and what is left on it
    /// or the day it was paid.
    fn statement_sheet(&self, customer: &str, as_of: NaiveDate) -> AppResult<Sheet> {
        let store = self.store();
        let book = self.book(&store)?;
        let ledger = book
            .at(as_of)
            .iter()
            .find(|c| c.customer.key == customer)
            .ok_or_else(|| AppError::InvalidInput(format!("customer {customer}: no such customer")))?;
        let terms = book.terms_of(&ledger.customer);
        let open = position(&ledger.lines, terms, as_of);
        let paid = paid_invoices(&ledger.lines, terms, as_of);
        let mut order: Vec<usize> = (0..ledger.lines.len())
            .filter(|i| ledger.lines[*i].entry_date <= as_of)
            .collect();
        order.sort_by(|a, b| {
            let (la, lb) = (&ledger.lines[*a], &ledger.lines[*b]);
            la.entry_date
                .cmp(&lb.entry_date)
                .then_with(|| la.piece_ref.cmp(&lb.piece_ref))
                .then_with(|| a.cmp(b))
        });
        let mut balance = Decimal::ZERO;
        let rows = order
            .into_iter()
            .map(|i| {
                let l = &ledger.lines[i];
                balance += l.amount;
                let open_item = open.open_items.iter().find(|o| o.line == i);
                let paid_item = paid.iter().find(|p| p.line == i);
                let due = open_item
                    .map(|o| o.due_date)
                    .or(paid_item.map(|p| p.due_date))
                    .or(l.due_date.filter(|_| l.is_debit()));
                vec![
                    Cell::Date(l.entry_date),
                    Cell::Text(l.piece_ref.clone()),
                    Cell::Text(l.label.clone()),
                    due.map_or(Cell::Empty, Cell::Date),
                    if l.is_debit() {
                        Cell::Amount(encaisse_domain::format_amount(l.amount))
                    } else {
                        Cell::Empty
                    },
                    if l.is_debit() {
                        Cell::Empty
                    } else {
                        Cell::Amount(encaisse_domain::format_amount(-l.amount))
                    },
                    Cell::Amount(encaisse_domain::format_amount(balance)),
                    open_item.map_or(Cell::Empty, |o| {
                        Cell::Amount(encaisse_domain::format_amount(o.residual))
                    }),
                    paid_item.map_or(Cell::Empty, |p| Cell::Date(p.paid_on)),
                    l.letter.clone().map_or(Cell::Empty, Cell::Text),
                ]
            })
            .collect();
        Ok(Sheet {
            title: format!(
                "Relevé de compte de {} ({}) au {}",
                ledger.customer.name,
                customer,
                date_fr(as_of)
            ),
            headers: [
                "Date",
                "Pièce",
                "Libellé",
                "Échéance",
                "Débit",
                "Crédit",
                "Solde",
                "Reste dû",
                "Payée le",
                "Lettrage",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        })
    }

    /// A letter or email the log says was sent: its bytes as kept, else regenerated (a letter: as Encaisse would
    /// print it that day; an email, or a letter that cannot be regenerated: the log's record as text).
    fn sent_part(&self, customer: &str, a: &ActionDto) -> AppResult<Part> {
        let notice = a.step.as_deref() == Some(FORMAL_NOTICE);
        let (kind, stem) = match notice {
            true => ("formal_notice", format!("mise-en-demeure-{}", a.date)),
            false => {
                let step = a
                    .step
                    .clone()
                    .or(a.template.clone())
                    .filter(|s| !s.trim().is_empty());
                let channel = if a.kind == ActionKind::Email {
                    "courriel"
                } else {
                    "courrier"
                };
                let stem = match step {
                    Some(step) => format!("relance-{}-{}-{channel}", a.date, safe_name(&step)),
                    None => format!("relance-{}-{channel}", a.date),
                };
                ("reminder", stem)
            }
        };
        let what = format!(
            "{} ({}) du {}",
            step_fr(a.step.as_deref()),
            kind_fr(a.kind).to_lowercase(),
            date_fr(a.date)
        );
        let kept = match &a.document_sha256 {
            Some(sha) => self.store().document(sha)?,
            None => None,
        };
        if let Some(doc) = kept {
            let (ext, media_type) = match doc.media_type.as_str() {
                "application/pdf" => ("pdf", "application/pdf"),
                _ => ("eml", "message/rfc822"),
            };
            return Ok(Part {
                name: format!("{stem}.{ext}"),
                bytes: doc.bytes,
                media_type,
                kind,
                date: a.date,
                origin: SENT,
                action_id: Some(a.id),
                what,
            });
        }
        let regenerated = match (a.kind, a.step.as_deref()) {
            (ActionKind::Letter, Some(step)) => self
                .letter_pdf(&LetterRequest {
                    customer: customer.to_string(),
                    step: Some(step.to_string()),
                    as_of: Some(a.date),
                    ..LetterRequest::default()
                })
                .ok()
                .map(|(pdf, _)| pdf),
            _ => None,
        };
        let (bytes, ext, media_type) = match regenerated {
            Some(pdf) => (pdf, "pdf", "application/pdf"),
            None => (from_the_log(a), "txt", "text/plain"),
        };
        Ok(Part {
            name: format!("{stem}-reconstitue.{ext}"),
            bytes,
            media_type,
            kind,
            date: a.date,
            origin: RECONSTITUTED,
            action_id: Some(a.id),
            what,
        })
    }

    /// The litigation file of a customer as of a date (today when absent): the zip and its manifest.
    pub fn dossier(&self, customer: &str, as_of: Option<NaiveDate>) -> AppResult<Dossier> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let customer = customer.trim();
        let ctx: NoticeContext = self.notice_context(as_of)?;
        let debtor = ctx.customer(customer)?.clone();
        let kind = self.debtor_kind(customer)?;
        // The claim at the date: what the summary states (the formal notice sent may be older).
        let claim = self
            .notice(customer, Some(as_of), &NoticeOptions::default())
            .map_err(|e| match e {
                AppError::InvalidInput(m) => AppError::InvalidInput(format!("litigation file: {m}")),
                other => other,
            })?;
        let records = self.workflow_records(customer, None)?;
        let sent: Vec<&ActionDto> = records
            .actions
            .iter()
            .filter(|a| a.date <= as_of)
            .filter(|a| matches!(a.kind, ActionKind::Email | ActionKind::Letter))
            .filter(|a| a.template.as_deref() != Some(crate::mail::templates::THANK_YOU))
            .collect();

        let mut parts: Vec<Part> = Vec::new();
        // The formal notice: the last one the log holds as sent, else one written now at the date.
        let notices: Vec<&&ActionDto> = sent
            .iter()
            .filter(|a| a.step.as_deref() == Some(FORMAL_NOTICE))
            .collect();
        match notices.last() {
            Some(a) => parts.push(self.sent_part(customer, a)?),
            None => parts.push(Part {
                name: format!("mise-en-demeure-{as_of}-non-envoyee.pdf"),
                bytes: claim.pdf.clone(),
                media_type: "application/pdf",
                kind: "formal_notice",
                date: as_of,
                origin: GENERATED,
                action_id: None,
                what: format!(
                    "Mise en demeure établie au {} (aucune n'a été envoyée selon le journal)",
                    date_fr(as_of)
                ),
            }),
        }
        // The proof of every other letter and email sent, oldest first.
        let last_notice = notices.last().map(|a| a.id);
        for a in sent.iter().filter(|a| Some(a.id) != last_notice) {
            parts.push(self.sent_part(customer, a)?);
        }
        // The account statement, printable and as data.
        let statement = self.statement_sheet(customer, as_of)?;
        let (company, _) = Self::company_currency(&self.store())?;
        parts.push(Part {
            name: "releve-de-compte.pdf".into(),
            bytes: exports::to_pdf(&statement, &company)?,
            media_type: "application/pdf",
            kind: "statement",
            date: as_of,
            origin: GENERATED,
            action_id: None,
            what: format!(
                "Relevé de compte au {} (factures, règlements, avoirs)",
                date_fr(as_of)
            ),
        });
        parts.push(Part {
            name: "releve-de-compte.csv".into(),
            bytes: exports::to_csv(&statement)?,
            media_type: "text/csv",
            kind: "statement",
            date: as_of,
            origin: GENERATED,
            action_id: None,
            what: "Relevé de compte, pour un tableur".into(),
        });
        // The penalties owed on invoices paid late (all payments up to the date): none for a private person or
        // when every invoice was paid on time, then the file has no such statement.
        let penalties = crate::penalties::PenaltiesQuery {
            as_of: Some(as_of),
            from: None,
            to: None,
            customer: Some(customer.to_string()),
        };
        match self.penalty_statement_pdf(&penalties) {
            Ok(bytes) => parts.push(Part {
                name: "releve-des-penalites.pdf".into(),
                bytes,
                media_type: "application/pdf",
                kind: "penalty_statement",
                date: as_of,
                origin: GENERATED,
                action_id: None,
                what: format!(
                    "Relevé des pénalités de retard sur factures payées en retard au {}",
                    date_fr(as_of)
                ),
            }),
            Err(AppError::NoData(_)) => {}
            Err(e) => return Err(e),
        }
        parts.push(Part {
            name: "litiges-et-promesses.csv".into(),
            bytes: exports::to_csv(&disputes_promises_sheet(
                &records.disputes,
                &records.promises,
                as_of,
            ))?,
            media_type: "text/csv",
            kind: "disputes_promises",
            date: as_of,
            origin: GENERATED,
            action_id: None,
            what: "Historique des litiges et des promesses de paiement".into(),
        });
        parts.push(Part {
            name: "journal-des-actions.csv".into(),
            bytes: exports::to_csv(&actions_sheet(&records.actions, as_of))?,
            media_type: "text/csv",
            kind: "actions_log",
            date: as_of,
            origin: GENERATED,
            action_id: None,
            what: "Journal des actions (relances, appels, notes) avec l'empreinte des documents envoyés"
                .into(),
        });

        // Numbered in the file's order, after the summary (00).
        let named: Vec<(String, &Part)> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{:02}-{}", i + 1, p.name), p))
            .collect();
        let reconstituted = parts.iter().filter(|p| p.origin == RECONSTITUTED).count();
        let (kind_label, route_title, route_text) = route(kind, &debtor.name);
        let mut remarks = Vec::new();
        if reconstituted > 0 {
            remarks.push(format!(
                "{reconstituted} document(s) marqué(s) « reconstitué » : envoyés avant que l'application ne conserve \
                 les documents tels qu'envoyés ; le courrier est régénéré avec les modèles actuels à sa date, le \
                 courriel est repris du journal des actions."
            ));
        }
        remarks.push(
            "Les empreintes SHA-256 et les tailles de chaque pièce figurent dans manifest.json.".into(),
        );
        let summary = DossierSummary {
            as_of,
            creditor: ctx.sender(),
            debtor: NoticeContext::recipient(&debtor),
            debtor_ref: debtor.key.clone(),
            debtor_kind: kind_label,
            amounts: amounts(kind, &claim.claim),
            claim_notes: claim_notes(&claim.claim),
            route_title,
            route: route_text,
            documents: named
                .iter()
                .map(|(name, p)| SummaryDocument {
                    file: name.clone(),
                    what: p.what.clone(),
                    origin: origin_fr(p),
                })
                .collect(),
            remarks,
        };
        let summary_pdf = encaisse_letters::render_dossier_summary(&summary);

        let mut files = vec![DossierFile {
            name: "00-fiche-de-synthese.pdf".into(),
            sha256: sha256_hex(&summary_pdf),
            size: summary_pdf.len() as u64,
            media_type: "application/pdf".into(),
            kind: "summary".into(),
            date: as_of,
            origin: GENERATED.into(),
            reconstituted: false,
            action_id: None,
        }];
        files.extend(named.iter().map(|(name, p)| DossierFile {
            name: name.clone(),
            sha256: sha256_hex(&p.bytes),
            size: p.bytes.len() as u64,
            media_type: p.media_type.into(),
            kind: p.kind.into(),
            date: p.date,
            origin: p.origin.into(),
            reconstituted: p.origin == RECONSTITUTED,
            action_id: p.action_id,
        }));
        let manifest = DossierManifest {
            customer: debtor.key.clone(),
            name: debtor.name.clone(),
            as_of,
            debtor_kind: kind,
            files,
        };
        let manifest_json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| AppError::Io(format!("litigation file: {e}")))?;
        let mut entries = vec![("00-fiche-de-synthese.pdf".to_string(), summary_pdf)];
        entries.extend(named.into_iter().map(|(name, p)| (name, p.bytes.clone())));
        entries.push(("manifest.json".into(), manifest_json));
        Ok(Dossier {
            zip: zip(&entries, as_of)?,
            manifest,
        })
    }

    /// Writes the litigation file to `path` (the file the user chose).
    pub fn save_dossier(
        &self,
        customer: &str,
        as_of: Option<NaiveDate>,
        path: &Path,
    ) -> AppResult<DossierDone> {
        let d = self.dossier(customer, as_of)?;
        std::fs::write(path, &d.zip).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
        Ok(DossierDone {
            path: path.display().to_string(),
            bytes: d.zip.len() as u64,
            files: u32::try_from(d.manifest.files.len()).unwrap_or(u32::MAX),
            reconstituted: u32::try_from(d.manifest.files.iter().filter(|f| f.reconstituted).count())
                .unwrap_or(u32::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_forms_are_found_as_words() {
        assert_eq!(civil_form("SCI Les Tilleuls"), Some("SCI"));
        assert_eq!(civil_form("Cabinet Martin SELARL"), Some("SELARL"));
        assert_eq!(civil_form("Association sportive de Lyon"), Some("ASSOCIATION"));
        assert_eq!(civil_form("Scierie Dupont SAS"), None);
        assert_eq!(
            route(DebtorKind::Professional, "Scierie Dupont SAS").1,
            "injonction de payer — tribunal de commerce"
        );
        assert_eq!(
            route(DebtorKind::Professional, "SCI du Parc").1,
            "injonction de payer — tribunal judiciaire"
        );
        assert!(route(DebtorKind::PublicBody, "Mairie")
            .1
            .contains("tribunal administratif"));
        assert!(route(DebtorKind::PrivatePerson, "M. Durand")
            .1
            .contains("tribunal judiciaire"));
    }

    #[test]
    fn the_zip_is_the_same_for_the_same_parts_and_dated_the_as_of_date() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let parts = vec![("a.txt".to_string(), b"hello".to_vec())];
        let one = zip(&parts, d).unwrap();
        assert_eq!(one, zip(&parts, d).unwrap());
        let mut back = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        let f = back.by_name("a.txt").unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2026, 12, 3));
    }
}
