/**
 * A refused file's problems as the table shows them: one row per problem, in the backend's order. The backend
 * sends them as data (file, line, field, reason, code); nothing here reads text.
 */
import type { FileProblem, ProblemCode } from '$lib/api/types';
import { formatCount } from '$lib/format/format';
import { labelIn } from '$lib/i18n/codes';
import type { Locale } from '$lib/i18n/locale';

export type ProblemRow = {
	file: string;
	/** The line number as shown; null when the problem concerns the whole file. */
	line: string | null;
	field: string;
	/** The kind of problem in the user's language ("Fichier non texte", "Texte trop long"…), and its code. */
	kind: string;
	code: ProblemCode;
	reason: string;
};

const NONE = '—';
/** Field names the backend gives a problem of the whole file or the whole line, not of a column. */
const WHOLE = ['file', 'record'];

export function problemRows(problems: readonly FileProblem[], locale: Locale): ProblemRow[] {
	return problems.map((p) => ({
		file: p.file || NONE,
		line: p.line > 0 ? formatCount(p.line, locale) : null,
		// `file` and `record` name the whole file or line (not text, a quote never closed): the line column says it.
		field: p.field && !WHOLE.includes(p.field) ? p.field : NONE,
		kind: labelIn(locale, 'ProblemCode', p.code),
		code: p.code,
		reason: p.reason
	}));
}

/** The problems a customers or open-invoices preview carries (absent from its JSON when there are none). */
export function previewProblems(preview: { problems?: FileProblem[] }): FileProblem[] {
	return preview.problems ?? [];
}
