/**
 * Translations. Every visible text comes from fr.json / en.json through t(); the current language is reactive
 * state, persisted in localStorage.
 */
import fr from './fr.json';
import en from './en.json';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locale';

export type MessageKey = keyof typeof fr;
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
