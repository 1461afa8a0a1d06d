import { describe, expect, it } from 'vitest';
import fr from '$lib/i18n/fr.json';
import en from '$lib/i18n/en.json';
import { BUCKET_IDS, BUCKETS, bucketStyle, luminance } from './buckets';

describe('buckets', () => {
	it('follows the backend order: not_due, 1-30, 31-60, 61-90, 91+', () => {
		expect(BUCKETS.map((b) => b.id)).toEqual(['not_due', '1-30', '31-60', '61-90', '91+']);
		expect(BUCKET_IDS).toEqual(BUCKETS.map((b) => b.id));
	});

	it('maps each backend label to its French and English label', () => {
		const labels = (dict: Record<string, string>) =>
			BUCKET_IDS.map((id) => dict[bucketStyle(id)?.labelKey ?? 'missing']);
		expect(labels(fr)).toEqual(['Non échu', '1–30 j', '31–60 j', '61–90 j', '91 j et +']);
		expect(labels(en)).toEqual(['Not due', '1–30 d', '31–60 d', '61–90 d', '91+ d']);
		expect(bucketStyle('120+')).toBeUndefined();
	});

	it('gets darker from calm to alarming, so the order survives black-and-white print', () => {
		const lum = BUCKETS.map((b) => luminance(b.fill));
		for (let i = 1; i < lum.length; i++) {
			expect(lum[i], `${BUCKETS[i]?.id} darker than ${BUCKETS[i - 1]?.id}`).toBeLessThan(
				lum[i - 1] as number
			);
		}
	});

	it('has a distinct colour per bucket', () => {
		expect(new Set(BUCKETS.map((b) => b.fill)).size).toBe(BUCKETS.length);
	});
});
