import { describe, expect, it } from 'vitest';
import fr from './fr.json';
import en from './en.json';
import {
	DICTIONARIES,
	interpolate,
	isPluralKey,
	pluralCategory,
	translate,
	translatePlural
} from './i18n.svelte';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
	it('have the same keys in French and English', () => {
		const frKeys = Object.keys(fr).sort();
		const enKeys = Object.keys(en).sort();
		expect(
			frKeys.filter((k) => !enKeys.includes(k)),
			'missing in en.json'
		).toEqual([]);
		expect(
			enKeys.filter((k) => !frKeys.includes(k)),
			'missing in fr.json'
		).toEqual([]);
	});

	it('have no empty text', () => {
		for (const [locale, dict] of Object.entries(DICTIONARIES)) {
			for (const [key, text] of Object.entries(dict)) {
				expect(text.trim(), `${locale}:${key}`).not.toBe('');
			}
		}
	});

	it('use the same placeholders in both languages', () => {
		for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
			expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
		}
	});

	it('use the French vocabulary of the design', () => {
		expect(fr['kpi.receivables']).toBe('Encours total');
		expect(fr['kpi.overdue']).toBe('Échu');
		expect(fr['nav.aging']).toBe('Balance âgée');
		expect(fr['kpi.unapplied']).toBe('Paiements non affectés');
		expect(fr['welcome.demo']).toBe('Ouvrir la société de démonstration');
	});
});

describe('interpolate', () => {
	it('fills placeholders and leaves unknown ones visible', () => {
		expect(interpolate('{shown} clients sur {total}', { shown: 4, total: 270 })).toBe('4 clients sur 270');
		expect(interpolate('au {date}', {})).toBe('au {date}');
		expect(translate('en', 'aging.count', { shown: 1, total: 2 })).toBe('1 of 2 customers');
	});
});

describe('plurals', () => {
	it('follow the French rule: 0 and 1 are singular', () => {
		expect(pluralCategory('fr', 0)).toBe('one');
		expect(pluralCategory('fr', 1)).toBe('one');
		expect(pluralCategory('fr', 2)).toBe('other');
		expect(translatePlural('fr', 'letter.pages', 0)).toBe('0 page');
		expect(translatePlural('fr', 'letter.pages', 1)).toBe('1 page');
		expect(translatePlural('fr', 'letter.pages', 2)).toBe('2 pages');
		expect(translatePlural('fr', 'email.title', 1)).toBe('Prévisualiser et envoyer (1 e-mail)');
		expect(translatePlural('fr', 'd4416.disputedValue', 0)).toBe('0 facture,');
	});

	it('follow the English rule: only 1 is singular', () => {
		expect(pluralCategory('en', 0)).toBe('other');
		expect(pluralCategory('en', 1)).toBe('one');
		expect(translatePlural('en', 'letter.pages', 0)).toBe('0 pages');
		expect(translatePlural('en', 'letter.pages', 1)).toBe('1 page');
		expect(translatePlural('en', 'email.send', 3)).toBe('Send 3 emails');
	});

	it('format the count for the language and keep the other parameters', () => {
		expect(translatePlural('fr', 'export.done', 1234, { path: '/tmp/a.csv' })).toBe(
			'1\u202f234 lignes exportées dans /tmp/a.csv'
		);
		expect(translatePlural('en', 'export.done', 1, { path: 'a.csv' })).toBe('1 row exported to a.csv');
	});

	it('show what they count in the plural of both languages', () => {
		const bases = Object.keys(fr)
			.filter((k) => k.endsWith('.other'))
			.map((k) => k.replace(/\.other$/, ''))
			.filter((b) => isPluralKey(b));
		expect(bases).toContain('letter.pages');
		for (const dict of [fr, en] as Record<string, string>[]) {
			// The count, or the list it counts ("sur les factures {invoices}").
			for (const base of bases) expect(dict[`${base}.other`], base).toMatch(/\{(count|invoices)\}/);
		}
	});

	it('leave no "(s)" for the reader to sort out', () => {
		for (const dict of [fr, en] as Record<string, string>[]) {
			const left = Object.entries(dict).filter(([, text]) => /\w\(s\)/.test(text));
			expect(left).toEqual([]);
		}
	});
});
