//! Every command the window may call, declared once (see `ipc.rs` for the grammar). Each body is a 1–3 line
//! adapter to `encaisse_app::App`; the TypeScript client (`ui/src/lib/api/bindings/commands.ts`) is generated
//! from this list by `cargo test -p encaisse-desktop` and CI fails when it is stale.
//!
//! To add a command: write the `App` method, declare it here, run `cargo test -p encaisse-desktop`.

use crate::ipc::{progress, throttled};
use chrono::NaiveDate;
use encaisse_app::backups::{BackupDone, BackupList, BackupSettings, RestoreDone};
use encaisse_app::bank::{
    BankEntries, BankEntryDto, BankImportOptions, BankImportReport, BankStatementRemoved, BankStatements,
    BankStatus, InvoiceShare,
};
use encaisse_app::connection::{self, ConnectInput, Connection};
use encaisse_app::customer_file::CustomerFile;
use encaisse_app::dossier::DossierDone;
use encaisse_app::einvoice_status::{EinvoiceStatusesReport, StatusImportReport};
use encaisse_app::export_file::{parse_user_amount, ExportDone, ExportFormat, ExportReport};
use encaisse_app::imports::DetectedFile;
use encaisse_app::letters::{
    BatchResult, DebtorKindMapping, LetterPreview, LetterRequest, LetterSettings, RatesDto,
};
use encaisse_app::mail::{
    AuditEvent, DailyReport, EmailPreview, EmailTemplate, EmailTemplateInput, MailSettings, PreviewRequest,
    SaveSmtp, SendEmails, SendProgress, SendReport, SentEmail, SmtpSettings, ThankYouCandidate,
};
use encaisse_app::pa::{PaProgress, PaSettings, PaSyncReport, SavePaSettings};
use encaisse_app::penalties::{PenaltiesQuery, PenaltiesReport, WaiverInput};
use encaisse_app::reports::{
    AgingInvoices, AgingOptions, CashWeek, CustomerList, CustomersReport, D4416Report, DsoSetReport,
    ForecastAccuracy, ForecastReport, GroupedAgingReport,
};
use encaisse_app::whatif::WhatIf;
use encaisse_app::workflow::settings::{CollectionSettings, CollectionSettingsInput};
use encaisse_app::workflow::{
    ActionDto, ActionInput, AgendaView, DisputeDto, DisputeInput, DisputesBoard, PortfolioScope, Portfolios,
    PromiseChangeInput, PromiseCheck, PromiseDto, PromiseInput, Reassignment, ScenarioDto, Scenarios,
    WorkflowRecords,
};
use encaisse_app::FecImportOptions;
use encaisse_app::{
    AgingReport, Dashboard, DemoOptions, DemoSummary, DsoReport, EInvoiceReport, ImportPreview,
    ImportProgress, Status, TabularOptions, TabularPreview, UserProfile,
};
use std::path::{Path, PathBuf};

