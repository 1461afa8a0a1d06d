import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/client';
import { validateCall, type CallForm } from './forms';
import { ValidatedForm } from './validated-form.svelte';

const call = (): CallForm => ({
	customer: 'C00012',
	invoices: [],
	step: null,
	outcome: 'call_back',
	note: '',
	date: '2026-11-26',
	nextDate: ''
});

describe('a workflow form', () => {
	it('shows its problems only once the user tried, and sends nothing then', async () => {
		const vf = new ValidatedForm(call(), validateCall);
		expect(vf.problem('nextDate')).toBeUndefined();
		const sent: CallForm[] = [];
		await vf.submit('record_action', async (f) => void sent.push(f));
		expect(vf.problem('nextDate')).toBeDefined();
		expect(sent).toEqual([]);
		vf.form.nextDate = '2026-12-10';
		await vf.submit('record_action', async (f) => void sent.push({ ...f }));
		expect(sent).toHaveLength(1);
		expect(vf.saving.done).toBe(true);
	});

	it("keeps the backend's refusal for the dialog", async () => {
		const vf = new ValidatedForm({ ...call(), outcome: '' }, validateCall);
		const refused = new ApiError('invalid_input', 'no such customer', 'record_action');
		await vf.submit('record_action', () => Promise.reject(refused));
		expect(vf.saving.error).toBe(refused);
		expect(vf.saving.busy).toBe(false);
	});
});
