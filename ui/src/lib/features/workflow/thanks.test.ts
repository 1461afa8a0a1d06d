import { describe, expect, it } from 'vitest';
import { createWorkflowMock } from '$lib/api/fixtures/workflow-mock';
import type { EmailPreview, PreviewRequest, SentEmail, ThankYouCandidate } from '$lib/api/types';
import { ThanksState } from './thanks.svelte';

const DAY = '2026-11-26';

/** The three calls of the panel answered by the browser preview's workflow mock. */
function mockApi() {
	const mock = createWorkflowMock(DAY);
	return {
		thankYouCandidates: (asOf: string | null) =>
			mock('thank_you_candidates', { asOf }) as Promise<ThankYouCandidate[]>,
		sendThankYou: (customer: string, asOf: string | null) =>
			mock('send_thank_you', { customer, asOf }) as Promise<SentEmail>,
		previewEmail: (request: PreviewRequest) => mock('preview_email', { request }) as Promise<EmailPreview>
	};
}

describe('thank-you emails of the agenda', () => {
	it('lists the paid chased invoices, previews, sends once and drops the sent one', async () => {
		const api = mockApi();
		const state = new ThanksState(api);
		await state.load(DAY);
		expect(state.phase).toBe('ready');
		expect(state.candidates.length).toBeGreaterThan(0);
		const first = state.candidates.find((c) => c.email !== null);
		expect(first).toBeDefined();
		const key = first!.customer;

		await state.togglePreview(key);
		expect(state.previewOf).toBe(key);
		expect(state.preview?.template).toBe('thank_you');
		expect(state.preview?.invoices).toEqual(first!.invoices);
		await state.togglePreview(key);
		expect(state.previewOf).toBeNull();

		const before = state.candidates.length;
		await state.send(key);
		expect(state.results[key]).toEqual({ ok: true, text: first!.email });
		expect(state.candidates.length).toBe(before - 1);
		// Recorded: the backend (here the mock) no longer proposes it.
		await state.load(DAY);
		expect(state.candidates.some((c) => c.customer === key)).toBe(false);
	});

	it('reports a refusal without losing the list', async () => {
		const api = mockApi();
		const state = new ThanksState(api);
		await state.load(DAY);
		const before = state.candidates.length;
		await state.send('C99999');
		expect(state.results['C99999']?.ok).toBe(false);
		expect(state.candidates.length).toBe(before);
	});

	it('says which date the preview cannot answer', async () => {
		const state = new ThanksState(mockApi());
		await state.load('2026-01-01');
		expect(state.phase).toBe('error');
		expect(state.error?.message).toContain(DAY);
	});
});
