/**
 * The collection settings form: days between two chases of a customer, grace after a promised date (0 to 90),
 * its problems shown once the user tried to save.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { CollectionSettings } from '$lib/api/types';
import { daysInput, validateDays, type DaysField } from './settings';

export type DaysForm = Record<DaysField, string>;

export function daysForm(s: CollectionSettings): DaysForm {
	return { min_gap_days: String(s.min_gap_days), promise_grace_days: String(s.promise_grace_days) };
}

export class CollectionSettingsState {
	form = $state<DaysForm | null>(null);
	/** The settings' version as read, sent back with the change (a colleague's change is not overwritten). */
	version = $state<number | undefined>(undefined);
	tried = $state(false);
	loadError = $state.raw<ApiError | null>(null);
	readonly saving = new Saving();

	constructor(private readonly api: Pick<Api, 'collectionSettings' | 'saveCollectionSettings'>) {}

	readonly errors = $derived(this.form ? validateDays(this.form) : {});

	/** The error to show: the last save's, else the load's. */
	get error(): ApiError | null {
		return this.saving.error ?? this.loadError;
	}

	async load(): Promise<void> {
		try {
			const s = await this.api.collectionSettings();
			this.form = daysForm(s);
			this.version = s.version;
		} catch (e) {
			this.loadError = e as ApiError;
		}
	}

	async save(): Promise<void> {
		this.tried = true;
		this.saving.done = false;
		const form = this.form;
		if (!form || Object.keys(this.errors).length > 0) return;
		await this.saving.run('save_collection_settings', async () => {
			const s = await this.api.saveCollectionSettings(daysInput(form, this.version));
			this.form = daysForm(s);
			this.version = s.version;
			this.tried = false;
		});
	}
}
