/**
 * The UI's only door to the backend: one typed function per Tauri command, errors turned into ApiError.
 * The transport is injectable so tests (and the browser preview) run without Tauri.
 */
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AgingReport } from './bindings/AgingReport';
import type { AppError } from './bindings/AppError';
import type { Dashboard } from './bindings/Dashboard';
import type { DemoOptions } from './bindings/DemoOptions';
import type { DemoSummary } from './bindings/DemoSummary';
import type { DsoReport } from './bindings/DsoReport';
import type { EInvoiceReport } from './bindings/EInvoiceReport';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportProgress } from './bindings/ImportProgress';
import type { Status } from './bindings/Status';
import type { TabularOptions } from './bindings/TabularOptions';
import type { TabularPreview } from './bindings/TabularPreview';
import type { ActionDto } from './bindings/ActionDto';
import type { ActionInput } from './bindings/ActionInput';
import type { AgendaView } from './bindings/AgendaView';
import type { DisputeDto } from './bindings/DisputeDto';
import type { DisputeInput } from './bindings/DisputeInput';
import type { DisputesBoard } from './bindings/DisputesBoard';
import type { PromiseCheck } from './bindings/PromiseCheck';
import type { PromiseDto } from './bindings/PromiseDto';
import type { PromiseInput } from './bindings/PromiseInput';
import type { ScenarioDto } from './bindings/ScenarioDto';
import type { Scenarios } from './bindings/Scenarios';
import type { WorkflowRecords } from './bindings/WorkflowRecords';
// The DAF's views (issue 4)
import type { AgingInvoices } from './bindings/AgingInvoices';
import type { AgingOptions } from './bindings/AgingOptions';
import type { CustomerFile } from './bindings/CustomerFile';
import type { CustomersReport } from './bindings/CustomersReport';
import type { D4416Report } from './bindings/D4416Report';
import type { DsoSetReport } from './bindings/DsoSetReport';
import type { ExportDone } from './bindings/ExportDone';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportReport } from './bindings/ExportReport';
import type { ForecastAccuracy } from './bindings/ForecastAccuracy';
import type { ForecastReport } from './bindings/ForecastReport';
import type { GroupedAgingReport } from './bindings/GroupedAgingReport';
import type { WhatIf } from './bindings/WhatIf';
// Email (issue 5)
import type { AuditEvent } from './bindings/AuditEvent';
import type { DailyReport } from './bindings/DailyReport';
import type { EmailPreview } from './bindings/EmailPreview';
import type { EmailTemplate } from './bindings/EmailTemplate';
import type { EmailTemplateInput } from './bindings/EmailTemplateInput';
import type { MailSettings } from './bindings/MailSettings';
import type { PreviewRequest } from './bindings/PreviewRequest';
import type { SaveSmtp } from './bindings/SaveSmtp';
import type { SendEmails } from './bindings/SendEmails';
import type { SendProgress } from './bindings/SendProgress';
import type { SendReport } from './bindings/SendReport';
import type { SentEmail } from './bindings/SentEmail';
import type { SmtpSettings } from './bindings/SmtpSettings';
import type { ThankYouCandidate } from './bindings/ThankYouCandidate';
import type { CollectionSettings } from './bindings/CollectionSettings';
import type { CollectionSettingsInput } from './bindings/CollectionSettingsInput';
import type { LetterSettings } from './bindings/LetterSettings';
import type { RateRow } from './bindings/RateRow';
import type { RatesDto } from './bindings/RatesDto';
// Letters (issue 6)
import type { BatchLetter } from './bindings/BatchLetter';
import type { LetterPreview } from './bindings/LetterPreview';
import type { LetterRequest } from './bindings/LetterRequest';
import type { Desktop } from './desktop';
export type { BatchLetter, LetterPreview, LetterRequest };
export type { LetterTotal } from './bindings/LetterTotal';

