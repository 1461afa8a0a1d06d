/**
 * The statutory payment-delay table (D441-6): the default year end and the bands in the statutory order.
 */
import type { D4416Report } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

/** The last 31 December before the date: the usual fiscal year end to show first. */
export function defaultYearEnd(today: string): string {
	const y = Number(today.slice(0, 4));
	return Number.isFinite(y) && y > 1900 ? `${y - 1}-12-31` : '';
}

export type D4416Row = {
	key: string;
	label: MessageKey;
	invoices: number;
	amount: string;
	share: number | null;
};

/** The four bands and the total, in the statutory order. */
export function d4416Rows(r: D4416Report): D4416Row[] {
	const keys: Record<string, MessageKey> = {
		'1-30': 'd4416.band1',
		'31-60': 'd4416.band2',
		'61-90': 'd4416.band3',
		'91+': 'd4416.band4'
	};
	return [
		...r.bands.map((b) => ({
			key: b.band,
			label: keys[b.band] ?? ('d4416.total' as MessageKey),
			invoices: b.invoices,
			amount: b.amount,
			share: b.share
		})),
		{
			key: 'total',
			label: 'd4416.total',
			invoices: r.total.invoices,
			amount: r.total.amount,
			share: r.total.share
		}
	];
}
