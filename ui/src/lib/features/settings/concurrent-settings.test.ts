/**
 * Two desktops on the same settings (team mode): each screen sends back the version it read, so the second save
 * is refused naming who saved first ("modifié par NOM à HH:MM — recharger") and, reloaded, goes through.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { CollectionSettingsState } from './collection.svelte';
import { LetterSettingsState } from './letter-settings.svelte';
import { TemplatesState } from './templates.svelte';

describe('settings saved from two desktops', () => {
	it('refuses the collection settings saved over a colleague’s, then saves them once reloaded', async () => {
		const api = createApi(createMockTransport());
		const mine = new CollectionSettingsState(api);
		const theirs = new CollectionSettingsState(api);
		await mine.load();
		await theirs.load();
		expect([mine.version, theirs.version]).toEqual([0, 0]);
		theirs.form!.min_gap_days = '7';
		await theirs.save();
		expect(theirs.saving.error).toBeNull();
		expect(theirs.version).toBe(1);

		mine.form!.min_gap_days = '9';
		await mine.save();
		expect(mine.saving.error).toMatchObject({
			code: 'conflict',
			changed: { by: 'Julien Roux', at: '10:42' }
		});
		expect((await api.collectionSettings()).min_gap_days).toBe(7);

		await mine.load();
		mine.form!.min_gap_days = '9';
		await mine.save();
		expect(mine.saving.error).toBeNull();
		expect([mine.form!.min_gap_days, mine.version]).toEqual(['9', 2]);
	});

	it('sends the letter settings back with the version read, and takes the new one from the answer', async () => {
		const api = createApi(createMockTransport());
		const mine = new LetterSettingsState(api, () => 'fr');
		const theirs = new LetterSettingsState(api, () => 'fr');
		await mine.load();
		await theirs.load();
		theirs.form!.place = 'Lyon';
		await theirs.save();
		expect(theirs.saving.error).toBeNull();
		mine.form!.place = 'Villeurbanne';
		await mine.save();
		expect(mine.saving.error?.code).toBe('conflict');
		expect((await api.letterSettings()).place).toBe('Lyon');
		// The first desktop saves again on what it got back: no conflict with itself.
		theirs.form!.place = 'Lyon 3e';
		await theirs.save();
		expect(theirs.saving.error).toBeNull();
	});

	it('refuses the rates table reset over a colleague’s table, then resets it once reloaded', async () => {
		const calls: [string, Record<string, unknown>][] = [];
		const mock = createMockTransport();
		const api = createApi((cmd: string, args?: Record<string, unknown>) => {
			calls.push([cmd, args ?? {}]);
			return mock(cmd, args);
		});
		const mine = new LetterSettingsState(api, () => 'fr');
		const theirs = new LetterSettingsState(api, () => 'fr');
		await mine.load();
		await theirs.load();
		expect(mine.rates?.version).toBe(0);
		theirs.rates!.ecb[0]!.rate = '2,40';
		await theirs.saveRates();
		expect(theirs.ratesSaving.error).toBeNull();
		expect(theirs.rates?.version).toBe(1);

		await mine.resetRates();
		expect(calls.findLast(([cmd]) => cmd === 'reset_rates')?.[1]).toEqual({ version: 0 });
		expect(mine.ratesSaving.error).toMatchObject({
			code: 'conflict',
			changed: { by: 'Julien Roux', at: '10:42' }
		});
		expect((await api.rates()).builtin).toBe(false);

		await mine.load();
		await mine.resetRates();
		expect(mine.ratesSaving.error).toBeNull();
		expect(mine.rates).toMatchObject({ builtin: true, version: 2 });
		// The first desktop's table went with the reset: its next reset on what it read is refused in turn.
		await theirs.resetRates();
		expect(theirs.ratesSaving.error?.code).toBe('conflict');
	});

	it('resets a template with the version its editor read', async () => {
		const calls: [string, Record<string, unknown>][] = [];
		const mock = createMockTransport();
		const api = createApi((cmd: string, args?: Record<string, unknown>) => {
			calls.push([cmd, args ?? {}]);
			return mock(cmd, args);
		});
		const st = new TemplatesState(api, 'fr');
		await st.load();
		const draft = st.draft!;
		await st.save();
		await st.reset();
		const reset = calls.find(([cmd]) => cmd === 'reset_email_template')!;
		expect(reset[1]).toMatchObject({ id: draft.id, lang: draft.lang, version: 1 });
		expect(st.draft?.version).toBe(2);
	});
});