export type {
	AgingReport,
	AppError,
	Dashboard,
	DemoOptions,
	DemoSummary,
	DsoReport,
	EInvoiceReport,
	ImportPreview,
	ImportProgress,
	Status,
	TabularOptions,
	TabularPreview
};
export type { ColumnMapping } from './bindings/ColumnMapping';
export type { EInvoiceResult } from './bindings/EInvoiceResult';
export type { ImportChangesDto } from './bindings/ImportChangesDto';
export type { TabularChanges } from './bindings/TabularChanges';
export type { AgingRow } from './bindings/AgingRow';
export type { BucketTotal } from './bindings/BucketTotal';
export type { LateCustomer } from './bindings/LateCustomer';
// Collections workflow (issue 5)
export type {
	ActionDto,
	ActionInput,
	AgendaView,
	DisputeDto,
	DisputeInput,
	DisputesBoard,
	PromiseCheck,
	PromiseDto,
	PromiseInput,
	ScenarioDto,
	Scenarios,
	WorkflowRecords
};
export type { AgendaItem } from './bindings/AgendaItem';
export type { AgendaAction } from './bindings/AgendaAction';
export type { AgendaInvoice } from './bindings/AgendaInvoice';
export type { DisputeTally } from './bindings/DisputeTally';
export type { DisputeCommentDto } from './bindings/DisputeCommentDto';
export type { ScenarioStep } from './bindings/ScenarioStep';
export type { ScenarioAssignment } from './bindings/ScenarioAssignment';
export type {
	AuditEvent,
	DailyReport,
	EmailPreview,
	EmailTemplate,
	EmailTemplateInput,
	MailSettings,
	PreviewRequest,
	SaveSmtp,
	SendEmails,
	SendProgress,
	SendReport,
	SentEmail,
	SmtpSettings,
	ThankYouCandidate
};
export type { FailedEmail } from './bindings/FailedEmail';
export type { CollectionSettings, CollectionSettingsInput };
export type { LetterSettings, RateRow, RatesDto };
export type { Security } from './bindings/Security';
// The DAF's views (issue 4)
export type {
	AgingInvoices,
	AgingOptions,
	CustomerFile,
	CustomersReport,
	D4416Report,
	DsoSetReport,
	ExportDone,
	ExportFormat,
	ExportReport,
	ForecastAccuracy,
	ForecastReport,
	GroupedAgingReport,
	WhatIf
};
export type { AccuracyWeek } from './bindings/AccuracyWeek';
export type { AgingGroup } from './bindings/AgingGroup';
export type { AgingInvoice } from './bindings/AgingInvoice';
export type { BacktestReport } from './bindings/BacktestReport';
export type { BehaviourMonth } from './bindings/BehaviourMonth';
export type { CreditLimitAlert } from './bindings/CreditLimitAlert';
export type { CustomerAnalysis } from './bindings/CustomerAnalysis';
export type { D4416Band } from './bindings/D4416Band';
export type { DsoPoint } from './bindings/DsoPoint';
export type { ForecastWeek } from './bindings/ForecastWeek';
export type { PaidInvoiceDto } from './bindings/PaidInvoiceDto';
export type { ScoreFactor } from './bindings/ScoreFactor';

/** Sends one command with its (camelCase) arguments and resolves with the reply or rejects with the error value. */
export type Transport = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/**
 * Makes the value sent as a command's channel argument, whose messages reach `onMessage`: a Tauri Channel in
 * the app; tests and the browser preview pass their own.
 */
export type ChannelFactory = <T>(onMessage: (message: T) => void) => unknown;

/** The real channel: Tauri's IPC Channel (only usable inside the app). */
export const tauriChannel: ChannelFactory = <T>(onMessage: (message: T) => void) => new Channel<T>(onMessage);

/** The backend's error kinds, plus `unexpected` for anything that is not an AppError (a bug, a missing command). */
export type ErrorCode = AppError['code'] | 'unexpected';

const APP_ERROR_CODES: readonly string[] = [
	'newer_database',
	'database',
	'invalid_input',
	'invalid_file',
	'no_data',
	'io',
	'mail'
] satisfies AppError['code'][];

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		readonly code: ErrorCode,
		/** The backend's message, for the "details" line; the UI's own text says what to do. */
		readonly detail: string,
		readonly command: string
	) {
		super(`${command}: ${code}: ${detail}`);
	}
}

export function isAppError(value: unknown): value is AppError {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return typeof v.code === 'string' && APP_ERROR_CODES.includes(v.code) && typeof v.message === 'string';
}

