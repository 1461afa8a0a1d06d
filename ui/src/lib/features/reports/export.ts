/**
 * Exports: the file name offered in the save dialog and the dialog's filter for each format.
 */
import type { ExportFormat } from '$lib/api/types';
import type { FileFilter } from '$lib/api/desktop';

/** "balance-agee" + 2026-11-26 + xlsx → "balance-agee-2026-11-26.xlsx"; unsafe characters become "-". */
export function exportFileName(base: string, date: string | null, format: ExportFormat): string {
	const safe = (s: string) =>
		s
			.normalize('NFD')
			.replace(/\p{Diacritic}/gu, '')
			.replace(/[^A-Za-z0-9_.-]+/g, '-')
			.replace(/^-+|-+$/g, '');
	const stem = [safe(base) || 'export', date ? safe(date) : ''].filter((p) => p !== '').join('-');
	return `${stem}.${format}`;
}

export function exportFilter(
	format: ExportFormat,
	translate: (key: 'export.filter.csv' | 'export.filter.xlsx' | 'export.filter.pdf') => string
): FileFilter {
	// The save dialog's filter names are the app's words, in the app's language.
	switch (format) {
		case 'csv':
			return { name: translate('export.filter.csv'), extensions: ['csv'] };
		case 'xlsx':
			return { name: translate('export.filter.xlsx'), extensions: ['xlsx'] };
		case 'pdf':
			return { name: translate('export.filter.pdf'), extensions: ['pdf'] };
	}
}

/** The save dialog's title for each format. */
export function exportTitleKey(
	format: ExportFormat
): 'export.csvTitle' | 'export.xlsxTitle' | 'export.pdfTitle' {
	return format === 'csv' ? 'export.csvTitle' : format === 'xlsx' ? 'export.xlsxTitle' : 'export.pdfTitle';
}

/** The formats offered beside a report, in order. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'pdf'];
