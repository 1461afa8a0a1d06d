import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { CODES } from '$lib/i18n/codes';
import AssignValuePicker from './AssignValuePicker.svelte';

const count = (html: string, what: string) => html.split(what).length - 1;

describe('the value a scenario or a portfolio is given for', () => {
	it('is a category chosen by its name, never typed', () => {
		const html = render(AssignValuePicker, {
			props: {
				id: 'v1',
				by: 'category',
				value: '',
				segments: ['pme'],
				prompt: 'Valeur',
				categoryTestid: 'assign-category'
			}
		}).body;
		expect(html).toContain('<select id="v1"');
		expect(html).toContain('data-testid="assign-category"');
		expect(count(html, '<option')).toBe(CODES.Category.length + 1);
		expect(html).not.toContain('<input');
	});

	it('is a segment typed, the known ones suggested', () => {
		const html = render(AssignValuePicker, {
			props: { id: 'v2', by: 'segment', value: '', segments: ['pme', 'grand_compte'], prompt: 'Valeur' }
		}).body;
		expect(html).toContain('<input id="v2"');
		expect(html).toContain('list="v2-segments"');
		expect(html).toContain('<datalist id="v2-segments"');
		expect(count(html, '<option')).toBe(2);
		expect(html).not.toContain('<select');
	});
});
