import { describe, expect, it } from 'vitest';
import { behaviourBars, factorLines, monthLabel, openColumns, OPEN_COLUMNS, remindersText } from './file';

describe('payment behaviour chart', () => {
	it('labels months in the language, without a time-zone shift', () => {
		expect(monthLabel('2026-01-01', 'en')).toBe('Jan 26');
		expect(monthLabel('2025-12-01', 'fr')).toMatch(/^déc\.? 25$/);
	});

	it('draws months without payments at 0 with a dash, never as on time', () => {
		const bars = behaviourBars(
			[
				{ month: '2026-10-01', invoices: 3, amount: '300.00', avg_days_late: 12.5 },
				{ month: '2026-11-01', invoices: 0, amount: '0.00', avg_days_late: null }
			],
			'en'
		);
		expect(bars.days).toEqual([12.5, 0]);
		expect(bars.texts).toEqual(['+13\u00a0d', '—']);
		expect(bars.invoices).toEqual([3, 0]);
		expect(bars.labels).toEqual(['Oct 26', 'Nov 26']);
	});
});

describe('score factors', () => {
	it('lists the most costly first with their unit, share of weight capped', () => {
		const lines = factorLines(
			[
				{ code: 'days_late', value: 18.2, weight: 35, points_lost: 14.56 },
				{ code: 'trend', value: 4, weight: 15, points_lost: 3 },
				{ code: 'overdue_over_60', value: 40, weight: 20, points_lost: 20 },
				{ code: 'broken_promises', value: 0, weight: 10, points_lost: 0 },
				{ code: 'credit_limit_use', value: null, weight: 10, points_lost: 0 }
			],
			'en'
		);
		expect(lines.map((l) => l.code)).toEqual([
			'overdue_over_60',
			'days_late',
			'trend',
			'broken_promises',
			'credit_limit_use'
		]);
		expect(lines[0]).toMatchObject({ value: '40.0%', lost: 20, share: 1, label: 'factor.overdue_over_60' });
		expect(lines[1]).toMatchObject({ value: '18.2\u00a0d', lost: 14.6 });
		expect(lines[2]?.value).toBe('+4.0\u00a0d');
		expect(lines[3]?.value).toBe('0');
		expect(lines[4]?.value).toBe('—');
	});
});

describe('reminders before payment', () => {
	it('reads the average with one decimal in the language, a dash when unknown', () => {
		expect(remindersText(1.7, 'fr')).toBe('1,7');
		expect(remindersText(1.7, 'en')).toBe('1.7');
		expect(remindersText(0, 'fr')).toBe('0,0');
		expect(remindersText(null, 'en')).toBe('—');
	});
});

describe('the open invoices’ e-invoice status column', () => {
	it('is there only when the platform sent statuses, after the bucket, sorted by code', () => {
		expect(openColumns(new Map())).toBe(OPEN_COLUMNS);
		const columns = openColumns(new Map([['F2026-00123', 207]]));
		const keys = columns.map((c) => c.key);
		expect(keys.indexOf('einvoice')).toBe(keys.indexOf('bucket') + 1);
		expect(columns.length).toBe(OPEN_COLUMNS.length + 1);
		const status = columns.find((c) => c.key === 'einvoice')!;
		const row = (piece_ref: string) => ({ piece_ref }) as unknown as Parameters<typeof status.value>[0];
		expect(status.value(row('F2026-00123'))).toBe(207);
		expect(status.value(row('F2026-00999'))).toBe(0);
	});
});
