// Generated from src-tauri/src/commands.rs by `cargo test -p encaisse-desktop`; do not edit.
// One function per desktop command: its arguments (camelCase) and its reply.
import type { ActionDto } from './ActionDto';
import type { ActionInput } from './ActionInput';
import type { AgendaView } from './AgendaView';
import type { AgingInvoices } from './AgingInvoices';
import type { AgingOptions } from './AgingOptions';
import type { AgingReport } from './AgingReport';
import type { AuditEvent } from './AuditEvent';
import type { BackupDone } from './BackupDone';
import type { BackupList } from './BackupList';
import type { BackupSettings } from './BackupSettings';
import type { BankEntries } from './BankEntries';
import type { BankEntryDto } from './BankEntryDto';
import type { BankImportOptions } from './BankImportOptions';
import type { BankImportReport } from './BankImportReport';
import type { BankStatementRemoved } from './BankStatementRemoved';
import type { BankStatements } from './BankStatements';
import type { BankStatus } from './BankStatus';
import type { BatchResult } from './BatchResult';
import type { CashWeek } from './CashWeek';
import type { CollectionSettings } from './CollectionSettings';
import type { CollectionSettingsInput } from './CollectionSettingsInput';
import type { ConnectInput } from './ConnectInput';
import type { Connection } from './Connection';
import type { CustomerFile } from './CustomerFile';
import type { CustomerList } from './CustomerList';
import type { CustomersReport } from './CustomersReport';
import type { D4416Report } from './D4416Report';
import type { DailyReport } from './DailyReport';
import type { Dashboard } from './Dashboard';
import type { DebtorKindMapping } from './DebtorKindMapping';
import type { DemoOptions } from './DemoOptions';
import type { DemoSummary } from './DemoSummary';
import type { DetectedFile } from './DetectedFile';
import type { DisputeDto } from './DisputeDto';
import type { DisputeInput } from './DisputeInput';
import type { DisputesBoard } from './DisputesBoard';
import type { DossierDone } from './DossierDone';
import type { DsoReport } from './DsoReport';
import type { DsoSetReport } from './DsoSetReport';
import type { EInvoiceReport } from './EInvoiceReport';
import type { EinvoiceStatusesReport } from './EinvoiceStatusesReport';
import type { EmailPreview } from './EmailPreview';
import type { EmailTemplate } from './EmailTemplate';
import type { EmailTemplateInput } from './EmailTemplateInput';
import type { ExportDone } from './ExportDone';
import type { ExportFormat } from './ExportFormat';
import type { ExportReport } from './ExportReport';
import type { ForecastAccuracy } from './ForecastAccuracy';
import type { ForecastReport } from './ForecastReport';
import type { GroupedAgingReport } from './GroupedAgingReport';
import type { ImportPreview } from './ImportPreview';
import type { ImportProgress } from './ImportProgress';
import type { InvoiceShare } from './InvoiceShare';
import type { LetterPreview } from './LetterPreview';
import type { LetterRequest } from './LetterRequest';
import type { LetterSettings } from './LetterSettings';
import type { MailSettings } from './MailSettings';
import type { PaProgress } from './PaProgress';
import type { PaSettings } from './PaSettings';
import type { PaSyncReport } from './PaSyncReport';
import type { PenaltiesQuery } from './PenaltiesQuery';
import type { PenaltiesReport } from './PenaltiesReport';
import type { PortfolioScope } from './PortfolioScope';
import type { Portfolios } from './Portfolios';
import type { PreviewRequest } from './PreviewRequest';
import type { PromiseChangeInput } from './PromiseChangeInput';
import type { PromiseCheck } from './PromiseCheck';
import type { PromiseDto } from './PromiseDto';
import type { PromiseInput } from './PromiseInput';
import type { RatesDto } from './RatesDto';
import type { Reassignment } from './Reassignment';
import type { RestoreDone } from './RestoreDone';
import type { SavePaSettings } from './SavePaSettings';
import type { SaveSmtp } from './SaveSmtp';
import type { ScenarioDto } from './ScenarioDto';
import type { Scenarios } from './Scenarios';
import type { SendEmails } from './SendEmails';
import type { SendProgress } from './SendProgress';
import type { SendReport } from './SendReport';
import type { SentEmail } from './SentEmail';
import type { SmtpSettings } from './SmtpSettings';
import type { Status } from './Status';
import type { StatusImportReport } from './StatusImportReport';
import type { TabularOptions } from './TabularOptions';
import type { TabularPreview } from './TabularPreview';
import type { ThankYouCandidate } from './ThankYouCandidate';
import type { UserProfile } from './UserProfile';
import type { WaiverInput } from './WaiverInput';
import type { WhatIf } from './WhatIf';
import type { WorkflowRecords } from './WorkflowRecords';

