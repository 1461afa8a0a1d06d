/**
 * The customer file's state: the file and its open invoices for one customer at one date, and the category
 * change (saved at once, then the file is read again so the score's inputs stay the backend's).
 */
import type { Api, ApiError } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { AgingInvoices, CustomerFile } from '$lib/api/types';
import { Loaded } from '$lib/api/loader.svelte';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { OPEN_COLUMNS, PAID_COLUMNS } from './file';

export class CustomerFileState {
	readonly file = new Loaded<CustomerFile>('customer_file');
	readonly open = new Loaded<AgingInvoices>('aging_invoices');
	openSort = $state<SortState<string> | null>(null);
	paidSort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	readonly category = new Saving();

	constructor(private readonly api: Api) {}

	get savingCategory(): boolean {
		return this.category.busy;
	}
	get categoryError(): ApiError | null {
		return this.category.error;
	}

	readonly openRows = $derived(
		sortRows(this.open.data?.invoices ?? [], OPEN_COLUMNS, this.openSort, this.collation)
	);
	readonly paidRows = $derived(
		sortRows(this.file.data?.paid ?? [], PAID_COLUMNS, this.paidSort, this.collation)
	);

	async load(key: string, asOf: string | null): Promise<void> {
		await Promise.all([
			this.file.load(() => this.api.customerFile(key, asOf)),
			this.open.load(() =>
				this.api.agingInvoices({ as_of: asOf, buckets: null, basis: null, group_by: null }, key)
			)
		]);
	}

	/** Saves the category ('' clears it), then reads the file again. */
	async setCategory(key: string, category: string, asOf: string | null): Promise<void> {
		await this.category.run('set_customer_category', async () => {
			await this.api.setCustomerCategory(key, category === '' ? null : category);
			await this.file.load(() => this.api.customerFile(key, asOf));
		});
	}

	sortOpen(key: string, kind: ColumnKind): void {
		this.openSort = nextSort(this.openSort, key, kind);
	}

	sortPaid(key: string, kind: ColumnKind): void {
		this.paidSort = nextSort(this.paidSort, key, kind);
	}
}
