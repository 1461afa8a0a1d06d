import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { CollectionSettingsState } from './collection.svelte';
import { CustomerDunningState } from './customer-dunning.svelte';

describe('the collection settings form', () => {
	it('loads, refuses out-of-range days once tried, saves valid ones', async () => {
		const st = new CollectionSettingsState(createApi(createMockTransport()));
		await st.load();
		expect(st.form).toEqual({ min_gap_days: '5', promise_grace_days: '3' });
		if (st.form) st.form.min_gap_days = '120';
		await st.save();
		expect(st.tried).toBe(true);
		expect(st.errors.min_gap_days).toBeDefined();
		expect(st.saving.done).toBe(false);
		if (st.form) st.form.min_gap_days = '7';
		await st.save();
		expect(st.saving.done).toBe(true);
		expect(st.form).toEqual({ min_gap_days: '7', promise_grace_days: '3' });
	});
});

describe("a customer's own dunning", () => {
	it('finds the customer by name or key and pauses it', async () => {
		const cd = new CustomerDunningState(createApi(createMockTransport()));
		await cd.loadCustomers();
		const first = cd.customers[0];
		expect(first).toBeDefined();
		cd.customer = first?.name ?? '';
		expect(cd.key).toBe(first?.id);
		cd.customer = ' C99999 ';
		expect(cd.key).toBe('C99999');
		cd.customer = first?.id ?? '';
		cd.pauseReason = 'Négociation';
		await cd.apply('pause');
		expect(cd.saving.error).toBeNull();
		expect(cd.doneFor).toBe(first?.id);
	});

	it("sends the chase version read when the customer was chosen: a colleague's change since is refused", async () => {
		const calls: [string, Record<string, unknown>][] = [];
		const mock = createMockTransport();
		const api = createApi((cmd: string, args?: Record<string, unknown>) => {
			calls.push([cmd, args ?? {}]);
			return mock(cmd, args);
		});
		const mine = new CustomerDunningState(api);
		await mine.loadCustomers();
		const key = mine.customers[0]!.id;
		mine.customer = key;
		expect(mine.known).toBe(true);
		await mine.readChase();
		expect(mine.chase).toMatchObject({ customer: key, paused: false, chase_version: 0 });

		// A colleague pauses the same customer from its file meanwhile.
		const theirs = await api.workflowRecords(key, null);
		await api.setCustomerPaused(key, true, 'plan de paiement', theirs.chase_version);

		mine.scenario = 'default';
		await mine.apply('scenario');
		expect(calls.findLast(([cmd]) => cmd === 'set_customer_scenario')?.[1]).toEqual({
			customer: key,
			scenario: 'default',
			version: 0
		});
		expect(mine.saving.error).toMatchObject({
			code: 'conflict',
			changed: { by: 'Julien Roux', at: '10:42' }
		});
		expect(mine.doneFor).toBe('');
		// Their change is read back and shown; applied again, it goes through on it, then again on its own.
		expect(mine.chase).toMatchObject({ paused: true, pause_reason: 'plan de paiement', chase_version: 1 });
		await mine.apply('scenario');
		expect(mine.saving.error).toBeNull();
		expect(mine.doneFor).toBe(key);
		await mine.apply('resume');
		expect(mine.saving.error).toBeNull();
		expect(calls.findLast(([cmd]) => cmd === 'set_customer_paused')?.[1]).toMatchObject({
			customer: key,
			paused: false,
			version: 2
		});
		expect(mine.chase).toMatchObject({ paused: false, chase_version: 3 });
	});

	it('reads a typed key that is not in the list when the change is applied', async () => {
		const calls: string[] = [];
		const mock = createMockTransport();
		const api = createApi((cmd: string, args?: Record<string, unknown>) => {
			calls.push(cmd);
			return mock(cmd, args);
		});
		const cd = new CustomerDunningState(api);
		cd.customer = 'C99999';
		expect(cd.known).toBe(false);
		await cd.apply('pause');
		// The key is unknown: nothing to read, the change is sent without a version (the backend decides).
		expect(calls).toEqual(['workflow_records', 'set_customer_paused', 'workflow_records']);
		expect(cd.chase).toBeNull();
	});
});
