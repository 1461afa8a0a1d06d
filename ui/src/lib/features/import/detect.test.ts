import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import type { DetectedFile, FileKind } from '$lib/api/types';
import { ImportState, kindForDetected, kindForFiles } from './import.svelte';

const file = (name: string, kind: FileKind): DetectedFile => ({
	path: `/tmp/${name}`,
	file: name,
	kind,
	format: null,
	headers: [],
	mapping: []
});

describe('dropped files recognised by content', () => {
	it('go to the import of their kind', () => {
		expect(kindForDetected([file('a.xml', 'bank_statement'), file('b.csv', 'bank_csv')], 'fec')).toEqual({
			kind: 'bank'
		});
		expect(kindForDetected([file('s.xml', 'statuses')], 'fec')).toEqual({ kind: 'statuses' });
		expect(kindForDetected([file('f.txt', 'fec')], 'bank')).toEqual({ kind: 'fec' });
		expect(kindForDetected([file('x.pdf', 'einvoice')], 'fec')).toEqual({ kind: 'einvoices' });
		expect(kindForDetected([file('t.csv', 'table')], 'invoices')).toEqual({ kind: 'invoices' });
		expect(kindForDetected([file('t.csv', 'table')], 'fec')).toEqual({ kind: 'customers' });
	});

	it('say which files are unknown, or that kinds are mixed', () => {
		expect(kindForDetected([file('a.xml', 'bank_statement'), file('z.bin', 'unknown')], 'fec')).toEqual({
			unknown: ['z.bin']
		});
		expect(kindForDetected([file('a.xml', 'bank_statement'), file('s.xml', 'statuses')], 'fec')).toEqual({
			mixed: ['bank_statement', 'statuses']
		});
		expect(kindForDetected([file('f.txt', 'fec'), file('g.txt', 'fec')], 'fec')).toEqual({
			mixed: ['fec', 'fec']
		});
	});

	it('keep the bank or statuses choice whatever the names', () => {
		expect(kindForFiles(['/tmp/releve.xml'], 'bank')).toBe('bank');
		expect(kindForFiles(['/tmp/cdar.xml'], 'statuses')).toBe('statuses');
		expect(kindForFiles(['/tmp/releve.xml'], 'fec')).toBe('einvoices');
	});

	it('on the import screen: the kind follows the detection, a problem is said in words', async () => {
		const imp = new ImportState(createApi(createMockTransport()));
		await imp.chooseDetected(['/tmp/a.bin'], (k) => k);
		expect(imp.detectProblem).toEqual({ key: 'import.detect.unknown', params: { files: 'a.bin' } });
		await imp.chooseDetected(['/tmp/camt-1.xml', '/tmp/cdar-2.xml'], (k) => `<${k}>`);
		expect(imp.detectProblem?.params).toEqual({ kinds: '<bank_statement>, <statuses>' });
		await imp.chooseDetected(['/tmp/camt-1.xml', '/tmp/camt-2.xml'], (k) => k);
		expect(imp.kind).toBe('bank');
		expect(imp.paths).toEqual(['/tmp/camt-1.xml', '/tmp/camt-2.xml']);
		expect(imp.detectProblem).toBeNull();
	});

	it('a bank CSV chosen for the bank waits for its columns and account before the analysis', async () => {
		const imp = new ImportState(createApi(createMockTransport()));
		imp.setKind('bank');
		await imp.chooseDetected(['/tmp/banque-novembre.csv'], (k) => k);
		expect(imp.kind).toBe('bank');
		expect(imp.phase).toBe('idle');
		expect(imp.bankCsv?.file.headers).toEqual(['Jour', 'Texte', 'Valeur', 'Tiers']);
		expect(imp.canAnalyse).toBe(false);
		imp.setBankCsvColumn('date', 'Jour');
		imp.setBankCsvColumn('amount', 'Valeur');
		imp.setBankCsvColumn('label', 'Texte');
		expect(imp.canAnalyse).toBe(false);
		imp.setBankCsvAccount(' FR76 3000 4005 6800 0123 4567 890 ');
		expect(imp.canAnalyse).toBe(true);
		expect(imp.bankOptions).toEqual({
			account: 'FR76 3000 4005 6800 0123 4567 890',
			csv_mapping: [
				{ field: 'date', header: 'Jour' },
				{ field: 'amount', header: 'Valeur' },
				{ field: 'label', header: 'Texte' }
			]
		});
		// Another file: the columns chosen go with the old one.
		imp.setPathText('/tmp/other.csv');
		expect(imp.bankCsv).toBeNull();
	});
});
