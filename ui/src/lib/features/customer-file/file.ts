/**
 * The customer file's pure parts: how terms read, the payment-behaviour chart's bars, the score factors' lines,
 * the open and paid invoices tables.
 */
import type { AgingInvoice, BehaviourMonth, PaidInvoiceDto, ScoreFactor } from '$lib/api/types';
import { factorKey, FACTOR_UNITS } from '$lib/features/customers/labels';
import {
	formatCount,
	formatDate,
	formatDays,
	formatDaysLate,
	formatPercent,
	intlLocale
} from '$lib/format/format';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';
import { WIDTH, type TableColumn } from '$lib/table/columns';

/** Reminders before payment, an average with one decimal: 1.7 → "1,7" (fr) / "1.7" (en); null → "—". */
export function remindersText(average: number | null, locale: Locale): string {
	if (average === null) return '—';
	return new Intl.NumberFormat(intlLocale(locale), {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(average);
}

/** "2026-03-01" → "mars 26" (fr) / "Mar 26" (en). */
export function monthLabel(iso: string, locale: Locale): string {
	const [y, m] = iso.split('-').map(Number);
	if (!y || !m) return iso;
	return new Intl.DateTimeFormat(intlLocale(locale), {
		month: 'short',
		year: '2-digit',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(y, m - 1, 1)));
}

export type BehaviourBars = {
	labels: string[];
	/** Bar heights: weighted days late, 0 for a month without payments (its text says so). */
	days: number[];
	/** Above each bar: "+12 j", or "—" when nothing was paid that month. */
	texts: string[];
	/** Invoices paid each month, for the tooltip and the table under the chart. */
	invoices: number[];
};

export function behaviourBars(months: readonly BehaviourMonth[], locale: Locale): BehaviourBars {
	return {
		labels: months.map((m) => monthLabel(m.month, locale)),
		days: months.map((m) => m.avg_days_late ?? 0),
		// Whole days above the bars (12 bars side by side); the tooltip and the figures above give the decimal.
		texts: months.map((m) =>
			m.avg_days_late === null ? '—' : formatDaysLate(Math.round(m.avg_days_late), locale)
		),
		invoices: months.map((m) => m.invoices)
	};
}

export type FactorLine = {
	code: string;
	label: MessageKey | null;
	/** The factor's value with its unit, "—" when unknown. */
	value: string;
	weight: number;
	/** Points lost of the weight, one decimal. */
	lost: number;
	/** Share of the weight lost, 0–1, for the bar. */
	share: number;
};

/** The score's factors, the most costly first (ties in the backend's order). */
export function factorLines(factors: readonly ScoreFactor[], locale: Locale): FactorLine[] {
	const value = (f: ScoreFactor): string => {
		if (f.value === null) return '—';
		switch (FACTOR_UNITS[f.code]) {
			case 'days':
				return (f.value > 0 && f.code === 'trend' ? '+' : '') + formatDays(f.value, locale);
			case 'percent':
				return formatPercent(f.value, locale);
			default:
				return formatCount(f.value, locale);
		}
	};
	return factors
		.map((f) => ({
			code: f.code,
			label: factorKey(f.code),
			value: value(f),
			weight: f.weight,
			lost: Math.round(f.points_lost * 10) / 10,
			share: f.weight > 0 ? Math.min(1, Math.max(0, f.points_lost / f.weight)) : 0
		}))
		.sort((a, b) => b.lost - a.lost);
}

export const OPEN_COLUMNS: readonly TableColumn<AgingInvoice>[] = [
	{ key: 'piece', label: 'col.piece', kind: 'text', rowHeader: true, value: (r) => r.piece_ref },
	{
		key: 'invoiceDate',
		label: 'col.invoiceDate',
		kind: 'text',
		width: WIDTH.date,
		value: (r) => r.invoice_date,
		text: (r) => formatDate(r.invoice_date)
	},
	{
		key: 'dueDate',
		label: 'col.dueDate',
		kind: 'text',
		width: WIDTH.date,
		value: (r) => r.due_date,
		text: (r) => formatDate(r.due_date)
	},
	{ key: 'days', label: 'col.daysLate', kind: 'number', display: 'daysLate', value: (r) => r.days },
	{
		key: 'bucket',
		label: 'col.bucket',
		kind: 'text',
		custom: true,
		width: '8rem',
		value: (r) => r.bucket
	},
	{ key: 'amount', label: 'col.amount', kind: 'money', value: (r) => r.amount },
	{ key: 'residual', label: 'col.residual', kind: 'money', value: (r) => r.residual }
];

/**
 * The open invoices' columns with, when the e-invoicing platform sent statuses for some of them, each invoice's
 * current lifecycle status (`current`: invoice number → its latest status code received) after the bucket.
 */
export function openColumns(current: ReadonlyMap<string, number>): readonly TableColumn<AgingInvoice>[] {
	if (current.size === 0) return OPEN_COLUMNS;
	const status: TableColumn<AgingInvoice> = {
		key: 'einvoice',
		label: 'col.einvoiceStatus',
		kind: 'text',
		custom: true,
		width: '10rem',
		value: (r) => current.get(r.piece_ref) ?? 0
	};
	const at = OPEN_COLUMNS.findIndex((c) => c.key === 'bucket') + 1;
	return [...OPEN_COLUMNS.slice(0, at), status, ...OPEN_COLUMNS.slice(at)];
}

export const PAID_COLUMNS: readonly TableColumn<PaidInvoiceDto>[] = [
	{ key: 'piece', label: 'col.piece', kind: 'text', rowHeader: true, value: (r) => r.piece_ref },
	{
		key: 'invoiceDate',
		label: 'col.invoiceDate',
		kind: 'text',
		width: WIDTH.date,
		value: (r) => r.invoice_date,
		text: (r) => formatDate(r.invoice_date)
	},
	{
		key: 'dueDate',
		label: 'col.dueDate',
		kind: 'text',
		width: WIDTH.date,
		value: (r) => r.due_date,
		text: (r) => formatDate(r.due_date)
	},
	{
		key: 'paidOn',
		label: 'col.paidOn',
		kind: 'text',
		width: WIDTH.date,
		value: (r) => r.paid_on,
		text: (r) => formatDate(r.paid_on)
	},
	{ key: 'amount', label: 'col.amount', kind: 'money', value: (r) => r.amount },
	{
		key: 'days',
		label: 'col.daysLatePaid',
		kind: 'number',
		display: 'signedDays',
		value: (r) => r.days_late
	}
];
