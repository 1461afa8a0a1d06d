import type { AgingRow } from '$lib/api/types';
import { bucketColumns, WIDTH, type TableColumn } from '$lib/table/columns';

/** The aged balance table: code, name, balance, unapplied, the five buckets. */
export const AGING_COLUMNS: readonly TableColumn<AgingRow>[] = [
	{ key: 'id', label: 'col.id', kind: 'text', width: WIDTH.code, value: (r) => r.id },
	{ key: 'name', label: 'col.customer', kind: 'text', rowHeader: true, value: (r) => r.name },
	{ key: 'balance', label: 'col.balance', kind: 'money', value: (r) => r.balance },
	{ key: 'unapplied', label: 'col.unapplied', kind: 'money', credit: true, value: (r) => r.unapplied },
	...bucketColumns<AgingRow>()
];
