/**
 * The full aged balance: one `aging` call per as-of date, then filter by name and sort, both in the UI.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { AgingReport, AgingRow } from '$lib/api/types';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import type { LoadPhase } from '$lib/features/dashboard/dashboard.svelte';
import { AGING_COLUMNS } from './columns';

/** Case- and accent-insensitive: "lefevre" finds "Cabinet Lefèvre Frères". */
export function normalizeForSearch(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLocaleLowerCase('fr-FR')
		.trim();
}

export function filterByName(rows: readonly AgingRow[], query: string): AgingRow[] {
	const q = normalizeForSearch(query);
	if (!q) return [...rows];
	return rows.filter((r) => normalizeForSearch(r.name).includes(q) || r.id.toLowerCase().includes(q));
}

export class AgingState {
	phase = $state<LoadPhase>('idle');
	report = $state.raw<AgingReport | null>(null);
	error = $state.raw<ApiError | null>(null);
	query = $state('');
	sort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');
	#request = 0;

	constructor(private readonly api: Api) {}

	readonly rows: AgingRow[] = $derived(
		sortRows(filterByName(this.report?.customers ?? [], this.query), AGING_COLUMNS, this.sort, this.collation)
	);

	async load(asOf: string | null): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const report = await this.api.aging(asOf);
			if (request !== this.#request) return;
			this.report = report;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('aging', e);
			this.phase = 'error';
		}
	}

	sortBy(key: string, kind: ColumnKind): void {
		this.sort = nextSort(this.sort, key, kind);
	}
}
