import { describe, expect, it } from 'vitest';
import type { FileProblem } from '$lib/api/types';
import { previewProblems, problemRows } from './problem-rows';

const problems: FileProblem[] = [
	{
		file: 'C:\\Exports\\clients.csv',
		line: 1234,
		field: 'siren',
		reason: '12345 is not a SIREN',
		code: 'bad_value'
	},
	{ file: 'x.txt', line: 0, field: 'separator', reason: 'neither tab nor |', code: 'unreadable' },
	{ file: '', line: 3, field: '', reason: 'something else happened', code: 'other' }
];

describe('problem rows', () => {
	it('one row per problem, in order, the line as the user reads it', () => {
		expect(problemRows(problems, 'fr')).toEqual([
			{
				file: 'C:\\Exports\\clients.csv',
				line: '1\u202f234',
				field: 'siren',
				kind: 'Valeur invalide',
				code: 'bad_value',
				reason: '12345 is not a SIREN'
			},
			{
				file: 'x.txt',
				line: null,
				field: 'separator',
				kind: 'Fichier illisible',
				code: 'unreadable',
				reason: 'neither tab nor |'
			},
			{
				file: '—',
				line: '3',
				field: '—',
				kind: 'Autre problème',
				code: 'other',
				reason: 'something else happened'
			}
		]);
		expect(problemRows(problems, 'en')[0]?.line).toBe('1,234');
	});

	it('names the kind of each problem in the user language, the new strict-input kinds too', () => {
		const strict: FileProblem[] = [
			{ file: 'f.txt', line: 0, field: 'file', reason: 'UTF-16 is not supported', code: 'not_text' },
			{ file: 'f.csv', line: 2, field: 'record', reason: 'never closed', code: 'unclosed_quote' },
			{ file: 'f.csv', line: 3, field: 'name', reason: 'NUL', code: 'control_character' },
			{ file: 'f.csv', line: 4, field: 'name', reason: 'at most 500', code: 'too_long' }
		];
		expect(problemRows(strict, 'fr').map((r) => r.kind)).toEqual([
			'Fichier non texte',
			'Guillemet non fermé',
			'Caractère de contrôle',
			'Texte trop long'
		]);
		expect(problemRows(strict, 'fr').map((r) => r.field)).toEqual(['—', '—', 'name', 'name']);
		expect(problemRows(strict, 'en').map((r) => r.kind)).toEqual([
			'Not a text file',
			'Unclosed quote',
			'Control character',
			'Text too long'
		]);
	});

	it("read a preview's problems, none when it carries none", () => {
		expect(previewProblems({ problems })).toBe(problems);
		expect(previewProblems({})).toEqual([]);
	});
});
