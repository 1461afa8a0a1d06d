//! Migrations as SQL files, applied in order; `user_version` records how far a database went.

use rusqlite_migration::{Migrations, M};

const STEPS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_imports.sql"),
    include_str!("../migrations/0003_master_data.sql"),
    include_str!("../migrations/0004_workflow.sql"),
    include_str!("../migrations/0005_categories_turnover.sql"),
    include_str!("../migrations/0006_mail_audit.sql"),
    include_str!("../migrations/0007_audit_time.sql"),
    include_str!("../migrations/0008_user_names.sql"),
    include_str!("../migrations/0009_penalty_waivers.sql"),
    include_str!("../migrations/0010_sent_documents.sql"),
    include_str!("../migrations/0011_bank.sql"),
    include_str!("../migrations/0012_einvoice_status.sql"),
    include_str!("../migrations/0013_payment_references.sql"),
    include_str!("../migrations/0014_pa_flows.sql"),
    include_str!("../migrations/0015_ledger_form.sql"),
    include_str!("../migrations/0016_changed_by.sql"),
    include_str!("../migrations/0017_portfolio.sql"),
    include_str!("../migrations/0018_edit_version.sql"),
    include_str!("../migrations/0019_bulk_load.sql"),
    include_str!("../migrations/0020_display_name.sql"),
    include_str!("../migrations/0021_bulk_load_ids.sql"),
    include_str!("../migrations/0022_customer_index.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

pub fn latest_version() -> i64 {
    STEPS.len() as i64
}
