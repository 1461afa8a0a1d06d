//! E-invoicing lifecycle statuses (CDAR D22B, issue 15 items 4 and 5): the accredited platform's messages
//! imported and attached to invoices, with their effects on the chase, and the 212 "Encaissée" messages
//! written for the invoices the platform knows once they are paid.
//!
//! Effects of a status received (each once: the same message imported twice changes nothing):
//! - 207 En litige, 206 Approuvée partiellement (on the part not approved), 210 Refusée: a dispute is opened on
//!   the invoice (its kind from the reason code, [`dispute_kind`]), which holds the chase as every dispute does;
//! - 208 Suspendue: a dispute of kind "other" (department accounting) holds the invoice until a 209 Complétée
//!   closes it;
//! - 210 Refusée and 213 Rejetée: an alert ([`App::einvoice_alerts`]) while it is the invoice's latest status;
//! - 211 Paiement transmis: the invoice is "paiement annoncé" while it is its latest status: the agenda holds its
//!   chase for [`ANNOUNCED_HOLD_DAYS`] days from the status (as a promise would; the chase resumes if the money
//!   has not come by then) and lists it apart, and the forecast expects it [`ANNOUNCED_TRANSFER_DAYS`] days after
//!   the status (the week of the as-of date when that day has passed);
//! - 205 Approuvée (and 211): the forecast counts the invoice as confirmed (`confirmed` of its week);
//! - 212 Encaissée: recorded with its amount ([`App::einvoice_receipts`]) and counted as a provisional receipt of
//!   its invoice (book.rs), for the part no bank entry already pays; one that echoes a 212 Encaisse wrote (same
//!   message id, or issued by the company's SIREN) is kept but marked and never counted;
//! - 204, 209, 220… are recorded in the invoice's timeline.
//!
//! Every dispute opened or closed this way is audited like a user's, and each imported file is audited.

use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::{Department, DisputeKind};
use encaisse_domain::format_amount;
use encaisse_import::cdar::{read_cdar, write_encaissee, CdarStatus, Encaissee};
use encaisse_import::ImportErrors;
use encaisse_store::einvoice_status::{StatusRecord, IN, OUT};
use encaisse_store::workflow::{Attached, InvoiceIdentity, NewDispute};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How long the agenda holds the chase of an invoice whose payment the platform announced (211), from the
/// status's date: a SEPA credit transfer arrives the next business day; a week covers a weekend and a holiday.
pub const ANNOUNCED_HOLD_DAYS: u64 = 7;
/// When the forecast expects the money of an announced payment (211), after the status's date.
pub const ANNOUNCED_TRANSFER_DAYS: u64 = 2;

/// The standing status of every invoice as of a day: its latest status received from the platform (echoes and
/// statuses dated after `as_of` aside), by (customer key, invoice number), with its date.
pub(crate) fn standing_statuses(
    records: &[StatusRecord],
    as_of: NaiveDate,
) -> HashMap<(String, String), (u16, NaiveDate)> {
    let mut latest: HashMap<(String, String), (u16, NaiveDate, i64)> = HashMap::new();
    for r in records
        .iter()
        .filter(|r| r.direction == IN && !r.echo && r.status_date <= as_of)
    {
        let Some(customer) = r.customer_key.clone() else {
            continue;
        };
        let slot = latest
            .entry((customer, r.invoice.clone()))
            .or_insert((r.code, r.status_date, r.id));
        if (r.status_date, r.id) > (slot.1, slot.2) {
            *slot = (r.code, r.status_date, r.id);
        }
    }
    latest
        .into_iter()
        .map(|(k, (code, date, _))| (k, (code, date)))
        .collect()
}

/// Where the outbox's 212 messages go.
pub(crate) enum Delivery<'a> {
    /// Nowhere: the list says what would be written; nothing is recorded.
    Preview,
    /// Files in a folder.
    Folder(&'a Path),
    /// Handed to a sender (the store under the outbox's transaction, the message, its file name and bytes):
    /// where it went (recorded as the status's file), or None when it could not be delivered (the sender keeps
    /// why; the message stays pending).
    #[allow(clippy::type_complexity)]
    Send(
        &'a mut dyn FnMut(
            &encaisse_store::Store,
            &OutboxMessageDto,
            &str,
            &[u8],
        ) -> AppResult<Option<String>>,
    ),
}

