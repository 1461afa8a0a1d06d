/**
 * Translations. Every visible text comes from fr.json / en.json through t(); the current language is reactive
 * state, persisted in localStorage.
 */
import fr from './fr.json';
import en from './en.json';
import { DEFAULT_LOCALE, intlLocaleOf, isLocale, type Locale } from './locale';

export type MessageKey = keyof typeof fr;

/** A message that depends on a count: `base.one` and `base.other` exist (`base.many`… when a language needs it). */
export type PluralKey = {
	[K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];
export type Messages = Record<MessageKey, string>;

export const DICTIONARIES: Record<Locale, Messages> = { fr, en };

export const STORAGE_KEY = 'encaisse.locale';

function storedLocale(): Locale {
	try {
		const v = globalThis.localStorage?.getItem(STORAGE_KEY);
		return isLocale(v) ? v : DEFAULT_LOCALE;
	} catch {
		return DEFAULT_LOCALE;
	}
}

class I18n {
	#locale = $state<Locale>(storedLocale());

	get locale(): Locale {
		return this.#locale;
	}

	set locale(value: Locale) {
		this.#locale = value;
		try {
			globalThis.localStorage?.setItem(STORAGE_KEY, value);
		} catch {
			// Private mode or storage full: the choice lasts for this session only.
		}
		if (typeof document !== 'undefined') document.documentElement.lang = value;
	}
}

export const i18n = new I18n();

/** Replaces {name} placeholders; a missing parameter stays visible as {name}. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
	return interpolate(DICTIONARIES[locale][key], params);
}

/** The text for key in the current language. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
	return translate(i18n.locale, key, params);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The plural category of a count in a language (French: 0 and 1 are singular; English: only 1). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
	let rules = pluralRules.get(locale);
	if (!rules) {
		rules = new Intl.PluralRules(intlLocaleOf(locale));
		pluralRules.set(locale, rules);
	}
	return rules.select(count);
}

/**
 * The variant of `base` for `count` by the language's plural rules (`base.one`, `base.other`…, `other` when the
 * language's category has no variant). `{count}` is the count formatted for the language unless params give it.
 */
export function translatePlural(
	locale: Locale,
	base: PluralKey,
	count: number,
	params?: Record<string, string | number>
): string {
	const dict = DICTIONARIES[locale] as Record<string, string>;
	const variant = dict[`${base}.${pluralCategory(locale, count)}`] ?? dict[`${base}.other`] ?? base;
	const formatted = new Intl.NumberFormat(intlLocaleOf(locale)).format(count);
	return interpolate(variant, { count: formatted, ...params });
}

/** True when `key` names a text with plural variants (`key.one`, `key.other`). */
export function isPluralKey(key: string): key is PluralKey {
	return `${key}.one` in DICTIONARIES.fr && `${key}.other` in DICTIONARIES.fr;
}

/** t() for a text that depends on a count: "1 page", "2 pages"; "0 facture" in French, "0 invoices" in English. */
export function tn(base: PluralKey, count: number, params?: Record<string, string | number>): string {
	return translatePlural(i18n.locale, base, count, params);
}
