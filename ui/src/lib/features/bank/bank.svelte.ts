/**
 * The "Banque" screen's state: the credit entries (loaded once, reloaded after each decision), the status filter,
 * statement files imported through the window's file dialog, and the decisions on one entry.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { BankEntries, BankEntryDto, BankImportReport, BankSuggestion } from '$lib/api/types';
import { countByStatus, filterEntries, type BankFilter } from './bank';

export class BankState {
	readonly loaded = new Loaded<BankEntries>('bank_entries');
	readonly saving = new Saving();
	filter = $state<BankFilter>('suggested');
	imported = $state.raw<BankImportReport | null>(null);

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

	async load(): Promise<void> {
		await this.loaded.load(() => this.api.bankEntries(null));
	}

	async importFiles(paths: string[]): Promise<void> {
		if (paths.length === 0) return;
		const ok = await this.saving.run('import_bank', async () => {
			this.imported = await this.api.importBank(paths, { account: null, csv_mapping: [] });
		});
		if (ok) await this.load();
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

	private async decide(label: string, work: () => Promise<unknown>): Promise<void> {
		if (await this.saving.run(label, async () => void (await work()))) await this.load();
	}
}
