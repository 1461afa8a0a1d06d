import { describe, expect, it } from 'vitest';
import fr from './fr.json';
import en from './en.json';
import { CODES, codeKey, labelIn, termsIn, type CodeKind } from './codes';
import { DICTIONARIES } from './i18n.svelte';

/** Every generated binding, as text: the string unions the backend sends. */
const BINDINGS = import.meta.glob('../api/bindings/*.ts', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

/** The bindings that are a union of string literals: `export type X = "a" | "b";`. */
function stringUnions(): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const text of Object.values(BINDINGS)) {
		const m = /^export type (\w+) = ("[^"]*"(?: \| "[^"]*")*);$/m.exec(text);
		if (m)
			out.set(
				m[1] as string,
				[...(m[2] as string).matchAll(/"([^"]*)"/g)].map((w) => w[1] as string)
			);
	}
	return out;
}

describe('the translation table of codes', () => {
	it('lists every string union of the bindings, with the same words', () => {
		const unions = stringUnions();
		expect(unions.size).toBeGreaterThanOrEqual(15);
		for (const [name, words] of unions) {
			expect(Object.keys(CODES), `${name} is missing from bindings/codes.ts`).toContain(name);
			expect([...CODES[name as CodeKind]], name).toEqual(words);
		}
	});

	it('has a French and an English label for every word of every code', () => {
		const missing: string[] = [];
		for (const [kind, words] of Object.entries(CODES)) {
			for (const word of words) {
				const key = `code.${kind}.${word}`;
				for (const [locale, dict] of Object.entries(DICTIONARIES)) {
					const text = (dict as Record<string, string>)[key];
					if (!text?.trim()) missing.push(`${locale}: ${key}`);
				}
			}
		}
		expect(missing).toEqual([]);
	});

	it('has no label for a word the backend no longer sends', () => {
		const known = new Set(Object.entries(CODES).flatMap(([k, words]) => words.map((w) => `code.${k}.${w}`)));
		for (const dict of [fr, en]) {
			const stale = Object.keys(dict).filter((k) => k.startsWith('code.') && !known.has(k));
			expect(stale).toEqual([]);
		}
	});

	it('has a sentence for every kind of audit event', () => {
		for (const kind of CODES.AuditKind) {
			expect(Object.keys(fr), kind).toContain(`audit.says.${kind}`);
		}
	});

	it('labels words in each language and shows an unknown word as it is', () => {
		expect(labelIn('fr', 'StepId', 'pre_reminder')).toBe('Pré-relance');
		expect(labelIn('en', 'StepId', 'formal_notice')).toBe('Formal notice');
		expect(labelIn('fr', 'DisputeKind', 'price')).toBe('Prix');
		expect(labelIn('fr', 'Department', 'sales')).toBe('Commercial');
		expect(labelIn('fr', 'Outcome', 'says_paid')).toBe('Dit avoir payé');
		expect(labelIn('fr', 'Channel', 'sms_task')).toBe('SMS');
		expect(labelIn('fr', 'Category', 'public_body')).toBe('Organisme public');
		expect(labelIn('fr', 'customerSegment', 'pme')).toBe('PME');
		expect(labelIn('en', 'customerSegment', 'pme')).toBe('SME');
		// A user scenario's own step, a segment of the user's file: readable as they are.
		expect(labelIn('fr', 'StepId', 'relance_douce')).toBe('relance_douce');
		expect(labelIn('fr', 'customerSegment', 'export')).toBe('export');
		expect(codeKey('StepId', 'relance_douce')).toBeNull();
	});
});

describe('payment terms in words', () => {
	it('read the domain codes in French', () => {
		expect(termsIn('fr', 'net:30')).toBe('30 jours net');
		expect(termsIn('fr', 'days_eom:45')).toBe('45 jours fin de mois');
		expect(termsIn('fr', 'eom_plus:10')).toBe('Fin de mois + 10 jours');
		expect(termsIn('fr', 'on_receipt')).toBe('À réception');
		expect(termsIn('fr', 'net:1')).toBe('1 jour net');
		expect(termsIn('fr', 'net:0')).toBe('0 jour net');
	});

	it('read the domain codes in English', () => {
		expect(termsIn('en', 'net:30')).toBe('30 days net');
		expect(termsIn('en', 'days_eom:45')).toBe('45 days end of month');
		expect(termsIn('en', 'net:1')).toBe('1 day net');
		expect(termsIn('en', 'on_receipt')).toBe('On receipt');
	});

	it('show a code this version does not know as it is', () => {
		expect(termsIn('fr', 'weekly')).toBe('weekly');
		expect(termsIn('fr', 'net:')).toBe('net:');
	});
});
