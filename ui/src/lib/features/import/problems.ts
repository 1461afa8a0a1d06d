/**
 * A refused file's problems as rows: the backend writes one `file:line: field: reason` per line (line 1 is
 * the header, 0 the whole file). The screen shows them as a table, never as a blob of text.
 */

export type FileProblem = {
	file: string;
	/** 1-based; 0 when the problem concerns the whole file (or the line could not be read). */
	line: number;
	field: string;
	reason: string;
};

// The file name may itself hold colons (C:\…): it is everything up to the first ":<digits>: ".
const PROBLEM = /^(.+?):(\d+): (.+?): (.*)$/;

export function parseProblem(text: string): FileProblem {
	const m = PROBLEM.exec(text.trim());
	if (!m) return { file: '', line: 0, field: '', reason: text.trim() };
	return { file: m[1] ?? '', line: Number(m[2]), field: m[3] ?? '', reason: m[4] ?? '' };
}

/** Every non-empty line of an `invalid_file` message (or of a preview's `errors`), in order. */
export function parseProblems(message: string | readonly string[]): FileProblem[] {
	const lines =
		typeof message === 'string' ? message.split(/\r?\n/) : message.flatMap((m) => m.split(/\r?\n/));
	return lines.filter((l) => l.trim() !== '').map(parseProblem);
}
