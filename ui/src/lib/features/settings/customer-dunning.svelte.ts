/**
 * One customer's own dunning, from the scenarios screen: its scenario (or the one of its segment), a pause with
 * its reason, or the end of the pause. The customer is typed by key or name (the aged balance's list helps).
 */
import type { Api } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { AgingRow } from '$lib/api/types';

export type CustomerChange = 'scenario' | 'pause' | 'resume';

export class CustomerDunningState {
	customers = $state.raw<AgingRow[]>([]);
	customer = $state('');
	scenario = $state('');
	pauseReason = $state('');
	readonly saving = new Saving();
	/** The customer the last change was made to. */
	doneFor = $state('');

	constructor(private readonly api: Pick<Api, 'aging' | 'setCustomerScenario' | 'setCustomerPaused'>) {}

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

	async apply(change: CustomerChange): Promise<void> {
		const key = this.key;
		if (!key) return;
		this.doneFor = '';
		const label = change === 'scenario' ? 'set_customer_scenario' : 'set_customer_paused';
		await this.saving.run(label, async () => {
			if (change === 'scenario') await this.api.setCustomerScenario(key, this.scenario || null, null);
			else
				await this.api.setCustomerPaused(
					key,
					change === 'pause',
					change === 'pause' ? this.pauseReason : '',
					null
				);
			this.doneFor = key;
		});
	}
}