/** Whatever a command rejected with, as an ApiError (never a stack trace for the user). */
export function toApiError(command: string, reason: unknown): ApiError {
	if (reason instanceof ApiError) return reason;
	if (isAppError(reason)) return new ApiError(reason.code, reason.message, command);
	if (typeof reason === 'string') return new ApiError('unexpected', reason, command);
	if (reason instanceof Error) return new ApiError('unexpected', reason.message, command);
	return new ApiError('unexpected', String(reason), command);
}

export type Api = {
	status(): Promise<Status>;
	createDemo(options: DemoOptions): Promise<DemoSummary>;
	dashboard(asOf: string | null): Promise<Dashboard>;
	aging(asOf: string | null): Promise<AgingReport>;
	dso(asOf: string | null, periodDays: number | null): Promise<DsoReport>;
	/** What an FEC holds and what importing it would change; nothing is written. */
	inspectFec(path: string, termsDays: number | null): Promise<ImportPreview>;
	/** Imports an FEC in one transaction; `onProgress` gets the stages read → write → done. */
	importFec(
		path: string,
		termsDays: number | null,
		onProgress: (progress: ImportProgress) => void
	): Promise<ImportPreview>;
	inspectCustomersFile(path: string, options: TabularOptions): Promise<TabularPreview>;
	importCustomersFile(path: string, options: TabularOptions): Promise<TabularPreview>;
	inspectInvoicesFile(path: string, options: TabularOptions): Promise<TabularPreview>;
	importInvoicesFile(path: string, options: TabularOptions): Promise<TabularPreview>;
	inspectEinvoices(paths: string[]): Promise<EInvoiceReport>;
	importEinvoices(paths: string[]): Promise<EInvoiceReport>;
	// Collections workflow (issue 5)
	/** The day's agenda: one action per customer, with its invoices and contact details. */
	// Email (issue 5)
	/** The SMTP settings; never the password (`has_password` says whether the OS keyring holds it). */
	smtpSettings(): Promise<SmtpSettings>;
	/** Saves the SMTP settings; a given password goes to the OS keyring only (empty removes it). */
	saveSmtp(input: SaveSmtp): Promise<SmtpSettings>;
	/** Sends a test message to `to`. */
	testSmtp(to: string): Promise<void>;
	mailSettings(): Promise<MailSettings>;
	saveMailSettings(settings: MailSettings): Promise<MailSettings>;
	emailTemplates(): Promise<EmailTemplate[]>;
	saveEmailTemplate(input: EmailTemplateInput): Promise<EmailTemplate>;
	resetEmailTemplate(id: string, lang: string): Promise<EmailTemplate>;
	/** A customer's message (subject, text, HTML) for its action of the day or a chosen template. */
	previewEmail(request: PreviewRequest): Promise<EmailPreview>;
	/** Sends the validated customers' emails of the day; `onProgress` after each customer. */
	sendEmails(request: SendEmails, onProgress: (progress: SendProgress) => void): Promise<SendReport>;
	thankYouCandidates(asOf: string | null): Promise<ThankYouCandidate[]>;
	sendThankYou(customer: string, asOf: string | null): Promise<SentEmail>;
	/** The daily report; with `send`, emailed to the recipients of the email settings. */
	dailyReport(asOf: string | null, send: boolean): Promise<DailyReport>;
	auditTrail(from: string | null, to: string | null): Promise<AuditEvent[]>;
	/** The audit trail between two days written to `path` (chosen in the save dialog) as CSV or XLSX. */
	exportAudit(
		from: string | null,
		to: string | null,
		format: ExportFormat,
		path: string
	): Promise<ExportDone>;
	/** A template as being written, rendered by the backend (HTML-escaped) on a fictional customer; nothing saved. */
	previewTemplate(draft: EmailTemplateInput): Promise<EmailPreview>;
	collectionSettings(): Promise<CollectionSettings>;
	/** Sets the given fields (0 to 90 days), recorded in the audit trail. */
	saveCollectionSettings(input: CollectionSettingsInput): Promise<CollectionSettings>;
	/** Signatory, place, bank details, deadline and contractual rate of the letters. */
	letterSettings(): Promise<LetterSettings>;
	/** Saved and recorded in the audit trail; a bad deadline or rate is refused. */
	saveLetterSettings(settings: LetterSettings): Promise<LetterSettings>;
	/** The penalties' rates table: ECB and legal interest rates by half-year, newest first. */
	rates(): Promise<RatesDto>;
	/** Each rate dated 1 January or 1 July, once per half-year; audited. */
	saveRates(rates: RatesDto): Promise<RatesDto>;
	/** Back to the built-in table; audited. */
	resetRates(): Promise<RatesDto>;
	agendaView(asOf: string | null): Promise<AgendaView>;
	/** Records an email sent, letter printed, call made (with its outcome), SMS or note; a step marks it done. */
	recordAction(input: ActionInput): Promise<ActionDto>;
	/** Marks a customer's action of the day done (the backend recomputes the agenda of that day). */
	markDone(customer: string, asOf: string | null): Promise<ActionDto>;
	addPromise(input: PromiseInput): Promise<PromiseDto>;
	/** Every promise's status as of a day; with `record`, newly broken ones are listed once (the alerts). */
	checkPromises(asOf: string | null, record: boolean): Promise<PromiseCheck>;
	openDispute(input: DisputeInput): Promise<DisputeDto>;
	closeDispute(id: number, closedOn: string | null, resolution: string): Promise<DisputeDto>;
	commentDispute(id: number, body: string): Promise<DisputeDto>;
	disputesBoard(asOf: string | null): Promise<DisputesBoard>;
	/** A customer's actions, promises and disputes (one invoice's when `invoice` is given). */
	workflowRecords(customer: string, invoice: string | null): Promise<WorkflowRecords>;
	setCustomerPaused(customer: string, paused: boolean, reason: string): Promise<void>;
	/** A customer's own scenario; null: the one of its category or segment. */
	setCustomerScenario(customer: string, scenario: string | null): Promise<void>;
	scenarios(): Promise<Scenarios>;
	saveScenario(scenario: ScenarioDto): Promise<Scenarios>;
	/** Assigns a scenario to every customer of a segment or category; null removes the assignment. */
	assignScenario(by: 'segment' | 'category', value: string, scenario: string | null): Promise<Scenarios>;
	// The DAF's views (issue 4)
	/** Every customer with its behaviour, explained score and credit limit; the limit alerts. */
	customers(asOf: string | null): Promise<CustomersReport>;
	/** One customer's file: identity, terms, analysis, paid invoices and monthly lateness. */
	customerFile(key: string, asOf: string | null): Promise<CustomerFile>;
	/** Sets (or clears, with null) the customer's category: key_account, occasional, private_person, public_body. */
	setCustomerCategory(key: string, category: string | null): Promise<void>;
	agingGrouped(options: AgingOptions): Promise<GroupedAgingReport>;
	/** The open invoices behind the aged balance, all or one customer's. */
	agingInvoices(options: AgingOptions, customer: string | null): Promise<AgingInvoices>;
	/** DSO, best possible DSO, weighted days late and the 12 month ends. */
	dsoSet(asOf: string | null, periodDays: number | null): Promise<DsoSetReport>;
	/** Cash freed by `days` less of DSO and the yearly financing saved at `rate` percent ("4.5"). */
	whatIf(asOf: string | null, days: number, rate: string): Promise<WhatIf>;
	forecast(asOf: string | null, weeks: number | null): Promise<ForecastReport>;
	forecastAccuracy(asOf: string | null): Promise<ForecastAccuracy>;
	/** The D441-6 table at a year end; an entered turnover ("1234567.89") is recorded first. */
	d4416(yearEnd: string, turnover: string | null): Promise<D4416Report>;
	/** Writes the report as CSV or XLSX to the path chosen in the save dialog. */
	exportReport(report: ExportReport, format: ExportFormat, path: string): Promise<ExportDone>;
	// Letters (issue 6)
	/** A customer's letter as it will print (its letter action of the day, or the request's step). */
	letterPreview(request: LetterRequest): Promise<LetterPreview>;
	/** Writes the letter as PDF to the path chosen in the save dialog; nothing recorded. */
	saveLetterPdf(request: LetterRequest, path: string): Promise<LetterPreview>;
	/** Records the letter as printed (the workflow's letter action) and opens its PDF in the system viewer. */
	printLetter(request: LetterRequest, user: string | null): Promise<ActionDto>;
	/** The day's letters in one PDF: to `path`, or (null) printed — recorded and opened in the viewer. */
	lettersBatch(asOf: string | null, path: string | null, user: string | null): Promise<BatchLetter[]>;
};

