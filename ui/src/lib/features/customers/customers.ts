/**
 * The customers list: its columns, filters (class, segment, category, limit exceeded, name or code) and the
 * counts behind the filter menus. Pure functions over the rows of the backend's light list (`customer_list`).
 */
import type { CustomerListRow } from '$lib/api/types';
import { normalizeForSearch, searchText } from '$lib/features/aging/aging.svelte';
import { WIDTH, type TableColumn } from '$lib/table/columns';

/** '' = every customer; 'none' = those without a segment / category. */
export type CustomerFilter = {
	query: string;
	klass: string;
	segment: string;
	category: string;
	/** Only customers over their credit limit. */
	overLimit: boolean;
};

export const NO_FILTER: CustomerFilter = {
	query: '',
	klass: '',
	segment: '',
	category: '',
	overLimit: false
};

function matchesCode(value: string | null, wanted: string): boolean {
	if (wanted === '') return true;
	if (wanted === 'none') return value === null || value === '';
	return value === wanted;
}

export function filterCustomers(rows: readonly CustomerListRow[], filter: CustomerFilter): CustomerListRow[] {
	const q = normalizeForSearch(filter.query);
	return rows.filter(
		(r) =>
			(q === '' || searchText(r).includes(q)) &&
			matchesCode(r.class, filter.klass) &&
			matchesCode(r.segment, filter.segment) &&
			matchesCode(r.category, filter.category) &&
			(!filter.overLimit || r.limit_exceeded)
	);
}

/** How many customers each value of a field has (the filter menus show it), 'none' for no value. */
export function countBy(rows: readonly CustomerListRow[], field: (r: CustomerListRow) => string | null) {
	const counts = new Map<string, number>();
	for (const r of rows) {
		const v = field(r) || 'none';
		counts.set(v, (counts.get(v) ?? 0) + 1);
	}
	return counts;
}

export function isFiltered(filter: CustomerFilter): boolean {
	return (
		filter.query.trim() !== '' ||
		filter.klass !== '' ||
		filter.segment !== '' ||
		filter.category !== '' ||
		filter.overLimit
	);
}

/**
 * The list's columns. Customers without a weighted lateness (nothing paid in 12 months) sort below 0 days,
 * those without a credit limit below any limit.
 */
export function customerColumns(labels: {
	segment: (code: string | null) => string;
	category: (code: string | null) => string;
	days: (days: number | null) => string;
}): TableColumn<CustomerListRow>[] {
	return [
		{ key: 'id', label: 'col.id', kind: 'text', width: WIDTH.code, value: (r) => r.id },
		{ key: 'name', label: 'col.customer', kind: 'text', rowHeader: true, value: (r) => r.name },
		{ key: 'balance', label: 'col.balance', kind: 'money', value: (r) => r.balance },
		{ key: 'overdue', label: 'col.overdue', kind: 'money', value: (r) => r.overdue },
		{
			key: 'days',
			label: 'col.avgDaysLate',
			kind: 'number',
			width: '5.5rem',
			value: (r) => r.avg_days_late ?? -1,
			text: (r) => labels.days(r.avg_days_late)
		},
		{ key: 'score', label: 'col.score', kind: 'number', width: '3.8rem', value: (r) => r.score },
		{ key: 'class', label: 'col.class', kind: 'text', custom: true, width: '4rem', value: (r) => r.class },
		{
			key: 'limit',
			label: 'col.creditLimit',
			kind: 'money',
			custom: true,
			value: (r) => r.credit_limit ?? ''
		},
		{
			key: 'segment',
			label: 'col.segment',
			kind: 'text',
			width: '7.5rem',
			value: (r) => labels.segment(r.segment),
			text: (r) => labels.segment(r.segment)
		},
		{
			key: 'category',
			label: 'col.category',
			kind: 'text',
			width: '7rem',
			value: (r) => labels.category(r.category),
			text: (r) => labels.category(r.category)
		}
	];
}
