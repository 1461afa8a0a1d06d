/**
 * The grouped aged balance's rules: the groupings, the basis, the buckets typed by the user, the options sent,
 * and the table's columns.
 */
import type { AgingGroup, AgingOptions } from '$lib/api/types';
import { categoryKey, segmentKey } from '$lib/features/customers/labels';
import { codeKey } from '$lib/i18n/codes';
import { bucketStyle } from '$lib/format/buckets';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { TableColumn } from '$lib/table/columns';

export const GROUP_BYS = [
	'customer',
	'segment',
	'category',
	'customer_segment',
	'collector',
	'risk_class'
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const BASES = ['due_date', 'invoice_date'] as const;

export const GROUP_BY_KEYS: Record<GroupBy, MessageKey> = {
	customer: 'groupBy.customer',
	segment: 'groupBy.segment',
	category: 'groupBy.category',
	customer_segment: 'groupBy.customer_segment',
	collector: 'groupBy.collector',
	risk_class: 'groupBy.risk_class'
};

/**
 * "15, 30,45" → [15, 30, 45]: increasing whole days above 0, at most 12 limits; empty → null (the default
 * 30/60/90). Anything else is refused with undefined, so the form can say so before asking the backend.
 */
export function parseBuckets(input: string): number[] | null | undefined {
	const s = input.trim();
	if (s === '') return null;
	const parts = s.split(/[\s,;]+/).filter((p) => p !== '');
	if (parts.length > 12 || !parts.every((p) => /^\d{1,4}$/.test(p))) return undefined;
	const days = parts.map(Number);
	if (days.some((d, i) => d <= 0 || (i > 0 && d <= (days[i - 1] as number)))) return undefined;
	return days;
}

export type AgingForm = { buckets: string; basis: string; groupBy: GroupBy };

/** The options sent for a valid form, or null when the buckets are not valid. */
export function agingOptions(form: AgingForm, asOf: string | null): AgingOptions | null {
	const buckets = parseBuckets(form.buckets);
	if (buckets === undefined) return null;
	return { as_of: asOf, buckets, basis: form.basis, group_by: form.groupBy };
}

/** A group's name: a translated segment / category / class, "(none)" for the empty group, else the value. */
export function groupName(
	groupBy: string,
	key: string,
	t: (k: MessageKey, p?: Record<string, string>) => string
): string {
	if (key === '') return t('groupBy.none');
	if (groupBy === 'segment') {
		const k = segmentKey(key);
		return k ? t(k) : key;
	}
	if (groupBy === 'category') {
		const k = categoryKey(key);
		return k ? t(k) : key;
	}
	if (groupBy === 'customer_segment') {
		const k = codeKey('customerSegment', key);
		return k ? t(k) : key;
	}
	if (groupBy === 'risk_class') return t('groupBy.class', { class: key });
	return key;
}

/** "not_due" and the standard buckets by their translation, configured ones ("1-15", "121+") as "1-15 j". */
export function bucketHeading(label: string, t: (k: MessageKey) => string, dayUnit: string): string {
	const style = bucketStyle(label);
	if (style) return t(style.shortKey);
	return `${label}\u00a0${dayUnit}`;
}

export function groupColumns(
	groupBy: string,
	buckets: readonly string[],
	t: (k: MessageKey, p?: Record<string, string>) => string,
	dayUnit: string
): TableColumn<AgingGroup>[] {
	return [
		{
			key: 'group',
			label: GROUP_BY_KEYS[groupBy as GroupBy] ?? 'groupBy.customer',
			kind: 'text',
			rowHeader: true,
			value: (r) => groupName(groupBy, r.key, t),
			text: (r) => groupName(groupBy, r.key, t)
		},
		{ key: 'customers', label: 'col.customers', kind: 'number', value: (r) => r.customers },
		{ key: 'balance', label: 'col.balance', kind: 'money', value: (r) => r.balance },
		{ key: 'unapplied', label: 'col.unapplied', kind: 'money', credit: true, value: (r) => r.unapplied },
		...buckets.map((b, i) => ({
			key: `bucket:${b}`,
			label: 'col.bucket' as MessageKey,
			heading: bucketHeading(b, t, dayUnit),
			kind: 'money' as const,
			bucket: bucketStyle(b),
			value: (r: AgingGroup) => r.buckets[i] ?? '0.00'
		}))
	];
}

/** The basis's label: by due date or by invoice date. */
export function basisKey(basis: string): MessageKey {
	return basis === 'invoice_date' ? 'basis.invoice_date' : 'basis.due_date';
}
