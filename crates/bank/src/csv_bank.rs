//! A bank's CSV (or spreadsheet) export read through a column mapping: the file is read as the customers import
//! reads its tables (encoding, separator, quotes: [`encaisse_import::tabular::read_table`]), amounts and dates as
//! French exports write them ("1 234,56", "-12,50", DD/MM/YYYY). One statement per file, without balances.

use crate::{entry, err, Format, Statement};
use encaisse_import::tabular::{normalize_header, parse_amount, parse_date, read_table};
use encaisse_import::ImportErrors;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which column holds what (headers as written in the file, compared without case or accents). Either `amount`
/// (signed) or `debit` and/or `credit` (debits are taken as money out whatever their sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CsvMapping {
    /// The account the export is of (exports seldom say): an IBAN or the user's name for it.
    pub account: String,
    pub currency: String,
    pub date: String,
    pub value_date: Option<String>,
    pub amount: Option<String>,
    pub debit: Option<String>,
    pub credit: Option<String>,
    pub label: String,
    pub reference: Option<String>,
    pub counterparty: Option<String>,
    pub counterparty_iban: Option<String>,
    /// The bank's own reference of each line, when the export has one (it becomes the entry's identity).
    pub bank_reference: Option<String>,
    /// Further text columns read as remittance information.
    pub remittance: Vec<String>,
}

impl CsvMapping {
    /// The mapping of the usual French and English headers ("Date opération", "Date de valeur", "Montant",
    /// "Débit", "Crédit", "Libellé", "Référence"…), or `None` when the date, the label or the amount columns are
    /// not all found.
    pub fn guess(account: &str, headers: &[String]) -> Option<CsvMapping> {
        let find = |names: &[&str]| {
            headers
                .iter()
                .find(|h| names.contains(&normalize_header(h).as_str()))
                .cloned()
        };
        let date = find(&[
            "date",
            "date operation",
            "date d operation",
            "date comptable",
            "booking date",
        ])?;
        let label = find(&[
            "libelle",
            "libelle operation",
            "label",
            "description",
            "intitule",
            "motif",
        ])?;
        let amount = find(&["montant", "amount", "montant eur", "montant en euros"]);
        let debit = find(&["debit", "debit eur", "debits"]);
        let credit = find(&["credit", "credit eur", "credits"]);
        if amount.is_none() && debit.is_none() && credit.is_none() {
            return None;
        }
        Some(CsvMapping {
            account: account.to_string(),
            currency: "EUR".to_string(),
            date,
            value_date: find(&["date de valeur", "date valeur", "value date"]),
            amount,
            debit,
            credit,
            label,
            reference: find(&["reference", "ref", "references"]),
            counterparty: find(&["tiers", "contrepartie", "emetteur", "nom", "counterparty"]),
            counterparty_iban: find(&["iban", "iban contrepartie", "iban emetteur"]),
            bank_reference: find(&["id", "identifiant", "reference banque", "reference bancaire"]),
            remittance: Vec::new(),
        })
    }
}

pub fn read(file: &str, bytes: &[u8], m: &CsvMapping) -> Result<Vec<Statement>, ImportErrors> {
    let table = read_table(file, bytes, None)?;
    let col = |name: &str| {
        let want = normalize_header(name);
        table.headers.iter().position(|h| normalize_header(h) == want)
    };
    let mut errors = Vec::new();
    let need = |name: Option<&String>, errors: &mut Vec<_>| -> Option<usize> {
        let name = name?;
        let c = col(name);
        if c.is_none() {
            errors.push(err(
                file,
                table.header_line,
                name,
                format!("no column '{name}' in the header: the mapping names a column the file lacks"),
            ));
        }
        c
    };
    let date = need(Some(&m.date), &mut errors);
    let label = need(Some(&m.label), &mut errors);
    let value_date = need(m.value_date.as_ref(), &mut errors);
    let amount = need(m.amount.as_ref(), &mut errors);
    let debit = need(m.debit.as_ref(), &mut errors);
    let credit = need(m.credit.as_ref(), &mut errors);
    let reference = need(m.reference.as_ref(), &mut errors);
    let counterparty = need(m.counterparty.as_ref(), &mut errors);
    let iban = need(m.counterparty_iban.as_ref(), &mut errors);
    let bank_ref = need(m.bank_reference.as_ref(), &mut errors);
    let extra: Vec<usize> = m
        .remittance
        .iter()
        .filter_map(|r| need(Some(r), &mut errors))
        .collect();
    if m.amount.is_none() && m.debit.is_none() && m.credit.is_none() {
        errors.push(err(
            file,
            table.header_line,
            "amount",
            "the mapping names no amount, debit or credit column",
        ));
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let (date, label) = (date.expect("checked"), label.expect("checked"));
    let mut entries = Vec::new();
    for row in &table.rows {
        let cell = |i: usize| row.cells.get(i).map(|s| s.trim()).unwrap_or("");
        let opt = |i: Option<usize>| i.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
        let header = |i: usize| table.headers[i].as_str();
        let booking = match parse_date(cell(date)) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(err(file, row.line, header(date), e));
                None
            }
        };
        let value = match value_date.map(cell).filter(|s| !s.is_empty()).map(parse_date) {
            Some(Err(e)) => {
                errors.push(err(file, row.line, header(value_date.expect("some")), e));
                None
            }
            Some(Ok(d)) => Some(d),
            None => None,
        };
        let mut total = Decimal::ZERO;
        let mut any = false;
        for (c, sign) in [(amount, 0), (debit, -1), (credit, 1)] {
            let Some(c) = c else { continue };
            if cell(c).is_empty() {
                continue;
            }
            match parse_amount(cell(c)) {
                Ok(a) => {
                    any = true;
                    total += match sign {
                        0 => a,
                        -1 => -a.abs(),
                        _ => a.abs(),
                    };
                }
                Err(e) => errors.push(err(file, row.line, header(c), e)),
            }
        }
        if !any && errors.is_empty() {
            let field = amount.or(credit).or(debit).map_or("amount", header);
            errors.push(err(file, row.line, field, "no amount on this line"));
        }
        let Some(booking) = booking else { continue };
        let mut e = entry(row.line, booking, total);
        e.value_date = value;
        e.label = crate::text::collapse_spaces(cell(label));
        e.references.extend(opt(reference));
        e.counterparty_name = opt(counterparty);
        e.counterparty_iban = opt(iban).map(|i| crate::text::compact(&i));
        e.bank_reference = opt(bank_ref);
        e.remittance.extend(
            extra
                .iter()
                .map(|&i| cell(i).to_string())
                .filter(|s| !s.is_empty()),
        );
        entries.push(e);
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(err(file, table.header_line, "file", "the file holds no line"));
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let from = entries.iter().map(|e| e.booking_date).min().expect("not empty");
    let to = entries.iter().map(|e| e.booking_date).max().expect("not empty");
    Ok(vec![Statement {
        format: Format::Csv,
        account: m.account.clone(),
        statement_id: None,
        currency: if m.currency.is_empty() {
            "EUR".into()
        } else {
            m.currency.clone()
        },
        from,
        to,
        opening: None,
        closing: None,
        entries,
        line: table.header_line,
    }])
}