/// The French label of a lifecycle status code.
pub fn status_label(code: u16) -> &'static str {
    match code {
        200 => "Déposée",
        201 => "Émise",
        202 => "Reçue",
        203 => "Mise à disposition",
        204 => "Prise en charge",
        205 => "Approuvée",
        206 => "Approuvée partiellement",
        207 => "En litige",
        208 => "Suspendue",
        209 => "Complétée",
        210 => "Refusée",
        211 => "Paiement transmis",
        212 => "Encaissée",
        213 => "Rejetée",
        214 => "Visée",
        220 => "Annulée",
        501 => "Irrecevable",
        _ => "",
    }
}

/// The dispute kind and department a reason code (BR-FR-CDV-CL-09 list) points to: prices and discounts to
/// sales ("price"), quantities and wrong articles to sales ("quantity"), quality to quality, incomplete
/// delivery to logistics, a missing or wrong order or contract reference to sales ("missing_purchase_order"),
/// duplicates to accounting, every other invoicing error (VAT, totals, addresses, SIRET, routing, bank details,
/// missing document) to accounting ("invoicing_error"); anything else "other".
pub fn dispute_kind(reason: Option<&str>) -> (DisputeKind, Department) {
    match reason.unwrap_or("") {
        "PU_ERR" | "REM_ERR" => (DisputeKind::Price, Department::Sales),
        "QTE_ERR" | "ART_ERR" => (DisputeKind::Quantity, Department::Sales),
        "QUALITE_ERR" => (DisputeKind::Quality, Department::Quality),
        "LIVR_INCOMP" => (DisputeKind::Delivery, Department::Logistics),
        "CMD_ERR" | "REF_CT_ABSENT" | "REF_ERR" | "CONTRAT_TERM" => {
            (DisputeKind::MissingPurchaseOrder, Department::Sales)
        }
        "DOUBLON" | "DOUBLE_FACT" => (DisputeKind::Duplicate, Department::Accounting),
        "TX_TVA_ERR" | "MONTANTTOTAL_ERR" | "CALCUL_ERR" | "NON_CONFORME" | "ADR_ERR" | "SIRET_ERR"
        | "CODE_ROUTAGE_ERR" | "MODPAI_ERR" | "COORD_BANC_ERR" | "JUSTIF_ABS" | "DEST_ERR" | "DEST_INC" => {
            (DisputeKind::InvoicingError, Department::Accounting)
        }
        _ => (DisputeKind::Other, Department::Accounting),
    }
}

/// One status in an invoice's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusDto {
    pub code: u16,
    /// Its French name ("En litige").
    pub label: String,
    pub date: NaiveDate,
    /// `in`: from the platform; `out`: written by Encaisse.
    pub direction: String,
    pub issuer: Option<String>,
    pub issuer_role: Option<String>,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub amount: Option<String>,
    pub message_id: String,
    pub file: String,
    /// An incoming 212 that echoes one Encaisse wrote: shown, not counted.
    pub echo: bool,
    #[ts(type = "number | null")]
    pub dispute: Option<i64>,
}

/// An invoice's lifecycle, `encaisse einvoice statuses --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceStatusesDto {
    /// The customer key; null when no invoice of the database matched the status.
    pub customer: Option<String>,
    pub name: String,
    pub invoice: String,
    pub invoice_date: Option<NaiveDate>,
    /// The latest status received (code), echoes aside.
    pub current: Option<u16>,
    pub current_label: String,
    /// The latest status received is 211 Paiement transmis.
    pub payment_announced: bool,
    /// The timeline, oldest first.
    pub statuses: Vec<StatusDto>,
}

/// A 210 Refusée or 213 Rejetée that is its invoice's latest status: a credit note, a new invoice or a
/// re-issue is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusAlertDto {
    pub customer: Option<String>,
    pub name: String,
    pub invoice: String,
    pub code: u16,
    pub label: String,
    pub date: NaiveDate,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EinvoiceStatusesReport {
    pub invoices: Vec<InvoiceStatusesDto>,
    pub alerts: Vec<StatusAlertDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusFileDto {
    pub file: String,
    pub message_id: String,
    /// Statuses in the file, and those new to the database (0 when the message was imported already).
    pub statuses: u32,
    pub added: u32,
}

/// `encaisse import status FILE... --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusImportReport {
    pub files: Vec<StatusFileDto>,
    pub added: u32,
    /// New statuses attached to an invoice, and those no invoice matched (kept, shown with a null customer).
    pub attached: u32,
    pub unmatched: u32,
    /// Disputes opened and closed by the new statuses.
    #[ts(type = "Array<number>")]
    pub disputes_opened: Vec<i64>,
    #[ts(type = "Array<number>")]
    pub disputes_closed: Vec<i64>,
    /// New 210/213 statuses.
    pub alerts: u32,
    /// New 212 that echo one Encaisse sent (not counted).
    pub echoes: u32,
}

