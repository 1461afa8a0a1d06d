import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { AuditState, entityKey } from './audit.svelte';

const state = () => new AuditState(createApi(createMockTransport()), (key) => key);

describe('the audit trail screen', () => {
	it('lists the changes newest first', async () => {
		const api = createApi(createMockTransport());
		await api.saveCollectionSettings({ min_gap_days: 6, promise_grace_days: null });
		await api.saveCollectionSettings({ min_gap_days: 7, promise_grace_days: null });
		const st = new AuditState(api, (key) => key);
		await st.load();
		const ids = (st.events ?? []).map((e) => e.id);
		expect(ids.length).toBeGreaterThanOrEqual(2);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
	});

	it('waits for a valid period', async () => {
		const st = state();
		st.from = '2026-12-01';
		st.to = '2026-11-01';
		expect(st.periodError).not.toBeNull();
		await st.load();
		expect(st.events).toBeNull();
	});

	it('says an export needs the app outside it', async () => {
		const st = state();
		await st.exportAs('csv', null);
		expect(st.notInApp).toBe(true);
		expect(st.exporting.busy).toBe(false);
	});

	it('names the changed things', () => {
		expect(entityKey('rates')).toBe('audit.entity.rates');
		expect(entityKey('unknown')).toBeNull();
	});
});
