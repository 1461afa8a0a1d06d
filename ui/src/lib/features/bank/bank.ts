/**
 * The "Banque" screen's pure logic: the entries of one status, the count per status, a reason's words.
 */
import type { BankEntryDto, BankReason, BankStatus } from '$lib/api/types';
import { DICTIONARIES, translate, type MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';

export const BANK_STATUSES: BankStatus[] = ['suggested', 'unmatched', 'matched', 'on_account', 'ignored'];

/** The filter: one status, or every entry. */
export type BankFilter = BankStatus | 'all';

export function filterEntries(entries: BankEntryDto[], filter: BankFilter): BankEntryDto[] {
	return filter === 'all' ? entries : entries.filter((e) => e.status === filter);
}

export function countByStatus(entries: BankEntryDto[]): Record<BankStatus, number> {
	const counts: Record<BankStatus, number> = {
		matched: 0,
		suggested: 0,
		unmatched: 0,
		on_account: 0,
		ignored: 0
	};
	for (const e of entries) counts[e.status] += 1;
	return counts;
}

/** A reason in words (its code when this version has no words for it). */
export function reasonText(r: BankReason, locale: Locale): string {
	const { key, params } = reasonWords(r);
	return key in DICTIONARIES[locale] ? translate(locale, key as MessageKey, params) : r.code;
}

/** The message key of a reason and its parameters (invoice numbers, IBAN, name, count…). */
export function reasonWords(r: BankReason): { key: string; params: Record<string, string> } {
	const params: Record<string, string> = {
		invoice: r.invoice ?? '',
		invoices: (r.invoices ?? []).join(', '),
		reference: r.reference ?? '',
		iban: r.iban ?? '',
		name: r.name ?? '',
		count: String(r.count ?? r.alternatives ?? ''),
		amount: r.amount ?? '',
		unapplied: r.unapplied ?? ''
	};
	return { key: `bank.reason.${r.code}`, params };
}
