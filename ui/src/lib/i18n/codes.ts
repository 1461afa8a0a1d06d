/**
 * The one translation table of the backend's fixed words: every word of every string union the domain and the app
 * send (bindings/codes.ts, generated from the Rust enums) has a label `code.<Type>.<word>` in fr.json and en.json,
 * which a test checks. Screens show a code only through `label()`; payment terms through `termsLabel()`.
 */
import { CODES, type CodeKind } from '$lib/api/bindings/codes';
import { DICTIONARIES, i18n, translate, translatePlural, type MessageKey } from './i18n.svelte';
import type { Locale } from './locale';

export { CODES, type CodeKind };

/**
 * Words that are data rather than enums but have labels when they are the demo's or the built-in ones: the
 * customer file's segment (`pme`, from the imported file) and the standard scenario's name (`default`).
 */
export type DataKind = 'customerSegment' | 'scenarioName';

function known(key: string): key is MessageKey {
	return key in DICTIONARIES.fr;
}

/** The message key of a word, when the translations have it. */
export function codeKey(kind: CodeKind | DataKind, value: string): MessageKey | null {
	const key =
		kind === 'customerSegment' || kind === 'scenarioName' ? `${kind}.${value}` : `code.${kind}.${value}`;
	return known(key) ? key : null;
}

/** The label of a word in a language; a word without one (a user's own step id, a segment of the user's file) as it is. */
export function labelIn(locale: Locale, kind: CodeKind | DataKind, value: string): string {
	const key = codeKey(kind, value);
	return key ? translate(locale, key) : value;
}

/** The label of a word in the current language: `label('DisputeKind', 'price')` → "Prix". */
export function label(kind: CodeKind | DataKind, value: string): string {
	return labelIn(i18n.locale, kind, value);
}

/** True when `value` is one of the words of `kind`. */
export function isCode<K extends CodeKind>(kind: K, value: unknown): value is (typeof CODES)[K][number] {
	return typeof value === 'string' && (CODES[kind] as readonly string[]).includes(value);
}

const TERMS = /^(net|days_eom|eom_plus):(\d+)$/;

/**
 * Payment terms as words, from the domain's code (`net:30`, `days_eom:45`, `eom_plus:10`, `on_receipt`):
 * "30 jours net", "45 jours fin de mois", "Fin de mois + 10 jours", "À réception". An unknown code is shown as it is.
 */
export function termsIn(locale: Locale, code: string): string {
	const c = code.trim();
	if (c === 'on_receipt') return translate(locale, 'terms.on_receipt');
	const m = TERMS.exec(c);
	if (!m) return code;
	const base = m[1] === 'net' ? 'terms.net' : m[1] === 'days_eom' ? 'terms.days_eom' : 'terms.eom_plus';
	return translatePlural(locale, base, Number(m[2]));
}

export function termsLabel(code: string): string {
	return termsIn(i18n.locale, code);
}
