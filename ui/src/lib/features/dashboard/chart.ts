/**
 * Chart.js, with only what the app's charts use registered (keeps the bundle small): bars (aged balance,
 * forecast, payment behaviour, forecast accuracy) and lines (DSO trend).
 */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	type Plugin
} from 'chart.js';

Chart.register(
	BarController,
	BarElement,
	CategoryScale,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Legend,
	Tooltip
);

/** Writes each bar's label (already formatted) above it, so the chart reads without colour or hover. */
export function barValueLabels(labels: () => readonly string[]): Plugin<'bar'> {
	return {
		id: 'encaisseBarValues',
		afterDatasetsDraw(chart) {
			const { ctx } = chart;
			const meta = chart.getDatasetMeta(0);
			const texts = labels();
			ctx.save();
			ctx.font = `600 12px ${Chart.defaults.font.family ?? 'sans-serif'}`;
			ctx.fillStyle = '#1f2933';
			ctx.textAlign = 'center';
			ctx.textBaseline = 'bottom';
			meta.data.forEach((bar, i) => {
				const text = texts[i];
				if (!text) return;
				const { x, y, base } = bar.getProps(['x', 'y', 'base'], true) as {
					x: number;
					y: number;
					base: number;
				};
				// Above a bar; below the axis line for a negative bucket.
				const top = Math.min(y, base);
				ctx.fillText(text, x, top - 4);
			});
			ctx.restore();
		}
	};
}

export { Chart };
