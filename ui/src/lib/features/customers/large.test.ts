import { describe, expect, it } from 'vitest';
import { customerList, largeCustomers } from '$lib/api/fixtures/portfolio';
import { sampleCustomers } from '$lib/api/fixtures/mock';
import { compareDecimal } from '$lib/format/decimal';
import { sortRows } from '$lib/table/sort';
import { customerColumns, filterCustomers, NO_FILTER } from './customers';

// 15,000 customers (the benchmark's portfolio): the list sorts and filters in the UI. The bound here is
// generous (a loaded CI machine); BENCHMARKS.md has the measured times.
const rows = customerList(largeCustomers(sampleCustomers, 15000)).customers;
const columns = customerColumns({
	segment: (c) => c ?? '—',
	category: (c) => c ?? '—',
	days: (d) => String(d)
});

function timed<T>(f: () => T): [T, number] {
	const t0 = performance.now();
	const out = f();
	return [out, performance.now() - t0];
}

describe('a 15,000-customer list', () => {
	it('sorts by an amount exactly, and fast', () => {
		const [sorted, ms] = timed(() => sortRows(rows, columns, { key: 'balance', direction: 'desc' }, 'fr-FR'));
		expect(sorted).toHaveLength(15000);
		for (let i = 1; i < sorted.length; i++) {
			expect(compareDecimal(sorted[i - 1]!.balance, sorted[i]!.balance)).toBeGreaterThanOrEqual(0);
		}
		expect(ms).toBeLessThan(1000);
	});

	it('sorts by name in French order, and fast', () => {
		const [sorted, ms] = timed(() => sortRows(rows, columns, { key: 'name', direction: 'asc' }, 'fr-FR'));
		const collator = new Intl.Collator('fr-FR', { sensitivity: 'base', numeric: true });
		for (let i = 1; i < sorted.length; i++) {
			expect(collator.compare(sorted[i - 1]!.name, sorted[i]!.name)).toBeLessThanOrEqual(0);
		}
		expect(ms).toBeLessThan(1000);
	});

	it('filters by name or code, accents aside, and fast', () => {
		const [found, ms] = timed(() => filterCustomers(rows, { ...NO_FILTER, query: 'ELECTRICITE' }));
		expect(found.length).toBeGreaterThan(0);
		expect(found.every((r) => r.name.startsWith('Électricité'))).toBe(true);
		expect(filterCustomers(rows, { ...NO_FILTER, query: 'p014999' }).map((r) => r.id)).toEqual(['P014999']);
		expect(ms).toBeLessThan(1000);
	});
});
