import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { LetterSettingsState, localRates, penalty, toForm, toSettings } from './letter-settings.svelte';

const state = async () => {
	const st = new LetterSettingsState(createApi(createMockTransport()), () => 'fr');
	await st.load();
	return st;
};

describe('the letter settings screen', () => {
	it('turns the settings into the form and back (IBAN grouped, rate in French)', () => {
		const settings = {
			place: 'Lyon',
			signatory_name: 'Anne Martin',
			signatory_title: null,
			account_holder: null,
			iban: 'FR7630006000011234567890189',
			bic: 'agrifrpp',
			deadline_days: 8,
			contractual_rate: '12.5'
		};
		const form = toForm(settings);
		expect(form.iban).toBe('FR76 3000 6000 0112 3456 7890 189');
		expect(form.contractual_rate).toBe('12,5');
		expect(toSettings(form)).toEqual({ ...settings, bic: 'agrifrpp'.toUpperCase() });
	});

	it('shows rates in the user language and the ECB penalty at +10 points', () => {
		const r = {
			builtin: true,
			ecb: [{ from: '2026-07-01', rate: '2.15', confirmed: false }],
			legal_interest: [],
			legal_interest_individuals: [{ from: '2026-01-01', rate: '6.67', confirmed: true }]
		};
		expect(localRates(r, 'fr').ecb[0]).toEqual({ from: '2026-07-01', rate: '2,15', confirmed: false });
		expect(localRates(r, 'fr').legal_interest_individuals[0]?.rate).toBe('6,67');
		expect(localRates(r, 'en').ecb[0]?.rate).toBe('2.15');
		expect(penalty('2,15')).toBe('12,15');
		expect(penalty('x')).toBe('—');
	});

	it('adds the next half-year, marks the table to save, and saves it', async () => {
		const st = await state();
		expect(st.ratesDirty).toBe(false);
		const before = st.rates?.ecb.length ?? 0;
		st.addRow('ecb', '2026-11-26');
		expect(st.rates?.ecb).toHaveLength(before + 1);
		expect(st.ratesDirty).toBe(true);
		await st.saveRates();
		expect(st.ratesSaving.done).toBe(true);
		expect(st.ratesDirty).toBe(false);
	});

	it("shows the form's problems once tried, and saves nothing then", async () => {
		const st = await state();
		if (st.form) st.form.iban = 'FR76 0000';
		expect(st.problem('iban')).toBeUndefined();
		await st.save();
		expect(st.problem('iban')).toBeDefined();
		expect(st.saving.done).toBe(false);
		if (st.form) st.form.iban = '';
		await st.save();
		expect(st.saving.done).toBe(true);
	});
});
