import { describe, expect, it } from 'vitest';
import fr from './fr.json';
import en from './en.json';
import { DICTIONARIES, interpolate, translate } from './i18n.svelte';

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
