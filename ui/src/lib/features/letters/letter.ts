/**
 * The letter preview's pure logic: which agenda actions are letters, the request sent to the backend (the free
 * text only when the user changed it), the paragraphs of a text, the file name offered when saving.
 */
import type {
	AgendaItem,
	BatchLetter,
	ExcludedInvoice,
	LeftOut,
	LetterPreview,
	LetterRequest
} from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

/** The steps a letter can be written for from the customer file (the standard scenario's letter-worthy steps). */
export const LETTER_STEPS = [
	'reminder_1',
	'reminder_2',
	'reminder_3',
	'personal_letter',
	'formal_notice'
] as const;

/** True when the action's channels include a letter ("letter", "letter+call"). */
export function isLetterAction(item: AgendaItem): boolean {
	return item.action.channel.split('+').some((c) => c.trim() === 'letter');
}

/** What the user typed over the backend's text. */
export type LetterEdits = { before: string; after: string };

/** Same text once line endings and the spaces at the ends are set aside. */
function sameText(a: string, b: string): boolean {
	const norm = (s: string) => s.replace(/\r\n?/g, '\n').trim();
	return norm(a) === norm(b);
}

/**
 * The request for a customer's letter; `original` is the preview the edits were made on: a text equal to it is
 * not sent (the backend's own text stays, with its later changes), an edited one is. `includeHeld`: a formal
 * notice also claims the invoices under an open dispute or a running promise (left out by default).
 */
export function letterRequest(
	customer: string,
	step: string | null,
	asOf: string | null,
	original: LetterPreview | null = null,
	edits: LetterEdits | null = null,
	includeHeld = false
): LetterRequest {
	const changed = (text: string | undefined, base: string | undefined): string | null =>
		text !== undefined && base !== undefined && !sameText(text, base)
			? text.replace(/\r\n?/g, '\n').trim()
			: null;
	return {
		customer,
		step,
		as_of: asOf,
		text_before: changed(edits?.before, original?.text_before),
		text_after: original?.after_editable ? changed(edits?.after, original?.text_after) : null,
		include_held: includeHeld ? true : null
	};
}

/** The invoice numbers of a list of held invoices with the same reason, "F1, F2". */
export function heldNumbers(list: ExcludedInvoice[], reason: 'dispute' | 'promise'): string {
	return list
		.filter((e) => e.reason === reason)
		.map((e) => e.invoice)
		.join(', ');
}

/** Paragraphs (blank lines between them), each a list of lines. */
export function paragraphs(text: string): string[][] {
	return text
		.replace(/\r\n?/g, '\n')
		.split(/\n\s*\n/)
		.map((p) => p.split('\n').map((l) => l.trimEnd()))
		.map((lines) => lines.filter((l, i) => l !== '' || (i > 0 && i < lines.length - 1)))
		.filter((lines) => lines.length > 0);
}

/** "lettre-C00014-reminder_2-2026-11-26.pdf", "mise-en-demeure-C00030-2026-11-26.pdf". */
export function letterFileName(preview: Pick<LetterPreview, 'customer' | 'kind' | 'step' | 'as_of'>): string {
	const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_');
	return preview.kind === 'notice'
		? `mise-en-demeure-${safe(preview.customer)}-${preview.as_of}.pdf`
		: `lettre-${safe(preview.customer)}-${safe(preview.step)}-${preview.as_of}.pdf`;
}

/** "lettres-2026-11-26.pdf" */
export function batchFileName(asOf: string): string {
	return `lettres-${asOf}.pdf`;
}

/** The litigation file's default name: the customer's key (as a file name) and the date. */
export function dossierFileName(customer: string, asOf: string): string {
	return `dossier-contentieux-${customer.replace(/[^A-Za-z0-9_-]/g, '_')}-${asOf}.zip`;
}

/** How many letters and pages a printed batch holds. */
/** Why a letter was left out of the day's batch, in the user's language: a missing ECB rate names its half-year
 * and the screen where to add it; any other reason is the backend's message. */
export function leftOutReason(
	l: Pick<LeftOut, 'reason' | 'missing_rate'>,
	t: (key: MessageKey, params?: Record<string, string | number>) => string,
	date: (iso: string) => string
): string {
	return l.missing_rate ? t('letter.leftOutMissingRate', { date: date(l.missing_rate) }) : l.reason;
}

export function batchSummary(letters: Pick<BatchLetter, 'pages'>[]): { count: number; pages: number } {
	return { count: letters.length, pages: letters.reduce((s, l) => s + l.pages, 0) };
}
