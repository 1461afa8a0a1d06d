import { describe, expect, it } from 'vitest';
import type { LetterSettings, RatesDto } from '$lib/api/types';
import { createSettingsMock, sampleRates } from '$lib/api/fixtures/settings-mock';
import {
	groupIban,
	ibanValid,
	nextHalfYear,
	parseRate,
	rateFr,
	ratesProblem,
	ratesToConfirm,
	settingsProblems
} from './letters';

const EMPTY: LetterSettings = {
	deadline_days: null,
	place: null,
	signatory_name: null,
	signatory_title: null,
	account_holder: null,
	iban: null,
	bic: null,
	contractual_rate: null,
	legal_form: null,
	share_capital: null,
	rcs_city: null
};

describe('letter settings rules', () => {
	it('reads rates the French or the English way, 0 to 100 %', () => {
		expect(parseRate('2,15')).toBe('2.15');
		expect(parseRate(' 12.5 ')).toBe('12.5');
		expect(parseRate('0')).toBe('0');
		expect(parseRate('100')).toBeNull();
		expect(parseRate('-1')).toBeNull();
		expect(parseRate('deux')).toBeNull();
		expect(rateFr('12.15')).toBe('12,15');
	});

	it('checks IBANs with their mod-97 key and groups them by four', () => {
		expect(ibanValid('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
		expect(ibanValid('FR7630006000011234567890188')).toBe(false);
		expect(ibanValid('FR76')).toBe(false);
		expect(groupIban('fr7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
	});

	it('names the fields in error', () => {
		expect(settingsProblems(EMPTY)).toEqual({});
		expect(
			settingsProblems({ ...EMPTY, deadline_days: 0, iban: 'FR00 1234', bic: 'BNP', contractual_rate: 'x' })
		).toEqual({
			deadline_days: 'letters.error.deadline',
			iban: 'letters.error.iban',
			bic: 'letters.error.bic',
			contractual_rate: 'letters.error.rate'
		});
		expect(settingsProblems({ ...EMPTY, bic: 'BNPAFRPPXXX', deadline_days: 15 })).toEqual({});
		expect(settingsProblems({ ...EMPTY, share_capital: 'beaucoup' })).toEqual({
			share_capital: 'letters.error.capital'
		});
		expect(settingsProblems({ ...EMPTY, share_capital: '0' })).toEqual({
			share_capital: 'letters.error.capital'
		});
		expect(settingsProblems({ ...EMPTY, share_capital: '7\u00a0500,50 €' })).toEqual({});
		expect(settingsProblems({ ...EMPTY, share_capital: '150000' })).toEqual({});
	});

	it('offers the half-year after the newest and refuses bad tables', () => {
		expect(nextHalfYear(sampleRates.ecb, '2026-11-26')).toBe('2027-01-01');
		expect(nextHalfYear([{ from: '2027-01-01', rate: '2', confirmed: true }], '2026-11-26')).toBe(
			'2027-07-01'
		);
		expect(nextHalfYear([], '2026-11-26')).toBe('2026-07-01');
		expect(ratesProblem(sampleRates)).toBeNull();
		const bad = (from: string, rate: string): RatesDto => ({
			...sampleRates,
			ecb: [{ from, rate, confirmed: true }, ...sampleRates.ecb]
		});
		expect(ratesProblem(bad('2027-02-01', '2'))).toContain('1 January or 1 July');
		expect(ratesProblem(bad('2026-07-01', '2'))).toContain('once each');
		expect(ratesProblem(bad('2027-01-01', 'x'))).toContain('not a rate');
		const individuals: RatesDto = {
			...sampleRates,
			legal_interest_individuals: [{ from: '2027-02-01', rate: '6', confirmed: true }]
		};
		expect(ratesProblem(individuals)).toContain('legal interest (individuals): 2027-02-01');
	});

	it('lists the half-years whose rate is to confirm (the shipped ECB rate of 2026 H2)', () => {
		expect(ratesToConfirm(sampleRates)).toEqual(['2026-07-01']);
		const more: RatesDto = {
			...sampleRates,
			legal_interest: [
				{ from: '2026-07-01', rate: '2.5', confirmed: false },
				{ from: '2027-01-01', rate: '2.4', confirmed: false },
				...sampleRates.legal_interest
			]
		};
		expect(ratesToConfirm(more)).toEqual(['2026-07-01', '2027-01-01']);
		const none: RatesDto = {
			...sampleRates,
			ecb: sampleRates.ecb.map((r) => ({ ...r, confirmed: true }))
		};
		expect(ratesToConfirm(none)).toEqual([]);
	});

	it('the browser preview saves, audits and resets the rates', async () => {
		const mock = createSettingsMock('2026-11-26');
		const rates = (await mock('rates', {})) as RatesDto;
		expect(rates.builtin).toBe(true);
		const saved = (await mock('save_rates', {
			rates: { ...rates, ecb: [{ from: '2027-01-01', rate: '1,9', confirmed: false }, ...rates.ecb] }
		})) as RatesDto;
		expect(saved.builtin).toBe(false);
		expect(saved.ecb[0]).toEqual({ from: '2027-01-01', rate: '1.90', confirmed: false });
		await expect(
			mock('save_rates', {
				rates: { ...rates, ecb: [{ from: '2027-03-01', rate: '1', confirmed: true }] }
			})
		).rejects.toMatchObject({ code: 'invalid_input' });
		expect(await mock('reset_rates', {})).toEqual({ ...sampleRates, version: 2 });
		const settings = (await mock('save_letter_settings', {
			settings: { ...EMPTY, signatory_name: 'Jeanne Morel' }
		})) as LetterSettings;
		expect(settings.signatory_name).toBe('Jeanne Morel');
		await expect(
			mock('save_letter_settings', { settings: { ...EMPTY, deadline_days: 200 } })
		).rejects.toMatchObject({ code: 'invalid_input' });
	});
});
