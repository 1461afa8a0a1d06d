/**
 * The grouped aged balance's state: its options form, the report for them at the screen's date, the rows in the
 * chosen order.
 */
import type { Api } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import type { AgingGroup, GroupedAgingReport } from '$lib/api/types';
import type { TableColumn } from '$lib/table/columns';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { agingOptions, groupColumns, type AgingForm } from './grouped';

export class GroupedAgingState {
	readonly grouped = new Loaded<GroupedAgingReport>('aging_grouped');
	form = $state<AgingForm>({ buckets: '30, 60, 90', basis: 'due_date', groupBy: 'segment' });
	groupSort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	readonly columns: TableColumn<AgingGroup>[];
	readonly groupRows: AgingGroup[];
	readonly #api: Pick<Api, 'agingGrouped'>;

	/** `translate` and `dayUnit` ("j" in French) name the columns in the user's language. */
	constructor(
		api: Pick<Api, 'agingGrouped'>,
		translate: (key: MessageKey, params?: Record<string, string>) => string,
		dayUnit: () => string
	) {
		this.#api = api;
		this.columns = $derived(
			groupColumns(
				this.grouped.data?.group_by ?? 'customer',
				this.grouped.data?.buckets ?? [],
				translate,
				dayUnit()
			)
		);
		this.groupRows = $derived(
			sortRows(this.grouped.data?.groups ?? [], this.columns, this.groupSort, this.collation)
		);
	}

	/** The grouped aged balance for the form; nothing is asked while the buckets are not valid. */
	loadGrouped(asOf: string | null): Promise<void> {
		const options = agingOptions(this.form, asOf);
		if (!options) return Promise.resolve();
		return this.grouped.load(() => this.#api.agingGrouped(options));
	}

	sortGroups(key: string, kind: ColumnKind): void {
		this.groupSort = nextSort(this.groupSort, key, kind);
	}
}
