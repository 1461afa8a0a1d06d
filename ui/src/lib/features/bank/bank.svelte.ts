/**
 * The "Banque" screen's state: the credit entries (loaded once, reloaded after each decision), the status filter,
 * statement files imported through the window's file dialog (a bank CSV through its column mapping), the
 * statements imported and their removal (told first), and the decisions on one entry: confirm, split by hand,
 * on account for any customer, ignore, undo.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type {
	BankEntries,
	BankEntryDto,
	BankImportReport,
	BankStatementRemoved,
	BankStatementRow,
	BankStatements,
	BankSuggestion,
	CustomerListRow,
	DetectedFile
} from '$lib/api/types';
import {
	checkSplit,
	csvOptions,
	fillAmount,
	mappingFrom,
	missingCsvFields,
	type BankCsvField,
	type BankCsvMapping,
	type SplitCheck,
	type SplitLine,
	countByStatus,
	filterEntries,
	type BankFilter
} from './bank';

/** The split dialog: an entry, the customer chosen, its open invoices with the amounts typed. */
export type SplitForm = {
	entry: BankEntryDto;
	customer: string | null;
	lines: SplitLine[];
	loading: boolean;
};

/** A bank CSV whose columns the user maps before the import. */
export type CsvForm = {
	paths: string[];
	file: DetectedFile;
	mapping: BankCsvMapping;
	account: string;
};

export class BankState {
	readonly loaded = new Loaded<BankEntries>('bank_entries');
	readonly statementsLoaded = new Loaded<BankStatements>('bank_statements');
	readonly saving = new Saving();
	filter = $state<BankFilter>('suggested');
	imported = $state.raw<BankImportReport | null>(null);
	/** The statement the user asked to remove, with what removing it would take away. */
	removal = $state.raw<{ statement: BankStatementRow; told: BankStatementRemoved } | null>(null);
	removed = $state.raw<BankStatementRemoved | null>(null);
	split = $state<SplitForm | null>(null);
	/** The on-account dialog: the entry and the customer chosen. */
	onAccountForm = $state<{ entry: BankEntryDto; customer: string | null } | null>(null);
	csv = $state<CsvForm | null>(null);
	/** Every customer, for the pickers (loaded when a dialog first needs them). */
	customers = $state.raw<CustomerListRow[]>([]);
	#splitRequest = 0;

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	get entries(): BankEntryDto[] {
		return this.loaded.data?.entries ?? [];
	}

	readonly rows: BankEntryDto[] = $derived(filterEntries(this.entries, this.filter));
	readonly counts = $derived(countByStatus(this.entries));

	get statements(): BankStatementRow[] {
		return this.statementsLoaded.data?.statements ?? [];
	}

	readonly splitCheck: SplitCheck | null = $derived(
		this.split ? checkSplit(this.split.entry.amount, this.split.lines) : null
	);

	readonly csvMissing: BankCsvField[] = $derived(this.csv ? missingCsvFields(this.csv.mapping) : []);

	async load(): Promise<void> {
		await Promise.all([
			this.loaded.load(() => this.api.bankEntries(null)),
			this.statementsLoaded.load(() => this.api.bankStatements())
		]);
	}

	/**
	 * Statement files chosen: recognised first (by content); a bank CSV or an unknown table waits for its
	 * columns and account (`csv`), the others are imported at once.
	 */
	async importFiles(paths: string[]): Promise<void> {
		if (paths.length === 0) return;
		this.csv = null;
		let table: DetectedFile | null = null;
		const detected = await this.saving.run('detect_files', async () => {
			const files = await this.api.detectFiles(paths);
			table = files.find((f) => f.kind === 'bank_csv' || f.kind === 'table') ?? null;
		});
		if (!detected) return;
		const csv = table as DetectedFile | null;
		if (csv) {
			this.csv = { paths, file: csv, mapping: mappingFrom(csv.mapping), account: '' };
			return;
		}
		await this.runImport(paths, null, []);
	}

	setCsvColumn(field: BankCsvField, header: string): void {
		if (this.csv) this.csv.mapping = { ...this.csv.mapping, [field]: header };
	}

	/** Imports the CSV with the columns and account chosen (the backend says what is still wrong). */
	async importCsv(): Promise<void> {
		const form = this.csv;
		if (!form || this.csvMissing.length > 0 || form.account.trim() === '') return;
		if (await this.runImport(form.paths, form.account.trim(), csvOptions(form.mapping))) this.csv = null;
	}

	cancelCsv(): void {
		this.csv = null;
	}

	private async runImport(
		paths: string[],
		account: string | null,
		mapping: ReturnType<typeof csvOptions>
	): Promise<boolean> {
		const ok = await this.saving.run('import_bank', async () => {
			this.imported = await this.api.importBank(paths, { account, csv_mapping: mapping });
		});
		if (ok) await this.load();
		return ok;
	}

