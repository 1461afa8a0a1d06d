import { describe, expect, it } from 'vitest';
import type { ColumnMapping, FileProblem, TabularPreview } from '$lib/api/types';
import { sampleCustomersMapped, sampleCustomersPreview, sampleInvoicesPreview } from '$lib/api/fixtures/mock';
import {
	chosenHeader,
	fieldsByColumn,
	missingRequired,
	NOT_IMPORTED,
	sampleValues,
	sharedColumns,
	splitMappingProblems,
	tabularOptions,
	withChoice
} from './mapping';

const col = (field: string, header: string | null, required = false, by = 'detected'): ColumnMapping => ({
	field,
	required,
	header,
	by: header === null ? 'none' : by
});

/** A small invoices file: number and amount detected, the customer not, the paid column left out. */
/** The backend's problems for that file, as rows. */
const problems: FileProblem[] = [
	{
		file: 'factures.csv',
		line: 1,
		field: 'customer',
		reason:
			'no column found for this required field: map it to one of the columns of the file (Pièce, Tiers, Date, Montant, Payé)',
		code: 'missing_column'
	},
	{
		file: 'factures.csv',
		line: 2,
		field: 'invoice_date',
		reason: "'32/10/2026' is not a date (expected DD/MM/YYYY or YYYY-MM-DD)",
		code: 'bad_date'
	}
];

const preview: TabularPreview = {
	file: '/data/factures.csv',
	kind: 'invoices',
	format: 'csv',
	encoding: 'UTF-8',
	separator: ';',
	sheet: null,
	sheets: [],
	header_line: 1,
	headers: ['Pièce', 'Tiers', 'Date', 'Montant', 'Payé'],
	mapping: [
		col('number', 'Pièce', true),
		col('customer', null, true),
		col('invoice_date', 'Date', true),
		col('amount', 'Montant', true),
		col('paid', null)
	],
	rows: 5,
	sample: [
		{ line: 2, cells: ['F1', 'C01', '01/10/2026', '100,00', ''] },
		{ line: 3, cells: ['F2', '', '02/10/2026', '250,00', '50,00'] },
		{ line: 4, cells: ['F3', 'C02', '03/10/2026', '80,00', ''] },
		{ line: 5, cells: ['F4', 'C01', '04/10/2026', '12,00', ''] },
		{ line: 6, cells: ['F5', 'C03', '05/10/2026', '40,00', ''] }
	],
	customers: 0,
	invoices: 0,
	open_amount: null,
	errors: [
		'factures.csv:1: customer: no column found for this required field: map it to one of the columns of the file (Pièce, Tiers, Date, Montant, Payé)',
		"factures.csv:2: invoice_date: '32/10/2026' is not a date (expected DD/MM/YYYY or YYYY-MM-DD)"
	],
	changes: null
};

describe('column choices sent to the backend', () => {
	it('send only what the user changed, in the fields order, with the sheet', () => {
		expect(tabularOptions({}, null)).toEqual({ mapping: [], sheet: null });
		let edits = withChoice({}, 'paid', 'Payé');
		edits = withChoice(edits, 'customer', 'Tiers');
		const order = preview.mapping.map((m) => m.field);
		expect(tabularOptions(edits, 'Clients', order)).toEqual({
			mapping: [
				{ field: 'customer', header: 'Tiers' },
				{ field: 'paid', header: 'Payé' }
			],
			sheet: 'Clients'
		});
	});

	it('say "not imported" with an empty header, and keep the last choice for a field', () => {
		const edits = withChoice(withChoice({}, 'amount', 'Payé'), 'amount', NOT_IMPORTED);
		expect(tabularOptions(edits, null).mapping).toEqual([{ field: 'amount', header: '' }]);
	});

	it('never change the choices they were made from', () => {
		const before = { customer: 'Tiers' };
		const after = withChoice(before, 'customer', 'Pièce');
		expect(before).toEqual({ customer: 'Tiers' });
		expect(after).toEqual({ customer: 'Pièce' });
	});
});