/// A 212 Encaissée received, per invoice, for the receipts to count (echoes excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusReceipt {
    pub customer: String,
    pub invoice: String,
    pub date: NaiveDate,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxMessageDto {
    pub customer: String,
    pub invoice: String,
    pub amount: String,
    pub paid_on: NaiveDate,
    /// How the payment is known: `ledger` (FEC lettering) or `bank` (a confirmed match).
    pub source: String,
    pub message_id: String,
    /// Where the message was written, when a folder was given.
    pub path: Option<String>,
}

/// `encaisse einvoice outbox --format json`: the 212 messages written by this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxReport {
    pub messages: Vec<OutboxMessageDto>,
    /// Invoices the platform knows that are paid but could not be declared (no company SIREN…), with why.
    pub skipped: Vec<String>,
}

fn label(code: u16) -> String {
    status_label(code).to_string()
}

/// The invoice a status names: the number, then the date (BT-2) and the buyer's SIREN when given; None when
/// no invoice or several remain.
fn attach<'a>(
    s: &CdarStatus,
    invoices: &'a HashMap<String, Vec<InvoiceIdentity>>,
    sirens: &HashMap<String, Option<String>>,
) -> Option<&'a InvoiceIdentity> {
    let candidates = invoices.get(s.invoice.trim())?;
    let fits: Vec<&InvoiceIdentity> = candidates
        .iter()
        .filter(|i| s.invoice_date.is_none_or(|d| d == i.invoice_date))
        .filter(|i| {
            s.buyer_siren.as_deref().is_none_or(|b| {
                sirens
                    .get(&i.customer_key)
                    .and_then(|x| x.as_deref())
                    .is_none_or(|c| c.replace(' ', "").starts_with(b))
            })
        })
        .collect();
    let mut keys: Vec<&str> = fits.iter().map(|i| i.customer_key.as_str()).collect();
    keys.dedup();
    (keys.len() == 1).then(|| {
        fits.iter()
            .copied()
            .max_by_key(|i| (i.missing_since.is_none(), i.id))
    })?
}

impl App {
    /// Imports CDAR lifecycle messages: every file read first (one refused = nothing written), then each new
    /// status attached to its invoice with its effects, in one transaction.
    pub fn import_statuses(&self, files: &[PathBuf]) -> AppResult<StatusImportReport> {
        if files.is_empty() {
            return Err(AppError::InvalidInput("lifecycle statuses: no file given".into()));
        }
        let mut contents = Vec::new();
        for path in files {
            let label = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let bytes = std::fs::read(path).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
            contents.push((label, bytes));
        }
        self.import_cdar_messages(&contents, |_, _| Ok(()))
    }

