import { describe, expect, it } from 'vitest';
import type { AgingInvoice } from '$lib/api/types';
import { sampleDsoSet, sampleForecast, sampleWhatIfs } from '$lib/api/fixtures/mock';
import { sumDecimal } from '$lib/format/decimal';
import { barTexts, dayMonth, dsoSeries, enteringOver60, forecastBars, parseDays, parseRate } from './daf';
import { whatIfFigures } from './whatif';

function invoice(piece: string, days: number, residual: string): AgingInvoice {
	return {
		customer_id: 'C1',
		customer_name: 'Client',
		piece_ref: piece,
		invoice_date: '2026-08-01',
		due_date: '2026-09-01',
		days,
		bucket: days > 90 ? '91+' : days > 60 ? '61-90' : '31-60',
		amount: residual,
		residual
	};
}

describe('DSO trend', () => {
	it('has one point per month end, gaps kept as null', () => {
		const s = dsoSeries(
			[
				{ date: '2026-10-31', receivables: '1.00', dso_average: 50.2, dso_countback: 44 },
				{ date: '2026-11-30', receivables: '1.00', dso_average: null, dso_countback: null }
			],
			'en'
		);
		expect(s).toEqual({ labels: ['Oct 26', 'Nov 26'], average: [50.2, null], countback: [44, null] });
	});

	it('covers the sample: 12 month ends, oldest first', () => {
		const s = dsoSeries(sampleDsoSet.trend, 'fr');
		expect(s.labels).toHaveLength(12);
		const dates = sampleDsoSet.trend.map((p) => p.date);
		expect([...dates].sort()).toEqual(dates);
	});
});

describe('forecast bars', () => {
	it('are the weeks, later and uncertain, and add up to the total', () => {
		const bars = forecastBars(sampleForecast);
		expect(bars).toHaveLength(sampleForecast.weeks.length + 2);
		expect(bars.slice(-2).map((b) => b.kind)).toEqual(['later', 'uncertain']);
		expect(sumDecimal(bars.map((b) => b.amount))).toBe(sampleForecast.total);
	});

	it('label weeks by their Monday and leave empty bars unlabelled', () => {
		expect(dayMonth('2026-11-30')).toBe('30/11');
		const texts = barTexts(
			[
				{ kind: 'week', start: '2026-11-30', end: '2026-12-06', amount: '0.00' },
				{ kind: 'later', start: null, end: null, amount: '1500000.00' }
			],
			'EUR',
			'fr'
		);
		expect(texts[0]).toBe('');
		expect(texts[1]).toMatch(/^1,5\s?M\s?€$/);
	});
});

describe('invoices entering 61+ days', () => {
	it('keeps 61 to 67 days late, largest first then the latest to enter, not credits', () => {
		const list = enteringOver60([
			invoice('A', 60, '900.00'),
			invoice('B', 61, '100.00'),
			invoice('C', 67, '2500.00'),
			invoice('D', 68, '5000.00'),
			invoice('E', 64, '-50.00'),
			invoice('F', 63, '100.00')
		]);
		expect(list.map((i) => i.piece_ref)).toEqual(['C', 'B', 'F']);
	});
});

describe('what-if inputs', () => {
	it('reads days as whole numbers up to a year', () => {
		expect(parseDays(' 10 ')).toBe(10);
		expect(parseDays('0')).toBe(0);
		expect(parseDays('366')).toBeNull();
		expect(parseDays('2.5')).toBeNull();
		expect(parseDays('')).toBeNull();
	});

	it('reads a French or English rate as the backend decimal', () => {
		expect(parseRate('4,5')).toBe('4.5');
		expect(parseRate('4.50 %')).toBe('4.5');
		expect(parseRate('03')).toBe('3');
		expect(parseRate('100')).toBe('100');
		expect(parseRate('100,01')).toBeNull();
		expect(parseRate('-1')).toBeNull();
		expect(parseRate('abc')).toBeNull();
	});

	it("computes exactly what the backend computes (the preview's mock)", () => {
		expect(sampleWhatIfs.length).toBeGreaterThan(1);
		for (const w of sampleWhatIfs) {
			expect(whatIfFigures(w.sales, w.period_days, w.days, w.rate)).toEqual({
				sales_per_day: w.sales_per_day,
				cash_freed: w.cash_freed,
				financing_saved: w.financing_saved
			});
		}
	});

	it('rounds half away from zero once, like the backend', () => {
		// 1 000.00 / 3 × 7 = 2 333.33; × 3 % = 69.9999 → 70.00.
		expect(whatIfFigures('1000.00', 3, 7, '3')).toEqual({
			sales_per_day: '333.33',
			cash_freed: '2333.33',
			financing_saved: '70.00'
		});
		expect(whatIfFigures('4.50', 90, 1, '10')?.financing_saved).toBe('0.01');
	});
});
