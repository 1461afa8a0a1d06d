/**
 * Exact arithmetic on the backend's decimal strings ("1234.56", "-100.00") via BigInt: no float ever
 * touches an amount.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The decimal as an integer scaled by 10^scale, or null if it is not a decimal. Extra digits are cut. */
export function toScaled(amount: string, scale: number): bigint | null {
	const m = DECIMAL.exec(amount);
	if (!m) return null;
	const fraction = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
	const digits = BigInt((m[2] ?? '0') + fraction);
	return m[1] === '-' ? -digits : digits;
}

/** Compares two decimal strings exactly: "-100.00" < "2.5" < "10". Non-decimals sort first. */
export function compareDecimal(a: string, b: string): number {
	const scale = Math.max(fractionLength(a), fractionLength(b));
	const x = toScaled(a, scale);
	const y = toScaled(b, scale);
	if (x === null || y === null) return x !== null ? 1 : y !== null ? -1 : 0;
	return x < y ? -1 : x > y ? 1 : 0;
}

function fractionLength(s: string): number {
	const dot = s.indexOf('.');
	return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * part / whole in percent, rounded half away from zero to one decimal: ("25.00", "200.00") → 12.5.
 * Null when whole is zero or either is not a decimal.
 */
export function sharePercent(part: string, whole: string): number | null {
	const scale = Math.max(fractionLength(part), fractionLength(whole));
	const p = toScaled(part, scale);
	const w = toScaled(whole, scale);
	if (p === null || w === null || w === 0n) return null;
	// tenths of a percent = p * 1000 / w, rounded half away from zero
	const num = p * 1000n;
	const negative = num < 0n !== w < 0n;
	const absNum = num < 0n ? -num : num;
	const absW = w < 0n ? -w : w;
	let tenths = absNum / absW;
	if ((absNum % absW) * 2n >= absW) tenths += 1n;
	return Number(negative ? -tenths : tenths) / 10;
}

/** A scaled integer back to a decimal string with `scale` decimals: (-12345n, 2) → "-123.45". */
export function fromScaled(value: bigint, scale: number): string {
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
	const int = digits.slice(0, digits.length - scale);
	const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
	return `${negative && /[1-9]/.test(digits) ? '-' : ''}${int}${fraction}`;
}

/** The exact sum of decimal strings, with two decimals (amounts); non-decimals count as zero. */
export function sumDecimal(amounts: readonly string[]): string {
	return fromScaled(
		amounts.reduce((s, a) => s + (toScaled(a, 2) ?? 0n), 0n),
		2
	);
}
