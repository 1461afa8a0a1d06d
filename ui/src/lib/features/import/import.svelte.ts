/**
 * The import screen's state: choose a kind and a file → analyse (what was detected, what would change; nothing
 * written) → confirm when existing data changes → import (progress from the backend's channel) → result.
 * A refused file's problems are rows (file, line, field, reason), from the error or from a preview.
 */
import type { Api, ApiError } from '$lib/api/client';
import type {
	BankImportReport,
	DetectedFile,
	EInvoiceReport,
	FileKind,
	StatusImportReport,
	ImportPreview,
	ImportProgress,
	TabularOptions,
	TabularPreview,
	FileProblem
} from '$lib/api/types';
import type { FileFilter } from '$lib/api/desktop';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { einvoiceChanges, ledgerChanges, tableChanges, touchesExisting, type ChangeLine } from './changes';
import { missingRequired, tabularOptions, withChoice, type MappingEdits } from './mapping';
import { previewProblems } from './problem-rows';
import {
	csvOptions,
	mappingFrom,
	missingCsvFields,
	type BankCsvField,
	type BankCsvMapping
} from '$lib/features/bank/bank';

/** A bank CSV among the statements: its columns and account, chosen before the analysis. */
export type BankCsvForm = { file: DetectedFile; mapping: BankCsvMapping; account: string };

export type ImportKind = 'fec' | 'customers' | 'invoices' | 'einvoices' | 'bank' | 'statuses';

export const IMPORT_KINDS: readonly { kind: ImportKind; label: MessageKey; help: MessageKey }[] = [
	{ kind: 'fec', label: 'import.kind.fec', help: 'import.kind.fecHelp' },
	{ kind: 'customers', label: 'import.kind.customers', help: 'import.kind.customersHelp' },
	{ kind: 'invoices', label: 'import.kind.invoices', help: 'import.kind.invoicesHelp' },
	{ kind: 'einvoices', label: 'import.kind.einvoices', help: 'import.kind.einvoicesHelp' },
	{ kind: 'bank', label: 'import.kind.bank', help: 'import.kind.bankHelp' },
	{ kind: 'statuses', label: 'import.kind.statuses', help: 'import.kind.statusesHelp' }
];

/** The import a recognised file goes to (a table keeps a customers or invoices choice; none for the unknown). */
export function kindOfFile(kind: FileKind, current: ImportKind): ImportKind | null {
	switch (kind) {
		case 'bank_statement':
		case 'bank_csv':
			return 'bank';
		case 'statuses':
			return 'statuses';
		case 'fec':
			return 'fec';
		case 'einvoice':
			return 'einvoices';
		case 'table':
			return current === 'invoices' || current === 'bank' ? current : 'customers';
		case 'unknown':
			return null;
	}
}

/** What dropped files are: one import kind for all, or why not (files not recognised, kinds mixed). */
export type DetectOutcome = { kind: ImportKind } | { unknown: string[] } | { mixed: FileKind[] };

export function kindForDetected(files: readonly DetectedFile[], current: ImportKind): DetectOutcome {
	const unknown = files.filter((f) => kindOfFile(f.kind, current) === null).map((f) => f.file);
	if (unknown.length > 0) return { unknown };
	const kinds = [...new Set(files.map((f) => kindOfFile(f.kind, current)))];
	if (kinds.length !== 1 || !kinds[0]) return { mixed: [...new Set(files.map((f) => f.kind))] };
	const kind = kinds[0];
	// One file at a time for an FEC or a table.
	if (!takesManyFiles(kind) && files.length > 1) return { mixed: files.map((f) => f.kind) };
	return { kind };
}

/** The file picker's filters for each kind (an "all files" entry last: exports are often misnamed). */
export function fileFilters(kind: ImportKind, allFiles: string): FileFilter[] {
	const all = { name: allFiles, extensions: ['*'] };
	switch (kind) {
		case 'fec':
			return [{ name: 'FEC', extensions: ['txt', 'TXT', 'csv', 'tsv'] }, all];
		case 'customers':
		case 'invoices':
			return [
				{ name: 'CSV, Excel, OpenDocument', extensions: ['csv', 'txt', 'xlsx', 'xls', 'xlsb', 'ods'] },
				all
			];
		case 'einvoices':
			return [{ name: 'Factur-X, CII, UBL', extensions: ['pdf', 'xml'] }, all];
		case 'bank':
			return [
				{
					name: 'camt.053, CFONB 120, OFX, CSV',
					extensions: ['xml', 'txt', 'cfo', 'ofx', 'qfx', 'csv', 'sta']
				},
				all
			];
		case 'statuses':
			return [{ name: 'CDAR', extensions: ['xml'] }, all];
	}
}

