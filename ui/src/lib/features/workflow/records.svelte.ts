/**
 * One customer's workflow records (actions log, promises, disputes), loaded by key and reloaded after a change.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { WorkflowRecords } from '$lib/api/types';

export class RecordsState {
	readonly loaded = new Loaded<WorkflowRecords>('workflow_records');

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get records(): WorkflowRecords | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	async load(customer: string): Promise<void> {
		await this.loaded.load(() => this.api.workflowRecords(customer, null));
	}
}

/** The actions log newest first (same day: the last recorded first). */
export function newestFirst<T extends { date: string; id: number }>(list: readonly T[]): T[] {
	return [...list].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));
}
