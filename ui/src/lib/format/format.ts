/**
 * Display formatting for money, dates and days. Money stays a decimal string end to end: Intl.NumberFormat
 * accepts the string and formats it exactly (no float rounding), so nothing here parses an amount.
 */
import { intlLocaleOf, type Locale } from '$lib/i18n/locale';

export function intlLocale(locale: Locale): string {
	return intlLocaleOf(locale);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: Locale, currency: string, compact: boolean): Intl.NumberFormat {
	const key = `${locale}|${currency}|${compact}`;
	let f = moneyFormats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(intlLocale(locale), {
			style: 'currency',
			currency,
			// "-0.00" shows as 0,00 €: a minus only on amounts below zero.
			signDisplay: 'negative',
			...(compact ? { notation: 'compact', maximumFractionDigits: 1 } : {})
		});
		moneyFormats.set(key, f);
	}
	return f;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** "1234.56" → "1 234,56 €" (fr) or "€1,234.56" (en). A string that is not a decimal is shown as is. */
export function formatMoney(amount: string, currency: string, locale: Locale): string {
	if (!DECIMAL.test(amount)) return amount;
	// Intl accepts decimal strings (ECMA-402 NumberFormat v3) and keeps every digit.
	return moneyFormat(locale, currency, false).format(amount as Intl.StringNumericLiteral);
}

/** Short form for chart labels: "2,8 M €". */
export function formatMoneyCompact(amount: string, currency: string, locale: Locale): string {
	if (!DECIMAL.test(amount)) return amount;
	return moneyFormat(locale, currency, true).format(amount as Intl.StringNumericLiteral);
}

/** True when the decimal string is below zero ("-0.00" is not). */
export function isNegative(amount: string): boolean {
	return amount.startsWith('-') && /[1-9]/.test(amount);
}

/** True when the decimal string is zero ("0.00", "-0.00"). */
export function isZero(amount: string): boolean {
	return DECIMAL.test(amount) && !/[1-9]/.test(amount);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-11-26" → "26/11/2026" (both languages: the users are French finance staff). */
export function formatDate(iso: string): string {
	const m = ISO_DATE.exec(iso);
	if (!m) return iso;
	return `${m[3]}/${m[2]}/${m[1]}`;
}

/** 45 → "+45 j" (fr) or "+45 d" (en); 0 → "0 j". */
export function formatDaysLate(days: number, locale: Locale): string {
	const unit = locale === 'fr' ? 'j' : 'd';
	const n = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(days);
	return days > 0 ? `+${n}\u00a0${unit}` : `${n}\u00a0${unit}`;
}

/** 57.3 → "57,3 j" (fr) or "57.3 d" (en). */
export function formatDays(days: number, locale: Locale): string {
	const unit = locale === 'fr' ? 'j' : 'd';
	const n = new Intl.NumberFormat(intlLocale(locale), {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(days);
	return `${n}\u00a0${unit}`;
}

/** 18.4 (already in percent) → "18,4 %" (fr) or "18.4%" (en). */
export function formatPercent(percent: number, locale: Locale): string {
	return new Intl.NumberFormat(intlLocale(locale), {
		style: 'percent',
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(percent / 100);
}

/** 270 → "270"; 1234 → "1 234" (fr). */
export function formatCount(n: number, locale: Locale): string {
	return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

/**
 * A SIREN (9 digits) or SIRET (14 digits) as printed in France: "633 786 025", "633 786 025 00012". Anything else
 * (a foreign or mistyped number) is shown as given.
 */
export function formatSiren(value: string | null | undefined): string {
	const digits = (value ?? '').replace(/\s/g, '');
	if (/^\d{9}$/.test(digits))
		return `${digits.slice(0, 3)}\u00a0${digits.slice(3, 6)}\u00a0${digits.slice(6)}`;
	if (/^\d{14}$/.test(digits))
		return `${digits.slice(0, 3)}\u00a0${digits.slice(3, 6)}\u00a0${digits.slice(6, 9)}\u00a0${digits.slice(9)}`;
	return value ?? '';
}

/**
 * An IBAN as banks print it, in groups of four: "FR76 3000 4005 6800 0123 4567 890". An account id that is not an
 * IBAN (two letters, two check digits, then letters and digits) is shown as given.
 */
export function formatIban(value: string | null | undefined): string {
	const compact = (value ?? '').replace(/\s/g, '').toUpperCase();
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return value ?? '';
	return compact.replace(/(.{4})(?=.)/g, '$1\u00a0');
}
