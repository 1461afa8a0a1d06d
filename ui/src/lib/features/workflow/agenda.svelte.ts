/**
 * The agenda screen's state: one `agenda_view` per day, the selection, and marking actions done one by one
 * (with the progress) so a failure names the customer it stopped at.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { AgendaItem, AgendaView, PortfolioScope } from '$lib/api/types';
import { doneInput, groupByChannel, selectedItems, toggle, toggleGroup, type ChannelGroup } from './agenda';

export class AgendaState {
	readonly loaded = new Loaded<AgendaView>('agenda_view');
	selected = $state.raw<Set<string>>(new Set());
	/** Marking done: how many of how many. */
	progress = $state<{ done: number; total: number } | null>(null);
	/** The last bulk run's outcome. */
	doneCount = $state<number | null>(null);
	/** Marking done, one action after another. */
	readonly marking = new Saving();
	collation = $state('fr-FR');
	/** The portfolio asked for; null: the backend's default (the user's own when they follow a customer). */
	portfolio = $state.raw<PortfolioScope | null>(null);

	/** The database's change stamp as last seen (team mode polls it). */
	private stamp: string | null = null;

	constructor(private readonly api: Api) {}

	/** Team mode: notes the database's change stamp now (when the screen opens, before its first poll). */
	async learnChanges(): Promise<void> {
		this.stamp = await this.api.changeStamp();
	}

	/**
	 * Team mode: reloads the agenda when someone else wrote to the database since the last call (what a colleague
	 * did leaves this agenda within one poll); not while actions are being marked done. True when it reloaded.
	 */
	async refreshIfChanged(asOf: string | null): Promise<boolean> {
		if (this.progress || this.marking.busy) return false;
		const stamp = await this.api.changeStamp();
		const changed = this.stamp !== null && stamp !== this.stamp;
		this.stamp = stamp;
		if (changed) await this.load(asOf);
		return changed;
	}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get view(): AgendaView | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	/** Why the last marking stopped. */
	get actionError(): ApiError | null {
		return this.marking.error;
	}

	readonly groups: ChannelGroup[] = $derived(groupByChannel(this.view?.items ?? [], this.collation));

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.agendaView(asOf, this.portfolio));
		const view = this.loaded.data;
		if (this.loaded.phase !== 'ready' || !view) return;
		// Keep only what is still on the agenda.
		const still = new Set(view.items.map((i) => i.action.customer));
		this.selected = new Set([...this.selected].filter((c) => still.has(c)));
	}

	/** Shows another portfolio's actions (the selection is kept for what stays on screen). */
	async choosePortfolio(scope: PortfolioScope, asOf: string | null): Promise<void> {
		this.portfolio = scope;
		await this.load(asOf);
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
		this.doneCount = null;
		this.progress = { done: 0, total: items.length };
		let done = 0;
		await this.marking.run('record_action', async () => {
			for (const item of items) {
				await this.api.recordAction(doneInput(item, view.as_of));
				done += 1;
				this.progress = { done, total: items.length };
			}
		});
		this.progress = null;
		this.doneCount = done;
		await this.load(view.as_of);
	}

	async markSelectedDone(): Promise<void> {
		await this.markDone(selectedItems(this.view?.items ?? [], this.selected));
	}
}
