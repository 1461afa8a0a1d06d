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
				reason: '12345 is not a SIREN'
			},
			{ file: 'x.txt', line: null, field: 'separator', reason: 'neither tab nor |' },
			{ file: '—', line: '3', field: '—', reason: 'something else happened' }
		]);
		expect(problemRows(problems, 'en')[0]?.line).toBe('1,234');
	});

	it("read a preview's problems, none when it carries none", () => {
		expect(previewProblems({ problems })).toBe(problems);
		expect(previewProblems({})).toEqual([]);
	});
});
