/**
 * The full aged balance: one `aging` call per as-of date, then filter by name and sort, both in the UI.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { AgingReport, AgingRow } from '$lib/api/types';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
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
	readonly loaded = new Loaded<AgingReport>('aging');
	query = $state('');
	sort = $state<SortState<string> | null>(null);
	collation = $state('fr-FR');

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get report(): AgingReport | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	readonly rows: AgingRow[] = $derived(
		sortRows(filterByName(this.report?.customers ?? [], this.query), AGING_COLUMNS, this.sort, this.collation)
	);

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.aging(asOf));
	}

	sortBy(key: string, kind: ColumnKind): void {
		this.sort = nextSort(this.sort, key, kind);
	}
}
