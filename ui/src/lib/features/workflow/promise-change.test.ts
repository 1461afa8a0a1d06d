import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { promiseChangeInput, validatePromise, type PromiseForm } from './forms';

describe('changing a promise', () => {
	it('sends the version read with the new date and amount, and a stale version is refused naming who', async () => {
		const api = createApi(createMockTransport());
		const check = await api.checkPromises(null, false);
		const p = check.promises.find((x) => x.status === 'running')!;
		const form: PromiseForm = {
			customer: p.customer,
			invoices: p.invoices,
			date: '2026-12-18',
			amount: '120,50',
			comment: ' rappelé ',
			madeOn: p.made_on
		};
		expect(validatePromise(form)).toEqual({});
		const input = promiseChangeInput(form, p, p.grace_days);
		expect(input).toEqual({
			id: p.id,
			version: p.version,
			date: '2026-12-18',
			amount: '120.50',
			grace_days: p.grace_days,
			comment: 'rappelé'
		});
		const changed = await api.changePromise(input);
		expect([changed.date, changed.amount, changed.version]).toEqual(['2026-12-18', '120.50', p.version + 1]);
		await expect(api.changePromise(input)).rejects.toMatchObject({
			code: 'conflict',
			changed: { by: 'Julien Roux', at: '10:42' }
		});
		expect(validatePromise({ ...form, date: '2020-01-01' }).date).toBe('wf.error.promisePast');
	});
});