/** Several files at once for e-invoices, bank statements and status messages. */
export function takesManyFiles(kind: ImportKind): boolean {
	return kind === 'einvoices' || kind === 'bank' || kind === 'statuses';
}

const extension = (path: string) => /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

/**
 * The kind that fits dropped or picked files: e-invoices for PDF/XML, a workbook keeps the customers or
 * invoices choice (customers by default), a text file is an FEC unless a CSV kind was chosen.
 */
export function kindForFiles(paths: readonly string[], current: ImportKind): ImportKind {
	// Statements and status messages are chosen for what they are: their names say little.
	if (current === 'bank' || current === 'statuses') return current;
	const exts = paths.map(extension);
	if (exts.length > 0 && exts.every((e) => e === 'pdf' || e === 'xml')) return 'einvoices';
	const tabular = current === 'customers' || current === 'invoices';
	if (exts.some((e) => ['xlsx', 'xls', 'xlsb', 'ods'].includes(e))) return tabular ? current : 'customers';
	if (current === 'einvoices') return exts.some((e) => e === 'csv') ? 'customers' : 'fec';
	return current;
}

export type Analysis =
	| { kind: 'fec'; fec: ImportPreview }
	| { kind: 'customers' | 'invoices'; table: TabularPreview }
	| { kind: 'einvoices'; report: EInvoiceReport }
	| { kind: 'bank'; report: BankImportReport }
	/** Status messages have no dry run: the files, then what the import did. */
	| { kind: 'statuses'; files: string[]; report: StatusImportReport | null };

export function changesOf(a: Analysis): ChangeLine[] {
	switch (a.kind) {
		case 'fec':
			return ledgerChanges(a.fec.changes);
		case 'customers':
		case 'invoices':
			return a.table.changes ? tableChanges(a.table.changes) : [];
		case 'einvoices':
			return einvoiceChanges(a.report);
		case 'bank':
		case 'statuses':
			// Bank statements and statuses only add: nothing existing is replaced.
			return [];
	}
}

/** Nothing would change: the same file was imported before. */
export function isUnchanged(a: Analysis): boolean {
	switch (a.kind) {
		case 'fec':
			return a.fec.changes.unchanged;
		case 'customers':
		case 'invoices': {
			const c = a.table.changes;
			if (!c) return false;
			if (c.ledger) return c.ledger.unchanged;
			return !c.replaced_demo && c.customers_added === 0 && c.customers_updated.length === 0;
		}
		case 'einvoices':
			return (
				a.report.files.length > 0 && a.report.unchanged === a.report.files.length && !a.report.replaced_demo
			);
		case 'bank':
			return a.report.statements.length > 0 && a.report.statements.every((s) => s.already_imported);
		case 'statuses':
			return false;
	}
}

export type ImportPhase = 'idle' | 'analysing' | 'analysed' | 'confirming' | 'importing' | 'done';

export type ProgressView = {
	/** 0..1, or null while the stage cannot be measured (the write is one transaction). */
	value: number | null;
	label: MessageKey;
};

export function progressView(p: ImportProgress | null): ProgressView {
	if (!p) return { value: null, label: 'import.progress.start' };
	switch (p.stage) {
		case 'read':
			return { value: p.total > 0 ? Math.min(1, p.done / p.total) : null, label: 'import.progress.read' };
		case 'write':
			return { value: null, label: 'import.progress.write' };
		case 'done':
			return { value: 1, label: 'import.progress.done' };
		default:
			return { value: null, label: 'import.progress.start' };
	}
}

export type ImportOptions = {
	/** Called after a successful import (the database changed: the app refreshes what it shows). */
	onImported?: () => void | Promise<void>;
};

