/**
 * The dashboard's data: one `dashboard` call per as-of date, the late payers' sort.
 * A newer load wins over an older one still in flight (the user changed the date twice).
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { Dashboard, LateCustomer } from '$lib/api/types';
import { nextSort, sortRows, type ColumnKind, type SortState } from '$lib/table/sort';
import { LATE_COLUMNS } from './columns';

export class DashboardState {
	readonly loaded = new Loaded<Dashboard>('dashboard');
	lateSort = $state<SortState<string> | null>(null);
	/** The locale used to compare names (accents, case). */
	collation = $state('fr-FR');

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get data(): Dashboard | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	/** The late payers in the chosen order; the backend's order (most overdue first) when none was chosen. */
	readonly lateRows: LateCustomer[] = $derived(
		sortRows(this.data?.top_late ?? [], LATE_COLUMNS, this.lateSort, this.collation)
	);

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.dashboard(asOf));
	}

	sortLateBy(key: string, kind: ColumnKind): void {
		this.lateSort = nextSort(this.lateSort, key, kind);
	}
}
