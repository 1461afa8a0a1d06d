import { describe, expect, it } from 'vitest';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { EXPORT_FORMATS, exportFileName, exportFilter, exportTitleKey } from './export';

const t = (k: MessageKey, p?: Record<string, string>) => (p ? `${k}:${JSON.stringify(p)}` : k);

describe('export files', () => {
	it('offers a safe name with the date and the extension', () => {
		expect(exportFileName('balance âgée', '2026-11-26', 'xlsx')).toBe('balance-agee-2026-11-26.xlsx');
		expect(exportFileName('clients', null, 'csv')).toBe('clients.csv');
		expect(exportFileName('../x', '2026-11-26', 'csv')).toBe('..-x-2026-11-26.csv');
		expect(exportFilter('xlsx', t)).toEqual({ name: 'export.filter.xlsx', extensions: ['xlsx'] });
		expect(exportFilter('pdf', t)).toEqual({ name: 'export.filter.pdf', extensions: ['pdf'] });
		expect(exportFilter('csv', t)).toEqual({ name: 'export.filter.csv', extensions: ['csv'] });
		expect(exportFileName('tableau D441-6', '2025-12-31', 'pdf')).toBe('tableau-D441-6-2025-12-31.pdf');
		expect(EXPORT_FORMATS.map(exportTitleKey)).toEqual([
			'export.csvTitle',
			'export.xlsxTitle',
			'export.pdfTitle'
		]);
	});
});
