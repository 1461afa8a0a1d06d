/**
 * The letter settings screen's state: who signs, the place, the company's legal mentions, the bank details, the
 * notice's deadline and a contractual rate (one form, its problems shown once the user tried to save); and the penalties' rates table
 * by half-year, edited in place and saved or put back to the shipped table.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { LetterSettings, RateRow, RatesDto } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';
import {
	compactIban,
	groupIban,
	nextHalfYear,
	parseRate,
	rateFr,
	ratesProblem,
	settingsProblems
} from './letters';

export type LetterForm = {
	place: string;
	signatory_name: string;
	signatory_title: string;
	account_holder: string;
	iban: string;
	bic: string;
	deadline_days: string;
	contractual_rate: string;
	legal_form: string;
	share_capital: string;
	rcs_city: string;
};

export type RateList = 'ecb' | 'legal_interest' | 'legal_interest_individuals';

export function toForm(s: LetterSettings): LetterForm {
	return {
		place: s.place ?? '',
		signatory_name: s.signatory_name ?? '',
		signatory_title: s.signatory_title ?? '',
		account_holder: s.account_holder ?? '',
		iban: s.iban ? groupIban(s.iban) : '',
		bic: s.bic ?? '',
		deadline_days: s.deadline_days === null ? '' : String(s.deadline_days),
		contractual_rate: s.contractual_rate ? rateFr(s.contractual_rate) : '',
		legal_form: s.legal_form ?? '',
		share_capital: s.share_capital ?? '',
		rcs_city: s.rcs_city ?? ''
	};
}

export function toSettings(f: LetterForm): LetterSettings {
	const text = (v: string) => (v.trim() === '' ? null : v.trim());
	return {
		place: text(f.place),
		signatory_name: text(f.signatory_name),
		signatory_title: text(f.signatory_title),
		account_holder: text(f.account_holder),
		iban: f.iban.trim() === '' ? null : compactIban(f.iban),
		bic: f.bic.trim() === '' ? null : f.bic.trim().toUpperCase(),
		deadline_days: f.deadline_days.trim() === '' ? null : Number(f.deadline_days),
		contractual_rate:
			f.contractual_rate.trim() === '' ? null : (parseRate(f.contractual_rate) ?? f.contractual_rate),
		legal_form: text(f.legal_form),
		share_capital: text(f.share_capital),
		rcs_city: text(f.rcs_city)
	};
}

/** The rates as typed in the user's language ("2,15" in French); the backend reads either. */
export function localRates(r: RatesDto, locale: Locale): RatesDto {
	const local = (rate: string) => (locale === 'fr' ? rateFr(rate) : rate);
	const fr = (rows: RateRow[]) => rows.map((x) => ({ ...x, rate: local(x.rate) }));
	return {
		...r,
		ecb: fr(r.ecb),
		legal_interest: fr(r.legal_interest),
		legal_interest_individuals: fr(r.legal_interest_individuals)
	};
}

/** The penalty rate of a half-year: ECB + 10 points (L441-10). */
export function penalty(rate: string): string {
	const v = parseRate(rate);
	return v === null ? '—' : rateFr((Number(v) + 10).toFixed(2));
}

export class LetterSettingsState {
	readonly loaded = new Loaded<[LetterSettings, RatesDto]>('letter_settings');
	form = $state<LetterForm | null>(null);
	/** The settings' version as read, sent back with the change (a colleague's change is not overwritten). */
	version = $state<number | undefined>(undefined);
	tried = $state(false);
	readonly saving = new Saving();

	rates = $state<RatesDto | null>(null);
	ratesDirty = $state(false);
	readonly ratesSaving = new Saving();

	constructor(
		private readonly api: Pick<
			Api,
			'letterSettings' | 'rates' | 'saveLetterSettings' | 'saveRates' | 'resetRates'
		>,
		/** The user's language, read when rates come back. */
		private readonly locale: () => Locale
	) {}

	get loadError(): ApiError | null {
		return this.loaded.error;
	}

	readonly problems = $derived(this.form ? settingsProblems(toSettings(this.form)) : {});
	/** What is wrong with the rates table, if anything (saving waits for it). */
	readonly ratesCheck = $derived(this.rates ? ratesProblem(this.rates) : null);

	/** A field's problem, once the user tried to save. */
	problem(field: keyof LetterSettings): MessageKey | undefined {
		return this.tried ? (this.problems[field] as MessageKey | undefined) : undefined;
	}

	async load(): Promise<void> {
		await this.loaded.load(() => Promise.all([this.api.letterSettings(), this.api.rates()]));
		if (this.loaded.phase !== 'ready' || !this.loaded.data) return;
		const [s, r] = this.loaded.data;
		this.form = toForm(s);
		this.version = s.version;
		this.rates = localRates(r, this.locale());
		this.ratesDirty = false;
	}

	async save(): Promise<void> {
		this.tried = true;
		this.saving.reset();
		const form = this.form;
		if (!form || Object.keys(this.problems).length > 0) return;
		await this.saving.run('save_letter_settings', async () => {
			const s = await this.api.saveLetterSettings({ ...toSettings(form), version: this.version });
			this.form = toForm(s);
			this.version = s.version;
			this.tried = false;
		});
	}

	/** The user changed the table: it is to be saved again. */
	touched(): void {
		this.ratesDirty = true;
		this.ratesSaving.done = false;
	}

	/** A row for the half-year after the newest, at the newest rate. */
	addRow(list: RateList, today: string): void {
		if (!this.rates) return;
		const rows = this.rates[list];
		const row: RateRow = {
			from: nextHalfYear(rows, today),
			rate: rows[0]?.rate ?? '0.00',
			confirmed: true
		};
		this.rates[list] = [row, ...rows];
		this.touched();
	}

	removeRow(list: RateList, index: number): void {
		if (!this.rates) return;
		this.rates[list] = this.rates[list].filter((_, i) => i !== index);
		this.touched();
	}

	async saveRates(): Promise<void> {
		const rates = this.rates;
		if (!rates || this.ratesCheck) return;
		await this.ratesSaving.run('save_rates', async () => {
			this.rates = localRates(await this.api.saveRates(rates), this.locale());
			this.ratesDirty = false;
		});
	}

	/** Back to the shipped table, on the version read (a colleague's table saved since is not thrown away). */
	async resetRates(): Promise<void> {
		const version = this.rates?.version ?? null;
		await this.ratesSaving.run('reset_rates', async () => {
			this.rates = localRates(await this.api.resetRates(version), this.locale());
			this.ratesDirty = false;
		});
	}
}
