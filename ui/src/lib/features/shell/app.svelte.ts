/**
 * What every screen shares: the backend, the first-start state and the as-of date (null = the backend's today).
 */
import { getContext, setContext } from 'svelte';
import type { Backend } from '$lib/api/client';
import type { StartupState } from '$lib/features/startup/startup.svelte';
import { PaSync } from '$lib/features/settings/platform.svelte';

export class AppState {
	backend = $state.raw<Backend | null>(null);
	startup = $state.raw<StartupState | null>(null);
	/** The as-of date chosen by the user, YYYY-MM-DD; null means today. */
	asOf = $state<string | null>(null);
	/** The accredited platform's sync: when the app opens, and on demand (Settings → Plateforme agréée). */
	readonly paSync = new PaSync();
}

const KEY = Symbol('encaisse.app');

export function provideApp(app: AppState): AppState {
	return setContext(KEY, app);
}

export function useApp(): AppState {
	const app = getContext<AppState | undefined>(KEY);
	if (!app) throw new Error('useApp() outside the app layout');
	return app;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value of an <input type="date"> as an as-of date: empty or malformed means today (null). */
export function asOfFromInput(value: string): string | null {
	return ISO_DATE.test(value) ? value : null;
}