export function createApi(transport: Transport, channel: ChannelFactory = tauriChannel): Api {
	async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
		try {
			return (await transport(command, args)) as T;
		} catch (reason) {
			throw toApiError(command, reason);
		}
	}
	return {
		status: () => call<Status>('status'),
		createDemo: (options) => call<DemoSummary>('create_demo', { options }),
		dashboard: (asOf) => call<Dashboard>('dashboard', { asOf }),
		aging: (asOf) => call<AgingReport>('aging', { asOf }),
		dso: (asOf, periodDays) => call<DsoReport>('dso', { asOf, periodDays }),
		inspectFec: (path, termsDays) => call<ImportPreview>('inspect_fec', { path, termsDays }),
		importFec: (path, termsDays, onProgress) =>
			call<ImportPreview>('import_fec', { path, termsDays, onProgress: channel(onProgress) }),
		inspectCustomersFile: (path, options) =>
			call<TabularPreview>('inspect_customers_file', { path, options }),
		importCustomersFile: (path, options) => call<TabularPreview>('import_customers_file', { path, options }),
		inspectInvoicesFile: (path, options) => call<TabularPreview>('inspect_invoices_file', { path, options }),
		importInvoicesFile: (path, options) => call<TabularPreview>('import_invoices_file', { path, options }),
		inspectEinvoices: (paths) => call<EInvoiceReport>('inspect_einvoices', { paths }),
		importEinvoices: (paths) => call<EInvoiceReport>('import_einvoices', { paths }),
		// Collections workflow (issue 5)
		// Email (issue 5)
		smtpSettings: () => call<SmtpSettings>('smtp_settings'),
		saveSmtp: (input) => call<SmtpSettings>('save_smtp', { input }),
		testSmtp: (to) => call<void>('test_smtp', { to }),
		mailSettings: () => call<MailSettings>('mail_settings'),
		saveMailSettings: (settings) => call<MailSettings>('save_mail_settings', { settings }),
		emailTemplates: () => call<EmailTemplate[]>('email_templates'),
		saveEmailTemplate: (input) => call<EmailTemplate>('save_email_template', { input }),
		resetEmailTemplate: (id, lang) => call<EmailTemplate>('reset_email_template', { id, lang }),
		previewEmail: (request) => call<EmailPreview>('preview_email', { request }),
		sendEmails: (request, onProgress) =>
			call<SendReport>('send_emails', { request, onProgress: channel(onProgress) }),
		thankYouCandidates: (asOf) => call<ThankYouCandidate[]>('thank_you_candidates', { asOf }),
		sendThankYou: (customer, asOf) => call<SentEmail>('send_thank_you', { customer, asOf }),
		dailyReport: (asOf, send) => call<DailyReport>('daily_report', { asOf, send }),
		auditTrail: (from, to) => call<AuditEvent[]>('audit_trail', { from, to }),
		exportAudit: (from, to, format, path) => call<ExportDone>('export_audit', { from, to, format, path }),
		previewTemplate: (draft) => call<EmailPreview>('preview_template', { draft }),
		collectionSettings: () => call<CollectionSettings>('collection_settings'),
		saveCollectionSettings: (input) => call<CollectionSettings>('save_collection_settings', { input }),
		letterSettings: () => call<LetterSettings>('letter_settings'),
		saveLetterSettings: (settings) => call<LetterSettings>('save_letter_settings', { settings }),
		rates: () => call<RatesDto>('rates'),
		saveRates: (rates) => call<RatesDto>('save_rates', { rates }),
		resetRates: () => call<RatesDto>('reset_rates'),
		agendaView: (asOf) => call<AgendaView>('agenda_view', { asOf }),
		recordAction: (input) => call<ActionDto>('record_action', { input }),
		markDone: (customer, asOf) => call<ActionDto>('mark_done', { customer, asOf }),
		addPromise: (input) => call<PromiseDto>('add_promise', { input }),
		checkPromises: (asOf, record) => call<PromiseCheck>('check_promises', { asOf, record }),
		openDispute: (input) => call<DisputeDto>('open_dispute', { input }),
		closeDispute: (id, closedOn, resolution) =>
			call<DisputeDto>('close_dispute', { id, closedOn, resolution }),
		commentDispute: (id, body) => call<DisputeDto>('comment_dispute', { id, body }),
		disputesBoard: (asOf) => call<DisputesBoard>('disputes_board', { asOf }),
		workflowRecords: (customer, invoice) => call<WorkflowRecords>('workflow_records', { customer, invoice }),
		setCustomerPaused: (customer, paused, reason) =>
			call<void>('set_customer_paused', { customer, paused, reason }),
		setCustomerScenario: (customer, scenario) => call<void>('set_customer_scenario', { customer, scenario }),
		scenarios: () => call<Scenarios>('scenarios'),
		saveScenario: (scenario) => call<Scenarios>('save_scenario', { scenario }),
		assignScenario: (by, value, scenario) => call<Scenarios>('assign_scenario', { by, value, scenario }),
		// The DAF's views (issue 4)
		customers: (asOf) => call<CustomersReport>('customers', { asOf }),
		customerFile: (key, asOf) => call<CustomerFile>('customer_file', { key, asOf }),
		setCustomerCategory: (key, category) => call<void>('set_customer_category', { key, category }),
		agingGrouped: (options) => call<GroupedAgingReport>('aging_grouped', { options }),
		agingInvoices: (options, customer) => call<AgingInvoices>('aging_invoices', { options, customer }),
		dsoSet: (asOf, periodDays) => call<DsoSetReport>('dso_set', { asOf, periodDays }),
		whatIf: (asOf, days, rate) => call<WhatIf>('what_if', { asOf, days, rate }),
		forecast: (asOf, weeks) => call<ForecastReport>('forecast', { asOf, weeks }),
		forecastAccuracy: (asOf) => call<ForecastAccuracy>('forecast_accuracy', { asOf }),
		d4416: (yearEnd, turnover) => call<D4416Report>('d441_6', { yearEnd, turnover }),
		exportReport: (report, format, path) => call<ExportDone>('export_report', { report, format, path }),
		letterPreview: (request) => call<LetterPreview>('letter_preview', { request }),
		saveLetterPdf: (request, path) => call<LetterPreview>('save_letter_pdf', { request, path }),
		printLetter: (request, user) => call<ActionDto>('print_letter', { request, user }),
		lettersBatch: (asOf, path, user) => call<BatchLetter[]>('letters_batch', { asOf, path, user })
	};
}