    /// Imports CDAR messages already in memory (label, bytes), as [`App::import_statuses`] does with files:
    /// every message read first (one refused = nothing written), then one transaction; `also` runs inside it,
    /// before the commit, with the report, for a caller's own record of what was imported (the platform's flows).
    pub(crate) fn import_cdar_messages(
        &self,
        contents: &[(String, Vec<u8>)],
        also: impl FnOnce(&encaisse_store::Store, &StatusImportReport) -> AppResult<()>,
    ) -> AppResult<StatusImportReport> {
        let mut read = Vec::new();
        let mut problems = Vec::new();
        for (label, bytes) in contents {
            let label = label.clone();
            match read_cdar(&label, bytes) {
                Ok(statuses) => read.push((label, encaisse_import::content_hash(bytes), statuses)),
                Err(ImportErrors(errors)) => problems.extend(errors.iter().map(Into::into)),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::invalid_file(problems));
        }
        let today = self.today();
        let user = self.actor().0;
        let mut guard = self.store();
        let mut store = guard.lock_for_import()?;
        let _written = self.ledger_write(); // 212s are provisional receipts of the book (book.rs)
        let company = store.company()?.ok_or_else(|| {
            AppError::NoData(
                "no company yet: import an FEC or create the demo before lifecycle statuses".into(),
            )
        })?;
        let own_siren: Option<String> = company
            .siren
            .as_deref()
            .map(|s| s.replace(' ', ""))
            .filter(|s| s.len() >= 9)
            .map(|s| s[..9].to_string());
        let mut invoices: HashMap<String, Vec<InvoiceIdentity>> = HashMap::new();
        for i in store.invoices(None)? {
            invoices.entry(i.piece_ref.clone()).or_default().push(i);
        }
        let customers = store.customers()?;
        let names: HashMap<String, String> = customers
            .iter()
            .map(|c| (c.key.clone(), c.name.clone()))
            .collect();
        let sirens: HashMap<String, Option<String>> =
            customers.into_iter().map(|c| (c.key, c.siren)).collect();
        let mut report = StatusImportReport {
            files: Vec::new(),
            added: 0,
            attached: 0,
            unmatched: 0,
            disputes_opened: Vec::new(),
            disputes_closed: Vec::new(),
            alerts: 0,
            echoes: 0,
        };
        for (label, sha256, statuses) in &read {
            let mut file = StatusFileDto {
                file: label.clone(),
                message_id: statuses.first().map(|s| s.message_id.clone()).unwrap_or_default(),
                statuses: statuses.len() as u32,
                added: 0,
            };
            let sent_by_us = store.einvoice_message_sent(&file.message_id)?;
            for s in statuses {
                let invoice = attach(s, &invoices, &sirens);
                let echo = s.code == 212
                    && (sent_by_us || own_siren.is_some() && s.issuer.as_deref() == own_siren.as_deref());
                let record = StatusRecord {
                    id: 0,
                    direction: IN.into(),
                    message_id: s.message_id.clone(),
                    rank: s.rank as i64,
                    customer_key: invoice.map(|i| i.customer_key.clone()),
                    invoice: s.invoice.trim().to_string(),
                    invoice_date: s.invoice_date,
                    seller_siren: s.seller_siren.clone(),
                    buyer_siren: s.buyer_siren.clone(),
                    code: s.code,
                    status_date: s.date,
                    issuer: s.issuer.clone(),
                    issuer_role: s.issuer_role.clone(),
                    reason: s.reason.clone(),
                    reason_text: s.reason_text.clone(),
                    amount: s.amount,
                    file_name: label.clone(),
                    recorded_on: today,
                    echo,
                    dispute_id: None,
                };
                let Some(id) = store.add_einvoice_status(&record)? else {
                    continue;
                };
                file.added += 1;
                report.added += 1;
                report.echoes += u32::from(echo);
                let Some(invoice) = invoice else {
                    report.unmatched += 1;
                    continue;
                };
                report.attached += 1;
                if matches!(s.code, 210 | 213) {
                    report.alerts += 1;
                }
                let on = s.date.min(today);
                match s.code {
                    206 | 207 | 208 | 210 => {
                        let open = store
                            .disputes(Attached::Invoice(invoice.id))?
                            .into_iter()
                            .any(|d| d.closed_on.is_none());
                        if open {
                            continue;
                        }
                        let (kind, department) = if s.code == 208 {
                            (DisputeKind::Other, Department::Accounting)
                        } else {
                            dispute_kind(s.reason.as_deref())
                        };
                        // The disputed part: on a 206 what was not approved; else the whole invoice.
                        let amount = match (s.code, s.amount) {
                            (206, Some(approved)) if approved < invoice.amount => invoice.amount - approved,
                            _ => invoice.amount,
                        };
                        let comment = format!(
                            "Statut {} {} reçu de la plateforme le {} (message {}){}{}",
                            s.code,
                            status_label(s.code),
                            s.date.format("%d/%m/%Y"),
                            s.message_id,
                            s.reason
                                .as_deref()
                                .map(|r| format!(", motif {r}"))
                                .unwrap_or_default(),
                            s.reason_text
                                .as_deref()
                                .map(|r| format!(" : {r}"))
                                .unwrap_or_default(),
                        );
                        let dispute = store.open_dispute(&NewDispute {
                            customer_key: &invoice.customer_key,
                            kind,
                            department,
                            opened_on: on,
                            amount,
                            user: &user,
                            comment: &comment,
                            invoice_ids: &[invoice.id],
                        })?;
                        store.set_einvoice_status_dispute(id, dispute)?;
                        report.disputes_opened.push(dispute);
                        let after = json!({
                            "customer": invoice.customer_key,
                            "invoices": [invoice.piece_ref],
                            "kind": kind.as_str(),
                            "department": department.as_str(),
                            "amount": format_amount(amount),
                            "opened_on": on,
                            "name": names.get(&invoice.customer_key).cloned().unwrap_or_default(),
                            "comments": [{"body": comment}],
                            "status": s.code,
                            "message_id": s.message_id,
                        });
                        self.audit_in(
                            &store,
                            &user,
                            "dispute",
                            &dispute.to_string(),
                            "opened",
                            None,
                            Some(after.to_string()),
                        )?;
                    }
                    209 => {
                        // Complétée ends a suspension: the disputes the invoice's 208 statuses opened are closed.
                        let suspended: Vec<i64> = store
                            .einvoice_statuses(Some(&invoice.customer_key))?
                            .into_iter()
                            .filter(|r| r.invoice == invoice.piece_ref && r.code == 208)
                            .filter_map(|r| r.dispute_id)
                            .collect();
                        for d in store.disputes(Attached::Invoice(invoice.id))? {
                            if d.closed_on.is_some() || !suspended.contains(&d.id) {
                                continue;
                            }
                            let closed = on.max(d.opened_on);
                            let resolution = format!("Statut 209 Complétée reçu (message {})", s.message_id);
                            let (by, at) = self.changed_by(&store)?;
                            let edit = encaisse_store::workflow::Edit {
                                version: None,
                                by: &by,
                                at: &at,
                            };
                            store.close_dispute(d.id, closed, &resolution, &edit)?;
                            report.disputes_closed.push(d.id);
                            let after = json!({
                                "customer": invoice.customer_key,
                                "name": names.get(&invoice.customer_key).cloned().unwrap_or_default(),
                                "invoices": [invoice.piece_ref],
                                "kind": d.kind.as_str(),
                                "department": d.department.as_str(),
                                "amount": format_amount(d.amount),
                                "closed_on": closed,
                                "resolution": resolution,
                            });
                            self.audit_in(
                                &store,
                                &user,
                                "dispute",
                                &d.id.to_string(),
                                "closed",
                                None,
                                Some(after.to_string()),
                            )?;
                        }
                    }
                    _ => {}
                }
            }
            if file.added > 0 {
                let after = json!({
                    "sha256": sha256,
                    "message_id": file.message_id,
                    "statuses": file.statuses,
                    "lines_added": file.added,
                });
                self.audit_in(
                    &store,
                    &user,
                    "import",
                    label,
                    "einvoice_status",
                    None,
                    Some(after.to_string()),
                )?;
            }
            report.files.push(file);
        }
        also(&store, &report)?;
        store.commit()?;
        Ok(report)
    }

