import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import type { Dashboard } from '$lib/api/types';
import { sampleDashboard } from '$lib/api/fixtures/mock';
import { DashboardState } from './dashboard.svelte';

function deferred<T>() {
	let resolve: (v: T) => void = () => {};
	let reject: (e: unknown) => void = () => {};
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

describe('dashboard loading', () => {
	it('goes from loading to ready and asks for the chosen date', async () => {
		const asked: unknown[] = [];
		const reply = deferred<Dashboard>();
		const dash = new DashboardState(
			createApi((command, args) => {
				asked.push([command, args]);
				return reply.promise;
			})
		);
		expect(dash.phase).toBe('idle');
		const load = dash.load('2026-11-26');
		expect(dash.phase).toBe('loading');
		expect(dash.data).toBeNull();
		reply.resolve(sampleDashboard);
		await load;
		expect(dash.phase).toBe('ready');
		expect(dash.data?.receivables).toBe('3719634.20');
		expect(asked).toEqual([['dashboard', { asOf: '2026-11-26' }]]);
	});

	it('goes to error with the typed error', async () => {
		const dash = new DashboardState(createApi(() => Promise.reject({ code: 'database', message: 'locked' })));
		await dash.load(null);
		expect(dash.phase).toBe('error');
		expect(dash.error).toMatchObject({ code: 'database', detail: 'locked', command: 'dashboard' });
	});

	it('keeps the previous figures while another date loads, and clears an old error', async () => {
		let fail = true;
		const dash = new DashboardState(
			createApi(async () => {
				if (fail) throw { code: 'invalid_input', message: 'bad date' };
				return sampleDashboard;
			})
		);
		await dash.load('2026-13-01');
		expect(dash.phase).toBe('error');
		fail = false;
		await dash.load(null);
		expect(dash.phase).toBe('ready');
		expect(dash.error).toBeNull();
	});

	it('ignores a slow reply for a date the user already left', async () => {
		const first = deferred<Dashboard>();
		const second = deferred<Dashboard>();
		const replies = [first.promise, second.promise];
		const dash = new DashboardState(createApi(() => replies.shift() as Promise<Dashboard>));
		const a = dash.load('2026-10-31');
		const b = dash.load('2026-11-26');
		second.resolve(sampleDashboard);
		await b;
		first.resolve({ ...sampleDashboard, as_of: '2026-10-31', receivables: '1.00' });
		await a;
		expect(dash.data?.as_of).toBe('2026-11-26');
		expect(dash.phase).toBe('ready');
	});
});

describe('late payers sort', () => {
	async function loaded(): Promise<DashboardState> {
		const dash = new DashboardState(createApi(async () => sampleDashboard));
		await dash.load(null);
		return dash;
	}

	it('keeps the backend order (most overdue first) until a header is chosen', async () => {
		const dash = await loaded();
		expect(dash.lateRows.map((r) => r.id)).toEqual(sampleDashboard.top_late.map((r) => r.id));
		expect(dash.lateSort).toBeNull();
	});

	it('sorts by oldest days late, descending then ascending', async () => {
		const dash = await loaded();
		dash.sortLateBy('days', 'number');
		const days = dash.lateRows.map((r) => r.max_days_late);
		expect(days).toEqual([...days].sort((a, b) => b - a));
		expect(days[0]).toBe(Math.max(...sampleDashboard.top_late.map((r) => r.max_days_late)));
		dash.sortLateBy('days', 'number');
		expect(dash.lateSort).toEqual({ key: 'days', direction: 'asc' });
		expect(dash.lateRows[0]?.max_days_late).toBe(Math.min(...days));
	});

	it('sorts by name alphabetically and by a bucket by amount', async () => {
		const dash = await loaded();
		dash.sortLateBy('name', 'text');
		const names = dash.lateRows.map((r) => r.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr-FR', { sensitivity: 'base' })));
		dash.sortLateBy('bucket:91+', 'money');
		const oldest = dash.lateRows.map((r) => Number(r.buckets[4]));
		expect(oldest).toEqual([...oldest].sort((a, b) => b - a));
	});
});
