/**
 * Settings → "Plateforme agréée": the accredited platform's Flow Service (its address, the OAuth2 token address,
 * the client id, the Organization-Id) and the client secret, write-only (the form only says whether the system
 * keyring holds one, and what to do with it). `PaSync` is the one sync of the window: run when the app opens if
 * the settings are complete (an error is shown, nothing stops), and on demand from the panel, with its progress.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { PaProgress, PaSettings, PaSyncReport, SavePaSettings } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { FormErrors } from '$lib/features/workflow/forms';

/** What to do with the stored secret: keep it, replace it by the one typed, or remove it. */
export type SecretAction = 'keep' | 'set' | 'remove';

export type PaForm = {
	settings: PaSettings;
	/** Typed by the user; never filled from the backend (which never sends it). */
	secret: string;
	secretAction: SecretAction;
};

export type PaField = 'base_url' | 'token_url' | 'client_id' | 'secret';

export function paForm(settings: PaSettings): PaForm {
	return { settings: { ...settings }, secret: '', secretAction: 'keep' };
}

/** https://… with no space; http only to this computer (as the backend: the secret never travels in clear). */
export function isPlatformUrl(value: string): boolean {
	const v = value.trim();
	if (/^https:\/\/\S+$/i.test(v)) return true;
	return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/\S*)?$/i.test(v);
}

/** All empty: the platform is forgotten. */
function cleared(s: PaSettings): boolean {
	return !s.base_url.trim() && !s.token_url.trim() && !s.client_id.trim();
}

export function validatePa(form: PaForm): FormErrors<PaField> {
	const s = form.settings;
	const errors: FormErrors<PaField> = {};
	if (!cleared(s)) {
		if (!isPlatformUrl(s.base_url)) errors.base_url = 'pa.error.url';
		if (!isPlatformUrl(s.token_url)) errors.token_url = 'pa.error.url';
		if (!s.client_id.trim()) errors.client_id = 'pa.error.clientId';
	}
	if (form.secretAction === 'set' && !form.secret) errors.secret = 'pa.error.secret';
	if (form.secretAction === 'set' && !s.client_id.trim()) errors.client_id = 'pa.error.clientId';
	return errors;
}

/** What the backend takes: the secret only when it changes (null keeps the stored one, '' removes it). */
export function paInput(form: PaForm): SavePaSettings {
	const s = form.settings;
	return {
		settings: {
			base_url: s.base_url.trim(),
			token_url: s.token_url.trim(),
			client_id: s.client_id.trim(),
			organization_id: s.organization_id.trim(),
			has_secret: false,
			cursor: null,
			// The version read: a colleague's change saved since is refused, not overwritten.
			...(s.version === undefined ? {} : { version: s.version })
		},
		secret: form.secretAction === 'set' ? form.secret : form.secretAction === 'remove' ? '' : null
	};
}

/** Everything a sync needs, the secret included. */
export function syncable(s: PaSettings | null): boolean {
	return !!s && !!s.base_url && !!s.token_url && !!s.client_id && s.has_secret;
}

/** The window's sync with the platform: its progress, last report or error. */
export class PaSync {
	progress = $state.raw<PaProgress | null>(null);
	report = $state.raw<PaSyncReport | null>(null);
	/** Whether the last run was the one when the app opened. */
	onOpen = $state(false);
	readonly running = new Saving();

	get error(): ApiError | null {
		return this.running.error;
	}

	async run(api: Pick<Api, 'paSync'>, onOpen = false): Promise<boolean> {
		if (this.running.busy) return false;
		this.onOpen = onOpen;
		this.report = null;
		this.progress = null;
		const ok = await this.running.run('pa_sync', async () => {
			this.report = await api.paSync((p) => (this.progress = p));
		});
		this.progress = null;
		return ok;
	}

	/** When the app opens: a sync if the settings are complete; never throws. */
	async whenOpened(api: Pick<Api, 'paSync' | 'paSettings'>): Promise<void> {
		let settings: PaSettings;
		try {
			settings = await api.paSettings();
		} catch {
			return;
		}
		if (syncable(settings)) await this.run(api, true);
	}

	/** The error of the sync run when the app opened, to show above the screens until dismissed. */
	get openError(): ApiError | null {
		return this.onOpen ? this.running.error : null;
	}

	dismiss(): void {
		this.running.reset();
		this.onOpen = false;
	}
}

export class PlatformState {
	settings = $state.raw<PaSettings | null>(null);
	form = $state<PaForm | null>(null);
	tried = $state(false);
	loadError = $state.raw<ApiError | null>(null);
	readonly saving = new Saving();

	constructor(private readonly api: Pick<Api, 'paSettings' | 'savePaSettings'>) {}

	readonly errors = $derived(this.form ? validatePa(this.form) : {});

	problem(field: PaField): MessageKey | null {
		return this.tried ? (this.errors[field] ?? null) : null;
	}

	get hasSecret(): boolean {
		return this.settings?.has_secret ?? false;
	}

	async load(): Promise<void> {
		this.loadError = null;
		try {
			this.show(await this.api.paSettings());
		} catch (e) {
			this.loadError = e as ApiError;
		}
	}

	private show(s: PaSettings): void {
		this.settings = s;
		this.form = paForm(s);
		this.tried = false;
	}

	async save(): Promise<boolean> {
		this.tried = true;
		this.saving.done = false;
		const form = this.form;
		if (!form || Object.keys(validatePa(form)).length > 0) return false;
		return this.saving.run('save_pa_settings', async () =>
			this.show(await this.api.savePaSettings(paInput(form)))
		);
	}
}
