import { describe, expect, it } from 'vitest';
import { latenessText } from './cells';

describe('latenessText', () => {
	it('says when a not-yet-due invoice falls due, in each language', () => {
		expect(latenessText(-27, 'fr')).toBe('échoit dans 27 j');
		expect(latenessText(-1, 'en')).toBe('due in 1 d');
	});

	it('shows an overdue invoice late by so many days', () => {
		expect(latenessText(45, 'fr')).toBe('+45\u00a0j');
		expect(latenessText(0, 'fr')).toBe('0\u00a0j');
	});
});
