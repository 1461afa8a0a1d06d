//! Letters: the formal notice of one customer (PDF and the claim as data) and the printable aged balance.
//! The sender is the company of the database; bank details and letter settings are kept in the `setting` table
//! under the key `letters` (JSON), the rates table under `letters.rates` (JSON, the built-in one when absent).

use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::{format_amount, DebtorKind};
use encaisse_dunning::claims::{self, Basis, InvoiceDue, RateTable};
use encaisse_letters::{BankDetails, Legal, Notice, Party, Signatory};
use encaisse_store::edits;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use ts_rs::TS;

mod files;
mod kinds;
mod print;
pub use files::{NoViewer, PrintedLetterFile, Viewer};
pub(crate) use kinds::debtor_kind_of;
pub use kinds::{DebtorKindMapping, SegmentKind};
pub use print::{
    BatchLetter, BatchResult, LeftOut, LetterPreview, LetterRequest, LettersBatch, PrintedLetter,
};

const SETTINGS_KEY: &str = "letters";
const RATES_KEY: &str = "letters.rates";
pub const DEFAULT_DEADLINE_DAYS: u32 = 8;

/// One dated rate: the one in force for the half-year starting `from` (1 January or 1 July).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateRow {
    pub from: NaiveDate,
    /// Percent per year, "2.15".
    pub rate: String,
    /// Checked against the published text; a letter using a rate not confirmed lists its half-year in
    /// `rates_to_confirm`. Absent: confirmed (the user typed it).
    #[serde(default = "yes")]
    pub confirmed: bool,
}

fn yes() -> bool {
    true
}

/// The rates the penalties use: the ECB main refinancing rate (penalty = it + 10 points, + 8 for public buyers) and
/// the legal interest rate (the floor of a contractual rate: 3 times it), by half-year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RatesDto {
    /// Newest first.
    pub ecb: Vec<RateRow>,
    /// Newest first: the legal interest rate "for all other cases" (a company's claims).
    pub legal_interest: Vec<RateRow>,
    /// Newest first: the legal interest rate for creditors who are individuals not acting for professional needs.
    #[serde(default)]
    pub legal_interest_individuals: Vec<RateRow>,
    /// The built-in table (never edited).
    pub builtin: bool,
    /// How many times the table was saved or reset, as read: sent back with a change, so that a colleague's
    /// change saved meanwhile is not overwritten (team mode); absent: saved whatever it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

impl RatesDto {
    fn from_table(t: &RateTable, builtin: bool) -> RatesDto {
        let rows = |list: &[claims::DatedRate]| {
            let mut rows: Vec<RateRow> = list
                .iter()
                .map(|r| RateRow {
                    from: r.from,
                    rate: rate_string(r.rate),
                    confirmed: r.confirmed,
                })
                .collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.from));
            rows
        };
        RatesDto {
            ecb: rows(&t.ecb),
            legal_interest: rows(&t.legal_interest),
            legal_interest_individuals: rows(&t.legal_interest_individuals),
            builtin,
            version: None,
        }
    }

    fn to_table(&self) -> AppResult<RateTable> {
        let rows = |name: &str, list: &[RateRow]| -> AppResult<Vec<claims::DatedRate>> {
            let mut out: Vec<_> = list
                .iter()
                .map(|r| {
                    Ok(claims::DatedRate {
                        from: r.from,
                        rate: parse_table_rate(&format!("{name} rate of {}", r.from), &r.rate)?,
                        confirmed: r.confirmed,
                    })
                })
                .collect::<AppResult<_>>()?;
            out.sort_by_key(|r| r.from);
            Ok(out)
        };
        let table = RateTable {
            ecb: rows("ECB", &self.ecb)?,
            legal_interest: rows("legal interest", &self.legal_interest)?,
            legal_interest_individuals: rows(
                "legal interest (individuals)",
                &self.legal_interest_individuals,
            )?,
        };
        table.check().map_err(|e| AppError::InvalidInput(e.to_string()))?;
        Ok(table)
    }
}

