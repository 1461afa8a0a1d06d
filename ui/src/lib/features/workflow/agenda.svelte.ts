/**
 * The agenda screen's state: one `agenda_view` per day, the selection, and marking actions done one by one
 * (with the progress) so a failure names the customer it stopped at.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { AgendaItem, AgendaView } from '$lib/api/types';
import type { LoadPhase } from '$lib/features/dashboard/dashboard.svelte';
import { doneInput, groupByChannel, selectedItems, toggle, toggleGroup, type ChannelGroup } from './agenda';

export class AgendaState {
	phase = $state<LoadPhase>('idle');
	view = $state.raw<AgendaView | null>(null);
	error = $state.raw<ApiError | null>(null);
	selected = $state.raw<Set<string>>(new Set());
	/** Marking done: how many of how many. */
	progress = $state<{ done: number; total: number } | null>(null);
	/** The last bulk run's outcome. */
	doneCount = $state<number | null>(null);
	actionError = $state.raw<ApiError | null>(null);
	collation = $state('fr-FR');
	#request = 0;

	constructor(private readonly api: Api) {}

	readonly groups: ChannelGroup[] = $derived(groupByChannel(this.view?.items ?? [], this.collation));

	async load(asOf: string | null): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const view = await this.api.agendaView(asOf);
			if (request !== this.#request) return;
			this.view = view;
			// Keep only what is still on the agenda.
			const still = new Set(view.items.map((i) => i.action.customer));
			this.selected = new Set([...this.selected].filter((c) => still.has(c)));
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError('agenda_view', e);
			this.phase = 'error';
		}
	}

	toggle(customer: string): void {
		this.selected = toggle(this.selected, customer);
	}

	toggleGroup(group: readonly AgendaItem[]): void {
		this.selected = toggleGroup(this.selected, group);
	}

	/** Records each item's step as done on the agenda's day, then reloads the agenda. */
	async markDone(items: readonly AgendaItem[]): Promise<void> {
		const view = this.view;
		if (!view || items.length === 0 || this.progress) return;
		this.actionError = null;
		this.doneCount = null;
		this.progress = { done: 0, total: items.length };
		let done = 0;
		try {
			for (const item of items) {
				await this.api.recordAction(doneInput(item, view.as_of));
				done += 1;
				this.progress = { done, total: items.length };
			}
		} catch (e) {
			this.actionError = toApiError('record_action', e);
		} finally {
			this.progress = null;
			this.doneCount = done;
			await this.load(view.as_of);
		}
	}

	async markSelectedDone(): Promise<void> {
		await this.markDone(selectedItems(this.view?.items ?? [], this.selected));
	}
}
