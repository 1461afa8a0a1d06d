import { describe, expect, it, vi } from 'vitest';
import { createApi } from '$lib/api/client';
import type { FileProblem, ImportPreview, ImportProgress, TabularPreview } from '$lib/api/types';
import {
	createMockTransport,
	mockChannel,
	SAMPLE_INVALID_PROBLEMS,
	sampleFecPreview
} from '$lib/api/fixtures/mock';
import { DICTIONARIES, isPluralKey } from '$lib/i18n/i18n.svelte';
import { einvoiceChanges, einvoiceWarnings, ledgerChanges, tableChanges, touchesExisting } from './changes';
import {
	changesOf,
	fileFilters,
	IMPORT_KINDS,
	ImportState,
	kindForFiles,
	progressView,
	type Analysis
} from './import.svelte';
import { codeLabel } from './labels';

const SAMPLE = '/data/111111111FEC20221231.TXT';

function deferred<T>() {
	let resolve: (v: T) => void = () => {};
	let reject: (e: unknown) => void = () => {};
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** The sample FEC as the backend sees it in a database that holds `what`. */
function fecPreview(what: 'empty' | 'demo' | 'same file' | 'previous year file'): ImportPreview {
	const changes = { ...sampleFecPreview.changes };
	if (what === 'demo') changes.replaced_demo = true;
	if (what === 'same file')
		Object.assign(changes, { unchanged: true, lines_added: 0, customers_added: 0, invoices_added: 0 });
	if (what === 'previous year file')
		Object.assign(changes, { lines_removed: 140, invoices_kept: 95, invoices_missing: 3, invoices_added: 5 });
	return { ...sampleFecPreview, file: SAMPLE, changes };
}

describe('FEC import, step by step', () => {
	it('analyses, shows what will change, asks to confirm, reports progress, then the result', async () => {
		const asked: [string, Record<string, unknown> | undefined][] = [];
		const importReply = deferred<ImportPreview>();
		let sendProgress: (p: ImportProgress) => void = () => {};
		const api = createApi(async (command, args) => {
			asked.push([command, args]);
			if (command === 'inspect_fec') return fecPreview('demo');
			if (command === 'import_fec') {
				sendProgress = (args?.onProgress as { onmessage: (p: ImportProgress) => void }).onmessage;
				return importReply.promise;
			}
			throw new Error(`unexpected ${command}`);
		}, mockChannel);
		const onImported = vi.fn(() => {
			expect(imp.phase).toBe('importing'); // the app refreshes before the result shows
		});
		const imp = new ImportState(api, { onImported });
		expect(imp.phase).toBe('idle');
		expect(imp.canAnalyse).toBe(false);

		imp.setPathText(`  ${SAMPLE}  `);
		expect(imp.paths).toEqual([SAMPLE]);
		const analysing = imp.analyse();
		expect(imp.phase).toBe('analysing');
		await analysing;
		expect(imp.phase).toBe('analysed');
		expect(asked[0]).toEqual(['inspect_fec', { path: SAMPLE, termsDays: null, siren: null }]);
		const analysis = imp.analysis;
		expect(analysis?.kind === 'fec' && analysis.fec.separator).toBe('|');
		expect(analysis?.kind === 'fec' && analysis.fec.customers).toBe(34);
		expect(imp.changes.map((c) => c.key)).toEqual([
			'import.change.replacedDemo',
			'import.change.linesAdded',
			'import.change.customersAdded',
			'import.change.invoicesAdded'
		]);

		// The demo company would go: "Importer" opens the confirmation first, nothing is sent yet.
		expect(imp.needsConfirmation).toBe(true);
		await imp.requestImport();
		expect(imp.phase).toBe('confirming');
		expect(asked).toHaveLength(1);

		// The company's SIREN typed for a file whose name carries none goes with the import.
		imp.siren = ' 123456789 ';
		const running = imp.confirm();
		expect(imp.phase).toBe('importing');
		expect(imp.progressView).toEqual({ value: null, label: 'import.progress.start' });
		expect(asked[1]?.[0]).toBe('import_fec');
		expect(asked[1]?.[1]).toMatchObject({ path: SAMPLE, termsDays: null, siren: '123456789' });

		sendProgress({ stage: 'read', done: 50, total: 200 });
		expect(imp.progressView).toEqual({ value: 0.25, label: 'import.progress.read' });
		sendProgress({ stage: 'write', done: 0, total: 151 });
		expect(imp.progressView).toEqual({ value: null, label: 'import.progress.write' });
		sendProgress({ stage: 'done', done: 151, total: 151 });
		expect(imp.progressView.value).toBe(1);
		expect(imp.progressCount).toBe(3);

		importReply.resolve(fecPreview('demo'));
		await running;
		expect(imp.phase).toBe('done');
		expect(imp.result?.kind === 'fec' && imp.result.fec.open_amount).toBe('14416.52');
		expect(imp.progress?.stage).toBe('done');
		expect(onImported).toHaveBeenCalledTimes(1);
	});

	it('imports straight away when nothing already there changes', async () => {
		const commands: string[] = [];
		const api = createApi(async (command, args) => {
			commands.push(command);
			if (command === 'import_fec') {
				(args?.onProgress as { onmessage: (p: ImportProgress) => void }).onmessage({
					stage: 'done',
					done: 1,
					total: 1
				});
			}
			return fecPreview('empty');
		}, mockChannel);
		const imp = new ImportState(api);
		imp.setPathText(SAMPLE);
		await imp.analyse();
		expect(imp.needsConfirmation).toBe(false);
		await imp.requestImport();
		expect(commands).toEqual(['inspect_fec', 'import_fec']);
		expect(imp.phase).toBe('done');
		expect(imp.progressCount).toBe(1);
	});

	it('goes back to the analysis when the confirmation is cancelled (Escape), nothing written', async () => {
		const commands: string[] = [];
		const api = createApi(async (command) => {
			commands.push(command);
			return fecPreview('previous year file');
		}, mockChannel);
		const imp = new ImportState(api);
		imp.setPathText(SAMPLE);
		await imp.analyse();
		await imp.requestImport();
		expect(imp.phase).toBe('confirming');
		imp.cancelConfirm();
		expect(imp.phase).toBe('analysed');
		await imp.confirm(); // a late click on the closed dialog does nothing
		expect(commands).toEqual(['inspect_fec']);
	});

	it('does not offer to import a file already imported as is', async () => {
		const imp = new ImportState(createApi(async () => fecPreview('same file'), mockChannel));
		imp.setPathText(SAMPLE);
		await imp.analyse();
		expect(imp.changes.map((c) => c.key)).toEqual(['import.change.unchanged']);
		expect(imp.canImport).toBe(false);
	});

	it('forgets the analysis when the path or the kind changes', async () => {
		const imp = new ImportState(createApi(async () => fecPreview('empty'), mockChannel));
		imp.setPathText(SAMPLE);
		await imp.analyse();
		expect(imp.analysis).not.toBeNull();
		imp.setPathText(`${SAMPLE}x`);
		expect(imp.analysis).toBeNull();
		expect(imp.canImport).toBe(false);
		await imp.analyse();
		imp.setKind('customers');
		expect(imp.analysis).toBeNull();
		expect(imp.phase).toBe('idle');
	});

	it('keeps the file and the kind while an analysis runs', async () => {
		const reply = deferred<ImportPreview>();
		const imp = new ImportState(createApi(() => reply.promise, mockChannel));
		imp.setPathText(SAMPLE);
		const a = imp.analyse();
		imp.setKind('customers');
		imp.setPathText('/other.txt');
		expect(imp.kind).toBe('fec');
		expect(imp.pathText).toBe(SAMPLE);
		reply.resolve(fecPreview('empty'));
		await a;
		expect(imp.analysis?.kind === 'fec' && imp.analysis.fec.file).toBe(SAMPLE);
	});

	it('runs against the browser preview with the progress of its channel', async () => {
		const api = createApi(createMockTransport({ importStepMs: 0 }), mockChannel);
		const imp = new ImportState(api);
		imp.setPathText(SAMPLE);
		await imp.analyse();
		expect(imp.needsConfirmation).toBe(true); // the preview holds the demo company
		await imp.requestImport();
		await imp.confirm();
		expect(imp.phase).toBe('done');
		expect(imp.progressCount).toBe(5);
		expect(imp.progress?.stage).toBe('done');
	});
});

describe('refused files', () => {
	it('carry each problem of the sample as a row: file, line, field, reason, code', async () => {
		const transport = createMockTransport();
		const refusal = await transport('inspect_fec', { path: '/data/111111111FEC20221231-erreurs.txt' }).catch(
			(e: unknown) => e
		);
		expect(refusal).toMatchObject({ code: 'invalid_file', problems: SAMPLE_INVALID_PROBLEMS });
		expect(SAMPLE_INVALID_PROBLEMS).toEqual([
			{
				file: '111111111FEC20221231-erreurs.txt',
				line: 2,
				field: 'EcritureNum',
				reason: 'entry VE 00000001 does not balance: debits − credits = 0.06',
				code: 'unbalanced'
			},
			{
				file: '111111111FEC20221231-erreurs.txt',
				line: 5,
				field: 'EcritureDate',
				reason: "'20231301' is not a date (expected AAAAMMJJ)",
				code: 'bad_date'
			},
			{
				file: '111111111FEC20221231-erreurs.txt',
				line: 7,
				field: 'EcritureNum',
				reason: 'entry VE 00000002 does not balance: debits − credits = 69.60',
				code: 'unbalanced'
			},
			{
				file: '111111111FEC20221231-erreurs.txt',
				line: 9,
				field: 'Debit',
				reason: "'12,3x' is not an amount",
				code: 'bad_amount'
			}
		]);
	});

	it('show the refusal of an FEC as rows, not as a failure of the screen', async () => {
		const api = createApi(() =>
			Promise.reject({ code: 'invalid_file', message: 'refused', problems: SAMPLE_INVALID_PROBLEMS })
		);
		const imp = new ImportState(api);
		imp.setPathText('/data/111111111FEC20221231-erreurs.txt');
		await imp.analyse();
		expect(imp.phase).toBe('idle');
		expect(imp.error?.code).toBe('invalid_file');
		expect(imp.problems.map((p) => p.line)).toEqual([2, 5, 7, 9]);
		expect(imp.canImport).toBe(false);
	});

	it("show a customers file's problems from its preview and block the import", async () => {
		const siren: FileProblem = {
			file: 'clients.csv',
			line: 3,
			field: 'siren',
			reason: '12345 is not a SIREN (9 digits)',
			code: 'bad_value'
		};
		const preview: TabularPreview = {
			file: '/data/clients.csv',
			kind: 'customers',
			format: 'csv',
			encoding: 'UTF-8',
			separator: ';',
			sheet: null,
			sheets: [],
			header_line: 1,
			headers: ['Code', 'Nom', 'SIREN'],
			mapping: [],
			rows: 2,
			sample: [],
			customers: 2,
			invoices: 0,
			open_amount: null,
			errors: ['clients.csv:3: siren: 12345 is not a SIREN (9 digits)'],
			changes: null,
			...{ problems: [siren] }
		};
		const imp = new ImportState(createApi(async () => preview));
		imp.setKind('customers');
		imp.setPathText('/data/clients.csv');
		await imp.analyse();
		expect(imp.phase).toBe('analysed');
		expect(imp.problems).toEqual([siren]);
		expect(imp.canImport).toBe(false);
	});

	it('keep other errors as they are (shown with what to do)', async () => {
		const imp = new ImportState(createApi(() => Promise.reject({ code: 'io', message: 'no such file' })));
		imp.setPathText('/nowhere.txt');
		await imp.analyse();
		expect(imp.error).toMatchObject({ code: 'io', detail: 'no such file' });
		expect(imp.problems).toEqual([]);
	});
});

describe('what changes, and when to confirm', () => {
	const base = sampleFecPreview.changes;

	it('needs no confirmation for a first import into an empty database', () => {
		expect(touchesExisting(ledgerChanges(base))).toBe(false);
	});

	it('needs it when the demo company goes', () => {
		const lines = ledgerChanges({ ...base, replaced_demo: true });
		expect(lines[0]).toEqual({ key: 'import.change.replacedDemo', tone: 'warning' });
		expect(touchesExisting(lines)).toBe(true);
	});

	it('needs it when lines are replaced and invoices marked missing (a re-import)', () => {
		const lines = ledgerChanges({
			...base,
			lines_removed: 538,
			lines_added: 540,
			invoices_kept: 200,
			invoices_missing: 3
		});
		expect(lines).toContainEqual({
			key: 'import.change.linesReplaced',
			params: { removed: 538, added: 540 },
			tone: 'warning'
		});
		expect(lines).toContainEqual({
			key: 'import.change.invoicesMissing',
			params: { count: 3 },
			tone: 'warning'
		});
		expect(touchesExisting(lines)).toBe(true);
	});

	it('needs it when customers are updated or due dates rewritten, not for new ones only', () => {
		const customers = {
			replaced_demo: false,
			customers_added: 4,
			customers_updated: [],
			customers_unchanged: 10,
			ledger: null
		};
		expect(touchesExisting(tableChanges(customers))).toBe(false);
		expect(
			touchesExisting(tableChanges({ ...customers, customers_updated: [{ key: 'C1', fields: ['email'] }] }))
		).toBe(true);
		expect(touchesExisting(tableChanges({ ...customers, ledger: { ...base, lines_removed: 3 } }))).toBe(true);

		const file = {
			file: 'f.xml',
			format: 'ubl',
			number: 'F1',
			kind: 'invoice',
			buyer: 'B',
			customer: 'C1',
			action: 'matched',
			matched_by_number: false,
			customer_created: false,
			due_date: '2026-12-31',
			due_date_from_terms: false,
			due_date_changed: false,
			amount: '100.00',
			currency: 'EUR',
			warnings: []
		};
		const report = { replaced_demo: false, matched: 1, created: 0, unchanged: 1, warnings: 0, files: [file] };
		expect(touchesExisting(einvoiceChanges(report))).toBe(false);
		expect(
			touchesExisting(einvoiceChanges({ ...report, files: [{ ...file, due_date_changed: true }] }))
		).toBe(true);
	});

	it('says each e-invoice warning with its file, line and the due date the terms gave', () => {
		const file = {
			file: '/in/facturFrMinimum.xml',
			format: 'cii',
			number: 'FA-2017-0010',
			kind: 'invoice',
			buyer: 'Ma jolie boutique',
			customer: 'SIREN787878784',
			action: 'created',
			matched_by_number: false,
			customer_created: true,
			due_date: '2017-12-13',
			due_date_from_terms: true,
			due_date_changed: false,
			amount: '470.15',
			currency: 'EUR',
			warnings: [
				{ line: 2, field: 'BT-9 due date', reason: 'no due date', code: 'no_due_date' as const },
				{ line: 31, field: 'BT-47', reason: 'bad SIREN', code: 'buyer_identifier' as const }
			]
		};
		const matched = {
			...file,
			action: 'matched',
			due_date: null,
			due_date_from_terms: false,
			warnings: [{ line: 2, field: 'BT-9 due date', reason: 'no due date', code: 'no_due_date' as const }]
		};
		const credit = {
			...file,
			kind: 'credit_note',
			warnings: [{ line: 50, field: 'BT-115', reason: 'negative', code: 'negative_invoice' as const }]
		};
		const report = {
			replaced_demo: false,
			matched: 1,
			created: 2,
			unchanged: 0,
			warnings: 4,
			files: [file, matched, credit]
		};
		const lines = einvoiceWarnings(report);
		expect(lines.map((l) => [l.line, l.key, l.params?.date])).toEqual([
			[2, 'import.einvoiceWarning.no_due_date', '2017-12-13'],
			[31, 'import.einvoiceWarning.buyer_identifier', undefined],
			[2, 'import.einvoiceWarning.no_due_date_kept', undefined],
			[50, 'import.einvoiceWarning.negative_invoice', undefined]
		]);
		expect(lines[0]?.file).toBe('/in/facturFrMinimum.xml');
		expect(einvoiceWarnings({ ...report, files: [{ ...file, warnings: [] }] })).toEqual([]);
	});

	it('says it for every kind of analysis', () => {
		const a: Analysis = { kind: 'fec', fec: fecPreview('previous year file') };
		expect(changesOf(a).map((c) => c.key)).toEqual([
			'import.change.linesReplaced',
			'import.change.customersAdded',
			'import.change.invoicesAdded',
			'import.change.invoicesKept',
			'import.change.invoicesMissing'
		]);
	});
});

describe('files and progress', () => {
	it('follow the dropped files to the right kind', () => {
		expect(kindForFiles(['/a/facture.pdf', '/a/b.XML'], 'fec')).toBe('einvoices');
		expect(kindForFiles(['/a/clients.xlsx'], 'fec')).toBe('customers');
		expect(kindForFiles(['/a/factures.xlsx'], 'invoices')).toBe('invoices');
		expect(kindForFiles(['/a/123FEC20231231.txt'], 'einvoices')).toBe('fec');
		expect(kindForFiles(['/a/123FEC20231231.txt'], 'fec')).toBe('fec');
	});

	it('choose dropped files and analyse them at once', async () => {
		const commands: [string, unknown][] = [];
		const api = createApi(async (command, args) => {
			commands.push([command, args]);
			return { replaced_demo: false, matched: 0, created: 2, unchanged: 0, files: [] };
		});
		const imp = new ImportState(api);
		await imp.choose(['/a/f1.pdf', '/a/f2.xml']);
		expect(imp.kind).toBe('einvoices');
		expect(imp.pathText).toBe('/a/f1.pdf\n/a/f2.xml');
		expect(commands).toEqual([['inspect_einvoices', { paths: ['/a/f1.pdf', '/a/f2.xml'] }]]);
		expect(imp.phase).toBe('analysed');
	});

	it('offer picker filters for each kind, all files last', () => {
		for (const { kind } of IMPORT_KINDS) {
			const filters = fileFilters(kind, 'Tous les fichiers');
			expect(filters.at(-1)).toEqual({ name: 'Tous les fichiers', extensions: ['*'] });
		}
		expect(fileFilters('einvoices', 'x')[0]?.extensions).toEqual(['pdf', 'xml']);
	});

	it('turn the stages into a bar: measured while reading, open-ended while writing', () => {
		expect(progressView(null).value).toBeNull();
		expect(progressView({ stage: 'read', done: 0, total: 0 }).value).toBeNull();
		expect(progressView({ stage: 'read', done: 300, total: 200 }).value).toBe(1);
		expect(progressView({ stage: 'write', done: 0, total: 10 }).value).toBeNull();
		expect(progressView({ stage: 'done', done: 10, total: 10 })).toEqual({
			value: 1,
			label: 'import.progress.done'
		});
	});
});

describe('import texts', () => {
	it('exist in French and English for every key the screen builds', () => {
		const keys = [
			...IMPORT_KINDS.flatMap((k) => [k.label, k.help]),
			...ledgerChanges({
				...sampleFecPreview.changes,
				replaced_demo: true,
				lines_removed: 1,
				invoices_kept: 1,
				invoices_missing: 1,
				invoices_back: 1
			}).map((l) => l.key),
			...ledgerChanges({ ...sampleFecPreview.changes, unchanged: true }).map((l) => l.key),
			...tableChanges({
				replaced_demo: false,
				customers_added: 1,
				customers_updated: [{ key: 'k', fields: [] }],
				customers_unchanged: 1,
				ledger: null
			}).map((l) => l.key),
			...einvoiceChanges({
				replaced_demo: false,
				matched: 1,
				created: 1,
				unchanged: 1,
				warnings: 0,
				files: []
			}).map((l) => l.key),
			'import.progress.start',
			'import.progress.read',
			'import.progress.write',
			'import.progress.done',
			'error.invalid_file.title',
			'error.invalid_file.advice'
		];
		for (const key of keys.map((k) => (isPluralKey(k) ? `${k}.other` : k))) {
			expect(DICTIONARIES.fr[key as keyof typeof DICTIONARIES.fr], `fr:${key}`).toBeTruthy();
			expect(DICTIONARIES.en[key as keyof typeof DICTIONARIES.en], `en:${key}`).toBeTruthy();
		}
	});

	it('name every code the backend sends', () => {
		for (const code of ['debit_credit', 'montant_sens']) expect(codeLabel('amounts', code)).not.toBeNull();
		for (const code of ['detected', 'saved', 'user', 'none']) expect(codeLabel('by', code)).not.toBeNull();
		const fields =
			'key name siren address address2 postal_code city email phone terms credit_limit segment collector ' +
			'number customer customer_name invoice_date due_date amount paid residual';
		for (const field of fields.split(' ')) expect(codeLabel('field', field), field).not.toBeNull();
		for (const code of ['factur-x', 'cii', 'ubl']) expect(codeLabel('einvoiceFormat', code)).not.toBeNull();
		expect(codeLabel('field', 'not_a_field')).toBeNull();
	});

	it('use the words of the brief', () => {
		expect(DICTIONARIES.fr['import.change.replacedDemo']).toContain(
			'La société de démonstration sera remplacée'
		);
		expect(DICTIONARIES.fr['import.browse']).toBe('Parcourir…');
		expect(DICTIONARIES.fr['import.analyse']).toBe('Analyser');
		expect(DICTIONARIES.fr['import.run']).toBe('Importer');
		expect(DICTIONARIES.fr['welcome.import']).toBe('Importer un FEC');
	});
});
