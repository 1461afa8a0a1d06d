import { describe, expect, it } from 'vitest';
import type { CustomerListRow } from '$lib/api/types';
import { sortRows } from '$lib/table/sort';
import { countBy, customerColumns, filterCustomers, isFiltered, NO_FILTER } from './customers';
import { categoryKey, factorKey, segmentKey } from './labels';

function customer(id: string, name: string, over: Partial<CustomerListRow> = {}): CustomerListRow {
	return {
		id,
		name,
		balance: '0.00',
		overdue: '0.00',
		avg_days_late: null,
		score: 100,
		class: 'A',
		credit_limit: null,
		limit_exceeded: false,
		segment: null,
		category: null,
		...over
	};
}

const behaviour = (segment: CustomerListRow['segment'], avg: number | null) => ({
	segment,
	avg_days_late: avg
});

const rows: CustomerListRow[] = [
	customer('C1', 'Boulangerie Lefèvre', {
		class: 'A',
		...behaviour('on_time', 0),
		category: 'key_account'
	}),
	customer('C2', 'Garage Martin', {
		class: 'D',
		...behaviour('very_late', 48.5),
		credit_limit: '1000.00',
		limit_exceeded: true,
		balance: '1500.00'
	}),
	customer('C3', 'Mairie de Vénissieux', {
		class: 'C',
		...behaviour('late', 21),
		category: 'public_body'
	}),
	customer('C4', 'Nouveau client', { class: 'B', credit_limit: '20000.00' })
];

const ids = (r: CustomerListRow[]) => r.map((c) => c.id);

describe('customer filters', () => {
	it('keeps everybody without a filter', () => {
		expect(ids(filterCustomers(rows, NO_FILTER))).toEqual(['C1', 'C2', 'C3', 'C4']);
		expect(isFiltered(NO_FILTER)).toBe(false);
	});

	it('finds a name without accents or case, or a code', () => {
		expect(ids(filterCustomers(rows, { ...NO_FILTER, query: 'lefevre' }))).toEqual(['C1']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, query: 'VENISSIEUX' }))).toEqual(['C3']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, query: 'c4' }))).toEqual(['C4']);
	});

	it('filters by class, segment, category and limit exceeded, together', () => {
		expect(ids(filterCustomers(rows, { ...NO_FILTER, klass: 'D' }))).toEqual(['C2']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, segment: 'late' }))).toEqual(['C3']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, segment: 'none' }))).toEqual(['C4']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, category: 'none' }))).toEqual(['C2', 'C4']);
		expect(ids(filterCustomers(rows, { ...NO_FILTER, overLimit: true }))).toEqual(['C2']);
		const both = { ...NO_FILTER, category: 'none', klass: 'B' };
		expect(ids(filterCustomers(rows, both))).toEqual(['C4']);
		expect(isFiltered(both)).toBe(true);
	});

	it('counts each value for the menus, none apart', () => {
		const bySegment = countBy(rows, (r) => r.segment);
		expect(Object.fromEntries(bySegment)).toEqual({ on_time: 1, very_late: 1, late: 1, none: 1 });
		expect(countBy(rows, (r) => r.category).get('none')).toBe(2);
	});
});

describe('customer columns', () => {
	const columns = customerColumns({
		segment: (c) => c ?? '—',
		category: (c) => c ?? '—',
		days: (d) => (d === null ? '—' : `${d} j`)
	});

	it('sorts customers without history below those paying on time', () => {
		const sorted = sortRows(rows, columns, { key: 'days', direction: 'asc' }, 'fr-FR');
		expect(ids(sorted)).toEqual(['C4', 'C1', 'C3', 'C2']);
	});

	it('sorts credit limits as amounts, customers without one first when ascending', () => {
		const sorted = sortRows(rows, columns, { key: 'limit', direction: 'desc' }, 'fr-FR');
		expect(ids(sorted).slice(0, 2)).toEqual(['C4', 'C2']);
	});

	it('shows the translated text of a code, not the code', () => {
		const days = columns.find((c) => c.key === 'days');
		expect(days?.text?.(rows[1] as CustomerListRow)).toBe('48.5 j');
		expect(days?.text?.(rows[3] as CustomerListRow)).toBe('—');
	});
});

describe('labels', () => {
	it('knows every backend code and nothing else', () => {
		expect(segmentKey('slightly_late')).toBe('code.BehaviourSegment.slightly_late');
		expect(segmentKey(null)).toBeNull();
		expect(segmentKey('unknown')).toBeNull();
		expect(categoryKey('public_body')).toBe('code.Category.public_body');
		expect(factorKey('overdue_over_60')).toBe('factor.overdue_over_60');
		expect(factorKey('new_factor')).toBeNull();
	});
});
