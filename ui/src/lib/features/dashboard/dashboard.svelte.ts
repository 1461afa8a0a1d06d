/**
 * The dashboard's data: one `dashboard` call per as-of date, the late payers' sort.
 * A newer load wins over an older one still in flight (the user changed the date twice).
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { Dashboard, LateCustomer } from '$lib/api/types';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { LATE_COLUMNS } from './columns';

export type LoadPhase = 'idle' | 'loading' | 'ready' | 'error';

export class DashboardState {
	phase = $state<LoadPhase>('idle');
	data = $state.raw<Dashboard | null>(null);
	error = $state.raw<ApiError | null>(null);
	lateSort = $state<SortState<string> | null>(null);
	/** The locale used to compare names (accents, case). */
	collation = $state('fr-FR');
	#request = 0;

	constructor(private readonly api: Api) {}

	/** The late payers in the chosen order; the backend's order (most overdue first) when none was chosen. */
	readonly lateRows: LateCustomer[] = $derived(
		sortRows(this.data?.top_late ?? [], LATE_COLUMNS, this.lateSort, this.collation)
	);

	async load(asOf: string | null): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const data = await this.api.dashboard(asOf);
			if (request !== this.#request) return;
			this.data = data;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('dashboard', e);
			this.phase = 'error';
		}
	}

	sortLateBy(key: string, kind: ColumnKind): void {
		this.lateSort = nextSort(this.lateSort, key, kind);
	}
}