	/** "Supprimer le relevé": what it would take away is asked first, for the confirmation. */
	async askRemove(statement: BankStatementRow): Promise<void> {
		this.removed = null;
		await this.saving.run('bank_statement_removal', async () => {
			this.removal = { statement, told: await this.api.bankStatementRemoval(statement.id) };
		});
	}

	async confirmRemove(): Promise<void> {
		const r = this.removal;
		if (!r) return;
		this.removal = null;
		await this.decide('bank_remove_statement', async () => {
			this.removed = await this.api.bankRemoveStatement(r.statement.id);
		});
	}

	cancelRemove(): void {
		this.removal = null;
	}

	async loadCustomers(): Promise<void> {
		if (this.customers.length > 0) return;
		try {
			this.customers = (await this.api.customerList(null)).customers;
		} catch (e) {
			this.saving.error = toApiError('customer_list', e);
		}
	}

	/** "Répartir…": the dialog opens on the customer the matching suggests first (or the one of the match). */
	async openSplit(entry: BankEntryDto): Promise<void> {
		const customer = entry.suggestions[0]?.customer ?? entry.customer ?? null;
		this.split = { entry, customer: null, lines: [], loading: false };
		void this.loadCustomers();
		if (customer) await this.chooseSplitCustomer(customer);
	}

	/** Another customer: its open invoices (what each still owes once the bank's receipts are counted). */
	async chooseSplitCustomer(customer: string): Promise<void> {
		if (!this.split) return;
		const request = ++this.#splitRequest;
		this.split.customer = customer;
		this.split.lines = [];
		this.split.loading = true;
		try {
			const open = await this.api.agingInvoices(
				{ as_of: null, buckets: null, basis: null, group_by: null },
				customer
			);
			if (request !== this.#splitRequest || !this.split) return;
			this.split.lines = open.invoices
				.filter((i) => !i.residual.startsWith('-') && /[1-9]/.test(i.residual))
				.map((i) => ({ invoice: i.piece_ref, due_date: i.due_date, still_due: i.residual, text: '' }));
		} catch (e) {
			if (request === this.#splitRequest) this.saving.error = toApiError('aging_invoices', e);
		} finally {
			if (request === this.#splitRequest && this.split) this.split.loading = false;
		}
	}

	setSplitAmount(invoice: string, text: string): void {
		const line = this.split?.lines.find((l) => l.invoice === invoice);
		if (line) line.text = text;
	}

	/** "Tout": what the invoice still owes, within what the entry has left (as the user's language writes it). */
	fillSplit(invoice: string, locale: 'fr' | 'en'): void {
		if (!this.split) return;
		const amount = fillAmount(this.split.entry.amount, this.split.lines, invoice);
		this.setSplitAmount(invoice, locale === 'fr' ? amount.replace('.', ',') : amount);
	}

	async confirmSplit(): Promise<void> {
		const form = this.split;
		const check = this.splitCheck;
		if (!form || !check || check.problem) return;
		const entry = form.entry;
		if (await this.decide('bank_match', () => this.api.bankMatch(entry.id, check.shares))) this.split = null;
	}

	cancelSplit(): void {
		this.#splitRequest++;
		this.split = null;
	}

	/** "En acompte…": any customer, the suggested one first. */
	openOnAccount(entry: BankEntryDto): void {
		this.onAccountForm = { entry, customer: entry.suggestions[0]?.customer ?? entry.customer ?? null };
		void this.loadCustomers();
	}

	async confirmOnAccount(): Promise<void> {
		const form = this.onAccountForm;
		if (!form?.customer) return;
		const customer = form.customer;
		if (await this.decide('bank_on_account', () => this.api.bankOnAccount(form.entry.id, customer)))
			this.onAccountForm = null;
	}

	cancelOnAccount(): void {
		this.onAccountForm = null;
	}

	/** Confirms a suggestion: the entry goes on its invoices, for the amounts proposed. */
	async confirm(entry: BankEntryDto, s: BankSuggestion): Promise<void> {
		await this.decide('bank_match', () =>
			this.api.bankMatch(
				entry.id,
				s.matches.map((m) => ({ invoice: m.invoice, amount: m.amount }))
			)
		);
	}

	async onAccount(entry: BankEntryDto, customer: string): Promise<void> {
		await this.decide('bank_on_account', () => this.api.bankOnAccount(entry.id, customer));
	}

	async ignore(entry: BankEntryDto): Promise<void> {
		await this.decide('bank_ignore', () => this.api.bankIgnore(entry.id));
	}

	async unmatch(entry: BankEntryDto): Promise<void> {
		await this.decide('bank_unmatch', () => this.api.bankUnmatch(entry.id));
	}

	private async decide(label: string, work: () => Promise<unknown>): Promise<boolean> {
		const ok = await this.saving.run(label, async () => void (await work()));
		if (ok) await this.load();
		return ok;
	}
}
