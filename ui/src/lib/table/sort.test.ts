import { describe, expect, it } from 'vitest';
import { ariaSort, nextSort, sortRows, type Column } from './sort';

type Row = { name: string; amount: string; days: number };
const columns: Column<Row>[] = [
	{ key: 'name', kind: 'text', value: (r) => r.name },
	{ key: 'amount', kind: 'money', value: (r) => r.amount },
	{ key: 'days', kind: 'number', value: (r) => r.days }
];
const rows: Row[] = [
	{ name: 'Étude Martin', amount: '9.99', days: 3 },
	{ name: 'agence Blanc', amount: '100.00', days: 45 },
	{ name: 'Zinc SA', amount: '-20.00', days: 3 },
	{ name: 'Boulangerie', amount: '1000.00', days: 120 }
];
const names = (r: Row[]) => r.map((x) => x.name);

describe('sortRows', () => {
	it('keeps the incoming order without a sort', () => {
		expect(names(sortRows(rows, columns, null, 'fr-FR'))).toEqual(names(rows));
	});

	it('sorts amounts by value, not as text', () => {
		const sorted = sortRows(rows, columns, { key: 'amount', direction: 'desc' }, 'fr-FR');
		expect(sorted.map((r) => r.amount)).toEqual(['1000.00', '100.00', '9.99', '-20.00']);
	});

	it('sorts names ignoring case and accents', () => {
		const sorted = sortRows(rows, columns, { key: 'name', direction: 'asc' }, 'fr-FR');
		expect(names(sorted)).toEqual(['agence Blanc', 'Boulangerie', 'Étude Martin', 'Zinc SA']);
	});

	it('is stable: ties keep the incoming order', () => {
		const sorted = sortRows(rows, columns, { key: 'days', direction: 'asc' }, 'fr-FR');
		expect(names(sorted)).toEqual(['Étude Martin', 'Zinc SA', 'agence Blanc', 'Boulangerie']);
	});

	it('does not change its input', () => {
		const copy = [...rows];
		sortRows(rows, columns, { key: 'amount', direction: 'asc' }, 'fr-FR');
		expect(rows).toEqual(copy);
	});
});

describe('nextSort and ariaSort', () => {
	it('starts figures descending and text ascending, then flips', () => {
		const first = nextSort(null, 'amount', 'money');
		expect(first).toEqual({ key: 'amount', direction: 'desc' });
		expect(nextSort(first, 'amount', 'money')).toEqual({ key: 'amount', direction: 'asc' });
		expect(nextSort(first, 'name', 'text')).toEqual({ key: 'name', direction: 'asc' });
	});

	it('reports the state for aria-sort', () => {
		const s = { key: 'amount', direction: 'desc' } as const;
		expect(ariaSort(s, 'amount')).toBe('descending');
		expect(ariaSort({ ...s, direction: 'asc' }, 'amount')).toBe('ascending');
		expect(ariaSort(s, 'name')).toBe('none');
		expect(ariaSort(null, 'name')).toBe('none');
	});
});
