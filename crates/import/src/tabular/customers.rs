//! Customer master data: key, name, SIREN, address, email, phone, terms, credit limit, segment, collector.

use super::values::{parse_amount, parse_siren, parse_terms};
use super::{Cells, Field, FieldChoice, Table};
use crate::error::{ImportError, ImportErrors};
use encaisse_domain::Terms;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The fields of a customers file, in the order they are matched.
pub const CUSTOMER_FIELDS: &[Field] = &[
    Field {
        name: "key",
        required: true,
        aliases: &[
            "code client",
            "n° client",
            "numéro client",
            "numéro de client",
            "num client",
            "id client",
            "identifiant client",
            "référence client",
            "ref client",
            "compte client",
            "compte",
            "compte auxiliaire",
            "CompAuxNum",
            "code",
            "customer code",
            "customer id",
            "customer number",
            "customer no",
            "customer key",
            "account",
            "account number",
            "key",
            "id",
        ],
    },
    Field {
        name: "name",
        required: true,
        aliases: &[
            "raison sociale",
            "nom",
            "nom client",
            "nom du client",
            "dénomination",
            "dénomination sociale",
            "société",
            "client",
            "CompAuxLib",
            "name",
            "company",
            "company name",
            "customer name",
            "customer",
            "business name",
        ],
    },
    Field {
        name: "siren",
        required: false,
        aliases: &[
            "siren",
            "n° siren",
            "numéro siren",
            "siret",
            "n° siret",
            "siren siret",
            "company id",
            "registration number",
        ],
    },
    Field {
        name: "address",
        required: false,
        aliases: &[
            "adresse",
            "adresse 1",
            "adresse ligne 1",
            "rue",
            "address",
            "address 1",
            "address line 1",
            "street",
        ],
    },
    Field {
        name: "address2",
        required: false,
        aliases: &[
            "adresse 2",
            "adresse ligne 2",
            "complément d'adresse",
            "complément adresse",
            "address 2",
            "address line 2",
        ],
    },
    Field {
        name: "postal_code",
        required: false,
        aliases: &["code postal", "cp", "postal code", "zip", "zip code", "postcode"],
    },
    Field {
        name: "city",
        required: false,
        aliases: &["ville", "commune", "localité", "city", "town"],
    },
    Field {
        name: "email",
        required: false,
        aliases: &[
            "email",
            "e-mail",
            "mail",
            "courriel",
            "adresse email",
            "adresse e-mail",
            "adresse mail",
            "email address",
        ],
    },
    Field {
        name: "phone",
        required: false,
        aliases: &[
            "téléphone",
            "tél",
            "tel",
            "n° de téléphone",
            "portable",
            "mobile",
            "phone",
            "phone number",
            "telephone",
        ],
    },
    Field {
        name: "terms",
        required: false,
        aliases: &[
            "conditions de paiement",
            "condition de paiement",
            "conditions de règlement",
            "condition de règlement",
            "délai de paiement",
            "délai de règlement",
            "délai",
            "payment terms",
            "terms",
        ],
    },
    Field {
        name: "credit_limit",
        required: false,
        aliases: &[
            "encours autorisé",
            "encours maximum",
            "encours max",
            "plafond",
            "plafond d'encours",
            "limite de crédit",
            "credit limit",
        ],
    },
    Field {
        name: "segment",
        required: false,
        aliases: &[
            "catégorie",
            "catégorie client",
            "segment",
            "famille",
            "type client",
            "category",
        ],
    },
    Field {
        name: "collector",
        required: false,
        aliases: &[
            "chargé de recouvrement",
            "responsable recouvrement",
            "responsable",
            "gestionnaire",
            "collector",
            "account manager",
        ],
    },
];

/// One customer of the file. For every optional field: `None` when the file has no column for it (an existing
/// customer keeps its value), `Some(None)` for an empty cell (the value is cleared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    pub line: usize,
    pub key: String,
    pub name: String,
    pub siren: Option<Option<String>>,
    /// Address, second line, postal code and city, joined as "line 1, line 2, 75011 Paris".
    pub address: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub terms: Option<Option<Terms>>,
    pub credit_limit: Option<Option<Decimal>>,
    pub segment: Option<Option<String>>,
    pub collector: Option<Option<String>>,
}

fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

/// Checks every row; returns the customers in file order, or every problem.
pub fn read_customers(table: &Table, choices: &[FieldChoice]) -> Result<Vec<CustomerRecord>, ImportErrors> {
    super::no_rows(table)?;
    let file = table.file.as_str();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let address_mapped = ["address", "address2", "postal_code", "city"]
        .iter()
        .any(|f| choices.iter().any(|c| c.field == *f && c.column.is_some()));
    for row in &table.rows {
        if !super::check_row(file, row, choices, &mut errors) {
            continue;
        }
        let cells = Cells::new(row, choices);
        let line = row.line;
        let mut bad = |field: &str, reason: String| errors.push(ImportError::new(file, line, field, reason));
        let key = cells.get("key").unwrap_or("").to_string();
        if key.is_empty() {
            bad("key", "is empty".into());
        } else if let Some(first) = seen.insert(key.clone(), line) {
            bad("key", format!("'{key}' is already on line {first}"));
            seen.insert(key.clone(), first);
        }
        let name = cells.get("name").unwrap_or("").to_string();
        if name.is_empty() {
            bad("name", "is empty".into());
        }
        let siren = cells.text("siren").map(|v| {
            v.and_then(|s| match parse_siren(&s) {
                Ok(s) => Some(s),
                Err(e) => {
                    bad("siren", e);
                    None
                }
            })
        });
        let email = cells.text("email").map(|v| {
            v.filter(|e| {
                let ok = email_ok(e);
                if !ok {
                    bad("email", format!("'{e}' is not an email address"));
                }
                ok
            })
        });
        let terms = cells.text("terms").map(|v| {
            v.and_then(|t| match parse_terms(&t) {
                Ok(t) => Some(t),
                Err(e) => {
                    bad("terms", e);
                    None
                }
            })
        });
        let credit_limit = cells.text("credit_limit").map(|v| {
            v.and_then(|t| match parse_amount(&t) {
                Ok(a) if a < Decimal::ZERO => {
                    bad("credit_limit", format!("'{t}' is negative"));
                    None
                }
                Ok(a) => Some(a),
                Err(e) => {
                    bad("credit_limit", e);
                    None
                }
            })
        });
        let address = address_mapped.then(|| {
            // An address line written on several lines in its cell: its lines joined as the parts are.
            let part = |f: &str| {
                let lines: Vec<&str> = cells
                    .get(f)
                    .unwrap_or("")
                    .split(['\r', '\n', '\t'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                lines.join(", ")
            };
            let town = [part("postal_code"), part("city")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let joined = [part("address"), part("address2"), town]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            (!joined.is_empty()).then_some(joined)
        });
        out.push(CustomerRecord {
            line,
            key,
            name,
            siren,
            address,
            email,
            phone: cells.text("phone"),
            terms,
            credit_limit,
            segment: cells.text("segment"),
            collector: cells.text("collector"),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}