/// What the user sets once for the letters (Settings screen).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LetterSettings {
    /// Days granted to pay from the letter's receipt (8 by default; 8 to 15 is usual).
    pub deadline_days: Option<u32>,
    /// Where letters are written ("Lyon"); the city of the company's address when absent.
    pub place: Option<String>,
    /// Who signs; the acting user's display name ("Mon nom") when absent.
    pub signatory_name: Option<String>,
    /// Under the name; "Service recouvrement" when absent.
    pub signatory_title: Option<String>,
    /// The transfer's beneficiary; the company's name when absent.
    pub account_holder: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// A contractual late-payment rate in percent per year ("15.00"); the statutory ECB + 10 when absent.
    pub contractual_rate: Option<String>,
    /// The company's legal form on the letterhead ("SAS", "SARL"…).
    #[serde(default)]
    pub legal_form: Option<String>,
    /// The company's share capital in euros ("250000"), on the letterhead.
    #[serde(default)]
    pub share_capital: Option<String>,
    /// The city of the trade register (RCS) the company is registered at ("Lyon"): "RCS Lyon 732 829 320".
    #[serde(default)]
    pub rcs_city: Option<String>,
    /// How many times they were saved, as read (0: never): sent back with a change, so that a colleague's change
    /// saved meanwhile is not overwritten (team mode); absent: saved whatever it is. Not part of the stored JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

/// Choices for one notice, over the settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoticeOptions {
    /// Overrides the debtor's kind for this letter: `true` claims as from a public buyer (R2192-31: ECB + 8 points),
    /// `false` as from a professional when the kind is public body. When absent, the debtor's kind decides (its
    /// category, else its segment's mapping, else professional).
    pub public_body: Option<bool>,
    pub deadline_days: Option<u32>,
    /// Overrides the settings' contractual rate (percent per year).
    pub contractual_rate: Option<String>,
    /// The paragraph before the invoices as the user rewrote it (the standard one when absent).
    pub intro: Option<String>,
    /// Also claim the invoices under an open dispute or a running promise (left out and listed as `excluded` by
    /// default); each one claimed so is named in the warnings.
    #[serde(default)]
    pub include_held: Option<bool>,
}

/// An invoice past due that a notice leaves out: under an open dispute or a running promise to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExcludedInvoice {
    pub invoice: String,
    /// "dispute" or "promise".
    pub reason: String,
}

/// The claim of a formal notice, exactly the `encaisse letter notice --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoticeClaim {
    pub customer: String,
    pub as_of: NaiveDate,
    /// The kind of debtor the claim was computed for (after the letter's `public_body` override).
    pub debtor_kind: DebtorKind,
    /// The text the claim rests on: "L441-10" (a professional: ECB + 10 by half-year or the contractual rate, EUR 40
    /// per invoice), "R2192-31" (a public body: ECB + 8 of the half-year interest began, EUR 40 under D2192-35) or
    /// "civil" (a private person: no penalty nor EUR 40, legal interest from the notice: 0.00 at its date).
    pub basis: String,
    /// Days granted to pay, counted from the letter's receipt.
    pub deadline_days: u32,
    pub invoices: Vec<NoticeInvoice>,
    /// The invoices past due left out: under an open dispute or a running promise (empty when none, or when they
    /// were included on purpose).
    pub excluded: Vec<ExcludedInvoice>,
    pub still_due: String,
    pub interest: String,
    pub indemnities: String,
    pub total: String,
    /// The customer's unapplied credits (payments on account, credit notes not matched), deducted from the total.
    pub credits: String,
    /// What the debtor is asked to pay: total − credits, never below zero (the QR code's amount).
    pub to_pay: String,
    /// The rates the claim used by half-year; a public body: the one fixed rate of each invoice and the half-year it
    /// comes from; a private person: the legal interest rate of the notice's half-year, which runs from it.
    pub rates: Vec<NoticeRate>,
    /// The first days of the half-years whose rate the claim used but the rates table does not mark confirmed
    /// (Settings → Lettres et taux); always present, empty when none.
    pub rates_to_confirm: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoticeInvoice {
    pub number: String,
    pub due_date: NaiveDate,
    pub still_due: String,
    pub days_late: i32,
    pub interest: String,
    pub indemnity: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoticeRate {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Percent per year, two decimals or more ("12.15").
    pub rate: String,
}

/// A formal notice: the PDF, the claim, and what the user should know before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLetter {
    pub pdf: Vec<u8>,
    pub claim: NoticeClaim,
    /// E.g. the contractual rate is below 3 × the legal interest rate.
    pub warnings: Vec<String>,
}

