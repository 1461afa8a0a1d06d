/**
 * The reports screen's state: forecast accuracy, the D441-6 table at a chosen year end (with an entered
 * turnover), the grouped aged balance with its options.
 */
import type { Api } from '$lib/api/client';
import type { AgingGroup, D4416Report, ForecastAccuracy, GroupedAgingReport } from '$lib/api/types';
import { Loaded } from '$lib/api/loader.svelte';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import type { TableColumn } from '$lib/table/columns';
import { agingOptions, type AgingForm } from './reports';

export class ReportsState {
	readonly accuracy = new Loaded<ForecastAccuracy>('forecast_accuracy');
	readonly d4416 = new Loaded<D4416Report>('d441_6');
	readonly grouped = new Loaded<GroupedAgingReport>('aging_grouped');
	yearEnd = $state('');
	turnover = $state('');
	form = $state<AgingForm>({ buckets: '30, 60, 90', basis: 'due_date', groupBy: 'segment' });
	groupSort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	readonly groupRows: AgingGroup[];
	readonly #api: Api;

	constructor(api: Api, groupColumns: () => readonly TableColumn<AgingGroup>[]) {
		this.#api = api;
		this.groupRows = $derived(
			sortRows(this.grouped.data?.groups ?? [], groupColumns(), this.groupSort, this.collation)
		);
	}

	loadAccuracy(asOf: string | null): Promise<void> {
		return this.accuracy.load(() => this.#api.forecastAccuracy(asOf));
	}

	/** The table at the chosen year end; `withTurnover` records the typed turnover first. */
	loadD4416(withTurnover: boolean): Promise<void> {
		const yearEnd = this.yearEnd;
		const turnover = withTurnover && this.turnover.trim() !== '' ? this.turnover.trim() : null;
		return this.d4416.load(() => this.#api.d4416(yearEnd, turnover));
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
