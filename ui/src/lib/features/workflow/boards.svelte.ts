/**
 * The promises and disputes screens' state: one load per date, the filters.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { DisputeDto, DisputesBoard, PromiseCheck } from '$lib/api/types';
import type { LoadPhase } from '$lib/features/dashboard/dashboard.svelte';
import { filterDisputes, filterPromises, type DisputeFilter, type PromiseFilter } from './boards';

export class PromisesState {
	phase = $state<LoadPhase>('idle');
	check = $state.raw<PromiseCheck | null>(null);
	error = $state.raw<ApiError | null>(null);
	filter = $state<PromiseFilter>('all');
	#request = 0;

	constructor(private readonly api: Api) {}

	readonly rows = $derived(filterPromises(this.check?.promises ?? [], this.filter));

	/**
	 * Today's check is recorded (the promises newly broken are the alerts, listed once); another day's is only
	 * looked at.
	 */
	async load(asOf: string | null): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const check = await this.api.checkPromises(asOf, asOf === null);
			if (request !== this.#request) return;
			this.check = check;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('check_promises', e);
			this.phase = 'error';
		}
	}
}

export class DisputesState {
	phase = $state<LoadPhase>('idle');
	board = $state.raw<DisputesBoard | null>(null);
	error = $state.raw<ApiError | null>(null);
	filter = $state<DisputeFilter>({ status: 'open', kind: '', department: '' });
	#request = 0;

	constructor(private readonly api: Api) {}

	readonly rows: DisputeDto[] = $derived(filterDisputes(this.board?.disputes ?? [], this.filter));

	async load(asOf: string | null): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const board = await this.api.disputesBoard(asOf);
			if (request !== this.#request) return;
			this.board = board;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('disputes_board', e);
			this.phase = 'error';
		}
	}
}
