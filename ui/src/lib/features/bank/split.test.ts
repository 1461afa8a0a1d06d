import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import {
	checkSplit,
	csvOptions,
	fillAmount,
	findCustomers,
	mappingFrom,
	missingCsvFields,
	type SplitLine
} from './bank';
import { BankState } from './bank.svelte';

const lines = (texts: string[]): SplitLine[] =>
	[
		{ invoice: 'F1', due_date: '2026-11-01', still_due: '100.00' },
		{ invoice: 'F2', due_date: '2026-11-15', still_due: '250.00' }
	].map((l, i) => ({ ...l, text: texts[i] ?? '' }));

describe('a split by hand', () => {
	it('sends the amounts typed the French way and keeps the rest on account', () => {
		const c = checkSplit('300.00', lines(['100', '150,50']));
		expect(c.problem).toBeNull();
		expect(c.shares).toEqual([
			{ invoice: 'F1', amount: '100.00' },
			{ invoice: 'F2', amount: '150.50' }
		]);
		expect(c.total).toBe('250.50');
		expect(c.left).toBe('49.50');
	});

	it('refuses more than the entry, more than an invoice owes, an unreadable amount, or nothing', () => {
		expect(checkSplit('300.00', lines(['100', '250'])).problem).toEqual({
			key: 'bank.split.error.overEntry',
			over: '50.00'
		});
		expect(checkSplit('500.00', lines(['120', ''])).problem).toEqual({
			key: 'bank.split.error.overInvoice',
			invoice: 'F1',
			due: '100.00'
		});
		expect(checkSplit('500.00', lines(['12,345', ''])).problem).toMatchObject({ invoice: 'F1' });
		expect(checkSplit('500.00', lines(['0', ''])).problem?.key).toBe('bank.split.error.amount');
		expect(checkSplit('500.00', lines(['', ''])).problem?.key).toBe('bank.split.error.none');
	});

	it('"Tout" fills what the invoice owes within what the entry has left', () => {
		expect(fillAmount('300.00', lines(['', '']), 'F2')).toBe('250.00');
		expect(fillAmount('300.00', lines(['100', '']), 'F2')).toBe('200.00');
		expect(fillAmount('300.00', lines(['300', '']), 'F2')).toBe('0.00');
	});
});

describe('the customer picker', () => {
	const customers = [
		{ id: 'C2', name: 'Société Générale de Vins' },
		{ id: 'C1', name: 'Brasserie Michel' },
		{ id: 'C3', name: 'Générique SA' }
	];
	it('finds by any words of the name or the code, accents and case ignored, names in order', () => {
		expect(findCustomers(customers, 'generale').map((c) => c.id)).toEqual(['C2']);
		expect(findCustomers(customers, 'GÉN').map((c) => c.id)).toEqual(['C3', 'C2']);
		expect(findCustomers(customers, 'c1').map((c) => c.id)).toEqual(['C1']);
		expect(findCustomers(customers, '')).toHaveLength(3);
		expect(findCustomers(customers, '', 2)).toHaveLength(2);
	});
});

describe("a bank CSV's columns", () => {
	it('start from the guess and say what is required', () => {
		const m = mappingFrom([
			{ field: 'date', header: 'Date' },
			{ field: 'credit', header: 'Crédit' },
			{ field: 'nonsense', header: 'X' }
		]);
		expect(missingCsvFields(m)).toEqual(['label']);
		expect(missingCsvFields({})).toEqual(['date', 'amount', 'label']);
		expect(csvOptions({ ...m, label: 'Libellé', reference: '' })).toEqual([
			{ field: 'date', header: 'Date' },
			{ field: 'credit', header: 'Crédit' },
			{ field: 'label', header: 'Libellé' }
		]);
	});
});

describe('the Banque screen over the preview sample', () => {
	const state = async () => {
		const bank = new BankState(createApi(createMockTransport({ demoDelayMs: 0 })));
		await bank.load();
		return bank;
	};

	it('tells what removing a statement takes away before removing it', async () => {
		const bank = await state();
		const statement = bank.statements[0];
		expect(statement).toBeDefined();
		if (!statement) return;
		await bank.askRemove(statement);
		expect(bank.removal?.told).toMatchObject({ entries_removed: 3, decisions_removed: 1 });
		expect(bank.statements).toHaveLength(1);
		bank.cancelRemove();
		await bank.askRemove(statement);
		await bank.confirmRemove();
		expect(bank.statements).toHaveLength(0);
		expect(bank.removed?.file).toBe(statement.file);
	});

	it("splits an entry over the suggested customer's invoices and books another on any customer's account", async () => {
		const bank = await state();
		const suggested = bank.entries.find((e) => e.status === 'suggested');
		const unknown = bank.entries.find((e) => e.status === 'unmatched');
		if (!suggested || !unknown) throw new Error('sample');
		await bank.openSplit(suggested);
		expect(bank.split?.customer).toBe('C00001');
		expect(bank.split?.lines.map((l) => l.invoice)).toEqual(
			expect.arrayContaining(['F2026-18322', 'F2026-18579'])
		);
		bank.setSplitAmount('F2026-18322', '1 000,00');
		expect(bank.splitCheck?.problem).toBeNull();
		await bank.confirmSplit();
		expect(bank.split).toBeNull();
		const matched = bank.entries.find((e) => e.id === suggested.id);
		expect(matched?.status).toBe('matched');
		expect(matched?.matches).toEqual([
			expect.objectContaining({ invoice: 'F2026-18322', amount: '1000.00' })
		]);

		bank.openOnAccount(unknown);
		expect(bank.onAccountForm?.customer).toBeNull();
		await bank.confirmOnAccount();
		expect(bank.onAccountForm).not.toBeNull();
		if (bank.onAccountForm) bank.onAccountForm.customer = 'C00005';
		await bank.confirmOnAccount();
		expect(bank.entries.find((e) => e.id === unknown.id)).toMatchObject({
			status: 'on_account',
			customer: 'C00005'
		});
	});

	it('asks for the columns and the account of a bank CSV whose headers were not recognised', async () => {
		const bank = await state();
		await bank.importFiles(['/tmp/banque-novembre.csv']);
		expect(bank.csv?.file.headers).toEqual(['Jour', 'Texte', 'Valeur', 'Tiers']);
		expect(bank.csvMissing).toEqual(['date', 'amount', 'label']);
		bank.setCsvColumn('date', 'Jour');
		bank.setCsvColumn('amount', 'Valeur');
		bank.setCsvColumn('label', 'Texte');
		expect(bank.csvMissing).toEqual([]);
	});
});
