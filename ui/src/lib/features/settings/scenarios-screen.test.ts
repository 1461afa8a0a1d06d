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
});
