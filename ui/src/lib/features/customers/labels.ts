/**
 * The customers' codes as the backend sends them (behaviour segments, user categories, score classes, score
 * factors) and their translation keys.
 */
import { CODES, codeKey } from '$lib/i18n/codes';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

export const CLASSES = ['A', 'B', 'C', 'D', 'E'] as const;

export const SEGMENTS = CODES.BehaviourSegment;
export type Segment = (typeof SEGMENTS)[number];

export const CATEGORIES = CODES.Category;
export type Category = (typeof CATEGORIES)[number];

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
	return isSegment(code) ? codeKey('BehaviourSegment', code) : null;
}

export function categoryKey(code: string | null): MessageKey | null {
	return isCategory(code) ? codeKey('Category', code) : null;
}

export function factorKey(code: string): MessageKey | null {
	return FACTOR_KEYS[code] ?? null;
}
