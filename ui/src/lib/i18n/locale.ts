export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const INTL_LOCALES: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The BCP 47 tag Intl formats a language with. */
export function intlLocaleOf(locale: Locale): string {
	return INTL_LOCALES[locale];
}
