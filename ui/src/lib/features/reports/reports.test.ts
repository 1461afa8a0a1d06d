import { describe, expect, it } from 'vitest';
import { sampleD4416, sampleForecastAccuracy } from '$lib/api/fixtures/mock';
import { sumDecimal } from '$lib/format/decimal';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { EXPORT_FORMATS, exportFileName, exportFilter, exportTitleKey } from './export';
import {
	accuracySeries,
	agingOptions,
	bucketHeading,
	d4416Rows,
	defaultYearEnd,
	groupColumns,
	groupName,
	parseBuckets
} from './reports';

const t = (k: MessageKey, p?: Record<string, string>) => (p ? `${k}:${JSON.stringify(p)}` : k);

describe('grouped aged balance options', () => {
	it('reads bucket limits typed with commas, spaces or semicolons', () => {
		expect(parseBuckets('15, 30,45 ;60')).toEqual([15, 30, 45, 60]);
		expect(parseBuckets('  ')).toBeNull();
		expect(parseBuckets('30, 30')).toBeUndefined();
		expect(parseBuckets('60, 30')).toBeUndefined();
		expect(parseBuckets('0, 30')).toBeUndefined();
		expect(parseBuckets('15, trente')).toBeUndefined();
	});

	it('sends nothing while the buckets are wrong', () => {
		expect(
			agingOptions({ buckets: '15,30', basis: 'invoice_date', groupBy: 'collector' }, '2026-11-26')
		).toEqual({ as_of: '2026-11-26', buckets: [15, 30], basis: 'invoice_date', group_by: 'collector' });
		expect(agingOptions({ buckets: '30,15', basis: 'due_date', groupBy: 'segment' }, null)).toBeNull();
	});

	it('names groups in the language and the empty group', () => {
		expect(groupName('segment', 'very_late', t)).toBe('segment.very_late');
		expect(groupName('category', 'key_account', t)).toBe('category.key_account');
		expect(groupName('risk_class', 'B', t)).toBe('groupBy.class:{"class":"B"}');
		expect(groupName('collector', '', t)).toBe('groupBy.none');
		expect(groupName('collector', 'Julie', t)).toBe('Julie');
	});

	it('heads standard buckets with their label and configured ones with days', () => {
		expect(bucketHeading('61-90', t, 'j')).toBe('bucket.61_90');
		expect(bucketHeading('1-15', t, 'j')).toBe('1-15\u00a0j');
		const columns = groupColumns('segment', ['not_due', '1-15', '121+'], t, 'd');
		expect(columns.map((c) => c.heading ?? c.label)).toEqual([
			'groupBy.segment',
			'col.customers',
			'col.balance',
			'col.unapplied',
			'bucket.not_due',
			'1-15\u00a0d',
			'121+\u00a0d'
		]);
	});
});

describe('forecast accuracy', () => {
	it('sums each forecast over its horizon, exactly, and agrees with the by-week totals', () => {
		const points = accuracySeries(sampleForecastAccuracy.backtests);
		expect(points).toHaveLength(sampleForecastAccuracy.backtests.length);
		expect(sumDecimal(points.map((p) => p.expected))).toBe(
			sumDecimal(sampleForecastAccuracy.by_week.map((w) => w.expected))
		);
		expect(sumDecimal(points.map((p) => p.actual))).toBe(
			sumDecimal(sampleForecastAccuracy.by_week.map((w) => w.actual))
		);
	});
});

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

describe('export files', () => {
	it('offers a safe name with the date and the extension', () => {
		expect(exportFileName('balance âgée', '2026-11-26', 'xlsx')).toBe('balance-agee-2026-11-26.xlsx');
		expect(exportFileName('clients', null, 'csv')).toBe('clients.csv');
		expect(exportFileName('../x', '2026-11-26', 'csv')).toBe('..-x-2026-11-26.csv');
		expect(exportFilter('xlsx')).toEqual({ name: 'Excel', extensions: ['xlsx'] });
		expect(exportFilter('pdf')).toEqual({ name: 'PDF', extensions: ['pdf'] });
		expect(exportFileName('tableau D441-6', '2025-12-31', 'pdf')).toBe('tableau-D441-6-2025-12-31.pdf');
		expect(EXPORT_FORMATS.map(exportTitleKey)).toEqual([
			'export.csvTitle',
			'export.xlsxTitle',
			'export.pdfTitle'
		]);
	});
});
