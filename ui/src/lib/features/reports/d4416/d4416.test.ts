import { describe, expect, it } from 'vitest';
import { sampleD4416 } from '$lib/api/fixtures/mock';
import { sumDecimal } from '$lib/format/decimal';
import { d4416Rows, defaultYearEnd } from './d4416';

describe('D441-6', () => {
	it('defaults to the last 31 December', () => {
		expect(defaultYearEnd('2026-11-26')).toBe('2025-12-31');
		expect(defaultYearEnd('')).toBe('');
	});

	it('lists the four bands then the total, which adds them up', () => {
		const rows = d4416Rows(sampleD4416);
		expect(rows.map((r) => r.label)).toEqual([
			'd4416.band1',
			'd4416.band2',
			'd4416.band3',
			'd4416.band4',
			'd4416.total'
		]);
		const bands = rows.slice(0, 4);
		expect(sumDecimal(bands.map((b) => b.amount))).toBe(rows[4]?.amount);
		expect(bands.reduce((s, b) => s + b.invoices, 0)).toBe(rows[4]?.invoices);
	});
});
