/**
 * The promises and disputes screens' state: one load per date, the filters.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { DisputeDto, DisputesBoard, PromiseCheck } from '$lib/api/types';
import { filterDisputes, filterPromises, type DisputeFilter, type PromiseFilter } from './boards';

export class PromisesState {
	readonly loaded = new Loaded<PromiseCheck>('check_promises');
	filter = $state<PromiseFilter>('all');

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get check(): PromiseCheck | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	readonly rows = $derived(filterPromises(this.check?.promises ?? [], this.filter));

	/**
	 * Today's check is recorded (the promises newly broken are the alerts, listed once); another day's is only
	 * looked at.
	 */
	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.checkPromises(asOf, asOf === null));
	}
}

export class DisputesState {
	readonly loaded = new Loaded<DisputesBoard>('disputes_board');
	filter = $state<DisputeFilter>({ status: 'open', kind: '', department: '' });

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get board(): DisputesBoard | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	readonly rows: DisputeDto[] = $derived(filterDisputes(this.board?.disputes ?? [], this.filter));

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.disputesBoard(asOf));
	}
}
