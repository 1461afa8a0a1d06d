import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import type { TabularOptions, TabularPreview } from '$lib/api/types';
import {
	createMockTransport,
	SAMPLE_CUSTOMERS_NAME,
	SAMPLE_INVOICES_NAME,
	sampleCustomersMapped,
	sampleCustomersPreview
} from '$lib/api/fixtures/mock';
import { ImportState } from './import.svelte';
import { NOT_IMPORTED } from './mapping';

const CUSTOMERS = `/data/${SAMPLE_CUSTOMERS_NAME}`;

function deferred<T>() {
	let resolve: (v: T) => void = () => {};
	const promise = new Promise<T>((res) => (resolve = res));
	return { promise, resolve };
}

/** The browser sample's backend, with every command and its options recorded. */
function recorded(options = { empty: true }) {
	const calls: { command: string; options: TabularOptions | undefined }[] = [];
	const mock = createMockTransport({ ...options, importStepMs: 0 });
	const api = createApi(async (command, args) => {
		calls.push({ command, options: args?.options as TabularOptions | undefined });
		return mock(command, args);
	});
	return { api, calls };
}

async function analysed(imp: ImportState, kind: 'customers' | 'invoices', path: string) {
	imp.setKind(kind);
	imp.setPathText(path);
	await imp.analyse();
	expect(imp.phase).toBe('analysed');
}

const tableOf = (imp: ImportState): TabularPreview => {
	const a = imp.analysis;
	if (a?.kind !== 'customers' && a?.kind !== 'invoices') throw new Error(`no table: ${a?.kind}`);
	return a.table;
};