    /// Every invoice's lifecycle (one customer's when given), with the standing alerts.
    pub fn einvoice_statuses(&self, customer: Option<&str>) -> AppResult<EinvoiceStatusesReport> {
        let store = self.store();
        let records = store.einvoice_statuses(customer.map(str::trim).filter(|c| !c.is_empty()))?;
        let names: HashMap<String, String> =
            store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        drop(store);
        let mut by_invoice: BTreeMap<(Option<String>, String), Vec<StatusRecord>> = BTreeMap::new();
        for r in records {
            by_invoice
                .entry((r.customer_key.clone(), r.invoice.clone()))
                .or_default()
                .push(r);
        }
        let mut invoices = Vec::new();
        let mut alerts = Vec::new();
        for ((customer, invoice), mut rs) in by_invoice {
            rs.sort_by(|a, b| a.status_date.cmp(&b.status_date).then(a.id.cmp(&b.id)));
            let name = customer
                .as_ref()
                .and_then(|c| names.get(c))
                .cloned()
                .unwrap_or_default();
            let latest = rs.iter().rev().find(|r| r.direction == IN && !r.echo);
            if let Some(l) = latest.filter(|l| matches!(l.code, 210 | 213)) {
                alerts.push(StatusAlertDto {
                    customer: customer.clone(),
                    name: name.clone(),
                    invoice: invoice.clone(),
                    code: l.code,
                    label: label(l.code),
                    date: l.status_date,
                    reason: l.reason.clone(),
                    reason_text: l.reason_text.clone(),
                });
            }
            invoices.push(InvoiceStatusesDto {
                name,
                invoice_date: rs.iter().find_map(|r| r.invoice_date),
                current: latest.map(|l| l.code),
                current_label: latest.map(|l| label(l.code)).unwrap_or_default(),
                payment_announced: latest.is_some_and(|l| l.code == 211),
                statuses: rs
                    .iter()
                    .map(|r| StatusDto {
                        code: r.code,
                        label: label(r.code),
                        date: r.status_date,
                        direction: r.direction.clone(),
                        issuer: r.issuer.clone(),
                        issuer_role: r.issuer_role.clone(),
                        reason: r.reason.clone(),
                        reason_text: r.reason_text.clone(),
                        amount: r.amount.map(format_amount),
                        message_id: r.message_id.clone(),
                        file: r.file_name.clone(),
                        echo: r.echo,
                        dispute: r.dispute_id,
                    })
                    .collect(),
                customer,
                invoice,
            });
        }
        Ok(EinvoiceStatusesReport { invoices, alerts })
    }