crate::commands! {
    /// What the database holds (company, counts, today).
    fn status(app) -> Status { app.status() }
    /// Settings → "Équipe": where the window's database is (this computer's file or a team's server).
    fn team_connection(app) -> Connection { connection::current(&connection::Places::desktop()?, app) }
    /// Signs in to a team's server (the password to the OS keyring); the next command works on it.
    fn connect_team(app, input: ConnectInput) -> String {
        let clock = encaisse_domain::clock::from_env().map_err(encaisse_app::AppError::InvalidInput)?;
        connection::connect(&connection::Places::desktop()?, &input, clock, &*app.secrets())
    }
    /// Back to this computer's file (the saved server and its password forgotten).
    fn disconnect_team(app) -> () { connection::disconnect(&connection::Places::desktop()?, &*app.secrets()) }
    /// Moves when anyone writes to the database (a colleague on the team's server): the agenda polls it.
    fn change_stamp(app) -> String { app.change_stamp() }
    /// Replaces the database's content with the demo company.
    fn create_demo(app, options: DemoOptions) -> DemoSummary { app.create_demo(&options) }
    fn dashboard(app, as_of: Option<NaiveDate>) -> Dashboard { app.dashboard(as_of) }
    /// This week's cash in against the forecast, the bank receipts booked, and the alerts (210/213, unmatched).
    fn cash_week(app, as_of: Option<NaiveDate>) -> CashWeek { app.cash_week(as_of) }
    fn aging(app, as_of: Option<NaiveDate>) -> AgingReport { app.aging(as_of) }
    /// Whether the reports show the FEC alone (true) or with the bank's provisional receipts (false, the default).
    fn ledger_only(app) -> bool { Ok::<_, encaisse_app::AppError>(app.is_ledger_only()) }
    /// The "ledger only" view, for every report of the window until changed; returns it.
    fn set_ledger_only(app, ledger_only: bool) -> bool {
        app.set_ledger_only(ledger_only);
        Ok::<_, encaisse_app::AppError>(app.is_ledger_only())
    }
    fn dso(app, as_of: Option<NaiveDate>, period_days: Option<u32>) -> DsoReport { app.dso(as_of, period_days) }

    /// What an FEC holds and what importing it would change; nothing is written. `siren`: the company's, for a
    /// file whose name carries none.
    fn inspect_fec(app, path: String, terms_days: Option<u32>, siren: Option<String>) -> ImportPreview {
        app.inspect_fec(Path::new(&path), &FecImportOptions { terms_days, siren })
    }
    /// Imports an FEC in one transaction; `onProgress` gets the stages read → write → done.
    fn import_fec(app, path: String, terms_days: Option<u32>, siren: Option<String>; progress on_progress: ImportProgress) -> ImportPreview {
        let mut report = throttled(on_progress, |p: &ImportProgress| (p.stage.clone(), p.done >= p.total));
        app.import_fec(Path::new(&path), &FecImportOptions { terms_days, siren }, &mut report)
    }
    fn inspect_customers_file(app, path: String, options: TabularOptions) -> TabularPreview {
        app.inspect_customers_file(Path::new(&path), &options)
    }
    fn import_customers_file(app, path: String, options: TabularOptions) -> TabularPreview {
        app.import_customers_file(Path::new(&path), &options)
    }
    fn inspect_invoices_file(app, path: String, options: TabularOptions) -> TabularPreview {
        app.inspect_invoices_file(Path::new(&path), &options)
    }
    fn import_invoices_file(app, path: String, options: TabularOptions) -> TabularPreview {
        app.import_invoices_file(Path::new(&path), &options)
    }
    fn inspect_einvoices(app, paths: Vec<String>) -> EInvoiceReport {
        app.inspect_einvoices(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }
    fn import_einvoices(app, paths: Vec<String>) -> EInvoiceReport {
        app.import_einvoices(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }
    /// Bank statements (camt.053/054, CFONB 120, OFX, a bank CSV): what importing them would do, nothing written.
    fn inspect_bank(app, paths: Vec<String>, options: BankImportOptions) -> BankImportReport {
        app.inspect_bank(&paths.iter().map(PathBuf::from).collect::<Vec<_>>(), &options)
    }
    fn import_bank(app, paths: Vec<String>, options: BankImportOptions) -> BankImportReport {
        app.import_bank(&paths.iter().map(PathBuf::from).collect::<Vec<_>>(), &options)
    }
    /// The credit entries with what each pays and why (`status`: those of one status).
    fn bank_entries(app, status: Option<BankStatus>) -> BankEntries { app.bank_entries(status) }
    fn bank_statements(app) -> BankStatements { app.bank_statements() }
    /// Puts an entry on invoices (a split when several), each for its amount or what it still owes.
    fn bank_match(app, entry: String, invoices: Vec<InvoiceShare>) -> BankEntryDto { app.bank_match(&entry, &invoices) }
    fn bank_unmatch(app, entry: String) -> BankEntryDto { app.bank_unmatch(&entry) }
    fn bank_on_account(app, entry: String, customer: String) -> BankEntryDto {
        app.bank_on_account(&entry, &customer)
    }
    fn bank_ignore(app, entry: String) -> BankEntryDto { app.bank_ignore(&entry) }
    fn bank_remove_statement(app, id: i64) -> BankStatementRemoved { app.bank_remove_statement(id) }
    /// What removing a statement would take away (entries, matches and decisions); nothing written.
    fn bank_statement_removal(app, id: i64) -> BankStatementRemoved { app.bank_statement_removal(id) }
    /// What each file is, from its content (bank statement, bank CSV, CDAR statuses, FEC, e-invoice, table).
    fn detect_files(app, paths: Vec<String>) -> Vec<DetectedFile> { app.detect_files(&paths) }
    /// E-invoicing lifecycle statuses (CDAR D22B files from the platform), attached to invoices with their effects.
    fn import_statuses(app, paths: Vec<String>) -> StatusImportReport {
        app.import_statuses(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }
    /// Each invoice's status timeline (one customer's when given) and the 210/213 alerts.
    fn einvoice_statuses(app, customer: Option<String>) -> EinvoiceStatusesReport {
        app.einvoice_statuses(customer.as_deref())
    }

    /// The day's agenda of a portfolio (null: the user's own when they follow a customer, else the team's): one
    /// action per customer, with its invoices and contact details.
    fn agenda_view(app, as_of: Option<NaiveDate>, portfolio: Option<PortfolioScope>) -> AgendaView {
        app.agenda_for(as_of, portfolio)
    }
    /// Records an email sent, letter printed, call made (with its outcome), SMS or note; a step marks it done.
    fn record_action(app, input: ActionInput) -> ActionDto {
        app.record_action(&input)
    }
    /// Marks a customer's action of the day done (the backend recomputes the agenda of that day).
    fn mark_done(app, customer: String, as_of: Option<NaiveDate>) -> ActionDto {
        app.mark_done(&customer, as_of)
    }
    fn add_promise(app, input: PromiseInput) -> PromiseDto {
        app.add_promise(&input)
    }
    /// Changes a promise's date, amount, grace or comment; refused (conflict) when someone changed it since.
    fn change_promise(app, input: PromiseChangeInput) -> PromiseDto { app.change_promise(&input) }
    /// Every promise's status as of a day; with `record`, newly broken ones are listed once (the alerts).
    fn check_promises(app, as_of: Option<NaiveDate>, record: bool) -> PromiseCheck { app.check_promises(as_of, record) }
    fn open_dispute(app, input: DisputeInput) -> DisputeDto {
        app.open_dispute(&input)
    }
    fn close_dispute(app, id: i64, closed_on: Option<NaiveDate>, resolution: String) -> DisputeDto {
        app.close_dispute(id, closed_on, &resolution)
    }
    fn comment_dispute(app, id: i64, body: String) -> DisputeDto { app.comment_dispute(id, &body) }
    fn disputes_board(app, as_of: Option<NaiveDate>) -> DisputesBoard { app.disputes_board(as_of) }
    /// A customer's actions, promises and disputes (one invoice's when `invoice` is given).
    fn workflow_records(app, customer: String, invoice: Option<String>) -> WorkflowRecords {
        app.workflow_records(&customer, invoice.as_deref())
    }
    /// `version`: the customer's chase as read (`WorkflowRecords.chase_version`); null: no check.
    fn set_customer_paused(app, customer: String, paused: bool, reason: String, version: Option<i64>) -> () {
        app.set_customer_paused(&customer, paused, &reason, version)
    }
    /// A customer's own scenario; null: the one of its category or segment. `version` as for a pause.
    fn set_customer_scenario(app, customer: String, scenario: Option<String>, version: Option<i64>) -> () {
        app.set_customer_scenario(&customer, scenario.as_deref(), version)
    }
    fn scenarios(app) -> Scenarios { app.scenarios() }
    /// Saves a scenario; answers with the scenarios as they now are.
    fn save_scenario(app, scenario: ScenarioDto) -> Scenarios { app.save_scenario(&scenario).and_then(|_| app.scenarios()) }
    /// Assigns a scenario to every customer of a segment or category; null removes the assignment.
    fn assign_scenario(app, by: String, value: String, scenario: Option<String>) -> Scenarios {
        app.assign_scenario(&by, &value, scenario.as_deref()).and_then(|_| app.scenarios())
    }
    /// Each collector's customers and money, the portfolio rules and the customers given by hand.
    fn portfolios(app, as_of: Option<NaiveDate>) -> Portfolios { app.portfolios(as_of) }
    /// Gives a customer (by = customer) or a segment's or category's customers to a collector; null takes it back.
    fn assign_portfolio(app, by: String, value: String, collector: Option<String>, as_of: Option<NaiveDate>) -> Portfolios {
        app.assign_portfolio(&by, &value, collector.as_deref()).and_then(|_| app.portfolios(as_of))
    }
    /// Hands everything a collector follows over to another.
    fn reassign_portfolio(app, from: String, to: String) -> Reassignment { app.reassign_portfolio(&from, &to) }

    /// Every customer with its behaviour, explained score and credit limit; the limit alerts.
    fn customers(app, as_of: Option<NaiveDate>) -> CustomersReport { app.customers_report(as_of) }
    /// The Clients screen's list: per customer only the columns it shows.
    fn customer_list(app, as_of: Option<NaiveDate>) -> CustomerList { app.customer_list(as_of) }
    /// One customer's file: identity, terms, analysis, paid invoices and monthly lateness.
    fn customer_file(app, key: String, as_of: Option<NaiveDate>) -> CustomerFile { app.customer_file(&key, as_of) }
    /// Sets (or clears, with null) the customer's category.
    fn set_customer_category(app, key: String, category: Option<String>) -> () {
        app.set_customer_category(&key, category.as_deref())
    }
    fn aging_grouped(app, options: AgingOptions) -> GroupedAgingReport { app.aging_grouped(&options) }
    /// The open invoices behind the aged balance, all or one customer's.
    fn aging_invoices(app, options: AgingOptions, customer: Option<String>) -> AgingInvoices {
        app.aging_invoices(&options, customer.as_deref())
    }
    /// DSO, best possible DSO, weighted days late and the 12 month ends.
    fn dso_set(app, as_of: Option<NaiveDate>, period_days: Option<u32>) -> DsoSetReport { app.dso_set(as_of, period_days) }
    /// Cash freed by `days` less of DSO and the yearly financing saved at `rate` percent ("4.5").
    fn what_if(app, as_of: Option<NaiveDate>, days: u32, rate: String) -> WhatIf {
        app.what_if(as_of, None, days, parse_user_amount("rate", &rate)?)
    }
    fn forecast(app, as_of: Option<NaiveDate>, weeks: Option<u32>) -> ForecastReport { app.forecast(as_of, weeks) }
    fn forecast_accuracy(app, as_of: Option<NaiveDate>) -> ForecastAccuracy { app.forecast_accuracy(as_of, None, None) }
    /// The D441-6 table at a year end; an entered turnover ("1234567.89") is recorded first.
    fn d441_6(app, year_end: NaiveDate, turnover: Option<String>) -> D4416Report {
        let turnover = turnover.filter(|t| !t.trim().is_empty()).map(|t| parse_user_amount("turnover", &t)).transpose()?;
        turnover.map_or(Ok(()), |t| app.set_turnover(year_end, t)).and_then(|_| app.d441_6(year_end, None))
    }
    /// Penalties on invoices paid late: every customer's (or one's), payments of the period.
    fn penalties(app, query: PenaltiesQuery) -> PenaltiesReport { app.penalties(&query) }
    /// Waives the penalties of one invoice paid late, with the reason; audited.
    fn waive_penalty(app, input: WaiverInput) -> () { app.waive_penalty(&input) }
    /// Claims an invoice's penalties again (removes its waiver); audited.
    fn unwaive_penalty(app, customer: String, invoice: String) -> () { app.unwaive_penalty(&customer, &invoice) }
    /// The penalty statement as PDF: to `path`, or (null) opened in the system viewer; where it is.
    fn print_penalty_statement(app, query: PenaltiesQuery, path: Option<String>) -> String {
        app.penalty_statement_to_file(&query, path.as_deref().map(Path::new))
    }
    /// Writes the report as CSV, XLSX or PDF to the path chosen in the save dialog.
    fn export_report(app, report: ExportReport, format: ExportFormat, path: String) -> ExportDone {
        app.export_report(&report, format, Path::new(&path))
    }

    /// The SMTP settings; never the password (`has_password` says whether the OS keyring holds it).
    fn smtp_settings(app) -> SmtpSettings { app.smtp_settings() }
    /// Saves the SMTP settings; a given password goes to the OS keyring only (empty removes it).
    fn save_smtp(app, input: SaveSmtp) -> SmtpSettings { app.save_smtp(&input, &app.actor().0) }
    /// Sends a test message to `to`.
    fn test_smtp(app, to: String) -> () { app.send_test_email(&to, &app.actor().0) }
    /// The accredited platform's settings (never the client secret: `has_secret` says whether the keyring has it).
    fn pa_settings(app) -> PaSettings { app.pa_settings() }
    /// Saves them; a given secret goes to the OS keyring only (empty removes it, none keeps it).
    fn save_pa_settings(app, input: SavePaSettings) -> PaSettings { app.save_pa_settings(&input, &app.actor().0) }
    /// Fetches the platform's new lifecycle flows and imports each; `failed` names each flow that failed with why.
    fn pa_sync(app; progress on_progress: PaProgress) -> PaSyncReport { app.pa_sync(&mut progress(on_progress)) }
    fn mail_settings(app) -> MailSettings { app.mail_settings() }
    fn save_mail_settings(app, settings: MailSettings) -> MailSettings { app.save_mail_settings(&settings, &app.actor().0) }
    fn email_templates(app) -> Vec<EmailTemplate> { app.email_templates() }
    fn save_email_template(app, input: EmailTemplateInput) -> EmailTemplate { app.save_email_template(&input, &app.actor().0) }
    fn reset_email_template(app, id: String, lang: String, version: Option<i64>) -> EmailTemplate {
        app.reset_email_template(&id, &lang, version, &app.actor().0)
    }
    /// A customer's message (subject, text, HTML) for its action of the day or a chosen template.
    fn preview_email(app, request: PreviewRequest) -> EmailPreview { app.preview_email(&request) }
    /// Sends the validated customers' emails of the day; `onProgress` after each customer.
    fn send_emails(app, request: SendEmails; progress on_progress: SendProgress) -> SendReport {
        app.send_emails(&request, &mut progress(on_progress))
    }
    fn thank_you_candidates(app, as_of: Option<NaiveDate>) -> Vec<ThankYouCandidate> { app.thank_you_candidates(as_of) }
    fn send_thank_you(app, customer: String, as_of: Option<NaiveDate>) -> SentEmail {
        app.send_thank_you(&customer, as_of, &app.actor().0)
    }
    /// The daily report; with `send`, emailed to the recipients of the email settings.
    /// The team's daily report, or one collector's portfolio's; `send`: emailed to `to` (else to the report's
    /// recipients in the mail settings).
    fn daily_report(app, as_of: Option<NaiveDate>, send: bool, collector: Option<String>, to: Vec<String>) -> DailyReport {
        if send {
            app.send_daily_report_of(as_of, &app.actor().0, collector.as_deref(), &to)
        } else {
            app.daily_report_of(as_of, collector.as_deref())
        }
    }
    fn audit_trail(app, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<AuditEvent> { app.audit_trail(from, to) }
    /// The audit trail between two days written to `path` (chosen in the save dialog) as CSV, XLSX or PDF.
    fn export_audit(app, from: Option<NaiveDate>, to: Option<NaiveDate>, format: ExportFormat, path: String) -> ExportDone {
        app.export_audit(from, to, format, Path::new(&path))
    }
    /// A template as being written, rendered by the backend (HTML-escaped) on a fictional customer; nothing saved.
    fn preview_template(app, draft: EmailTemplateInput) -> EmailPreview { app.preview_template(&draft) }
    /// The acting user's login and display name (Settings → "Mon nom").
    fn user_profile(app) -> UserProfile { app.user_profile() }
    /// Sets the acting user's display name (blank: the OS account's full name again); audited.
    fn set_user_name(app, name: String) -> UserProfile { app.set_user_name(&name) }
    fn collection_settings(app) -> CollectionSettings { app.collection_settings() }
    /// Sets the given fields (0 to 90 days), recorded in the audit trail.
    fn save_collection_settings(app, input: CollectionSettingsInput) -> CollectionSettings {
        app.save_collection_settings(&input, &app.actor().0)
    }
    /// Signatory, place, bank details, deadline and contractual rate of the letters.
    fn letter_settings(app) -> LetterSettings { app.letter_settings() }
    /// Saved and recorded in the audit trail; a bad deadline or rate is refused.
    fn save_letter_settings(app, settings: LetterSettings) -> LetterSettings { app.save_letter_settings(&settings, &app.actor().0) }
    /// The penalties' rates table: ECB and legal interest rates by half-year, newest first.
    fn rates(app) -> RatesDto { app.rates() }
    /// Each rate dated 1 January or 1 July, once per half-year; audited.
    fn save_rates(app, rates: RatesDto) -> RatesDto { app.save_rates(&rates, &app.actor().0) }
    /// Back to the built-in table; audited. `version`: the table's as read (`RatesDto.version`); null: no check.
    fn reset_rates(app, version: Option<i64>) -> RatesDto { app.reset_rates(version, &app.actor().0) }
    /// The segment → debtor kind mapping (professional, public body, private person), sorted by segment.
    fn debtor_kind_mapping(app) -> DebtorKindMapping { app.debtor_kind_mapping() }
    /// A segment listed twice or blank is refused; audited.
    fn save_debtor_kind_mapping(app, mapping: DebtorKindMapping) -> DebtorKindMapping {
        app.save_debtor_kind_mapping(&mapping, &app.actor().0)
    }

    /// The copies in the backups folder, newest first (Settings → Sauvegardes).
    fn backups(app) -> BackupList { app.backups() }
    /// A verified copy of the database now, into the backups folder; audited.
    fn backup_now(app) -> BackupDone { app.backup(None) }
    /// Replaces the database with the copy at `path` (checked first; the current database is copied before).
    fn restore_backup(app, path: String) -> RestoreDone { app.restore(Path::new(&path)) }
    /// Shows the backups folder in the system's file manager; its path.
    fn open_backups_folder(app) -> String { app.open_backups_folder() }
    fn backup_settings(app) -> BackupSettings { app.backup_settings() }
    /// Sets how many copies are kept; audited.
    fn save_backup_settings(app, settings: BackupSettings) -> BackupSettings { app.set_backup_settings(&settings) }

    /// A customer's letter as it will print (its letter action of the day, or the request's step).
    fn letter_preview(app, request: LetterRequest) -> LetterPreview { app.letter_preview(&request) }
    /// Writes the letter as PDF to the path chosen in the save dialog; nothing recorded.
    fn save_letter_pdf(app, request: LetterRequest, path: String) -> LetterPreview {
        app.save_letter_pdf(&request, Path::new(&path))
    }
    /// Opens the letter's PDF in the system viewer, then records it as printed (the workflow's letter action).
    /// No viewer: `no_pdf_viewer` with the path where the PDF was saved, nothing recorded.
    fn print_letter(app, request: LetterRequest) -> ActionDto {
        app.print_letter_to_file(&request).map(|printed| printed.action)
    }
    /// The day's letters in one PDF: to `path` (nothing recorded), or (null) printed — opened in the viewer, then
    /// recorded. No viewer: `no_pdf_viewer` with the path where the PDF was saved, nothing recorded. The letters
    /// that could not be written (a rate missing…) are left out, named with their reason.
    fn letters_batch(app, as_of: Option<NaiveDate>, path: Option<String>) -> BatchResult {
        app.letters_batch_to_file(as_of, path.as_deref().map(Path::new)).map(|(result, _)| result)
    }

    /// Writes the customer's litigation file (zip: notice, reminders as sent, statement, summary, manifest) to the
    /// path chosen in the save dialog.
    fn save_dossier(app, customer: String, as_of: Option<NaiveDate>, path: String) -> DossierDone {
        app.save_dossier(&customer, as_of, Path::new(&path))
    }
}

#[cfg(test)]
mod tests {
    /// Writes the UI's typed client functions; CI fails when the committed file differs.
    #[test]
    fn export_the_typescript_client() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api/bindings");
        std::fs::write(
            dir.join("commands.ts"),
            crate::ipc::typescript(&super::signatures()),
        )
        .unwrap();
    }

    /// The handler the window gets answers every declared command (with its own error, here: no database),
    /// and nothing else.
    #[test]
    fn every_declared_command_is_registered_and_nothing_else() {
        use tauri::ipc::{CallbackFn, InvokeBody};
        use tauri::webview::InvokeRequest;
        let unavailable = encaisse_app::AppError::NoData("no database in this test".into());
        let app = tauri::test::mock_builder()
            .manage(crate::Backend::failed(unavailable))
            .invoke_handler(super::handler())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let call = |cmd: &str| {
            let request = InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::default(),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            };
            tauri::test::get_ipc_response(&webview, request)
                .expect_err("no command succeeds without a database")
        };
        for s in super::signatures() {
            let error = call(s.name).to_string();
            assert!(!error.contains("not found"), "{}: {error}", s.name);
            assert!(
                error.contains("no database in this test") || error.contains("missing required key"),
                "{}: {error}",
                s.name
            );
        }
        assert!(call("drop_database").to_string().contains("not found"));
    }

    #[test]
    fn command_names_are_unique() {
        let names: Vec<_> = super::signatures().iter().map(|s| s.name).collect();
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(names.len(), 109);
    }
}