describe('editing the column mapping', () => {
	it('blocks the import while a required field has no column, then imports with the chosen one', async () => {
		const { api, calls } = recorded();
		const imp = new ImportState(api);
		await analysed(imp, 'customers', CUSTOMERS);
		expect(calls[0]).toEqual({ command: 'inspect_customers_file', options: { mapping: [], sheet: null } });
		expect(imp.missingFields).toEqual(['key']);
		expect(imp.canImport).toBe(false);
		expect(tableOf(imp).mapping).toHaveLength(13);

		const answer = imp.chooseColumn('key', 'Réf. tiers');
		// The analysis stays on screen while the backend reads the file again.
		expect(imp.phase).toBe('analysing');
		expect(imp.analysis).not.toBeNull();
		expect(imp.canImport).toBe(false);
		await answer;
		expect(calls[1]).toEqual({
			command: 'inspect_customers_file',
			options: { mapping: [{ field: 'key', header: 'Réf. tiers' }], sheet: null }
		});
		expect(imp.phase).toBe('analysed');
		expect(imp.missingFields).toEqual([]);
		expect(imp.problems).toEqual([]);
		expect(imp.changes.map((c) => c.key)).toEqual(['import.change.customersAdded']);
		expect(imp.canImport).toBe(true);

		await imp.requestImport();
		expect(imp.phase).toBe('done');
		// The import reads the file through the same choices as the analysis the user saw.
		expect(calls[2]).toEqual({ command: 'import_customers_file', options: calls[1]!.options });
		expect(imp.result?.kind === 'customers' && imp.result.table.changes?.customers_added).toBe(
			sampleCustomersMapped.changes?.customers_added
		);
	});

	it('leaves a field out with "not imported", and a required one left out blocks again', async () => {
		const { api, calls } = recorded();
		const imp = new ImportState(api);
		await analysed(imp, 'invoices', `/data/${SAMPLE_INVOICES_NAME}`);
		expect(imp.canImport).toBe(true);
		await imp.chooseColumn('paid', NOT_IMPORTED);
		expect(calls.at(-1)?.options?.mapping).toEqual([{ field: 'paid', header: '' }]);
		expect(tableOf(imp).mapping.find((m) => m.field === 'paid')).toMatchObject({ header: null, by: 'none' });
		expect(imp.canImport).toBe(true);
		await imp.chooseColumn('amount', NOT_IMPORTED);
		expect(imp.missingFields).toEqual(['amount']);
		expect(imp.canImport).toBe(false);
		// Both choices go together, in the fields' order.
		expect(calls.at(-1)?.options?.mapping).toEqual([
			{ field: 'amount', header: '' },
			{ field: 'paid', header: '' }
		]);
	});

	it('keeps only the latest answer when choices follow each other quickly', async () => {
		const replies: { options: TabularOptions; reply: ReturnType<typeof deferred<TabularPreview>> }[] = [];
		const api = createApi(async (_command, args) => {
			const reply = deferred<TabularPreview>();
			replies.push({ options: args?.options as TabularOptions, reply });
			return reply.promise;
		});
		const imp = new ImportState(api);
		imp.setKind('customers');
		imp.setPathText(CUSTOMERS);
		const first = imp.analyse();
		replies[0]!.reply.resolve(sampleCustomersPreview);
		await first;
		const a = imp.chooseColumn('key', 'Raison sociale');
		const b = imp.chooseColumn('key', 'Réf. tiers');
		expect(replies.map((r) => r.options.mapping[0]?.header)).toEqual([
			undefined,
			'Raison sociale',
			'Réf. tiers'
		]);
		replies[2]!.reply.resolve(sampleCustomersMapped);
		await b;
		replies[1]!.reply.resolve(sampleCustomersPreview); // late answer to an older choice
		await a;
		expect(imp.phase).toBe('analysed');
		expect(tableOf(imp)).toBe(sampleCustomersMapped);
		expect(imp.mappingEdits).toEqual({ key: 'Réf. tiers' });
	});

	it('goes back to the proposed mapping, and keeps the choices when the same file is analysed again', async () => {
		const { api, calls } = recorded();
		const imp = new ImportState(api);
		await analysed(imp, 'customers', CUSTOMERS);
		await imp.chooseColumn('key', 'Réf. tiers');
		await imp.analyse(); // "Analyser" again: the file may have been exported again, the choices still apply
		expect(calls.at(-1)?.options?.mapping).toEqual([{ field: 'key', header: 'Réf. tiers' }]);
		expect(imp.missingFields).toEqual([]);
		await imp.resetMapping();
		expect(calls.at(-1)?.options).toEqual({ mapping: [], sheet: null });
		expect(imp.missingFields).toEqual(['key']);
	});

	it('forgets the choices with another file or another kind', async () => {
		const { api } = recorded();
		const imp = new ImportState(api);
		await analysed(imp, 'customers', CUSTOMERS);
		await imp.chooseColumn('key', 'Réf. tiers');
		imp.setPathText('/data/autre.csv');
		expect(imp.mappingEdits).toEqual({});
		await analysed(imp, 'customers', CUSTOMERS);
		await imp.chooseColumn('key', 'Réf. tiers');
		imp.setKind('invoices');
		expect(imp.mappingEdits).toEqual({});
		expect(imp.sheet).toBeNull();
	});

	it('starts the choices again on another sheet, and sends it with every call', async () => {
		const seen: TabularOptions[] = [];
		const api = createApi(async (_command, args) => {
			const options = args?.options as TabularOptions;
			seen.push(options);
			return { ...sampleCustomersPreview, sheets: ['Notes', 'Clients'], sheet: options.sheet ?? 'Notes' };
		});
		const imp = new ImportState(api);
		await analysed(imp, 'customers', '/data/clients.xlsx');
		await imp.chooseColumn('key', 'Réf. tiers');
		await imp.chooseSheet('Clients');
		expect(seen.at(-1)).toEqual({ mapping: [], sheet: 'Clients' });
		expect(imp.mappingEdits).toEqual({});
		await imp.chooseColumn('key', 'Réf. tiers');
		expect(seen.at(-1)).toEqual({ mapping: [{ field: 'key', header: 'Réf. tiers' }], sheet: 'Clients' });
		// The same sheet again is no new analysis.
		const calls = seen.length;
		await imp.chooseSheet('Clients');
		expect(seen).toHaveLength(calls);
	});

	it('does not touch the mapping of an FEC, nor while the confirmation is open', async () => {
		const { api, calls } = recorded({ empty: false });
		const imp = new ImportState(api);
		imp.setPathText('/data/111111111FEC20221231.TXT');
		await imp.analyse();
		await imp.chooseColumn('key', 'x');
		expect(calls).toHaveLength(1);

		await analysed(imp, 'invoices', `/data/${SAMPLE_INVOICES_NAME}`);
		await imp.requestImport(); // the demo company goes: confirmation first
		expect(imp.phase).toBe('confirming');
		const before = calls.length;
		await imp.chooseColumn('paid', NOT_IMPORTED);
		expect(calls).toHaveLength(before);
		expect(imp.mappingEdits).toEqual({});
	});

	it('shows why a new analysis failed, with nothing left to import', async () => {
		let fail = false;
		const mock = createMockTransport({ empty: true });
		const api = createApi((command, args) =>
			fail ? Promise.reject({ code: 'io', message: 'the file is gone' }) : mock(command, args)
		);
		const imp = new ImportState(api);
		await analysed(imp, 'customers', CUSTOMERS);
		fail = true;
		await imp.chooseColumn('key', 'Réf. tiers');
		expect(imp.error).toMatchObject({ code: 'io', detail: 'the file is gone' });
		expect(imp.analysis).toBeNull();
		expect(imp.canImport).toBe(false);
		expect(imp.mappingEdits).toEqual({ key: 'Réf. tiers' });
	});
});