    /// The 210 Refusée / 213 Rejetée statuses still standing (their invoice's latest status).
    pub fn einvoice_alerts(&self, customer: Option<&str>) -> AppResult<Vec<StatusAlertDto>> {
        Ok(self.einvoice_statuses(customer)?.alerts)
    }

    /// The invoices whose latest status is 211 Paiement transmis, as (customer key, number).
    pub fn payments_announced(&self) -> AppResult<Vec<(String, String)>> {
        Ok(self
            .einvoice_statuses(None)?
            .invoices
            .into_iter()
            .filter(|i| i.payment_announced)
            .filter_map(|i| Some((i.customer?, i.invoice)))
            .collect())
    }

    /// The 212 Encaissée received from the platform, attached to an invoice, echoes excluded.
    pub fn einvoice_receipts(&self) -> AppResult<Vec<StatusReceipt>> {
        let store = self.store();
        Ok(store
            .einvoice_statuses(None)?
            .into_iter()
            .filter(|r| r.direction == IN && r.code == 212 && !r.echo)
            .filter_map(|r| {
                Some(StatusReceipt {
                    customer: r.customer_key?,
                    invoice: r.invoice,
                    date: r.status_date,
                    amount: format_amount(r.amount?),
                })
            })
            .collect())
    }

    /// Writes the 212 Encaissée message of every invoice the platform knows (one status received) that is paid
    /// — lettered in the FEC, or fully covered by confirmed bank matches — and has none yet; records each (so
    /// an echo is recognised and no message is written twice). Without `out`, nothing is written or recorded:
    /// the list says what would be.
    pub fn einvoice_outbox(&self, out: Option<&Path>) -> AppResult<OutboxReport> {
        match out {
            Some(dir) => self.outbox_to(Delivery::Folder(dir)),
            None => self.outbox_to(Delivery::Preview),
        }
    }