fn rate_string(rate: Decimal) -> String {
    let mut r = rate.normalize();
    if r.scale() < 2 {
        r.rescale(2);
    }
    r.to_string()
}

pub(crate) fn parse_rate(field: &str, value: &str) -> AppResult<Decimal> {
    Decimal::from_str(value.trim().replace(',', ".").as_str())
        .ok()
        .filter(|r| *r > Decimal::ZERO && *r < Decimal::ONE_HUNDRED)
        .ok_or_else(|| {
            AppError::InvalidInput(format!(
                "{field}: '{value}' is not a rate in percent per year (e.g. 12.15)"
            ))
        })
}

/// A rate of the table: 0 allowed (the ECB's was 0 from 2016 to 2022), below 100.
fn parse_table_rate(field: &str, value: &str) -> AppResult<Decimal> {
    Decimal::from_str(value.trim().replace(',', ".").as_str())
        .ok()
        .filter(|r| *r >= Decimal::ZERO && *r < Decimal::ONE_HUNDRED)
        .ok_or_else(|| {
            AppError::InvalidInput(format!(
                "{field}: '{value}' is not a rate in percent per year (e.g. 2.15)"
            ))
        })
}

/// What the user should know about an invoice claimed although it is held (said by the CLI; the app's preview
/// lists them as data and says it in the user's language).
fn held_warning(held: &ExcludedInvoice) -> String {
    if held.reason == "dispute" {
        format!(
            "invoice {} is under an open dispute: the debtor can oppose an injonction de payer for it",
            held.invoice
        )
    } else {
        format!(
            "invoice {} is under a running promise to pay: claiming it now goes back on the promise",
            held.invoice
        )
    }
}

/// A share capital as typed: an amount in euros, more than zero ("250000", "7 500,50").
fn parse_capital(value: &str) -> AppResult<Decimal> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect::<String>()
        .replace(',', ".");
    Decimal::from_str(&compact)
        .ok()
        .filter(|c| *c > Decimal::ZERO && c.scale() <= 2)
        .ok_or_else(|| {
            AppError::InvalidInput(format!(
                "share capital: '{value}' is not an amount in euros (e.g. 250000)"
            ))
        })
}

/// The IBAN and BIC of the settings, checked (IBAN: ISO 13616, mod 97 and the country's length; BIC: ISO 9362)
/// and normalised (no spaces, upper case); blank ones are absent. `stored`: the values come from the database
/// (saved before they were checked) and are about to be printed: the message says where to correct them.
pub(crate) fn checked_bank_details(
    settings: &LetterSettings,
    stored: bool,
) -> AppResult<(Option<String>, Option<String>)> {
    let check = |field: &str, value: &Option<String>, f: fn(&str) -> Result<String, String>| {
        match value.as_deref().filter(|v| !v.trim().is_empty()) {
            None => Ok(None),
            Some(v) => f(v).map(Some).map_err(|why| {
                AppError::InvalidInput(if stored {
                    format!(
                        "bank details: the {field} saved in Settings, Letters and rates is refused: {why}; correct it there before printing a letter or sending an email"
                    )
                } else {
                    format!("bank details (Settings, Letters and rates), {field}: {why}")
                })
            }),
        }
    };
    Ok((
        check("IBAN", &settings.iban, encaisse_domain::bank::check_iban)?,
        check("BIC", &settings.bic, encaisse_domain::bank::check_bic)?,
    ))
}

