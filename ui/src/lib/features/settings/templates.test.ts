import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { templateName, TemplatesState } from './templates.svelte';

const state = async () => {
	const st = new TemplatesState(createApi(createMockTransport()), 'fr');
	await st.load();
	return st;
};

describe('the templates screen', () => {
	it('opens on the first template of the language and follows it to the other language', async () => {
		const st = await state();
		const first = st.list[0];
		expect(st.draft).toMatchObject({ id: first?.id, lang: 'fr' });
		st.switchLang('en');
		expect(st.draft).toMatchObject({ id: first?.id, lang: 'en' });
	});

	it('knows an edited draft, saves it and says so until the next change', async () => {
		const st = await state();
		expect(st.changed).toBe(false);
		if (st.draft) st.draft.subject = 'Relance : {{ invoices }}';
		expect(st.changed).toBe(true);
		await st.save();
		expect(st.changed).toBe(false);
		expect(st.done).toBe('tpl.saved');
		expect(st.saved?.edited).toBe(true);
		await st.reset();
		expect(st.done).toBe('tpl.resetDone');
	});

	it('keeps only the latest preview', async () => {
		const st = await state();
		const draft = st.draft!;
		await Promise.all([st.render({ ...draft, subject: 'A' }), st.render({ ...draft, subject: 'B' })]);
		expect(st.preview?.subject).toBe('B');
	});

	it('names the templates', () => {
		const tr = (k: string) => `<${k}>`;
		expect(templateName('thank_you', tr)).toBe('<tpl.thankYou>');
		expect(templateName('daily_report', tr)).toBe('<tpl.dailyReport>');
	});
});
