/**
 * The letter settings screen's rules: the penalties' rates dated by half-year (1 January or 1 July, once each,
 * 0 to 100 % a year), the next half-year to add, and the French IBAN check (ISO 13616 mod 97) before saving.
 */
import type { LetterSettings, RateRow, RatesDto } from '$lib/api/types';

const HALF_YEAR = /^(\d{4})-(01|07)-01$/;

/** "2,15" or "2.15" → "2.15"; null when not a rate of 0 to 100 % a year. */
export function parseRate(text: string): string | null {
	const t = text.trim().replace(',', '.');
	if (!/^\d{1,2}(\.\d{1,4})?$/.test(t)) return null;
	const v = Number(t);
	return v >= 0 && v < 100 ? t : null;
}

/** "2.15" → "2,15" (the French way). */
export function rateFr(rate: string): string {
	return rate.replace('.', ',');
}

/** What is wrong with one list of rates, or null. */
export function rowsProblem(name: string, rows: RateRow[]): string | null {
	const seen = new Set<string>();
	for (const r of rows) {
		if (!HALF_YEAR.test(r.from)) return `${name}: ${r.from} is not 1 January or 1 July`;
		if (seen.has(r.from)) return `${name}: ${r.from} comes twice: once each`;
		seen.add(r.from);
		if (parseRate(r.rate) === null) return `${name} rate of ${r.from}: '${r.rate}' is not a rate`;
	}
	return null;
}

export function ratesProblem(rates: RatesDto): string | null {
	return (
		rowsProblem('ECB', rates.ecb) ??
		rowsProblem('legal interest', rates.legal_interest) ??
		rowsProblem('legal interest (individuals)', rates.legal_interest_individuals)
	);
}

/** The half-years whose rate is not confirmed, in any list, oldest first, once each. */
export function ratesToConfirm(rates: RatesDto): string[] {
	const all = [...rates.ecb, ...rates.legal_interest, ...rates.legal_interest_individuals];
	return [...new Set(all.filter((r) => !r.confirmed).map((r) => r.from))].sort();
}

/** The half-year after the newest of the list (the one to add next), or the current one for an empty list. */
export function nextHalfYear(rows: RateRow[], today: string): string {
	const newest = rows
		.map((r) => r.from)
		.sort()
		.at(-1);
	const parts = (iso: string) => {
		const [y = 0, m = 1] = iso.split('-').map(Number);
		return { y, m };
	};
	if (!newest) {
		const { y, m } = parts(today);
		return `${y}-${m <= 6 ? '01' : '07'}-01`;
	}
	const { y, m } = parts(newest);
	return m === 1 ? `${y}-07-01` : `${y + 1}-01-01`;
}

/** An IBAN without spaces, upper case. */
export function compactIban(iban: string): string {
	return iban.replace(/\s+/g, '').toUpperCase();
}

/** ISO 13616: two letters, two check digits, up to 30 alphanumerics, and the mod-97 remainder is 1. */
export function ibanValid(iban: string): boolean {
	const s = compactIban(iban);
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
	const moved = s.slice(4) + s.slice(0, 4);
	let rest = 0;
	for (const ch of moved) {
		const n = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
		for (const digit of n) rest = (rest * 10 + Number(digit)) % 97;
	}
	return rest === 1;
}

/** "FR7630006000011234567890189" → "FR76 3000 6000 0112 3456 7890 189". */
export function groupIban(iban: string): string {
	return compactIban(iban)
		.replace(/(.{4})/g, '$1 ')
		.trim();
}

/** The form's problems, by field (message keys), before anything goes to the backend. */
export function settingsProblems(s: LetterSettings): Partial<Record<keyof LetterSettings, string>> {
	const out: Partial<Record<keyof LetterSettings, string>> = {};
	if (
		s.deadline_days !== null &&
		(!Number.isInteger(s.deadline_days) || s.deadline_days < 1 || s.deadline_days > 90)
	)
		out.deadline_days = 'letters.error.deadline';
	if (s.iban && !ibanValid(s.iban)) out.iban = 'letters.error.iban';
	if (s.bic && !/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(s.bic.trim().toUpperCase()))
		out.bic = 'letters.error.bic';
	if (s.contractual_rate && parseRate(s.contractual_rate) === null)
		out.contractual_rate = 'letters.error.rate';
	return out;
}
