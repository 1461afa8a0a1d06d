import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { PREVIEW_USER_NAME } from '$lib/api/fixtures/workflow-mock';
import { nameProblem, tidyName, UserNameState } from './user-name.svelte';

const state = async () => {
	const api = createApi(createMockTransport());
	const st = new UserNameState(api);
	await st.load();
	return { api, st };
};

describe('Settings → "Mon nom"', () => {
	it('tidies spaces and refuses names over 80 characters, as the backend', () => {
		expect(tidyName('  Marie   Martin ')).toBe('Marie Martin');
		expect(nameProblem('é'.repeat(80))).toBeNull();
		expect(nameProblem('é'.repeat(81))).toBe('profile.error.tooLong');
		expect(nameProblem('')).toBeNull();
	});

	it('shows the default name, saves a new one and records it in the audit trail', async () => {
		const { api, st } = await state();
		expect(st.profile).toMatchObject({ login: 'demo', name: PREVIEW_USER_NAME, custom: false });
		expect(st.name).toBe(PREVIEW_USER_NAME);
		expect(st.dirty).toBe(false);
		st.name = ' Marie  Martin ';
		expect(st.dirty).toBe(true);
		await st.save();
		expect(st.saving.done).toBe(true);
		expect(st.profile).toMatchObject({ name: 'Marie Martin', custom: true });
		expect(st.name).toBe('Marie Martin');
		const last = (await api.auditTrail(null, null)).at(-1)!;
		expect([last.entity, last.user, last.user_name]).toEqual(['user_name', 'demo', 'Marie Martin']);
		// Blank brings the default back.
		await st.reset();
		expect(st.profile).toMatchObject({ name: PREVIEW_USER_NAME, custom: false });
	});

	it('sends nothing while the name is too long', async () => {
		const { api, st } = await state();
		const before = (await api.auditTrail(null, null)).length;
		st.name = 'x'.repeat(81);
		await st.save();
		expect(st.tried).toBe(true);
		expect(st.problem).toBe('profile.error.tooLong');
		expect(st.saving.done).toBe(false);
		expect(st.profile?.name).toBe(PREVIEW_USER_NAME);
		expect((await api.auditTrail(null, null)).length).toBe(before);
	});
});