export class ImportState {
	kind = $state<ImportKind>('fec');
	/** The path field: one path, or one per line for e-invoices. */
	pathText = $state('');
	phase = $state<ImportPhase>('idle');
	analysis = $state.raw<Analysis | null>(null);
	result = $state.raw<Analysis | null>(null);
	error = $state.raw<ApiError | null>(null);
	progress = $state.raw<ImportProgress | null>(null);
	/** Progress messages received from the backend during the last import. */
	progressCount = $state(0);
	/**
	 * Customers and open-invoices files: the user's column choices (field → header, "" = not imported) and the
	 * workbook's sheet (null = the first). The analysis and the import both use them; another file forgets them.
	 */
	mappingEdits = $state.raw<MappingEdits>({});
	sheet = $state<string | null>(null);
	/** An FEC's company SIREN as typed, for a file whose name carries none (empty: the name's). */
	siren = $state('');
	/** Dropped files that could not be recognised, or of mixed kinds: the sentence to show. */
	detectProblem = $state.raw<{ key: MessageKey; params: Record<string, string> } | null>(null);
	/** Bank statements: a CSV export's columns and account (null: none among the files, or not yet looked). */
	bankCsv = $state<BankCsvForm | null>(null);
	/** The bank files were recognised already (no CSV among them, or its form is `bankCsv`). */
	#bankChecked = false;
	#request = 0;

	constructor(
		private readonly api: Api,
		private readonly options: ImportOptions = {}
	) {}

	readonly paths: string[] = $derived(
		(takesManyFiles(this.kind) ? this.pathText.split(/\r?\n/) : [this.pathText])
			.map((p) => p.trim())
			.filter((p) => p !== '')
	);

	readonly changes: ChangeLine[] = $derived(this.analysis ? changesOf(this.analysis) : []);

	/** Existing data would change: the import asks for confirmation first. */
	readonly needsConfirmation: boolean = $derived(touchesExisting(this.changes));

	/** What the backend is asked with: the user's column choices and sheet (customers and open-invoices files). */
	readonly tabularOptions: TabularOptions = $derived(
		tabularOptions(
			this.mappingEdits,
			this.sheet,
			this.analysis?.kind === 'customers' || this.analysis?.kind === 'invoices'
				? this.analysis.table.mapping.map((m) => m.field)
				: []
		)
	);

	/** Required fields left without a column (customers and open-invoices files): the import waits for them. */
	readonly missingFields: string[] = $derived(
		this.analysis?.kind === 'customers' || this.analysis?.kind === 'invoices'
			? missingRequired(this.analysis.table.mapping)
			: []
	);

	/** Why the file cannot be imported, as rows: a refusal (invalid_file) or a preview's problems. */
	readonly problems: FileProblem[] = $derived.by(() => {
		if (this.error?.code === 'invalid_file') return [...this.error.problems];
		const a = this.analysis;
		if (a && (a.kind === 'customers' || a.kind === 'invoices')) return previewProblems(a.table);
		return [];
	});

	/** What the bank import is given: a CSV's columns and account when there is one. */
	readonly bankOptions = $derived(
		this.bankCsv
			? { account: this.bankCsv.account.trim(), csv_mapping: csvOptions(this.bankCsv.mapping) }
			: { account: null, csv_mapping: [] }
	);

	/** A bank CSV waits for its required columns and its account. */
	readonly bankCsvReady: boolean = $derived(
		!this.bankCsv ||
			(missingCsvFields(this.bankCsv.mapping).length === 0 && this.bankCsv.account.trim() !== '')
	);

	readonly canAnalyse: boolean = $derived(
		this.paths.length > 0 &&
			this.phase !== 'analysing' &&
			this.phase !== 'importing' &&
			(this.kind !== 'bank' || this.bankCsvReady)
	);

	readonly canImport: boolean = $derived(
		this.phase === 'analysed' &&
			this.analysis !== null &&
			this.problems.length === 0 &&
			// The preview's text says the same as its problems; either is enough to hold the import back.
			!(
				(this.analysis.kind === 'customers' || this.analysis.kind === 'invoices') &&
				this.analysis.table.errors.length > 0
			) &&
			this.missingFields.length === 0 &&
			!isUnchanged(this.analysis)
	);

	readonly progressView: ProgressView = $derived(progressView(this.progress));

	/** Another kind: what was analysed no longer applies. */
	setKind(kind: ImportKind): void {
		if (this.busy() || kind === this.kind) return;
		this.kind = kind;
		this.forgetMapping();
		this.clear();
	}

	/** The user typed another path. */
	setPathText(text: string): void {
		if (this.busy()) return;
		this.pathText = text;
		this.forgetMapping();
		if (this.analysis || this.error || this.result) this.clear();
	}

