/**
 * What every screen starts from: the backend's commands, the window's file services, the company, today and
 * the as-of date the user chose. Screens are shown only once the backend is connected (see the layout).
 */
import type { Api } from '$lib/api/client';
import type { Desktop } from '$lib/api/desktop';
import { useApp, type AppState } from './app.svelte';

export type Page = {
	readonly api: Api;
	/** The window's file picker and drops; null in the browser preview. */
	readonly desktop: Desktop | null;
	/** True when the data is the browser preview's fixed sample. */
	readonly mock: boolean;
	/** The backend's today, YYYY-MM-DD ('' until the status is known). */
	readonly today: string;
	readonly company: string;
	/** The as-of date chosen by the user; null means today. Shared by every screen. */
	asOf: string | null;
	readonly app: AppState;
};

export function pageOf(app: AppState): Page {
	const backend = app.backend;
	if (!backend) throw new Error('a screen was shown before the backend was connected');
	return {
		app,
		api: backend.api,
		desktop: backend.desktop,
		mock: backend.mock,
		get today() {
			return app.startup?.status?.today ?? '';
		},
		get company() {
			return app.startup?.status?.company ?? '';
		},
		get asOf() {
			return app.asOf;
		},
		set asOf(date: string | null) {
			app.asOf = date;
		}
	};
}

/** The screen's Page, from the app layout's context. */
export function usePage(): Page {
	return pageOf(useApp());
}
