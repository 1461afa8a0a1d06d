/**
 * The full aged balance: one `aging` call per as-of date, then filter by name and sort, both in the UI.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { AgingReport, AgingRow, AgingTotals } from '$lib/api/types';
import { sumDecimal } from '$lib/format/decimal';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { AGING_COLUMNS } from './columns';

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/**
 * Case- and accent-insensitive: "lefevre" finds "Cabinet Lefèvre Frères". A name in plain ASCII (most of them)
 * skips the Unicode decomposition, the costly part when 15,000 names are normalized at the first search.
 */
export function normalizeForSearch(text: string): string {
	const lower = text.toLowerCase();
	const plain = PLAIN_ASCII.test(lower) ? lower : lower.normalize('NFD').replace(/\p{Diacritic}/gu, '');
	return plain.trim();
}

const searchTexts = new WeakMap<object, string>();

/**
 * A row's name and code as the search box compares them, normalized once per row (the cache goes with the
 * row), so that typing in a 15,000-row list costs a scan, not 15,000 normalizations per key.
 */
export function searchText(row: { id: string; name: string }): string {
	let text = searchTexts.get(row);
	if (text === undefined) {
		text = `${normalizeForSearch(row.name)}\u0000${row.id.toLowerCase()}`;
		searchTexts.set(row, text);
	}
	return text;
}

export function filterByName(rows: readonly AgingRow[], query: string): AgingRow[] {
	const q = normalizeForSearch(query);
	if (!q) return [...rows];
	return rows.filter((r) => searchText(r).includes(q));
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

	/** A filter is applied: the totals row adds up the rows shown, and says so. */
	readonly filtered: boolean = $derived(normalizeForSearch(this.query) !== '');

	/** The totals of the rows shown: the backend's when every customer is shown, the exact sum otherwise. */
	readonly totals: AgingTotals | null = $derived(
		this.report && (this.filtered ? totalsOf(this.rows) : this.report.totals)
	);

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.aging(asOf));
	}

	sortBy(key: string, kind: ColumnKind): void {
		this.sort = nextSort(this.sort, key, kind);
	}
}

/** The exact column sums of some aged-balance rows. */
export function totalsOf(rows: readonly AgingRow[]): AgingTotals {
	const width = rows.reduce((n, r) => Math.max(n, r.buckets.length), 0);
	return {
		balance: sumDecimal(rows.map((r) => r.balance)),
		unapplied: sumDecimal(rows.map((r) => r.unapplied)),
		buckets: Array.from({ length: width }, (_, i) => sumDecimal(rows.map((r) => r.buckets[i] ?? '0.00')))
	};
}

/**
 * The totals row's label: "Total des 270 clients", or "Total des 13 clients affichés" under a filter.
 * (A plain one/other choice; French and English agree on it for counts.)
 */
export function totalsLabel(
	count: number,
	filtered: boolean
): { key: 'aging.totals.one' | 'aging.totals.other' | 'aging.totalsShown.one' | 'aging.totalsShown.other' } {
	const base = filtered ? 'aging.totalsShown' : 'aging.totals';
	return { key: `${base}.${count === 1 ? 'one' : 'other'}` as const };
}