	/** Files dropped on the window or chosen in the picker: the kind follows them, then they are analysed. */
	async choose(paths: readonly string[]): Promise<void> {
		if (this.busy() || paths.length === 0) return;
		this.kind = kindForFiles(paths, this.kind);
		this.pathText = takesManyFiles(this.kind) ? paths.join('\n') : (paths[0] ?? '');
		this.forgetMapping();
		this.clear();
		await this.analyse();
	}

	/**
	 * Files dropped on the window: recognised by their content (the backend reads them), the kind set to the
	 * import they need, then analysed. `kindLabel` names a file kind in the user's language.
	 */
	async chooseDetected(paths: readonly string[], kindLabel: (k: FileKind) => string): Promise<void> {
		if (this.busy() || paths.length === 0) return;
		this.detectProblem = null;
		this.clear();
		this.phase = 'analysing';
		let files: DetectedFile[];
		try {
			files = await this.api.detectFiles([...paths]);
		} catch (e) {
			this.error = e as ApiError;
			this.phase = 'idle';
			return;
		}
		this.phase = 'idle';
		const outcome = kindForDetected(files, this.kind);
		if ('unknown' in outcome) {
			this.detectProblem = { key: 'import.detect.unknown', params: { files: outcome.unknown.join(', ') } };
			return;
		}
		if ('mixed' in outcome) {
			this.detectProblem = {
				key: 'import.detect.mixed',
				params: { kinds: [...new Set(outcome.mixed)].map(kindLabel).join(', ') }
			};
			return;
		}
		this.kind = outcome.kind;
		this.pathText = takesManyFiles(this.kind) ? paths.join('\n') : (paths[0] ?? '');
		this.forgetMapping();
		if (this.kind === 'bank') {
			this.#bankChecked = true;
			if (this.takeBankCsv(files)) return;
		}
		await this.analyse();
	}

	setBankCsvColumn(field: BankCsvField, header: string): void {
		if (this.bankCsv) this.bankCsv.mapping = { ...this.bankCsv.mapping, [field]: header };
	}

	setBankCsvAccount(account: string): void {
		if (this.bankCsv) this.bankCsv.account = account;
	}

	/** A bank CSV (or a table) among the files: its form waits for the user's columns. */
	private takeBankCsv(files: readonly DetectedFile[]): boolean {
		const csv = files.find((f) => f.kind === 'bank_csv' || f.kind === 'table');
		if (!csv) return false;
		this.bankCsv = { file: csv, mapping: mappingFrom(csv.mapping), account: '' };
		return true;
	}

