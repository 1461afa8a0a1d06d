import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { AppState } from './app.svelte';
import { pageOf } from './page.svelte';

describe('page', () => {
	it('needs the backend', () => {
		expect(() => pageOf(new AppState())).toThrow(/backend/);
	});

	it('reads today, the company and the shared as-of date from the app', () => {
		const app = new AppState();
		app.backend = { api: createApi(async () => null), mock: true, desktop: null };
		const page = pageOf(app);
		expect([page.today, page.company, page.asOf]).toEqual(['', '', null]);
		app.startup = {
			status: { today: '2026-11-26', company: 'Démo SAS' }
		} as unknown as AppState['startup'];
		page.asOf = '2026-10-31';
		expect([page.today, page.company, app.asOf]).toEqual(['2026-11-26', 'Démo SAS', '2026-10-31']);
	});
});
