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
	/** How a number column is shown. */
	display?: 'daysLate';
	/** The cell's text when it is not the sort value (a translated label, "—" for none). */
	text?: (row: Row) => string;
	/** The cell is drawn by the table's `cell` snippet (a badge, an alert mark). */
	custom?: boolean;
};

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
