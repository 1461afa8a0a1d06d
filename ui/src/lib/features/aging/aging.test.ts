import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { sampleAging } from '$lib/api/fixtures/mock';
import { AgingState, filterByName, normalizeForSearch, totalsLabel, totalsOf } from './aging.svelte';

describe('name filter', () => {
	it('ignores case and accents', () => {
		expect(normalizeForSearch('  Cabinet LEFÈVRE ')).toBe('cabinet lefevre');
		expect(normalizeForSearch('Mairie de LYON')).toBe('mairie de lyon');
		expect(normalizeForSearch('ÉPICERIE Noël')).toBe('epicerie noel');
		const found = filterByName(sampleAging.customers, 'lefevre').map((r) => r.name);
		expect(found.length).toBeGreaterThan(0);
		expect(found.every((n) => normalizeForSearch(n).includes('lefevre'))).toBe(true);
	});

	it('also finds a customer code, and everything when empty', () => {
		expect(filterByName(sampleAging.customers, 'c00001').map((r) => r.id)).toEqual(['C00001']);
		expect(filterByName(sampleAging.customers, ' ')).toHaveLength(sampleAging.customers.length);
	});
});

describe('aged balance state', () => {
	it('loads, filters and sorts', async () => {
		const aging = new AgingState(createApi(async () => sampleAging));
		await aging.load(null);
		expect(aging.phase).toBe('ready');
		expect(aging.rows).toHaveLength(sampleAging.customers.length);

		aging.sortBy('balance', 'money');
		const first = aging.rows[0];
		expect(first?.balance).toBe(
			sampleAging.customers.map((c) => c.balance).reduce((a, b) => (Number(b) > Number(a) ? b : a))
		);

		aging.query = 'mairie';
		expect(aging.rows.length).toBeGreaterThan(0);
		expect(aging.rows.every((r) => r.name.toLowerCase().includes('mairie'))).toBe(true);
	});

	it('reports a missing database as no_data', async () => {
		const aging = new AgingState(createApi(() => Promise.reject({ code: 'no_data', message: 'empty' })));
		await aging.load(null);
		expect(aging.phase).toBe('error');
		expect(aging.error?.code).toBe('no_data');
	});

	it('adds up the rows shown under a filter, and says so', async () => {
		const aging = new AgingState(createApi(() => Promise.resolve(sampleAging)));
		await aging.load(null);
		expect(aging.filtered).toBe(false);
		expect(aging.totals).toEqual(sampleAging.totals);
		// The sum of every row is the backend's total: the exact addition agrees with it.
		expect(totalsOf(sampleAging.customers)).toEqual(sampleAging.totals);

		aging.query = 'mairie';
		expect(aging.filtered).toBe(true);
		const shown = aging.rows;
		expect(shown.length).toBeLessThan(sampleAging.customers.length);
		expect(aging.totals?.balance).toBe(totalsOf(shown).balance);
		expect(aging.totals?.balance).not.toBe(sampleAging.totals.balance);
		expect(
			totalsOf([
				{ id: 'a', name: 'A', balance: '0.10', unapplied: '-0.20', buckets: ['0.10', '0.20'] },
				{ id: 'b', name: 'B', balance: '0.20', unapplied: '0.00', buckets: ['0.00', '-0.05'] }
			])
		).toEqual({ balance: '0.30', unapplied: '-0.20', buckets: ['0.10', '0.15'] });
	});

	it('labels the totals by what is shown', () => {
		expect(totalsLabel(270, false).key).toBe('aging.totals.other');
		expect(totalsLabel(13, true).key).toBe('aging.totalsShown.other');
		expect(totalsLabel(1, true).key).toBe('aging.totalsShown.one');
	});
});
