import { compareDecimal } from '$lib/format/decimal';

/**
 * Sorting for the report tables. Amounts are compared as exact decimals (BigInt of the digits), never as floats.
 */

export type SortDirection = 'asc' | 'desc';
export type SortState<K extends string> = { key: K; direction: SortDirection };
export type ColumnKind = 'text' | 'money' | 'number';

export type Column<Row, K extends string = string> = {
	key: K;
	kind: ColumnKind;
	value: (row: Row) => string | number;
};

const collators = new Map<string, Intl.Collator>();
function collator(locale: string): Intl.Collator {
	let c = collators.get(locale);
	if (!c) {
		c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
		collators.set(locale, c);
	}
	return c;
}

export function compareValues(
	kind: ColumnKind,
	a: string | number,
	b: string | number,
	locale: string
): number {
	if (kind === 'money') return compareDecimal(String(a), String(b));
	if (kind === 'number') return Number(a) - Number(b);
	return collator(locale).compare(String(a), String(b));
}

/**
 * A sorted copy of rows. Ties keep the incoming order (Array.prototype.sort is stable), so the backend's
 * order (e.g. most overdue first) stays the tie-breaker.
 */
export function sortRows<Row, K extends string>(
	rows: readonly Row[],
	columns: readonly Column<Row, K>[],
	sort: SortState<K> | null,
	locale: string
): Row[] {
	const copy = [...rows];
	if (!sort) return copy;
	const column = columns.find((c) => c.key === sort.key);
	if (!column) return copy;
	const sign = sort.direction === 'asc' ? 1 : -1;
	return copy.sort((x, y) => sign * compareValues(column.kind, column.value(x), column.value(y), locale));
}

/** Clicking a header: the same column flips; another column starts descending for figures, ascending for text. */
export function nextSort<K extends string>(
	current: SortState<K> | null,
	key: K,
	kind: ColumnKind
): SortState<K> {
	if (current && current.key === key) {
		return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
	}
	return { key, direction: kind === 'text' ? 'asc' : 'desc' };
}

export function ariaSort<K extends string>(
	current: SortState<K> | null,
	key: K
): 'ascending' | 'descending' | 'none' {
	if (!current || current.key !== key) return 'none';
	return current.direction === 'asc' ? 'ascending' : 'descending';
}