    /// The outbox's messages delivered as `delivery` says; each one delivered is recorded (a 212 out) in the
    /// same transaction, so none is delivered twice.
    pub(crate) fn outbox_to(&self, mut delivery: Delivery<'_>) -> AppResult<OutboxReport> {
        let today = self.today();
        let mut guard = self.store();
        let mut store = guard.lock_for_import()?;
        let company = store
            .company()?
            .ok_or_else(|| AppError::NoData("no company yet: nothing to declare".into()))?;
        let records = store.einvoice_statuses(None)?;
        let known: std::collections::BTreeSet<(String, String)> = records
            .iter()
            .filter(|r| r.direction == IN)
            .filter_map(|r| Some((r.customer_key.clone()?, r.invoice.clone())))
            .collect();
        let declared: std::collections::HashSet<(String, String)> = records
            .iter()
            .filter(|r| r.direction == OUT && r.code == 212)
            .filter_map(|r| Some((r.customer_key.clone()?, r.invoice.clone())))
            .collect();
        let customers: HashMap<String, Option<String>> =
            store.customers()?.into_iter().map(|c| (c.key, c.siren)).collect();
        let identities: Vec<InvoiceIdentity> = store.invoices(None)?;
        // Paid per the FEC lettering: (customer, invoice date, amount) → paid on.
        let book = self.book_at(&store, today)?;
        let paid = book.paid(today);
        let mut bank: HashMap<(String, String), Decimal> = HashMap::new();
        for a in store.bank_allocations()? {
            *bank.entry((a.customer_key, a.invoice)).or_default() += a.amount;
        }
        let mut report = OutboxReport {
            messages: Vec::new(),
            skipped: Vec::new(),
        };
        let seller_siren = company
            .siren
            .as_deref()
            .map(|s| s.replace(' ', ""))
            .unwrap_or_default();
        for (customer, number) in known {
            if declared.contains(&(customer.clone(), number.clone())) {
                continue;
            }
            let Some(invoice) = identities
                .iter()
                .filter(|i| i.customer_key == customer && i.piece_ref == number)
                .max_by_key(|i| (i.missing_since.is_none(), i.id))
            else {
                continue;
            };
            let lettered = paid.get(customer.as_str()).and_then(|ps| {
                ps.iter()
                    .find(|p| p.invoice_date == invoice.invoice_date && p.amount == invoice.amount)
            });
            let (paid_on, amount, source) = match lettered {
                Some(p) => (p.paid_on, p.amount, "ledger"),
                None => match bank.get(&(customer.clone(), number.clone())) {
                    Some(a) if *a >= invoice.amount && invoice.amount > Decimal::ZERO => (today, *a, "bank"),
                    _ => continue,
                },
            };
            let message_id = format!("ENC-212-{}-{}", customer, number)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "+-_/".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>();
            let buyer = customers
                .get(&customer)
                .and_then(|s| s.as_deref())
                .map(|s| s.replace(' ', ""))
                .filter(|s| s.len() >= 9 && s.bytes().all(|b| b.is_ascii_digit()))
                .map(|s| s[..9].to_string());
            let message = Encaissee {
                message_id: message_id.clone(),
                issued: today,
                received: paid_on,
                seller_siren: seller_siren.clone(),
                seller_name: company.name.clone(),
                buyer_siren: buyer.clone(),
                invoice: number.clone(),
                invoice_date: invoice.invoice_date,
                amount,
                // The ledger has no VAT breakdown: the standard rate, which the rule requires on each MEN block.
                vat_percent: Decimal::from(20),
            };
            let xml = match write_encaissee(&message) {
                Ok(xml) => xml,
                Err(why) => {
                    report.skipped.push(format!("{customer} {number}: {why}"));
                    continue;
                }
            };
            let mut dto = OutboxMessageDto {
                customer: customer.clone(),
                invoice: number.clone(),
                amount: format_amount(amount),
                paid_on,
                source: source.into(),
                message_id: message_id.clone(),
                path: None,
            };
            let file_name = format!("{message_id}.xml");
            let delivered = match &mut delivery {
                Delivery::Preview => None,
                Delivery::Folder(dir) => {
                    let dir: &Path = dir;
                    std::fs::create_dir_all(dir)
                        .map_err(|e| AppError::Io(format!("{}: {e}", dir.display())))?;
                    let file = dir.join(&file_name);
                    std::fs::write(&file, &xml)
                        .map_err(|e| AppError::Io(format!("{}: {e}", file.display())))?;
                    Some(file.display().to_string())
                }
                Delivery::Send(send) => match send(&store, &dto, &file_name, xml.as_bytes())? {
                    Some(to) => Some(to),
                    None => continue,
                },
            };
            if let Some(file) = &delivered {
                store.add_einvoice_status(&StatusRecord {
                    id: 0,
                    direction: OUT.into(),
                    message_id: message_id.clone(),
                    rank: 1,
                    customer_key: Some(customer.clone()),
                    invoice: number.clone(),
                    invoice_date: Some(invoice.invoice_date),
                    seller_siren: Some(seller_siren.clone()),
                    buyer_siren: buyer,
                    code: 212,
                    status_date: paid_on,
                    issuer: Some(seller_siren.clone()),
                    issuer_role: Some("SE".into()),
                    reason: None,
                    reason_text: None,
                    amount: Some(amount),
                    file_name: file.clone(),
                    recorded_on: today,
                    echo: false,
                    dispute_id: None,
                })?;
            }
            dto.path = delivered;
            report.messages.push(dto);
        }
        if !matches!(delivery, Delivery::Preview) && !report.messages.is_empty() {
            let after = json!({"messages": report.messages.len()});
            self.audit_in(
                &store,
                "",
                "einvoice_outbox",
                "212",
                "written",
                None,
                Some(after.to_string()),
            )?;
        }
        store.commit()?;
        Ok(report)
    }
}
