/**
 * The DAF's additions to the dashboard, as pure functions: the DSO trend's series, the forecast's bars, the
 * invoices entering the 61+ days buckets, and the what-if's inputs.
 */
import type { AgingInvoice, DsoPoint, ForecastReport } from '$lib/api/types';
import { monthLabel } from '$lib/features/customer-file/file';
import { compareDecimal } from '$lib/format/decimal';
import { formatMoneyCompact } from '$lib/format/format';
import type { Locale } from '$lib/i18n/locale';

export type DsoSeries = {
	labels: string[];
	average: (number | null)[];
	countback: (number | null)[];
};

/** One point per month end, oldest first: "nov. 26" and the two DSO figures (null where there were no sales). */
export function dsoSeries(trend: readonly DsoPoint[], locale: Locale): DsoSeries {
	return {
		labels: trend.map((p) => monthLabel(p.date, locale)),
		average: trend.map((p) => p.dso_average),
		countback: trend.map((p) => p.dso_countback)
	};
}

export type ForecastBar = {
	kind: 'week' | 'later' | 'uncertain';
	/** ISO start of the week; null for later / uncertain. */
	start: string | null;
	end: string | null;
	amount: string;
};

/** The 13 weeks, then "later" and "uncertain": every open amount in exactly one bar. */
export function forecastBars(report: ForecastReport): ForecastBar[] {
	return [
		...report.weeks.map((w) => ({ kind: 'week' as const, start: w.start, end: w.end, amount: w.expected })),
		{ kind: 'later', start: null, end: null, amount: report.later },
		{ kind: 'uncertain', start: null, end: null, amount: report.uncertain }
	];
}

/** "2026-11-30" → "30/11": a week's label on the chart's axis. */
export function dayMonth(iso: string): string {
	const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(iso);
	return m ? `${m[2]}/${m[1]}` : iso;
}

/** Compact amounts above the bars, empty for a zero bar (less noise). */
export function barTexts(bars: readonly ForecastBar[], currency: string, locale: Locale): string[] {
	return bars.map((b) => (/[1-9]/.test(b.amount) ? formatMoneyCompact(b.amount, currency, locale) : ''));
}

/**
 * Invoices that went past 60 days late within the last `windowDays` days (61 to 60 + windowDays days late):
 * the ones about to need a formal notice. Largest residual first.
 */
export function enteringOver60(invoices: readonly AgingInvoice[], windowDays = 7): AgingInvoice[] {
	return invoices
		.filter(
			(i) =>
				i.days >= 61 && i.days <= 60 + windowDays && /[1-9]/.test(i.residual) && !i.residual.startsWith('-')
		)
		.sort((a, b) => compareDecimal(b.residual, a.residual) || a.days - b.days);
}

/** A whole number of days from 0 to 365 typed by the user, or null. */
export function parseDays(input: string): number | null {
	const s = input.trim();
	if (!/^\d{1,3}$/.test(s)) return null;
	const n = Number(s);
	return n <= 365 ? n : null;
}

/** A yearly rate in percent typed "4,5" or "4.5" (0 to 100, at most 4 decimals) as the backend's "4.5", or null. */
export function parseRate(input: string): string | null {
	const s = input.trim().replace(',', '.').replace(/\s|%/g, '');
	if (!/^\d{1,3}(\.\d{1,4})?$/.test(s)) return null;
	const [int = '0', frac = ''] = s.split('.');
	const n = Number(int);
	if (n > 100 || (n === 100 && /[1-9]/.test(frac))) return null;
	const trimmed = frac.replace(/0+$/, '');
	return `${String(n)}${trimmed ? `.${trimmed}` : ''}`;
}
