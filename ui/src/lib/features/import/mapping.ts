/**
 * The column mapping of a customers or open-invoices file, as the user edits it: which column of the file fills
 * each field. The backend detects (or reuses a saved) mapping; the user's choices go back to it as overrides
 * (`{field, header}`, an empty header leaving the field out) for the dry run and then the import, so both read
 * the file the same way. Only the fields the user changed are sent: the others keep the backend's choice and
 * its origin (detected, saved).
 */
import type { ColumnMapping, TabularOptions, TabularPreview } from '$lib/api/types';
import type { FileProblem } from '$lib/api/types';

/** The select's value for "this field is not imported". */
export const NOT_IMPORTED = '';

/** The user's choices: field → header as written in the file, or NOT_IMPORTED. */
export type MappingEdits = Readonly<Record<string, string>>;

/** The options for the backend: the user's choices in the fields' order, and the workbook's sheet. */
export function tabularOptions(
	edits: MappingEdits,
	sheet: string | null,
	fieldOrder: readonly string[] = []
): TabularOptions {
	const rank = (f: string) => {
		const i = fieldOrder.indexOf(f);
		return i < 0 ? fieldOrder.length : i;
	};
	const fields = Object.keys(edits).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
	return { mapping: fields.map((field) => ({ field, header: edits[field] ?? NOT_IMPORTED })), sheet };
}

/** The user chose `header` for `field`: a new set of choices (the old one is left as it was). */
export function withChoice(edits: MappingEdits, field: string, header: string): MappingEdits {
	return { ...edits, [field]: header };
}

/** The column shown for a field: the user's choice while the backend has not answered yet, else the backend's. */
export function chosenHeader(m: ColumnMapping, edits: MappingEdits): string {
	return edits[m.field] ?? m.header ?? NOT_IMPORTED;
}

/** Required fields without a column: the import cannot run until each has one. */
export function missingRequired(mapping: readonly ColumnMapping[], edits: MappingEdits = {}): string[] {
	return mapping.filter((m) => m.required && chosenHeader(m, edits) === NOT_IMPORTED).map((m) => m.field);
}

/**
 * Columns that fill more than one field (header → fields, in the mapping's order). The backend accepts it when
 * the user asks, but it is most often a slip (the amount read again as the amount paid): the screen says so.
 */
export function sharedColumns(
	mapping: readonly ColumnMapping[],
	edits: MappingEdits = {}
): Map<string, string[]> {
	const byHeader = new Map<string, string[]>();
	for (const m of mapping) {
		const h = chosenHeader(m, edits);
		if (h === NOT_IMPORTED) continue;
		byHeader.set(h, [...(byHeader.get(h) ?? []), m.field]);
	}
	return new Map([...byHeader].filter(([, fields]) => fields.length > 1));
}

/** The first distinct non-empty values of a column in the preview's first rows, to check the choice at a glance. */
export function sampleValues(preview: TabularPreview, header: string, count = 3): string[] {
	const col = preview.headers.indexOf(header);
	if (col < 0) return [];
	const values: string[] = [];
	for (const row of preview.sample) {
		const v = row.cells[col]?.trim() ?? '';
		if (v !== '' && !values.includes(v)) values.push(v);
		if (values.length >= count) break;
	}
	return values;
}

/** For each column of the file, in order, the fields it fills (to label the first rows' table). */
export function fieldsByColumn(preview: TabularPreview, edits: MappingEdits = {}): string[][] {
	return preview.headers.map((h) =>
		preview.mapping.filter((m) => chosenHeader(m, edits) === h).map((m) => m.field)
	);
}

/**
 * The problems the mapping table already shows (a required field without a column, reported on the header
 * line), apart from the others (bad rows, a column that is not in the file…), which the problem list shows.
 */
export function splitMappingProblems(
	problems: readonly FileProblem[],
	preview: TabularPreview
): { mapping: FileProblem[]; other: FileProblem[] } {
	const missing = new Set(missingRequired(preview.mapping));
	const isMapping = (p: FileProblem) => p.line === preview.header_line && missing.has(p.field);
	return { mapping: problems.filter(isMapping), other: problems.filter((p) => !isMapping(p)) };
}
