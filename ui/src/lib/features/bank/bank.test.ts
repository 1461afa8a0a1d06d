import { describe, expect, it } from 'vitest';
import type { BankEntryDto } from '$lib/api/types';
import { countByStatus, filterEntries, reasonText } from './bank';

function entry(id: string, status: BankEntryDto['status']): BankEntryDto {
	return {
		id,
		number: 1,
		account: 'FR7630004005680001234567890',
		date: '2026-11-25',
		value_date: null,
		amount: '100.00',
		currency: 'EUR',
		label: 'VIR SEPA',
		counterparty: null,
		counterparty_iban: null,
		remittance: '',
		status,
		decided_by: 'auto',
		decided_on: '2026-11-26',
		user: '',
		customer: null,
		customer_name: null,
		matches: [],
		unapplied: '0.00',
		reasons: [],
		suggestions: []
	};
}

describe('bank entries', () => {
	const entries = [
		entry('a', 'matched'),
		entry('b', 'suggested'),
		entry('c', 'suggested'),
		entry('d', 'ignored')
	];

	it('are filtered and counted by status', () => {
		expect(filterEntries(entries, 'suggested').map((e) => e.id)).toEqual(['b', 'c']);
		expect(filterEntries(entries, 'all')).toHaveLength(4);
		expect(countByStatus(entries)).toEqual({
			matched: 1,
			suggested: 2,
			unmatched: 0,
			on_account: 0,
			ignored: 1
		});
	});

	it('say their reasons in words, and an unknown reason by its code', () => {
		expect(reasonText({ code: 'invoice_number_in_label', invoice: 'F2026-00123' }, 'fr')).toBe(
			'n° F2026-00123 dans le libellé'
		);
		expect(reasonText({ code: 'amount_equals_n_invoices', count: 2, invoices: ['A', 'B'] }, 'en')).toBe(
			'amount = 2 invoices'
		);
		expect(reasonText({ code: 'from_a_newer_version' }, 'fr')).toBe('from_a_newer_version');
	});
});
