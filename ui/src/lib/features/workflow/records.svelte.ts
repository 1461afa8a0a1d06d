/**
 * One customer's workflow records (actions log, promises, disputes), loaded by key and reloaded after a change.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { WorkflowRecords } from '$lib/api/types';
import type { LoadPhase } from '$lib/features/dashboard/dashboard.svelte';

export class RecordsState {
	phase = $state<LoadPhase>('idle');
	records = $state.raw<WorkflowRecords | null>(null);
	error = $state.raw<ApiError | null>(null);
	#request = 0;

	constructor(private readonly api: Api) {}

	async load(customer: string): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const records = await this.api.workflowRecords(customer, null);
			if (request !== this.#request) return;
			this.records = records;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('workflow_records', e);
			this.phase = 'error';
		}
	}
}

/** The actions log newest first (same day: the last recorded first). */
export function newestFirst<T extends { date: string; id: number }>(list: readonly T[]): T[] {
	return [...list].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));
}
