/**
 * The forecast accuracy report's series: each past forecast's expected cash-in against what came.
 */
import type { BacktestReport } from '$lib/api/types';
import { sumDecimal } from '$lib/format/decimal';

export type AccuracyPoint = { origin: string; expected: string; actual: string };

/** Per forecast made (each Monday): what it expected over its horizon and what came, summed exactly. */
export function accuracySeries(backtests: readonly BacktestReport[]): AccuracyPoint[] {
	return backtests.map((b) => ({
		origin: b.as_of,
		expected: sumDecimal(b.weeks.map((w) => w.expected)),
		actual: sumDecimal(b.weeks.map((w) => w.actual))
	}));
}
