//! Open invoices from a software that has no FEC: number, customer, invoice date, due date, amount, amount paid.

use super::values::{parse_amount, parse_date};
use super::{Cells, Field, FieldChoice, Table};
use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The fields of an open-invoices file, in the order they are matched.
pub const INVOICE_FIELDS: &[Field] = &[
    Field {
        name: "number",
        required: true,
        aliases: &[
            "numéro de facture",
            "n° facture",
            "n° de facture",
            "numéro facture",
            "num facture",
            "no facture",
            "facture",
            "référence facture",
            "n° pièce",
            "pièce",
            "PieceRef",
            "numéro",
            "n°",
            "référence",
            "invoice number",
            "invoice no",
            "invoice",
            "document number",
            "number",
        ],
    },
    Field {
        name: "customer",
        required: true,
        aliases: &[
            "code client",
            "n° client",
            "numéro client",
            "id client",
            "compte client",
            "compte",
            "CompAuxNum",
            "client",
            "customer code",
            "customer id",
            "customer number",
            "customer",
            "account",
        ],
    },
    Field {
        name: "customer_name",
        required: false,
        aliases: &[
            "raison sociale",
            "nom client",
            "nom du client",
            "nom",
            "société",
            "CompAuxLib",
            "customer name",
            "company",
            "name",
        ],
    },
    Field {
        name: "invoice_date",
        required: true,
        aliases: &[
            "date facture",
            "date de facture",
            "date de la facture",
            "date pièce",
            "date d'émission",
            "PieceDate",
            "date",
            "invoice date",
            "issue date",
        ],
    },
    Field {
        name: "due_date",
        required: false,
        aliases: &[
            "échéance",
            "date d'échéance",
            "date échéance",
            "date limite de paiement",
            "due date",
            "due",
        ],
    },
    Field {
        name: "amount",
        required: true,
        aliases: &[
            "montant",
            "montant ttc",
            "total ttc",
            "montant facture",
            "montant total",
            "ttc",
            "amount",
            "total amount",
            "invoice amount",
            "total",
        ],
    },
    Field {
        name: "paid",
        required: false,
        aliases: &[
            "montant payé",
            "montant réglé",
            "déjà réglé",
            "montant encaissé",
            "réglé",
            "payé",
            "encaissé",
            "amount paid",
            "paid amount",
            "paid",
        ],
    },
    Field {
        name: "residual",
        required: false,
        aliases: &[
            "reste à payer",
            "restant dû",
            "solde",
            "montant restant",
            "reste dû",
            "open amount",
            "balance",
            "amount due",
            "outstanding",
        ],
    },
];

/// One invoice (or, with a negative amount, a credit note) of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoiceRecord {
    pub line: usize,
    pub number: String,
    pub customer_key: String,
    pub customer_name: Option<String>,
    pub invoice_date: NaiveDate,
    /// Overrides the customer's terms when given.
    pub due_date: Option<NaiveDate>,
    /// Positive for an invoice, negative for a credit note.
    pub amount: Decimal,
    /// What was already paid (0 when the file says nothing); from `residual` as amount − residual.
    pub paid: Decimal,
}

/// Checks every row; returns the invoices in file order, or every problem.
pub fn read_open_invoices(
    table: &Table,
    choices: &[FieldChoice],
) -> Result<Vec<OpenInvoiceRecord>, ImportErrors> {
    super::no_rows(table)?;
    let file = table.file.as_str();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for row in &table.rows {
        if !super::check_row(file, row, choices, &mut errors) {
            continue;
        }
        let cells = Cells::new(row, choices);
        let line = row.line;
        let mut bad = |field: &str, reason: String| errors.push(ImportError::new(file, line, field, reason));
        let required = |field: &str, bad: &mut dyn FnMut(&str, String)| {
            let v = cells.get(field).unwrap_or("").to_string();
            if v.is_empty() {
                bad(field, "is empty".into());
            }
            v
        };
        let number = required("number", &mut bad);
        let customer_key = required("customer", &mut bad);
        let date_text = required("invoice_date", &mut bad);
        let amount_text = required("amount", &mut bad);
        if !number.is_empty() && !customer_key.is_empty() {
            if let Some(&first) = seen.get(&(customer_key.clone(), number.clone())) {
                bad(
                    "number",
                    format!("invoice '{number}' of customer '{customer_key}' is already on line {first}"),
                );
            } else {
                seen.insert((customer_key.clone(), number.clone()), line);
            }
        }
        let date = |field: &str, text: &str, bad: &mut dyn FnMut(&str, String)| {
            if text.is_empty() {
                return None;
            }
            parse_date(text).map_err(|e| bad(field, e)).ok()
        };
        let invoice_date = date("invoice_date", &date_text, &mut bad);
        let due_text = cells.get("due_date").unwrap_or("");
        let due_date = date("due_date", due_text, &mut bad);
        if let (Some(i), Some(d)) = (invoice_date, due_date) {
            if d < i {
                bad("due_date", format!("{d} is before the invoice date {i}"));
            }
        }
        let amount_of = |field: &str, text: &str, bad: &mut dyn FnMut(&str, String)| {
            if text.is_empty() {
                return None;
            }
            parse_amount(text).map_err(|e| bad(field, e)).ok()
        };
        let amount = amount_of("amount", &amount_text, &mut bad);
        let paid = amount_of("paid", cells.get("paid").unwrap_or(""), &mut bad);
        let residual = amount_of("residual", cells.get("residual").unwrap_or(""), &mut bad);
        if amount.is_some_and(|a| a.is_zero()) {
            bad("amount", "is zero".into());
        }
        let paid = match (amount, paid, residual) {
            (_, Some(p), _) => Some(p),
            (Some(a), None, Some(r)) => Some(a - r),
            _ => Some(Decimal::ZERO),
        };
        if let (Some(a), Some(p)) = (amount, paid) {
            let field = if cells.get("paid").is_some_and(|s| !s.is_empty()) {
                "paid"
            } else {
                "residual"
            };
            if a < Decimal::ZERO && !p.is_zero() {
                bad(
                    field,
                    "a credit note (negative amount) cannot be partly paid here".into(),
                );
            } else if p < Decimal::ZERO {
                bad(field, format!("the amount paid {p} is negative"));
            } else if a > Decimal::ZERO && p > a {
                bad(field, format!("the amount paid {p} is more than the amount {a}"));
            }
        }
        let (Some(invoice_date), Some(amount), Some(paid)) = (invoice_date, amount, paid) else {
            continue;
        };
        if number.is_empty() || customer_key.is_empty() {
            continue;
        }
        out.push(OpenInvoiceRecord {
            line,
            number,
            customer_key,
            customer_name: cells
                .get("customer_name")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            invoice_date,
            due_date,
            amount,
            paid,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}
