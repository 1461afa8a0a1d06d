import { BUCKETS, type BucketStyle } from '$lib/format/buckets';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { Column } from './sort';

/** A sortable column as the tables render it. */
export type TableColumn<Row> = Column<Row> & {
	label: MessageKey;
	/** A header that is data, not a translation (a configured bucket "1-15"); `label` is then only a fallback. */
	heading?: string;
	/** The cell is the row's header (<th scope="row">): the customer's name. */
	rowHeader?: boolean;
	/** A bucket column shows the bucket's colour beside its header. */
	bucket?: BucketStyle;
	/**
	 * How a number column is shown: `daysLate` is an open invoice's lateness (a negative one reads "falls due
	 * in 27 d"), `signedDays` a paid invoice's (a negative one was paid early).
	 */
	display?: 'daysLate' | 'signedDays';
	/** An amount that is a credit when negative (unapplied payments): neutral colour, not the red of a loss. */
	credit?: boolean;
	/** The cell's text when it is not the sort value (a translated label, "—" for none). */
	text?: (row: Row) => string;
	/** The cell is drawn by the table's `cell` snippet (a badge, an alert mark). */
	custom?: boolean;
	/**
	 * The column's width (CSS length). The tables lay out their columns once (table-layout: fixed), so that a
	 * long list drawn a screenful at a time keeps its columns still; figures get a width by kind, the columns
	 * left without one share what remains (the customer's name).
	 */
	width?: string;
};

/** Widths by kind: an amount up to "-1 234 567,89 €", days, a date. */
export const WIDTH = { money: '7rem', number: '5.5rem', date: '6.4rem', code: '4.8rem' } as const;

export function columnWidth<Row>(column: TableColumn<Row>): string | undefined {
	if (column.width) return column.width;
	if (column.kind === 'money') return WIDTH.money;
	if (column.kind === 'number') return WIDTH.number;
	return undefined;
}

/** One money column per aged-balance bucket, in the backend's order. */
export function bucketColumns<Row extends { buckets: string[] }>(): TableColumn<Row>[] {
	return BUCKETS.map((b, i) => ({
		key: `bucket:${b.id}`,
		label: b.shortKey,
		kind: 'money' as const,
		bucket: b,
		value: (row: Row) => row.buckets[i] ?? '0.00'
	}));
}
