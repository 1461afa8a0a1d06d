/**
 * The date fields' text: what the user types and reads is the app's language's format, whatever the OS locale
 * (a native <input type="date"> follows the OS: 12/03/2026 under en-US beside "au 03/12/2026"). Both languages
 * write day/month/year: French JJ/MM/AAAA, English DD/MM/YYYY (British order, the one the app's dates already
 * use everywhere: the users are French finance staff, and one order in both languages means no misreading).
 * The rest of the app sees ISO yyyy-mm-dd only.
 */
import { formatDate } from './format';

/** ISO yyyy-mm-dd → "26/11/2026"; '' stays ''. */
export function dateToText(iso: string): string {
	return iso ? formatDate(iso) : '';
}

function isoOf(year: number, month: number, day: number): string | undefined {
	if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCMonth() !== month - 1) return undefined; // 31/04, 29/02 of a common year
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DMY = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/;
const COMPACT = /^(\d{2})(\d{2})(\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * What the user typed, as ISO: "26/11/2026", "26.11.2026", "26-11-26", "26112026" or "2026-11-26" →
 * "2026-11-26"; '' (blank) → ''; anything else, or a day that does not exist → undefined.
 * A two-digit year is 20xx.
 */
export function parseDateText(text: string): string | undefined {
	const s = text.trim();
	if (s === '') return '';
	let m = ISO.exec(s);
	if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
	m = DMY.exec(s) ?? COMPACT.exec(s);
	if (!m) return undefined;
	const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
	return isoOf(year, Number(m[2]), Number(m[1]));
}

/** ISO date plus `days` (negative: before), across months and years. */
export function addDays(iso: string, days: number): string {
	const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
	const date = new Date(Date.UTC(y, m - 1, d + days));
	return date.toISOString().slice(0, 10);
}