describe('what the mapping table shows', () => {
	it("shows the user's choice until the backend answers, then the backend's", () => {
		const customer = preview.mapping[1]!;
		expect(chosenHeader(customer, {})).toBe(NOT_IMPORTED);
		expect(chosenHeader(customer, { customer: 'Tiers' })).toBe('Tiers');
		expect(chosenHeader(preview.mapping[0]!, {})).toBe('Pièce');
		expect(chosenHeader(preview.mapping[0]!, { number: NOT_IMPORTED })).toBe(NOT_IMPORTED);
	});

	it('lists required fields without a column, and none once they have one', () => {
		expect(missingRequired(preview.mapping)).toEqual(['customer']);
		expect(missingRequired(preview.mapping, { customer: 'Tiers' })).toEqual([]);
		expect(missingRequired(preview.mapping, { customer: 'Tiers', amount: NOT_IMPORTED })).toEqual(['amount']);
		// An optional field without a column blocks nothing.
		expect(missingRequired([col('paid', null), col('residual', null)])).toEqual([]);
	});

	it('flags a column that fills two fields', () => {
		expect(sharedColumns(preview.mapping).size).toBe(0);
		const shared = sharedColumns(preview.mapping, { paid: 'Montant' });
		expect([...shared]).toEqual([['Montant', ['amount', 'paid']]]);
		// "Not imported" is never a shared column.
		expect(sharedColumns(preview.mapping, { number: NOT_IMPORTED, amount: NOT_IMPORTED }).size).toBe(0);
	});

	it('gives the first distinct non-empty values of a column as examples', () => {
		expect(sampleValues(preview, 'Pièce')).toEqual(['F1', 'F2', 'F3']);
		expect(sampleValues(preview, 'Tiers')).toEqual(['C01', 'C02', 'C03']);
		expect(sampleValues(preview, 'Payé')).toEqual(['50,00']);
		expect(sampleValues(preview, 'Pièce', 1)).toEqual(['F1']);
		expect(sampleValues(preview, 'Absent')).toEqual([]);
	});

	it('labels each column of the first rows with the fields it fills', () => {
		expect(fieldsByColumn(preview)).toEqual([['number'], [], ['invoice_date'], ['amount'], []]);
		expect(fieldsByColumn(preview, { customer: 'Tiers', paid: 'Montant' })).toEqual([
			['number'],
			['customer'],
			['invoice_date'],
			['amount', 'paid'],
			[]
		]);
	});

	it('keeps out of the problem list what the mapping table already says', () => {
		const { mapping, other } = splitMappingProblems(problems, preview);
		expect(mapping.map((p) => p.field)).toEqual(['customer']);
		expect(other.map((p) => [p.line, p.field])).toEqual([[2, 'invoice_date']]);
		// A header named by the user that the file does not have stays a listed problem.
		const wrong: FileProblem[] = [
			{
				file: 'factures.csv',
				line: 1,
				field: 'paid',
				reason: "no column 'Réglé' in the file (columns: …)",
				code: 'missing_column'
			}
		];
		expect(splitMappingProblems(wrong, preview).other).toEqual(wrong);
	});
});

describe('the browser samples, read by the real backend', () => {
	it('miss the customers key until the user names its column', () => {
		expect(missingRequired(sampleCustomersPreview.mapping)).toEqual(['key']);
		expect(sampleCustomersPreview.changes).toBeNull();
		expect(sampleCustomersPreview.headers).toContain('Réf. tiers');
		expect(missingRequired(sampleCustomersMapped.mapping)).toEqual([]);
		expect(sampleCustomersMapped.mapping.find((m) => m.field === 'key')).toMatchObject({
			header: 'Réf. tiers',
			by: 'user'
		});
		expect(sampleValues(sampleCustomersPreview, 'Réf. tiers', 2)).toEqual(['CLI-0001', 'CLI-0002']);
	});

	it('recognise every open-invoices column', () => {
		expect(missingRequired(sampleInvoicesPreview.mapping)).toEqual([]);
		expect(sampleInvoicesPreview.mapping.filter((m) => m.required).map((m) => m.field)).toEqual([
			'number',
			'customer',
			'invoice_date',
			'amount'
		]);
	});
});
