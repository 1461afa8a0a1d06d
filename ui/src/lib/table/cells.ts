/** Cell texts the tables share. */
import { formatCount, formatDaysLate } from '$lib/format/format';
import { translate } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';

/**
 * An open invoice's lateness: "+45 j" when overdue, "0 j" on its due date, and "échoit dans 27 j" (not "-27 j")
 * when it is not yet due.
 */
export function latenessText(days: number, locale: Locale): string {
	return days < 0
		? translate(locale, 'days.dueIn', { days: formatCount(-days, locale) })
		: formatDaysLate(days, locale);
}