	async analyse(): Promise<void> {
		if (!this.canAnalyse) return;
		const kind = this.kind;
		const paths = [...this.paths];
		this.clear();
		const request = ++this.#request;
		this.phase = 'analysing';
		try {
			// Bank files picked or typed: a CSV among them needs its columns first.
			if (kind === 'bank' && !this.#bankChecked) {
				const files = await this.api.detectFiles(paths);
				if (request !== this.#request) return;
				this.#bankChecked = true;
				if (this.takeBankCsv(files)) {
					this.phase = 'idle';
					return;
				}
			}
			const analysis = await this.inspect(kind, paths);
			if (request !== this.#request) return;
			this.analysis = analysis;
			this.phase = 'analysed';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = e as ApiError;
			this.phase = 'idle';
		}
	}

	/**
	 * The user chose another column for a field (NOT_IMPORTED to leave it out): the file is analysed again with
	 * that choice, the current analysis staying on screen until the answer comes.
	 */
	async chooseColumn(field: string, header: string): Promise<void> {
		if (!this.canRemap()) return;
		this.mappingEdits = withChoice(this.mappingEdits, field, header);
		await this.reanalyse();
	}

	/** Another sheet of the workbook: its columns are others, so the column choices start again. */
	async chooseSheet(sheet: string): Promise<void> {
		if (!this.canRemap() || sheet === this.sheet) return;
		this.sheet = sheet;
		this.mappingEdits = {};
		await this.reanalyse();
	}

	/** Back to the mapping the backend proposes (detected or saved), on the same sheet. */
	async resetMapping(): Promise<void> {
		if (!this.canRemap() || Object.keys(this.mappingEdits).length === 0) return;
		this.mappingEdits = {};
		await this.reanalyse();
	}

	/** "Importer": straight in when nothing existing changes, else the confirmation dialog first. */
	async requestImport(): Promise<void> {
		if (!this.canImport) return;
		if (this.needsConfirmation) {
			this.phase = 'confirming';
			return;
		}
		await this.run();
	}

	/** The dialog's "yes". */
	async confirm(): Promise<void> {
		if (this.phase !== 'confirming') return;
		await this.run();
	}

	/** The dialog's "no", Escape or closing it: back to the analysis, nothing written. */
	cancelConfirm(): void {
		if (this.phase === 'confirming') this.phase = 'analysed';
	}

	/** Back to an empty screen (another file). */
	reset(): void {
		if (this.busy()) return;
		this.pathText = '';
		this.forgetMapping();
		this.clear();
	}

	private busy(): boolean {
		return this.phase === 'analysing' || this.phase === 'importing';
	}

	/** A customers or open-invoices file is on screen and no import runs (an analysis may: it is replaced). */
	private canRemap(): boolean {
		const kind = this.analysis?.kind;
		return (
			(kind === 'customers' || kind === 'invoices') &&
			(this.phase === 'analysed' || this.phase === 'analysing')
		);
	}

	private forgetMapping(): void {
		this.mappingEdits = {};
		this.sheet = null;
		this.bankCsv = null;
		this.#bankChecked = false;
	}

	/** Runs the dry run again with the current choices; only the latest answer is kept. */
	private async reanalyse(): Promise<void> {
		const kind = this.kind;
		const paths = [...this.paths];
		const request = ++this.#request;
		this.error = null;
		this.phase = 'analysing';
		try {
			const analysis = await this.inspect(kind, paths);
			if (request !== this.#request) return;
			this.analysis = analysis;
			this.phase = 'analysed';
		} catch (e) {
			if (request !== this.#request) return;
			// The analysis on screen no longer matches the choices: it goes, the choices stay for "Analyser".
			this.analysis = null;
			this.error = e as ApiError;
			this.phase = 'idle';
		}
	}

	private clear(): void {
		this.#request++;
		this.detectProblem = null;
		this.analysis = null;
		this.result = null;
		this.error = null;
		this.progress = null;
		this.progressCount = 0;
		this.phase = 'idle';
	}

	private async run(): Promise<void> {
		const analysis = this.analysis;
		if (!analysis) return;
		const paths = [...this.paths];
		this.phase = 'importing';
		this.error = null;
		this.progress = null;
		this.progressCount = 0;
		let result: Analysis;
		try {
			result = await this.write(analysis.kind, paths);
		} catch (e) {
			this.error = e as ApiError;
			this.phase = 'analysed';
			return;
		}
		// The app catches up with the database first, so the result never sits beside stale figures.
		await this.options.onImported?.();
		this.result = result;
		this.phase = 'done';
	}

	private async inspect(kind: ImportKind, paths: string[]): Promise<Analysis> {
		const path = paths[0] ?? '';
		switch (kind) {
			case 'fec':
				return { kind, fec: await this.api.inspectFec(path, null, this.siren.trim() || null) };
			case 'customers':
				return { kind, table: await this.api.inspectCustomersFile(path, this.tabularOptions) };
			case 'invoices':
				return { kind, table: await this.api.inspectInvoicesFile(path, this.tabularOptions) };
			case 'einvoices':
				return { kind, report: await this.api.inspectEinvoices(paths) };
			case 'bank':
				return { kind, report: await this.api.inspectBank(paths, this.bankOptions) };
			case 'statuses':
				return { kind, files: paths, report: null };
		}
	}

	private async write(kind: ImportKind, paths: string[]): Promise<Analysis> {
		const path = paths[0] ?? '';
		switch (kind) {
			case 'fec':
				return {
					kind,
					fec: await this.api.importFec(path, null, this.siren.trim() || null, (p) => {
						this.progress = p;
						this.progressCount++;
					})
				};
			case 'customers':
				return { kind, table: await this.api.importCustomersFile(path, this.tabularOptions) };
			case 'invoices':
				return { kind, table: await this.api.importInvoicesFile(path, this.tabularOptions) };
			case 'einvoices':
				return { kind, report: await this.api.importEinvoices(paths) };
			case 'bank':
				return { kind, report: await this.api.importBank(paths, this.bankOptions) };
			case 'statuses':
				return { kind, files: paths, report: await this.api.importStatuses(paths) };
		}
	}
}