/** The real transport: Tauri's IPC. Tauri maps camelCase argument names to the Rust snake_case parameters. */
export const tauriTransport: Transport = (command, args) => invoke(command, args);

/** True inside the Tauri window (its IPC bridge is injected before the page's scripts run). */
export function isTauri(scope: object = globalThis): boolean {
	return '__TAURI_INTERNALS__' in scope;
}

export type Backend = {
	api: Api;
	/** True when the data is the browser preview's fixed sample. */ mock: boolean;
	/** The window's file picker and file drops; null outside the app (a browser gives no file paths). */
	desktop: Desktop | null;
};

/**
 * Picks the transport once at start: Tauri's IPC inside the app, always. Only outside Tauri (a plain browser,
 * for screenshots and UI work) does it load the fixed sample, and the UI then shows a banner saying so.
 */
export async function connectBackend(scope: object = globalThis): Promise<Backend> {
	if (isTauri(scope)) {
		const { tauriDesktop } = await import('./desktop');
		return { api: createApi(tauriTransport), mock: false, desktop: tauriDesktop };
	}
	const { createMockTransport, mockChannel } = await import('./fixtures/mock');
	const search = 'location' in scope ? String((scope as { location: Location }).location.search) : '';
	return {
		api: createApi(
			createMockTransport({ empty: new URLSearchParams(search).get('mock') === 'empty' }),
			mockChannel
		),
		mock: true,
		desktop: null
	};
}