fn address_lines(address: Option<&str>) -> Vec<String> {
    address
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The city of the address's last line ("69002 Lyon" → "Lyon").
fn city(lines: &[String]) -> Option<String> {
    let last = lines.last()?;
    let city = last.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    (!city.is_empty()).then(|| city.to_string())
}

pub(crate) struct NoticeContext {
    as_of: NaiveDate,
    settings: LetterSettings,
    table: RateTable,
    company: encaisse_domain::Company,
    aged: encaisse_analytics::AgedBalance,
    /// The kind of every customer (category, else segment mapping, else professional), by customer key.
    kinds: std::collections::HashMap<String, DebtorKind>,
    customers: std::collections::HashMap<String, encaisse_domain::Customer>,
    /// The open invoices no letter claims that day (disputed, promised), by (customer key, number).
    held: std::collections::HashMap<(String, String), crate::workflow::HeldBy>,
    /// The open invoices a written reminder was sent for before that day, by (customer key, number).
    reminded: std::collections::HashSet<(String, String)>,
    /// The customers' payment references (issued, or the one the letter will issue).
    references: crate::payment_reference::PaymentReferences,
}

impl NoticeContext {
    /// A customer's payment reference ("RF…", compact).
    pub(crate) fn payment_reference(&self, customer: &str) -> String {
        self.references.of(customer)
    }

    pub(crate) fn sender(&self) -> Party {
        let text = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        Party {
            name: self.company.name.clone(),
            address: address_lines(self.company.address.as_deref()),
            siren: self.company.siren.clone(),
            legal: Some(Legal {
                form: text(&self.settings.legal_form),
                // Checked when saved.
                capital: self
                    .settings
                    .share_capital
                    .as_deref()
                    .and_then(|c| parse_capital(c).ok()),
                rcs_city: text(&self.settings.rcs_city),
            }),
        }
    }

    /// Where letters are written: the setting, else the city of the company's address.
    pub(crate) fn place(&self) -> String {
        self.settings
            .place
            .clone()
            .filter(|p| !p.trim().is_empty())
            .or_else(|| city(&address_lines(self.company.address.as_deref())))
            .unwrap_or_default()
    }

    /// Who signs: the settings' signatory (the acting user when none) and title ("Service recouvrement").
    pub(crate) fn signatory(&self) -> Signatory {
        Signatory {
            name: self.settings.signatory_name.clone().unwrap_or_default(),
            title: self
                .settings
                .signatory_title
                .clone()
                .unwrap_or_else(|| "Service recouvrement".into()),
        }
    }

    pub(crate) fn recipient(debtor: &encaisse_domain::Customer) -> Party {
        Party {
            name: debtor.name.clone(),
            address: address_lines(debtor.address.as_deref()),
            siren: debtor.siren.clone(),
            legal: None,
        }
    }

    /// Whether a letter may claim this invoice: not under a dispute open that day or a promise that holds.
    pub(crate) fn claimable(&self, customer: &str, number: &str) -> bool {
        !self
            .held
            .contains_key(&(customer.to_string(), number.to_string()))
    }

    /// The invoices a claim holds although they are under an open dispute or a running promise (claimed on
    /// purpose, `include_held`).
    pub(crate) fn held_claimed(&self, claim: &NoticeClaim) -> Vec<ExcludedInvoice> {
        claim
            .invoices
            .iter()
            .filter_map(|i| {
                self.held
                    .get(&(claim.customer.clone(), i.number.clone()))
                    .map(|by| ExcludedInvoice {
                        invoice: i.number.clone(),
                        reason: by.as_str().into(),
                    })
            })
            .collect()
    }

    /// The debtor's kind for one letter: the letter's `public_body` override, else the customer's kind.
    pub(crate) fn kind(&self, customer: &str, options: &NoticeOptions) -> DebtorKind {
        let kind = self
            .kinds
            .get(customer)
            .copied()
            .unwrap_or(DebtorKind::Professional);
        match (options.public_body, kind) {
            (Some(true), _) => DebtorKind::PublicBody,
            (Some(false), DebtorKind::PublicBody) => DebtorKind::Professional,
            _ => kind,
        }
    }

    /// The first half-year without an ECB rate in the table that the claim of the customer's claimable late
    /// invoices would need (the same walk as the claim: invoice by invoice, half-year by half-year; a private
    /// person's needs none).
    pub(crate) fn missing_rate(&self, customer: &str) -> Option<NaiveDate> {
        let basis = match self.kind(customer, &NoticeOptions::default()) {
            DebtorKind::PublicBody => Basis::PublicBody,
            DebtorKind::PrivatePerson => Basis::Civil,
            DebtorKind::Professional => Basis::Statutory,
        };
        let position = self
            .aged
            .customers
            .binary_search_by(|c| c.key.as_str().cmp(customer))
            .ok()
            .map(|i| &self.aged.customers[i].position)?;
        position
            .open_items
            .iter()
            .filter(|i| self.claimable(customer, &i.piece_ref) && i.due_date < self.as_of)
            .find_map(
                |i| match claims::parts(i.due_date, self.as_of, &self.table, basis) {
                    Err(claims::PenaltyError::MissingRate(h)) => Some(h),
                    _ => None,
                },
            )
    }

    pub(crate) fn customer(&self, key: &str) -> AppResult<&encaisse_domain::Customer> {
        self.customers
            .get(key.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("customer {key}: no such customer")))
    }

    /// The notice of a customer: every invoice past due with something still due, neither disputed nor promised
    /// that day (those are listed as excluded, or claimed with a warning each when `include_held`), or (`only`)
    /// those of the list that are, with the held ones all the same (a notice of the agenda claims its action's
    /// invoices, which never hold a held one).
    pub(crate) fn build(
        &self,
        customer: &str,
        only: Option<&[String]>,
        options: &NoticeOptions,
    ) -> AppResult<(Notice, NoticeClaim, Vec<String>)> {
        let (as_of, settings, company) = (self.as_of, &self.settings, &self.company);
        let debtor = self
            .customers
            .get(customer)
            .ok_or_else(|| AppError::InvalidInput(format!("customer {customer}: no such customer")))?;
        let position = self
            .aged
            .customers
            .binary_search_by(|c| c.key.as_str().cmp(customer))
            .ok()
            .map(|i| &self.aged.customers[i].position);
        let items = position.map(|p| p.open_items.as_slice()).unwrap_or_default();
        let credits = position
            .map_or(Decimal::ZERO, |p| -p.unapplied)
            .max(Decimal::ZERO);
        let include_held = options.include_held == Some(true);
        let mut excluded = Vec::new();
        let invoices: Vec<InvoiceDue> = items
            .iter()
            .filter(|i| {
                // A held invoice is never on the agenda's list (`only`): it is listed or included all the same.
                let Some(by) = self.held.get(&(customer.to_string(), i.piece_ref.clone())) else {
                    return only.is_none_or(|list| list.contains(&i.piece_ref));
                };
                // Only what the notice would claim otherwise is worth listing: past due, something left to pay.
                if i.due_date >= as_of || i.residual <= Decimal::ZERO {
                    return false;
                }
                if !include_held {
                    excluded.push(ExcludedInvoice {
                        invoice: i.piece_ref.clone(),
                        reason: by.as_str().into(),
                    });
                }
                include_held
            })
            .map(|i| InvoiceDue {
                number: i.piece_ref.clone(),
                invoice_date: i.invoice_date,
                due_date: i.due_date,
                amount: i.amount,
                still_due: i.residual,
            })
            .collect();
        let contractual = match options
            .contractual_rate
            .as_ref()
            .or(settings.contractual_rate.as_ref())
        {
            Some(r) => Some(parse_rate("contractual rate", r)?),
            None => None,
        };
        let kind = self.kind(customer, options);
        let basis = Basis::for_kind(kind, contractual);
        // Named after its customer: in the day's batch, the letter that cannot be computed is found at once.
        let claim = claims::claim(&invoices, as_of, &self.table, basis)
            .map_err(|e| AppError::InvalidInput(format!("customer {customer}: {e}")))?;
        if claim.invoices.is_empty() && !excluded.is_empty() {
            let list: Vec<&str> = excluded.iter().map(|e| e.invoice.as_str()).collect();
            return Err(AppError::InvalidInput(format!(
                "customer {customer}: every invoice past due on {as_of} is under an open dispute or a running \
                 promise ({}); include them to claim them",
                list.join(", ")
            )));
        }
        if claim.invoices.is_empty() {
            return Err(AppError::InvalidInput(format!(
                "customer {customer}: no invoice is past due with something left to pay on {as_of}"
            )));
        }
        let days = options
            .deadline_days
            .or(settings.deadline_days)
            .unwrap_or(DEFAULT_DEADLINE_DAYS);
        if !(1..=90).contains(&days) {
            return Err(AppError::InvalidInput(format!(
                "deadline: {days} days is out of range (1 to 90)"
            )));
        }
        let reminded = claim.invoices.iter().any(|l| {
            self.reminded
                .contains(&(customer.to_string(), l.invoice.number.clone()))
        });
        // A value stored before bank details were checked is refused here, never printed nor put in the QR code.
        let (iban, bic) = checked_bank_details(settings, true)?;
        let bank = iban.map(|iban| BankDetails {
            holder: settings
                .account_holder
                .clone()
                .unwrap_or_else(|| company.name.clone()),
            iban,
            bic,
        });
        let dto = NoticeClaim {
            customer: debtor.key.clone(),
            as_of,
            debtor_kind: kind,
            basis: basis.code().into(),
            deadline_days: days,
            invoices: claim
                .invoices
                .iter()
                .map(|l| NoticeInvoice {
                    number: l.invoice.number.clone(),
                    due_date: l.invoice.due_date,
                    still_due: format_amount(l.invoice.still_due),
                    days_late: i32::try_from(l.days_late).unwrap_or(i32::MAX),
                    interest: format_amount(l.interest),
                    indemnity: format_amount(l.indemnity),
                })
                .collect(),
            excluded,
            still_due: format_amount(claim.still_due),
            interest: format_amount(claim.interest),
            indemnities: format_amount(claim.indemnities),
            total: format_amount(claim.total),
            credits: format_amount(credits),
            to_pay: format_amount((claim.total - credits).max(Decimal::ZERO)),
            rates: claim
                .rates
                .iter()
                .map(|r| NoticeRate {
                    from: r.from,
                    to: r.to,
                    rate: rate_string(r.rate),
                })
                .collect(),
            rates_to_confirm: claim.rates_to_confirm.clone(),
        };
        let warnings: Vec<String> = claim.warnings.iter().map(ToString::to_string).collect();
        let notice = Notice {
            place: self.place(),
            sender: self.sender(),
            recipient: Self::recipient(debtor),
            customer_ref: debtor.key.clone(),
            creditor_reference: Some(self.references.of(&debtor.key)),
            date: as_of,
            deadline_days: days,
            reminded,
            signatory: Signatory {
                name: settings.signatory_name.clone().unwrap_or_default(),
                title: settings
                    .signatory_title
                    .clone()
                    .unwrap_or_else(|| "Service recouvrement".into()),
            },
            bank,
            claim,
            credits,
            intro: options.intro.clone().filter(|i| !i.trim().is_empty()),
        };
        // A text the letter cannot print (Arabic, Hebrew, CJK, emoji…) is refused by field, never printed wrong.
        notice
            .check_printable()
            .map_err(|e| AppError::InvalidInput(format!("customer {}: {e}", debtor.key)))?;
        Ok((notice, dto, warnings))
    }
}

