import { describe, expect, it, vi } from 'vitest';
import type { Api } from '$lib/api/client';
import type { Status } from '$lib/api/types';
import { createApi } from '$lib/api/client';
import { StartupState } from './startup.svelte';

const status = (hasData: boolean): Status => ({
	has_data: hasData,
	demo: hasData,
	company: hasData ? 'Atelier Lumière SAS' : null,
	customers: hasData ? 300 : 0,
	lines: hasData ? 37366 : 0,
	today: '2026-11-26',
	database: '/tmp/encaisse.db'
});

function fakeApi(overrides: Partial<Api>): Api {
	const unused = createApi(() => Promise.reject(new Error('not expected in this test')));
	return { ...unused, ...overrides };
}

describe('first start', () => {
	it('shows the welcome screen when the database is empty', async () => {
		const startup = new StartupState(fakeApi({ status: async () => status(false) }));
		expect(startup.phase).toBe('checking');
		await startup.check();
		expect(startup.phase).toBe('welcome');
	});

	it('goes straight to the app when there is data', async () => {
		const startup = new StartupState(fakeApi({ status: async () => status(true) }));
		await startup.check();
		expect(startup.phase).toBe('ready');
		expect(startup.status?.company).toBe('Atelier Lumière SAS');
	});

	it('shows an error when the database cannot be opened', async () => {
		const api = createApi(() => Promise.reject({ code: 'newer_database', message: 'version 9' }));
		const startup = new StartupState(api);
		await startup.check();
		expect(startup.phase).toBe('error');
		expect(startup.error?.code).toBe('newer_database');
	});

	it('creates the demo company with default options, busy meanwhile, then is ready', async () => {
		let hasData = false;
		let finish: () => void = () => {};
		const createDemo = vi.fn(
			() =>
				new Promise<never>((resolve) => {
					finish = () => {
						hasData = true;
						resolve({
							company: 'Atelier Lumière SAS',
							customers: 300,
							invoices: 1,
							lines: 2,
							start: '2024-11-27',
							end: '2026-11-26'
						} as never);
					};
				})
		);
		const startup = new StartupState(fakeApi({ status: async () => status(hasData), createDemo }));
		await startup.check();
		const done = startup.openDemo();
		expect(startup.phase).toBe('creating');
		expect(await startup.openDemo()).toBe(false); // a second click while busy does nothing
		finish();
		expect(await done).toBe(true);
		expect(startup.phase).toBe('ready');
		expect(createDemo).toHaveBeenCalledTimes(1);
		expect(createDemo).toHaveBeenCalledWith({ seed: null, customers: null, end: null, replace: null });
	});

	it('stays on the welcome screen with the error when the demo fails', async () => {
		const api = createApi(async (command) => {
			if (command === 'status') return status(false);
			throw { code: 'io', message: 'disk full' };
		});
		const startup = new StartupState(api);
		await startup.check();
		expect(await startup.openDemo()).toBe(false);
		expect(startup.phase).toBe('welcome');
		expect(startup.error).toMatchObject({ code: 'io', detail: 'disk full' });
	});

	it('refreshes after an import: the welcome screen gives way once there is data, no checking screen', async () => {
		let hasData = false;
		const startup = new StartupState(fakeApi({ status: async () => status(hasData) }));
		await startup.check();
		expect(startup.phase).toBe('welcome');
		await startup.refresh();
		expect(startup.phase).toBe('welcome');
		hasData = true;
		const refreshing = startup.refresh();
		expect(startup.phase).toBe('welcome'); // never 'checking': the import screen stays up
		await refreshing;
		expect(startup.phase).toBe('ready');
		expect(startup.status?.company).toBe('Atelier Lumière SAS');
	});
});
