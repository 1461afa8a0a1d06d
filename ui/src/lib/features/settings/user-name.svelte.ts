/**
 * Settings → "Mon nom": the display name of the user at this computer, shown in the audit journal and on the
 * disputes, and signing the letters and emails when no signatory or contact is set. Kept per login; blank brings
 * back the default (the computer account's full name).
 */
import type { Api, ApiError } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { UserProfile } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

/** As the backend: longer names are refused. */
export const MAX_NAME_CHARS = 80;

/** The name as the backend keeps it: runs of spaces made one, no space at either end. */
export function tidyName(name: string): string {
	return name.split(/\s+/).filter(Boolean).join(' ');
}

/** The i18n key of the name's problem, or null. */
export function nameProblem(name: string): MessageKey | null {
	return [...tidyName(name)].length > MAX_NAME_CHARS ? 'profile.error.tooLong' : null;
}

export class UserNameState {
	profile = $state.raw<UserProfile | null>(null);
	/** The field as typed. */
	name = $state('');
	tried = $state(false);
	loadError = $state.raw<ApiError | null>(null);
	readonly saving = new Saving();

	constructor(private readonly api: Pick<Api, 'userProfile' | 'setUserName'>) {}

	readonly problem = $derived(nameProblem(this.name));

	/** The field differs from what is saved. */
	readonly dirty = $derived(this.profile !== null && tidyName(this.name) !== this.profile.name);

	/** The error to show: the last save's, else the load's. */
	get error(): ApiError | null {
		return this.saving.error ?? this.loadError;
	}

	async load(): Promise<void> {
		try {
			this.show(await this.api.userProfile());
		} catch (e) {
			this.loadError = e as ApiError;
		}
	}

	private show(p: UserProfile): void {
		this.profile = p;
		this.name = p.name;
		this.tried = false;
	}

	async save(): Promise<void> {
		this.tried = true;
		this.saving.done = false;
		if (this.problem) return;
		const name = tidyName(this.name);
		await this.saving.run('set_user_name', async () => this.show(await this.api.setUserName(name)));
	}

	/** Forgets the name set: the computer account's name again. */
	async reset(): Promise<void> {
		this.name = '';
		await this.save();
	}
}
