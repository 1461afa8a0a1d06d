/** The penalty statement as the screens list it: one row per invoice paid late, with its customer. */
import type { PenaltiesReport, PenaltyInvoice } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { sumDecimal } from '$lib/format/decimal';

export interface PenaltyRow {
	customer: string;
	name: string;
	/** "L441-10" or "R2192-31". */
	basis: string;
	invoice: PenaltyInvoice;
	/** The largest delay of its parts, in days. */
	daysLate: number;
	/** What the invoice's penalties come to (interest + EUR 40), counted or not. */
	total: string;
}

export function penaltyRows(r: PenaltiesReport): PenaltyRow[] {
	return r.statement.customers.flatMap((c, i) => {
		const info = r.customers[i];
		return c.invoices.map((invoice) => ({
			customer: c.id,
			name: info?.name ?? c.id,
			basis: info?.basis ?? '',
			invoice,
			daysLate: Math.max(0, ...invoice.paid_parts.map((p) => p.days_late)),
			total: sumDecimal([invoice.interest, invoice.indemnity])
		}));
	});
}

/** interest + indemnities of a statement or of one customer's part of it (waived invoices already left out). */
export function totalDue(t: { interest: string; indemnities: string }): string {
	return sumDecimal([t.interest, t.indemnities]);
}

/** A period of payment dates: either end may be open, the start not after the end. */
export function validatePeriod(from: string, to: string): MessageKey | null {
	return from && to && from > to ? 'penalties.periodOrder' : null;
}

/** The period shown first: payments since the first day of the month before `day` (ISO), to keep it short. */
export function defaultFrom(day: string): string {
	const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(day);
	if (!m) return '';
	let year = Number(m[1]);
	let month = Number(m[2]) - 1;
	if (month === 0) {
		month = 12;
		year -= 1;
	}
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}
