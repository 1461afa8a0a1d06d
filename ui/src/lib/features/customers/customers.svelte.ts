/**
 * The customers list's state: one `customers` call per as-of date, then filters and sort in the UI.
 */
import type { Api } from '$lib/api/client';
import type { CustomerAnalysis, CustomersReport } from '$lib/api/types';
import { Loaded } from '$lib/api/loader.svelte';
import type { TableColumn } from '$lib/table/columns';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { filterCustomers, NO_FILTER, type CustomerFilter } from './customers';

export class CustomersState {
	readonly report = new Loaded<CustomersReport>('customers');
	filter = $state<CustomerFilter>({ ...NO_FILTER });
	sort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	/** The customers passing the filters, in the chosen order (the backend's, by code, when none). */
	readonly rows: CustomerAnalysis[];
	readonly #api: Api;

	constructor(api: Api, columns: () => readonly TableColumn<CustomerAnalysis>[]) {
		this.#api = api;
		this.rows = $derived(
			sortRows(
				filterCustomers(this.report.data?.customers ?? [], this.filter),
				columns(),
				this.sort,
				this.collation
			)
		);
	}

	load(asOf: string | null): Promise<void> {
		return this.report.load(() => this.#api.customers(asOf));
	}

	sortBy(key: string, kind: ColumnKind): void {
		this.sort = nextSort(this.sort, key, kind);
	}

	clearFilters(): void {
		this.filter = { ...NO_FILTER };
	}
}
