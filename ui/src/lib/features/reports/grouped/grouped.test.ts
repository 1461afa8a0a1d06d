import { describe, expect, it } from 'vitest';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { agingOptions, bucketHeading, groupColumns, groupName, parseBuckets } from './grouped';

const t = (k: MessageKey, p?: Record<string, string>) => (p ? `${k}:${JSON.stringify(p)}` : k);

describe('grouped aged balance options', () => {
	it('reads bucket limits typed with commas, spaces or semicolons', () => {
		expect(parseBuckets('15, 30,45 ;60')).toEqual([15, 30, 45, 60]);
		expect(parseBuckets('  ')).toBeNull();
		expect(parseBuckets('30, 30')).toBeUndefined();
		expect(parseBuckets('60, 30')).toBeUndefined();
		expect(parseBuckets('0, 30')).toBeUndefined();
		expect(parseBuckets('15, trente')).toBeUndefined();
	});

	it('sends nothing while the buckets are wrong', () => {
		expect(
			agingOptions({ buckets: '15,30', basis: 'invoice_date', groupBy: 'collector' }, '2026-11-26')
		).toEqual({ as_of: '2026-11-26', buckets: [15, 30], basis: 'invoice_date', group_by: 'collector' });
		expect(agingOptions({ buckets: '30,15', basis: 'due_date', groupBy: 'segment' }, null)).toBeNull();
	});

	it('names groups in the language and the empty group', () => {
		expect(groupName('segment', 'very_late', t)).toBe('code.BehaviourSegment.very_late');
		expect(groupName('category', 'key_account', t)).toBe('code.Category.key_account');
		expect(groupName('risk_class', 'B', t)).toBe('groupBy.class:{"class":"B"}');
		expect(groupName('collector', '', t)).toBe('groupBy.none');
		expect(groupName('collector', 'Julie', t)).toBe('Julie');
		// The customers file's own segment: its label when known (the demo's), else as it is.
		expect(groupName('customer_segment', 'pme', t)).toBe('customerSegment.pme');
		expect(groupName('customer_segment', 'export', t)).toBe('export');
	});

	it('heads standard buckets with their label and configured ones with days', () => {
		expect(bucketHeading('61-90', t, 'j')).toBe('bucket.61_90');
		expect(bucketHeading('1-15', t, 'j')).toBe('1-15\u00a0j');
		const columns = groupColumns('segment', ['not_due', '1-15', '121+'], t, 'd');
		expect(columns.map((c) => c.heading ?? c.label)).toEqual([
			'groupBy.segment',
			'col.customers',
			'col.balance',
			'col.unapplied',
			'bucket.not_due',
			'1-15\u00a0d',
			'121+\u00a0d'
		]);
	});
});
