/**
 * The five aged-balance buckets, in the backend's order, with their label key and colour.
 * Colours go from calm to alarming and get darker with age, so they still read in black and white;
 * every use pairs the colour with the bucket's label and position.
 */
import type { MessageKey } from '$lib/i18n/i18n.svelte';

export const BUCKET_IDS = ['not_due', '1-30', '31-60', '61-90', '91+'] as const;
export type BucketId = (typeof BUCKET_IDS)[number];

export type BucketStyle = {
	id: BucketId;
	labelKey: MessageKey;
	/** Short column header in tables. */
	shortKey: MessageKey;
	fill: string;
	border: string;
};

export const BUCKETS: readonly BucketStyle[] = [
	{
		id: 'not_due',
		labelKey: 'bucket.not_due',
		shortKey: 'bucket.not_due',
		fill: '#c9dccf',
		border: '#5f7f6b'
	},
	{ id: '1-30', labelKey: 'bucket.1_30', shortKey: 'bucket.1_30', fill: '#e9cf73', border: '#8a7220' },
	{ id: '31-60', labelKey: 'bucket.31_60', shortKey: 'bucket.31_60', fill: '#e29a4f', border: '#8f4f12' },
	{ id: '61-90', labelKey: 'bucket.61_90', shortKey: 'bucket.61_90', fill: '#c8553d', border: '#7a2616' },
	{ id: '91+', labelKey: 'bucket.91_plus', shortKey: 'bucket.91_plus', fill: '#7f1d1d', border: '#450a0a' }
];

/** The style of a backend bucket label; unknown labels (a future bucket setting) get a neutral grey. */
export function bucketStyle(label: string): BucketStyle | undefined {
	return BUCKETS.find((b) => b.id === label);
}

export const UNKNOWN_BUCKET_FILL = '#9ca3af';

/** Relative luminance (WCAG) of a #rrggbb colour: used by a test to keep the scale darker with age. */
export function luminance(hex: string): number {
	const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
	const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
		const c = parseInt(h as string, 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	}) as [number, number, number];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
