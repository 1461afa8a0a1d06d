import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { barWidth, CashWeekState, receivedShare } from './cash-week.svelte';

describe('cash in this week', () => {
	it('is a share of the forecast, the bar full beyond it and empty without one', () => {
		expect(receivedShare({ received: '250.00', expected: '1000.00' })).toBe(25);
		expect(barWidth({ received: '250.00', expected: '1000.00' })).toBe(25);
		expect(barWidth({ received: '1500.00', expected: '1000.00' })).toBe(100);
		expect(receivedShare({ received: '10.00', expected: '0.00' })).toBeNull();
		expect(barWidth({ received: '10.00', expected: '0.00' })).toBe(100);
		expect(barWidth({ received: '0.00', expected: '0.00' })).toBe(0);
	});

	it('loads with its alerts from the preview sample', async () => {
		const cash = new CashWeekState(createApi(createMockTransport()));
		await cash.load(null);
		const w = cash.loaded.data;
		expect(w?.unmatched).toBe(1);
		expect(w?.suggested).toBe(1);
		expect(w?.status_alerts.map((a) => a.code)).toEqual([210]);
	});
});
