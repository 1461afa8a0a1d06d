/**
 * The dashboard's "Encaissé cette semaine" and its alerts (210/213 statuses, bank receipts without an invoice):
 * one `cash_week` call per as-of date, a newer load winning.
 */
import type { Api } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import type { CashWeek } from '$lib/api/types';
import { sharePercent } from '$lib/format/decimal';

export class CashWeekState {
	readonly loaded = new Loaded<CashWeek>('cash_week');

	constructor(private readonly api: Api) {}

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.cashWeek(asOf));
	}
}

/** Received as a share of the forecast, in percent (null when nothing was expected). */
export function receivedShare(w: Pick<CashWeek, 'received' | 'expected'>): number | null {
	return sharePercent(w.received, w.expected);
}

/** The bar's width for the received amount, 0–100 (the forecast is the full width; beyond it, full). */
export function barWidth(w: Pick<CashWeek, 'received' | 'expected'>): number {
	const share = receivedShare(w);
	if (share === null) return /[1-9]/.test(w.received) ? 100 : 0;
	return Math.max(0, Math.min(100, share));
}