impl App {
    pub fn letter_settings(&self) -> AppResult<LetterSettings> {
        let stored: LetterSettings = match self.store().setting(SETTINGS_KEY)? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| AppError::Database(format!("letter settings: {e}")))?,
            None => LetterSettings::default(),
        };
        Ok(LetterSettings {
            version: Some(self.edit_version(edits::LETTER_SETTINGS)?),
            ..stored
        })
    }

    /// Saves the letter settings, recorded in the audit trail (before/after) by `user`; refused with a conflict
    /// when a colleague saved them since the version the screen read (`settings.version`).
    pub fn save_letter_settings(&self, settings: &LetterSettings, user: &str) -> AppResult<LetterSettings> {
        let unversioned = |s: LetterSettings| LetterSettings { version: None, ..s };
        let before = unversioned(self.letter_settings()?);
        self.store_letter_settings(settings, settings.version)?;
        let after = self.letter_settings()?;
        let values = unversioned(after.clone());
        if before != values {
            let json = |s: &LetterSettings| serde_json::to_string(s).ok();
            self.audit(
                user,
                "letter_settings",
                "letters",
                "changed",
                json(&before),
                json(&values),
            )?;
        }
        Ok(after)
    }

    /// The rates table as the settings screen shows it: ECB and legal interest rates by half-year, newest first.
    pub fn rates(&self) -> AppResult<RatesDto> {
        let custom = self.store().setting(RATES_KEY)?.is_some();
        Ok(RatesDto {
            version: Some(self.edit_version(edits::RATES)?),
            ..RatesDto::from_table(&self.rates_table()?, !custom)
        })
    }

    /// Saves the rates table the user edited (each rate dated 1 January or 1 July, one per half-year), audited.
    pub fn save_rates(&self, rates: &RatesDto, user: &str) -> AppResult<RatesDto> {
        let table = rates.to_table()?;
        let before = self.rates()?;
        self.edited(edits::RATES, rates.version, |store| {
            store.set_setting(RATES_KEY, &table.to_json())
        })?;
        let after = self.rates()?;
        // The audit keeps the rates; the version is the edit's bookkeeping.
        let json = |r: &RatesDto| {
            serde_json::to_string(&RatesDto {
                version: None,
                ..r.clone()
            })
            .ok()
        };
        self.audit(
            user,
            "rates",
            "letters.rates",
            "changed",
            json(&before),
            json(&after),
        )?;
        Ok(after)
    }

    /// Back to the built-in table (French rules as shipped), audited. `version`: the table's as the screen read it
    /// (`RatesDto::version`), so that a colleague's change saved since is not thrown away; `None`: reset whatever
    /// it is (the CLI).
    pub fn reset_rates(&self, version: Option<i64>, user: &str) -> AppResult<RatesDto> {
        let before = self.rates()?;
        self.edited(edits::RATES, version, |store| store.delete_setting(RATES_KEY))?;
        let after = self.rates()?;
        let json = |r: &RatesDto| {
            serde_json::to_string(&RatesDto {
                version: None,
                ..r.clone()
            })
            .ok()
        };
        self.audit(
            user,
            "rates",
            "letters.rates",
            "reset",
            json(&before),
            json(&after),
        )?;
        Ok(after)
    }

    /// Saves the letter settings whatever their version (the CLI, tests); not audited.
    pub fn set_letter_settings(&self, settings: &LetterSettings) -> AppResult<()> {
        self.store_letter_settings(settings, None)
    }

    fn store_letter_settings(&self, settings: &LetterSettings, version: Option<i64>) -> AppResult<()> {
        let (iban, bic) = checked_bank_details(settings, false)?;
        let settings = &LetterSettings {
            iban,
            bic,
            version: None,
            ..settings.clone()
        };
        if let Some(r) = &settings.contractual_rate {
            parse_rate("contractual rate", r)?;
        }
        if let Some(c) = &settings.share_capital {
            parse_capital(c)?;
        }
        if let Some(d) = settings.deadline_days.filter(|d| !(1..=90).contains(d)) {
            return Err(AppError::InvalidInput(format!(
                "deadline: {d} days is out of range (1 to 90)"
            )));
        }
        let json = serde_json::to_string(settings).map_err(|e| AppError::Io(e.to_string()))?;
        self.edited(edits::LETTER_SETTINGS, version, |store| {
            store.set_setting(SETTINGS_KEY, &json)
        })?;
        Ok(())
    }

    /// The rates table in force: the one saved in the settings, else the built-in one.
    pub fn rates_table(&self) -> AppResult<RateTable> {
        match self.store().setting(RATES_KEY)? {
            Some(json) => RateTable::from_json(&json).map_err(|e| AppError::Database(e.to_string())),
            None => Ok(RateTable::builtin()),
        }
    }

    /// Saves an edited rates table (JSON: `{"ecb":[{"from":"2027-01-01","rate":"2.00"}…],"legal_interest":[…]}`).
    pub fn set_rates_table(&self, json: &str) -> AppResult<()> {
        let table = RateTable::from_json(json).map_err(|e| AppError::InvalidInput(e.to_string()))?;
        self.edited(edits::RATES, None, |store| {
            store.set_setting(RATES_KEY, &table.to_json())
        })?;
        Ok(())
    }

    /// What every notice at a date needs, read once: settings, rates, the company, the aged balance, the customers.
    pub(crate) fn notice_context(&self, as_of: NaiveDate) -> AppResult<NoticeContext> {
        let mut settings = self.letter_settings()?;
        // No signatory set: the letters are signed by the user printing them ("Mon nom").
        if settings
            .signatory_name
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
        {
            settings.signatory_name = Some(self.user_name()?).filter(|n| !n.trim().is_empty());
        }
        let table = self.rates_table()?;
        let store = self.store();
        let company = store.company()?.ok_or_else(|| {
            AppError::NoData("the database is empty: create the demo company or import a ledger".into())
        })?;
        let (aged, _) = self.aged(&store, as_of)?;
        let kinds = kinds::debtor_kinds(&store)?;
        let held = crate::workflow::held_invoices(&store, &aged, as_of)?;
        let reminded = crate::workflow::reminded_invoices(&store, &aged, as_of)?;
        let references = crate::payment_reference::PaymentReferences::load(&store)?;
        let customers = store
            .customers()?
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
        Ok(NoticeContext {
            as_of,
            settings,
            table,
            company,
            aged,
            kinds,
            customers,
            held,
            reminded,
            references,
        })
    }

    /// The formal notice of a customer as of a date (today when absent): every invoice past due with something
    /// still due (neither disputed nor promised that day), its penalties and the EUR 40 indemnity.
    pub fn notice(
        &self,
        customer: &str,
        as_of: Option<NaiveDate>,
        options: &NoticeOptions,
    ) -> AppResult<NoticeLetter> {
        let ctx = self.notice_context(as_of.unwrap_or_else(|| self.today()))?;
        let (notice, claim, claim_warnings) = ctx.build(customer, None, options)?;
        // The half-years whose rate is to confirm: data in the claim (the app's preview words them), said here too.
        let to_confirm = claim.rates_to_confirm.iter().map(|h| {
            format!(
                "the rate of the half-year starting {h} is not confirmed: check it against the published text, \
                 then mark it confirmed in Settings → Lettres et taux"
            )
        });
        let warnings = ctx
            .held_claimed(&claim)
            .iter()
            .map(held_warning)
            .chain(claim_warnings)
            .chain(to_confirm)
            .collect();
        Ok(NoticeLetter {
            pdf: encaisse_letters::render_notice(&notice),
            claim,
            warnings,
        })
    }

    /// Formal notices of several customers in one PDF (each letter on its own pages, numbered on its own), in
    /// the order given; the claims in the same order.
    pub fn notices_pdf(
        &self,
        customers: &[String],
        as_of: Option<NaiveDate>,
        options: &NoticeOptions,
    ) -> AppResult<(Vec<u8>, Vec<NoticeClaim>)> {
        self.notices_pdf_on(customers, as_of, options, encaisse_letters::cores::available())
    }

    /// [`App::notices_pdf`] on `threads` threads (the letters built and laid out on each): the same bytes and claims
    /// whatever their number.
    pub fn notices_pdf_on(
        &self,
        customers: &[String],
        as_of: Option<NaiveDate>,
        options: &NoticeOptions,
        threads: std::num::NonZeroUsize,
    ) -> AppResult<(Vec<u8>, Vec<NoticeClaim>)> {
        let ctx = self.notice_context(as_of.unwrap_or_else(|| self.today()))?;
        let built = encaisse_letters::cores::map(customers, threads, |c| ctx.build(c, None, options));
        let mut notices = Vec::with_capacity(customers.len());
        let mut claims = Vec::with_capacity(customers.len());
        // The first customer in the list whose notice cannot be written names the error, as one by one.
        for b in built {
            let (notice, claim, _) = b?;
            notices.push(notice);
            claims.push(claim);
        }
        Ok((encaisse_letters::render_notices_on(&notices, threads), claims))
    }

    /// The aged balance as of a date (today when absent) as a printable PDF.
    pub fn aging_report_pdf(&self, as_of: Option<NaiveDate>) -> AppResult<Vec<u8>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (company, _) = Self::company_currency(&store)?;
        let (aged, _) = self.aged(&store, as_of)?;
        Ok(encaisse_letters::render_aged_balance(&company, &aged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(rate_string(Decimal::new(1215, 2)), "12.15");
        assert_eq!(rate_string(Decimal::new(10, 0)), "10.00");
        assert_eq!(parse_rate("r", "15,5").unwrap(), Decimal::new(155, 1));
        assert!(parse_rate("r", "abc").is_err());
        assert!(parse_rate("r", "0").is_err());
        let lines = address_lines(Some("12 rue de la République\n69002 Lyon\n"));
        assert_eq!(lines, ["12 rue de la République", "69002 Lyon"]);
        assert_eq!(city(&lines).as_deref(), Some("Lyon"));
        assert_eq!(city(&[]), None);
    }
}
