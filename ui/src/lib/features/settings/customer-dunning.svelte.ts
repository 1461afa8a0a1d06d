/**
 * One customer's own dunning, from the scenarios screen: its scenario (or the one of its segment), a pause with
 * its reason, or the end of the pause. The customer is typed by key or name (the aged balance's list helps).
 * Its chase is read once it is chosen (what it runs, its pause, its version) and each change sends that version
 * back: a colleague's change of the same customer saved since is refused ("modifié par NOM à HH:MM"), not
 * overwritten.
 */
import type { Api } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { AgingRow, WorkflowRecords } from '$lib/api/types';

export type CustomerChange = 'scenario' | 'pause' | 'resume';

/** A customer's chase as read: the scenario it runs, its pause, the version a change sends back. */
export type Chase = Pick<
	WorkflowRecords,
	'customer' | 'scenario' | 'paused' | 'pause_reason' | 'chase_version'
>;

export class CustomerDunningState {
	customers = $state.raw<AgingRow[]>([]);
	customer = $state('');
	scenario = $state('');
	pauseReason = $state('');
	readonly saving = new Saving();
	/** The customer the last change was made to. */
	doneFor = $state('');
	/** The chosen customer's chase as last read; null until read (or when it cannot be: an unknown key). */
	chase = $state.raw<Chase | null>(null);

	constructor(
		private readonly api: Pick<Api, 'aging' | 'workflowRecords' | 'setCustomerScenario' | 'setCustomerPaused'>
	) {}

	/** The customers to choose from; none when the aged balance cannot be read (the key can still be typed). */
	async loadCustomers(): Promise<void> {
		try {
			this.customers = (await this.api.aging(null)).customers;
		} catch {
			this.customers = [];
		}
	}

	/** The typed customer's key: the one whose key or name it is, else the text itself. */
	readonly key: string = $derived.by(() => {
		const typed = this.customer.trim();
		return this.customers.find((c) => c.id === typed || c.name === typed)?.id ?? typed;
	});

	/** True when the typed text names a customer of the list (its chase is worth reading as it is typed). */
	readonly known: boolean = $derived(this.customers.some((c) => c.id === this.key));

	/** Reads the chase of `key` (the chosen customer by default); kept only if that customer is still the chosen one. */
	async readChase(key: string = this.key): Promise<void> {
		if (!key) {
			this.chase = null;
			return;
		}
		let chase: Chase | null;
		try {
			const r = await this.api.workflowRecords(key, null);
			chase = {
				customer: r.customer,
				scenario: r.scenario,
				paused: r.paused,
				pause_reason: r.pause_reason,
				chase_version: r.chase_version
			};
		} catch {
			chase = null;
		}
		if (this.key === key) this.chase = chase;
	}

	async apply(change: CustomerChange): Promise<void> {
		const key = this.key;
		if (!key) return;
		this.doneFor = '';
		const label = change === 'scenario' ? 'set_customer_scenario' : 'set_customer_paused';
		const ok = await this.saving.run(label, async () => {
			// A key typed but not read yet (not in the list, or applied before its read came back): read it now.
			if (this.chase?.customer !== key) await this.readChase(key);
			const version = this.chase?.customer === key ? this.chase.chase_version : null;
			if (change === 'scenario') await this.api.setCustomerScenario(key, this.scenario || null, version);
			else
				await this.api.setCustomerPaused(
					key,
					change === 'pause',
					change === 'pause' ? this.pauseReason : '',
					version
				);
			this.doneFor = key;
		});
		// Saved: its own change moved the version. Refused: the colleague's change is shown, to decide again.
		if (ok || this.saving.error?.code === 'conflict') await this.readChase(key);
	}
}