/** Sends a command with its (camelCase) arguments; resolves with the reply. */
export type Invoke = (command: CommandName, args: Record<string, unknown>) => Promise<unknown>;
/** Wraps a callback into the value sent as a channel argument. */
export type MakeChannel = <T>(onMessage: (message: T) => void) => unknown;

/** Every desktop command, in declaration order. */
export const COMMAND_NAMES = [
	'status',
	'team_connection',
	'connect_team',
	'disconnect_team',
	'change_stamp',
	'create_demo',
	'dashboard',
	'cash_week',
	'aging',
	'ledger_only',
	'set_ledger_only',
	'dso',
	'inspect_fec',
	'import_fec',
	'inspect_customers_file',
	'import_customers_file',
	'inspect_invoices_file',
	'import_invoices_file',
	'inspect_einvoices',
	'import_einvoices',
	'inspect_bank',
	'import_bank',
	'bank_entries',
	'bank_statements',
	'bank_match',
	'bank_unmatch',
	'bank_on_account',
	'bank_ignore',
	'bank_remove_statement',
	'bank_statement_removal',
	'detect_files',
	'import_statuses',
	'einvoice_statuses',
	'agenda_view',
	'record_action',
	'mark_done',
	'add_promise',
	'change_promise',
	'check_promises',
	'open_dispute',
	'close_dispute',
	'comment_dispute',
	'disputes_board',
	'workflow_records',
	'set_customer_paused',
	'set_customer_scenario',
	'scenarios',
	'save_scenario',
	'assign_scenario',
	'portfolios',
	'assign_portfolio',
	'reassign_portfolio',
	'customers',
	'customer_list',
	'customer_file',
	'set_customer_category',
	'aging_grouped',
	'aging_invoices',
	'dso_set',
	'what_if',
	'forecast',
	'forecast_accuracy',
	'd441_6',
	'penalties',
	'waive_penalty',
	'unwaive_penalty',
	'print_penalty_statement',
	'export_report',
	'smtp_settings',
	'save_smtp',
	'test_smtp',
	'pa_settings',
	'save_pa_settings',
	'pa_sync',
	'mail_settings',
	'save_mail_settings',
	'email_templates',
	'save_email_template',
	'reset_email_template',
	'preview_email',
	'send_emails',
	'thank_you_candidates',
	'send_thank_you',
	'daily_report',
	'audit_trail',
	'export_audit',
	'preview_template',
	'user_profile',
	'set_user_name',
	'collection_settings',
	'save_collection_settings',
	'letter_settings',
	'save_letter_settings',
	'rates',
	'save_rates',
	'reset_rates',
	'debtor_kind_mapping',
	'save_debtor_kind_mapping',
	'backups',
	'backup_now',
	'restore_backup',
	'open_backups_folder',
	'backup_settings',
	'save_backup_settings',
	'letter_preview',
	'save_letter_pdf',
	'print_letter',
	'letters_batch',
	'save_dossier',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export function commandsOver(invoke: Invoke, channel: MakeChannel) {
	return {
		/** What the database holds (company, counts, today). */
		status: (): Promise<Status> =>
			invoke('status', {}) as Promise<Status>,
		/** Settings → "Équipe": where the window's database is (this computer's file or a team's server). */
		teamConnection: (): Promise<Connection> =>
			invoke('team_connection', {}) as Promise<Connection>,
		/** Signs in to a team's server (the password to the OS keyring); the next command works on it. */
		connectTeam: (input: ConnectInput): Promise<string> =>
			invoke('connect_team', { input }) as Promise<string>,
		/** Back to this computer's file (the saved server and its password forgotten). */
		disconnectTeam: (): Promise<void> =>
			invoke('disconnect_team', {}) as Promise<void>,
		/** Moves when anyone writes to the database (a colleague on the team's server): the agenda polls it. */
		changeStamp: (): Promise<string> =>
			invoke('change_stamp', {}) as Promise<string>,
		/** Replaces the database's content with the demo company. */
		createDemo: (options: DemoOptions): Promise<DemoSummary> =>
			invoke('create_demo', { options }) as Promise<DemoSummary>,
		dashboard: (asOf: string | null): Promise<Dashboard> =>
			invoke('dashboard', { asOf }) as Promise<Dashboard>,
		/** This week's cash in against the forecast, the bank receipts booked, and the alerts (210/213, unmatched). */
		cashWeek: (asOf: string | null): Promise<CashWeek> =>
			invoke('cash_week', { asOf }) as Promise<CashWeek>,
		aging: (asOf: string | null): Promise<AgingReport> =>
			invoke('aging', { asOf }) as Promise<AgingReport>,
		/** Whether the reports show the FEC alone (true) or with the bank's provisional receipts (false, the default). */
		ledgerOnly: (): Promise<boolean> =>
			invoke('ledger_only', {}) as Promise<boolean>,
		/** The "ledger only" view, for every report of the window until changed; returns it. */
		setLedgerOnly: (ledgerOnly: boolean): Promise<boolean> =>
			invoke('set_ledger_only', { ledgerOnly }) as Promise<boolean>,
		dso: (asOf: string | null, periodDays: number | null): Promise<DsoReport> =>
			invoke('dso', { asOf, periodDays }) as Promise<DsoReport>,
		/**
		 * What an FEC holds and what importing it would change; nothing is written. `siren`: the company's, for a
		 * file whose name carries none.
		 */
		inspectFec: (path: string, termsDays: number | null, siren: string | null): Promise<ImportPreview> =>
			invoke('inspect_fec', { path, termsDays, siren }) as Promise<ImportPreview>,
		/** Imports an FEC in one transaction; `onProgress` gets the stages read → write → done. */
		importFec: (path: string, termsDays: number | null, siren: string | null, onProgress: (message: ImportProgress) => void): Promise<ImportPreview> =>
			invoke('import_fec', { path, termsDays, siren, onProgress: channel(onProgress) }) as Promise<ImportPreview>,
		inspectCustomersFile: (path: string, options: TabularOptions): Promise<TabularPreview> =>
			invoke('inspect_customers_file', { path, options }) as Promise<TabularPreview>,
		importCustomersFile: (path: string, options: TabularOptions): Promise<TabularPreview> =>
			invoke('import_customers_file', { path, options }) as Promise<TabularPreview>,
		inspectInvoicesFile: (path: string, options: TabularOptions): Promise<TabularPreview> =>
			invoke('inspect_invoices_file', { path, options }) as Promise<TabularPreview>,
		importInvoicesFile: (path: string, options: TabularOptions): Promise<TabularPreview> =>
			invoke('import_invoices_file', { path, options }) as Promise<TabularPreview>,
		inspectEinvoices: (paths: Array<string>): Promise<EInvoiceReport> =>
			invoke('inspect_einvoices', { paths }) as Promise<EInvoiceReport>,
		importEinvoices: (paths: Array<string>): Promise<EInvoiceReport> =>
			invoke('import_einvoices', { paths }) as Promise<EInvoiceReport>,
		/** Bank statements (camt.053/054, CFONB 120, OFX, a bank CSV): what importing them would do, nothing written. */
		inspectBank: (paths: Array<string>, options: BankImportOptions): Promise<BankImportReport> =>
			invoke('inspect_bank', { paths, options }) as Promise<BankImportReport>,
		importBank: (paths: Array<string>, options: BankImportOptions): Promise<BankImportReport> =>
			invoke('import_bank', { paths, options }) as Promise<BankImportReport>,
		/** The credit entries with what each pays and why (`status`: those of one status). */
		bankEntries: (status: BankStatus | null): Promise<BankEntries> =>
			invoke('bank_entries', { status }) as Promise<BankEntries>,
		bankStatements: (): Promise<BankStatements> =>
			invoke('bank_statements', {}) as Promise<BankStatements>,
		/** Puts an entry on invoices (a split when several), each for its amount or what it still owes. */
		bankMatch: (entry: string, invoices: Array<InvoiceShare>): Promise<BankEntryDto> =>
			invoke('bank_match', { entry, invoices }) as Promise<BankEntryDto>,
		bankUnmatch: (entry: string): Promise<BankEntryDto> =>
			invoke('bank_unmatch', { entry }) as Promise<BankEntryDto>,
		bankOnAccount: (entry: string, customer: string): Promise<BankEntryDto> =>
			invoke('bank_on_account', { entry, customer }) as Promise<BankEntryDto>,
		bankIgnore: (entry: string): Promise<BankEntryDto> =>
			invoke('bank_ignore', { entry }) as Promise<BankEntryDto>,
		bankRemoveStatement: (id: number): Promise<BankStatementRemoved> =>
			invoke('bank_remove_statement', { id }) as Promise<BankStatementRemoved>,
		/** What removing a statement would take away (entries, matches and decisions); nothing written. */
		bankStatementRemoval: (id: number): Promise<BankStatementRemoved> =>
			invoke('bank_statement_removal', { id }) as Promise<BankStatementRemoved>,
		/** What each file is, from its content (bank statement, bank CSV, CDAR statuses, FEC, e-invoice, table). */
		detectFiles: (paths: Array<string>): Promise<Array<DetectedFile>> =>
			invoke('detect_files', { paths }) as Promise<Array<DetectedFile>>,
		/** E-invoicing lifecycle statuses (CDAR D22B files from the platform), attached to invoices with their effects. */
		importStatuses: (paths: Array<string>): Promise<StatusImportReport> =>
			invoke('import_statuses', { paths }) as Promise<StatusImportReport>,
		/** Each invoice's status timeline (one customer's when given) and the 210/213 alerts. */
		einvoiceStatuses: (customer: string | null): Promise<EinvoiceStatusesReport> =>
			invoke('einvoice_statuses', { customer }) as Promise<EinvoiceStatusesReport>,
		/**
		 * The day's agenda of a portfolio (null: the user's own when they follow a customer, else the team's): one
		 * action per customer, with its invoices and contact details.
		 */
		agendaView: (asOf: string | null, portfolio: PortfolioScope | null): Promise<AgendaView> =>
			invoke('agenda_view', { asOf, portfolio }) as Promise<AgendaView>,
		/** Records an email sent, letter printed, call made (with its outcome), SMS or note; a step marks it done. */
		recordAction: (input: ActionInput): Promise<ActionDto> =>
			invoke('record_action', { input }) as Promise<ActionDto>,
		/** Marks a customer's action of the day done (the backend recomputes the agenda of that day). */
		markDone: (customer: string, asOf: string | null): Promise<ActionDto> =>
			invoke('mark_done', { customer, asOf }) as Promise<ActionDto>,
		addPromise: (input: PromiseInput): Promise<PromiseDto> =>
			invoke('add_promise', { input }) as Promise<PromiseDto>,
		/** Changes a promise's date, amount, grace or comment; refused (conflict) when someone changed it since. */
		changePromise: (input: PromiseChangeInput): Promise<PromiseDto> =>
			invoke('change_promise', { input }) as Promise<PromiseDto>,
		/** Every promise's status as of a day; with `record`, newly broken ones are listed once (the alerts). */
		checkPromises: (asOf: string | null, record: boolean): Promise<PromiseCheck> =>
			invoke('check_promises', { asOf, record }) as Promise<PromiseCheck>,
		openDispute: (input: DisputeInput): Promise<DisputeDto> =>
			invoke('open_dispute', { input }) as Promise<DisputeDto>,
		closeDispute: (id: number, closedOn: string | null, resolution: string): Promise<DisputeDto> =>
			invoke('close_dispute', { id, closedOn, resolution }) as Promise<DisputeDto>,
		commentDispute: (id: number, body: string): Promise<DisputeDto> =>
			invoke('comment_dispute', { id, body }) as Promise<DisputeDto>,
		disputesBoard: (asOf: string | null): Promise<DisputesBoard> =>
			invoke('disputes_board', { asOf }) as Promise<DisputesBoard>,
		/** A customer's actions, promises and disputes (one invoice's when `invoice` is given). */
		workflowRecords: (customer: string, invoice: string | null): Promise<WorkflowRecords> =>
			invoke('workflow_records', { customer, invoice }) as Promise<WorkflowRecords>,
		/** `version`: the customer's chase as read (`WorkflowRecords.chase_version`); null: no check. */
		setCustomerPaused: (customer: string, paused: boolean, reason: string, version: number | null): Promise<void> =>
			invoke('set_customer_paused', { customer, paused, reason, version }) as Promise<void>,
		/** A customer's own scenario; null: the one of its category or segment. `version` as for a pause. */
		setCustomerScenario: (customer: string, scenario: string | null, version: number | null): Promise<void> =>
			invoke('set_customer_scenario', { customer, scenario, version }) as Promise<void>,
		scenarios: (): Promise<Scenarios> =>
			invoke('scenarios', {}) as Promise<Scenarios>,
		/** Saves a scenario; answers with the scenarios as they now are. */
		saveScenario: (scenario: ScenarioDto): Promise<Scenarios> =>
			invoke('save_scenario', { scenario }) as Promise<Scenarios>,
		/** Assigns a scenario to every customer of a segment or category; null removes the assignment. */
		assignScenario: (by: string, value: string, scenario: string | null): Promise<Scenarios> =>
			invoke('assign_scenario', { by, value, scenario }) as Promise<Scenarios>,
		/** Each collector's customers and money, the portfolio rules and the customers given by hand. */
		portfolios: (asOf: string | null): Promise<Portfolios> =>
			invoke('portfolios', { asOf }) as Promise<Portfolios>,
		/** Gives a customer (by = customer) or a segment's or category's customers to a collector; null takes it back. */
		assignPortfolio: (by: string, value: string, collector: string | null, asOf: string | null): Promise<Portfolios> =>
			invoke('assign_portfolio', { by, value, collector, asOf }) as Promise<Portfolios>,
		/** Hands everything a collector follows over to another. */
		reassignPortfolio: (from: string, to: string): Promise<Reassignment> =>
			invoke('reassign_portfolio', { from, to }) as Promise<Reassignment>,
		/** Every customer with its behaviour, explained score and credit limit; the limit alerts. */
		customers: (asOf: string | null): Promise<CustomersReport> =>
			invoke('customers', { asOf }) as Promise<CustomersReport>,
		/** The Clients screen's list: per customer only the columns it shows. */
		customerList: (asOf: string | null): Promise<CustomerList> =>
			invoke('customer_list', { asOf }) as Promise<CustomerList>,
		/** One customer's file: identity, terms, analysis, paid invoices and monthly lateness. */
		customerFile: (key: string, asOf: string | null): Promise<CustomerFile> =>
			invoke('customer_file', { key, asOf }) as Promise<CustomerFile>,
		/** Sets (or clears, with null) the customer's category. */
		setCustomerCategory: (key: string, category: string | null): Promise<void> =>
			invoke('set_customer_category', { key, category }) as Promise<void>,
		agingGrouped: (options: AgingOptions): Promise<GroupedAgingReport> =>
			invoke('aging_grouped', { options }) as Promise<GroupedAgingReport>,
		/** The open invoices behind the aged balance, all or one customer's. */
		agingInvoices: (options: AgingOptions, customer: string | null): Promise<AgingInvoices> =>
			invoke('aging_invoices', { options, customer }) as Promise<AgingInvoices>,
		/** DSO, best possible DSO, weighted days late and the 12 month ends. */
		dsoSet: (asOf: string | null, periodDays: number | null): Promise<DsoSetReport> =>
			invoke('dso_set', { asOf, periodDays }) as Promise<DsoSetReport>,
		/** Cash freed by `days` less of DSO and the yearly financing saved at `rate` percent ("4.5"). */
		whatIf: (asOf: string | null, days: number, rate: string): Promise<WhatIf> =>
			invoke('what_if', { asOf, days, rate }) as Promise<WhatIf>,
		forecast: (asOf: string | null, weeks: number | null): Promise<ForecastReport> =>
			invoke('forecast', { asOf, weeks }) as Promise<ForecastReport>,
		forecastAccuracy: (asOf: string | null): Promise<ForecastAccuracy> =>
			invoke('forecast_accuracy', { asOf }) as Promise<ForecastAccuracy>,
		/** The D441-6 table at a year end; an entered turnover ("1234567.89") is recorded first. */
		d4416: (yearEnd: string, turnover: string | null): Promise<D4416Report> =>
			invoke('d441_6', { yearEnd, turnover }) as Promise<D4416Report>,
		/** Penalties on invoices paid late: every customer's (or one's), payments of the period. */
		penalties: (query: PenaltiesQuery): Promise<PenaltiesReport> =>
			invoke('penalties', { query }) as Promise<PenaltiesReport>,
		/** Waives the penalties of one invoice paid late, with the reason; audited. */
		waivePenalty: (input: WaiverInput): Promise<void> =>
			invoke('waive_penalty', { input }) as Promise<void>,
		/** Claims an invoice's penalties again (removes its waiver); audited. */
		unwaivePenalty: (customer: string, invoice: string): Promise<void> =>
			invoke('unwaive_penalty', { customer, invoice }) as Promise<void>,
		/** The penalty statement as PDF: to `path`, or (null) opened in the system viewer; where it is. */
		printPenaltyStatement: (query: PenaltiesQuery, path: string | null): Promise<string> =>
			invoke('print_penalty_statement', { query, path }) as Promise<string>,
		/** Writes the report as CSV, XLSX or PDF to the path chosen in the save dialog. */
		exportReport: (report: ExportReport, format: ExportFormat, path: string): Promise<ExportDone> =>
			invoke('export_report', { report, format, path }) as Promise<ExportDone>,
		/** The SMTP settings; never the password (`has_password` says whether the OS keyring holds it). */
		smtpSettings: (): Promise<SmtpSettings> =>
			invoke('smtp_settings', {}) as Promise<SmtpSettings>,
		/** Saves the SMTP settings; a given password goes to the OS keyring only (empty removes it). */
		saveSmtp: (input: SaveSmtp): Promise<SmtpSettings> =>
			invoke('save_smtp', { input }) as Promise<SmtpSettings>,
		/** Sends a test message to `to`. */
		testSmtp: (to: string): Promise<void> =>
			invoke('test_smtp', { to }) as Promise<void>,
		/** The accredited platform's settings (never the client secret: `has_secret` says whether the keyring has it). */
		paSettings: (): Promise<PaSettings> =>
			invoke('pa_settings', {}) as Promise<PaSettings>,
		/** Saves them; a given secret goes to the OS keyring only (empty removes it, none keeps it). */
		savePaSettings: (input: SavePaSettings): Promise<PaSettings> =>
			invoke('save_pa_settings', { input }) as Promise<PaSettings>,
		/** Fetches the platform's new lifecycle flows and imports each; `failed` names each flow that failed with why. */
		paSync: (onProgress: (message: PaProgress) => void): Promise<PaSyncReport> =>
			invoke('pa_sync', { onProgress: channel(onProgress) }) as Promise<PaSyncReport>,
		mailSettings: (): Promise<MailSettings> =>
			invoke('mail_settings', {}) as Promise<MailSettings>,
		saveMailSettings: (settings: MailSettings): Promise<MailSettings> =>
			invoke('save_mail_settings', { settings }) as Promise<MailSettings>,
		emailTemplates: (): Promise<Array<EmailTemplate>> =>
			invoke('email_templates', {}) as Promise<Array<EmailTemplate>>,
		saveEmailTemplate: (input: EmailTemplateInput): Promise<EmailTemplate> =>
			invoke('save_email_template', { input }) as Promise<EmailTemplate>,
		resetEmailTemplate: (id: string, lang: string, version: number | null): Promise<EmailTemplate> =>
			invoke('reset_email_template', { id, lang, version }) as Promise<EmailTemplate>,
		/** A customer's message (subject, text, HTML) for its action of the day or a chosen template. */
		previewEmail: (request: PreviewRequest): Promise<EmailPreview> =>
			invoke('preview_email', { request }) as Promise<EmailPreview>,
		/** Sends the validated customers' emails of the day; `onProgress` after each customer. */
		sendEmails: (request: SendEmails, onProgress: (message: SendProgress) => void): Promise<SendReport> =>
			invoke('send_emails', { request, onProgress: channel(onProgress) }) as Promise<SendReport>,
		thankYouCandidates: (asOf: string | null): Promise<Array<ThankYouCandidate>> =>
			invoke('thank_you_candidates', { asOf }) as Promise<Array<ThankYouCandidate>>,
		sendThankYou: (customer: string, asOf: string | null): Promise<SentEmail> =>
			invoke('send_thank_you', { customer, asOf }) as Promise<SentEmail>,
		/**
		 * The daily report; with `send`, emailed to the recipients of the email settings.
		 * The team's daily report, or one collector's portfolio's; `send`: emailed to `to` (else to the report's
		 * recipients in the mail settings).
		 */
		dailyReport: (asOf: string | null, send: boolean, collector: string | null, to: Array<string>): Promise<DailyReport> =>
			invoke('daily_report', { asOf, send, collector, to }) as Promise<DailyReport>,
		auditTrail: (from: string | null, to: string | null): Promise<Array<AuditEvent>> =>
			invoke('audit_trail', { from, to }) as Promise<Array<AuditEvent>>,
		/** The audit trail between two days written to `path` (chosen in the save dialog) as CSV, XLSX or PDF. */
		exportAudit: (from: string | null, to: string | null, format: ExportFormat, path: string): Promise<ExportDone> =>
			invoke('export_audit', { from, to, format, path }) as Promise<ExportDone>,
		/** A template as being written, rendered by the backend (HTML-escaped) on a fictional customer; nothing saved. */
		previewTemplate: (draft: EmailTemplateInput): Promise<EmailPreview> =>
			invoke('preview_template', { draft }) as Promise<EmailPreview>,
		/** The acting user's login and display name (Settings → "Mon nom"). */
		userProfile: (): Promise<UserProfile> =>
			invoke('user_profile', {}) as Promise<UserProfile>,
		/** Sets the acting user's display name (blank: the OS account's full name again); audited. */
		setUserName: (name: string): Promise<UserProfile> =>
			invoke('set_user_name', { name }) as Promise<UserProfile>,
		collectionSettings: (): Promise<CollectionSettings> =>
			invoke('collection_settings', {}) as Promise<CollectionSettings>,
		/** Sets the given fields (0 to 90 days), recorded in the audit trail. */
		saveCollectionSettings: (input: CollectionSettingsInput): Promise<CollectionSettings> =>
			invoke('save_collection_settings', { input }) as Promise<CollectionSettings>,
		/** Signatory, place, bank details, deadline and contractual rate of the letters. */
		letterSettings: (): Promise<LetterSettings> =>
			invoke('letter_settings', {}) as Promise<LetterSettings>,
		/** Saved and recorded in the audit trail; a bad deadline or rate is refused. */
		saveLetterSettings: (settings: LetterSettings): Promise<LetterSettings> =>
			invoke('save_letter_settings', { settings }) as Promise<LetterSettings>,
		/** The penalties' rates table: ECB and legal interest rates by half-year, newest first. */
		rates: (): Promise<RatesDto> =>
			invoke('rates', {}) as Promise<RatesDto>,
		/** Each rate dated 1 January or 1 July, once per half-year; audited. */
		saveRates: (rates: RatesDto): Promise<RatesDto> =>
			invoke('save_rates', { rates }) as Promise<RatesDto>,
		/** Back to the built-in table; audited. `version`: the table's as read (`RatesDto.version`); null: no check. */
		resetRates: (version: number | null): Promise<RatesDto> =>
			invoke('reset_rates', { version }) as Promise<RatesDto>,
		/** The segment → debtor kind mapping (professional, public body, private person), sorted by segment. */
		debtorKindMapping: (): Promise<DebtorKindMapping> =>
			invoke('debtor_kind_mapping', {}) as Promise<DebtorKindMapping>,
		/** A segment listed twice or blank is refused; audited. */
		saveDebtorKindMapping: (mapping: DebtorKindMapping): Promise<DebtorKindMapping> =>
			invoke('save_debtor_kind_mapping', { mapping }) as Promise<DebtorKindMapping>,
		/** The copies in the backups folder, newest first (Settings → Sauvegardes). */
		backups: (): Promise<BackupList> =>
			invoke('backups', {}) as Promise<BackupList>,
		/** A verified copy of the database now, into the backups folder; audited. */
		backupNow: (): Promise<BackupDone> =>
			invoke('backup_now', {}) as Promise<BackupDone>,
		/** Replaces the database with the copy at `path` (checked first; the current database is copied before). */
		restoreBackup: (path: string): Promise<RestoreDone> =>
			invoke('restore_backup', { path }) as Promise<RestoreDone>,
		/** Shows the backups folder in the system's file manager; its path. */
		openBackupsFolder: (): Promise<string> =>
			invoke('open_backups_folder', {}) as Promise<string>,
		backupSettings: (): Promise<BackupSettings> =>
			invoke('backup_settings', {}) as Promise<BackupSettings>,
		/** Sets how many copies are kept; audited. */
		saveBackupSettings: (settings: BackupSettings): Promise<BackupSettings> =>
			invoke('save_backup_settings', { settings }) as Promise<BackupSettings>,
		/** A customer's letter as it will print (its letter action of the day, or the request's step). */
		letterPreview: (request: LetterRequest): Promise<LetterPreview> =>
			invoke('letter_preview', { request }) as Promise<LetterPreview>,
		/** Writes the letter as PDF to the path chosen in the save dialog; nothing recorded. */
		saveLetterPdf: (request: LetterRequest, path: string): Promise<LetterPreview> =>
			invoke('save_letter_pdf', { request, path }) as Promise<LetterPreview>,
		/**
		 * Opens the letter's PDF in the system viewer, then records it as printed (the workflow's letter action).
		 * No viewer: `no_pdf_viewer` with the path where the PDF was saved, nothing recorded.
		 */
		printLetter: (request: LetterRequest): Promise<ActionDto> =>
			invoke('print_letter', { request }) as Promise<ActionDto>,
		/**
		 * The day's letters in one PDF: to `path` (nothing recorded), or (null) printed — opened in the viewer, then
		 * recorded. No viewer: `no_pdf_viewer` with the path where the PDF was saved, nothing recorded. The letters
		 * that could not be written (a rate missing…) are left out, named with their reason.
		 */
		lettersBatch: (asOf: string | null, path: string | null): Promise<BatchResult> =>
			invoke('letters_batch', { asOf, path }) as Promise<BatchResult>,
		/**
		 * Writes the customer's litigation file (zip: notice, reminders as sent, statement, summary, manifest) to the
		 * path chosen in the save dialog.
		 */
		saveDossier: (customer: string, asOf: string | null, path: string): Promise<DossierDone> =>
			invoke('save_dossier', { customer, asOf, path }) as Promise<DossierDone>,
	};
}

/** The typed client functions of every command. */
export type Commands = ReturnType<typeof commandsOver>;
