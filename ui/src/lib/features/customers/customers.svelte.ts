/**
 * The customers list's state: one `customer_list` call per as-of date (the light list: only the columns shown),
 * then filters and sort in the UI.
 */
import type { Api } from '$lib/api/client';
import type { CustomerList, CustomerListRow } from '$lib/api/types';
import { Loaded } from '$lib/api/loader.svelte';
import type { TableColumn } from '$lib/table/columns';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { filterCustomers, NO_FILTER, type CustomerFilter } from './customers';

export class CustomersState {
	readonly report = new Loaded<CustomerList>('customer_list');
	filter = $state<CustomerFilter>({ ...NO_FILTER });
	sort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	/** The customers passing the filters, in the chosen order (the backend's, by code, when none). */
	readonly rows: CustomerListRow[];
	readonly #api: Api;

	constructor(api: Api, columns: () => readonly TableColumn<CustomerListRow>[]) {
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
		return this.report.load(() => this.#api.customerList(asOf));
	}

	sortBy(key: string, kind: ColumnKind): void {
		this.sort = nextSort(this.sort, key, kind);
	}

	clearFilters(): void {
		this.filter = { ...NO_FILTER };
	}
}
