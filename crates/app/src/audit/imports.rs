//! What imports record in the audit trail: one event per file imported (its kind, name, SHA-256 and counts), and
//! one per customer a customers file changed, with the changed fields before and after. Written by the import
//! while it still holds the store, once its transaction committed.

use crate::{App, AppResult};
use encaisse_domain::Customer;
use encaisse_store::master::{CustomerAction, CustomerChanges};
use encaisse_store::{ImportChanges, Store};
use serde_json::{json, Map, Value};

/// A customer's field as the audit shows it (`fields` are the names `upsert_customers` reports).
fn field_value(c: &Customer, field: &str) -> Value {
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    match field {
        "name" => Value::String(c.name.clone()),
        "siren" => text(&c.siren),
        "address" => text(&c.address),
        "email" => text(&c.email),
        "phone" => text(&c.phone),
        "terms" => c.terms.map_or(Value::Null, |t| Value::String(t.to_string())),
        "credit_limit" => c
            .credit_limit
            .map_or(Value::Null, |l| Value::String(l.to_string())),
        "segment" => text(&c.segment),
        "collector" => text(&c.collector),
        _ => Value::Null,
    }
}

fn u32_of(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl App {
    /// A ledger import (`kind` fec or invoices, written as the store's `source`) that changed something.
    pub(crate) fn audit_ledger_import(
        &self,
        store: &Store,
        kind: &str,
        label: &str,
        c: &ImportChanges,
    ) -> AppResult<()> {
        let source = if kind == "fec" { "fec" } else { "csv" };
        let sha256 = store
            .last_import(source)?
            .filter(|(name, _)| name == label)
            .map(|(_, hash)| hash);
        let after = json!({
            "sha256": sha256,
            "replaced_demo": c.replaced_demo,
            "lines_added": u32_of(c.lines_added),
            "lines_removed": u32_of(c.lines_removed),
            "customers_added": u32_of(c.customers_added),
            "invoices": u32_of(c.invoices_added),
            "invoices_missing": u32_of(c.invoices_missing),
        });
        self.audit_in(store, "", "import", label, kind, None, Some(after.to_string()))
    }

    /// A customers file imported: the import, then each customer it changed.
    pub(crate) fn audit_customers_file(
        &self,
        store: &Store,
        label: &str,
        sha256: &str,
        c: &CustomerChanges,
    ) -> AppResult<()> {
        let after = json!({
            "sha256": sha256,
            "replaced_demo": c.replaced_demo,
            "customers_added": u32_of(c.added),
            "customers_updated": u32_of(c.updated),
        });
        self.audit_in(
            store,
            "",
            "import",
            label,
            "customers",
            None,
            Some(after.to_string()),
        )?;
        for change in c.customers.iter().filter(|c| c.action == CustomerAction::Updated) {
            let (Some(before), Some(after)) = (&change.before, &change.after) else {
                continue;
            };
            // The file's name on both sides: unchanged, it is not one of the changed fields.
            let side = |customer: &Customer| {
                let mut m = Map::new();
                m.insert("file".into(), Value::String(label.to_string()));
                for f in &change.fields {
                    m.insert((*f).to_string(), field_value(customer, f));
                }
                Value::Object(m).to_string()
            };
            self.audit_in(
                store,
                "",
                "customer",
                &change.key,
                "file_update",
                Some(side(before)),
                Some(side(after)),
            )?;
        }
        Ok(())
    }

    /// E-invoices imported: one event per file (its name, SHA-256, and whether it created its customer).
    pub(crate) fn audit_einvoices(&self, store: &Store, files: &[(&str, &str, bool)]) -> AppResult<()> {
        for &(label, sha256, customer_created) in files {
            let after =
                json!({"sha256": sha256, "invoices": 1, "customers_added": u32::from(customer_created)});
            self.audit_in(
                store,
                "",
                "import",
                label,
                "einvoices",
                None,
                Some(after.to_string()),
            )?;
        }
        Ok(())
    }
}
