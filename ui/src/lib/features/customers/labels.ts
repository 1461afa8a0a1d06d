/**
 * The customers' codes as the backend sends them (behaviour segments, user categories, score classes, score
 * factors) and their translation keys.
 */
import type { MessageKey } from '$lib/i18n/i18n.svelte';

export const CLASSES = ['A', 'B', 'C', 'D', 'E'] as const;

export const SEGMENTS = ['on_time', 'slightly_late', 'late', 'very_late'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const CATEGORIES = ['key_account', 'occasional', 'private_person', 'public_body'] as const;
export type Category = (typeof CATEGORIES)[number];

const SEGMENT_KEYS: Record<Segment, MessageKey> = {
	on_time: 'segment.on_time',
	slightly_late: 'segment.slightly_late',
	late: 'segment.late',
	very_late: 'segment.very_late'
};

const CATEGORY_KEYS: Record<Category, MessageKey> = {
	key_account: 'category.key_account',
	occasional: 'category.occasional',
	private_person: 'category.private_person',
	public_body: 'category.public_body'
};

const FACTOR_KEYS: Record<string, MessageKey> = {
	days_late: 'factor.days_late',
	trend: 'factor.trend',
	overdue_over_60: 'factor.overdue_over_60',
	credit_limit_use: 'factor.credit_limit_use',
	broken_promises: 'factor.broken_promises',
	open_disputes: 'factor.open_disputes'
};

/** How a factor's value reads: days, percent or a count. */
export const FACTOR_UNITS: Record<string, 'days' | 'percent' | 'count'> = {
	days_late: 'days',
	trend: 'days',
	overdue_over_60: 'percent',
	credit_limit_use: 'percent',
	broken_promises: 'count',
	open_disputes: 'count'
};

export function isSegment(code: string | null): code is Segment {
	return code !== null && (SEGMENTS as readonly string[]).includes(code);
}

export function isCategory(code: string | null): code is Category {
	return code !== null && (CATEGORIES as readonly string[]).includes(code);
}

/** The key of a segment's label; null without a segment (no paid invoice in 12 months) or an unknown one. */
export function segmentKey(code: string | null): MessageKey | null {
	return isSegment(code) ? SEGMENT_KEYS[code] : null;
}

export function categoryKey(code: string | null): MessageKey | null {
	return isCategory(code) ? CATEGORY_KEYS[code] : null;
}

export function factorKey(code: string): MessageKey | null {
	return FACTOR_KEYS[code] ?? null;
}
