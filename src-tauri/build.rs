/// The commands the UI may call. Tauri generates an `allow-<command>` permission for each and
/// capabilities/default.json grants exactly these: a command missing here or there is refused at run time.
const COMMANDS: &[&str] = &[
    "status",
    "create_demo",
    "dashboard",
    "aging",
    "dso",
    "inspect_fec",
    "import_fec",
    "inspect_customers_file",
    "import_customers_file",
    "inspect_invoices_file",
    "import_invoices_file",
    "inspect_einvoices",
    "import_einvoices",
    "customers",
    "customer_file",
    "set_customer_category",
    "aging_grouped",
    "aging_invoices",
    "dso_set",
    "what_if",
    "forecast",
    "forecast_accuracy",
    "d441_6",
    "export_report",
    "smtp_settings",
    "save_smtp",
    "test_smtp",
    "mail_settings",
    "save_mail_settings",
    "email_templates",
    "save_email_template",
    "reset_email_template",
    "preview_email",
    "send_emails",
    "thank_you_candidates",
    "send_thank_you",
    "daily_report",
    "audit_trail",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed: check tauri.conf.json, capabilities/ and that ../ui/build exists");
}
