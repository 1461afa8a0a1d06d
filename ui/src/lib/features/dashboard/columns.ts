import type { LateCustomer } from '$lib/api/types';
import { bucketColumns, type TableColumn } from '$lib/table/columns';

/** The top late payers table: name, overdue, balance, the five buckets, oldest days late. */
export const LATE_COLUMNS: readonly TableColumn<LateCustomer>[] = [
	{ key: 'name', label: 'col.customer', kind: 'text', rowHeader: true, value: (r) => r.name },
	{ key: 'overdue', label: 'col.overdue', kind: 'money', value: (r) => r.overdue },
	{ key: 'balance', label: 'col.balance', kind: 'money', value: (r) => r.balance },
	...bucketColumns<LateCustomer>(),
	{ key: 'days', label: 'col.daysLate', kind: 'number', display: 'daysLate', value: (r) => r.max_days_late }
];
