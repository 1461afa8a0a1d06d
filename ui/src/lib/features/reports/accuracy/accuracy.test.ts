import { describe, expect, it } from 'vitest';
import { sampleForecastAccuracy } from '$lib/api/fixtures/mock';
import { sumDecimal } from '$lib/format/decimal';
import { accuracySeries } from './accuracy';

describe('forecast accuracy', () => {
	it('sums each forecast over its horizon, exactly, and agrees with the by-week totals', () => {
		const points = accuracySeries(sampleForecastAccuracy.backtests);
		expect(points).toHaveLength(sampleForecastAccuracy.backtests.length);
		expect(sumDecimal(points.map((p) => p.expected))).toBe(
			sumDecimal(sampleForecastAccuracy.by_week.map((w) => w.expected))
		);
		expect(sumDecimal(points.map((p) => p.actual))).toBe(
			sumDecimal(sampleForecastAccuracy.by_week.map((w) => w.actual))
		);
	});
});
