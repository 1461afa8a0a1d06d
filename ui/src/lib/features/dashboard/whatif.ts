/**
 * The what-if's arithmetic, exact (BigInt), for the browser preview's mock only: inside the app the backend
 * computes it (crates/app/src/whatif.rs). The mock's test checks both agree on the backend's sample answers.
 */
import { fromScaled, toScaled } from '$lib/format/decimal';

/** n / d rounded half away from zero (d > 0). */
function divRound(n: bigint, d: bigint): bigint {
	const negative = n < 0n;
	const a = negative ? -n : n;
	let q = a / d;
	if ((a % d) * 2n >= d) q += 1n;
	return negative ? -q : q;
}

export function whatIfFigures(
	sales: string,
	periodDays: number,
	days: number,
	rate: string
): { sales_per_day: string; cash_freed: string; financing_saved: string } | null {
	const s = toScaled(sales, 2);
	const r = toScaled(rate, 4);
	if (s === null || r === null || periodDays <= 0 || days < 0) return null;
	const period = BigInt(periodDays);
	const perDay = divRound(s, period);
	const freed = divRound(s * BigInt(days), period);
	// freed (cents) × rate (1/10000 of a percent) / 100 (percent) / 10000 → cents
	const saved = divRound(freed * r, 1_000_000n);
	return {
		sales_per_day: fromScaled(perDay, 2),
		cash_freed: fromScaled(freed, 2),
		financing_saved: fromScaled(saved, 2)
	};
}
