import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import PromiseChangeDialog from './PromiseChangeDialog.svelte';
import PromiseFormDialog from './PromiseFormDialog.svelte';

const count = (html: string, what: string) => html.split(what).length - 1;

describe("a promise's fields, shared by the new promise and its change", () => {
	it('asks the date, the amount (with an example) and the comment, the invoices between them', async () => {
		const api = createApi(createMockTransport());
		const html = render(PromiseFormDialog, {
			props: {
				api,
				customer: 'C00012',
				name: 'Dupont',
				choices: [{ number: 'F2026-00042', residual: '120.50', due_date: '2026-10-01' }],
				invoices: ['F2026-00042'],
				madeOn: '2026-11-26',
				currency: 'EUR',
				onsaved: () => {},
				oncancel: () => {}
			}
		}).body;
		expect(count(html, 'data-testid="promise-date"')).toBe(1);
		expect(html).toContain('inputmode="decimal"');
		expect(html).toContain('aria-describedby="amount-help-');
		expect(html).toContain('<textarea');
		const picker = html.indexOf('type="checkbox"');
		expect(picker).toBeGreaterThan(html.indexOf('inputmode="decimal"'));
		expect(picker).toBeLessThan(html.indexOf('<textarea'));
		expect(html).toContain('F2026-00042');
	});

	it('changes a promise on the same fields, without the invoices or the example', async () => {
		const api = createApi(createMockTransport());
		const p = (await api.checkPromises(null, false)).promises[0]!;
		const html = render(PromiseChangeDialog, {
			props: { api, promise: p, onsaved: () => {}, oncancel: () => {} }
		}).body;
		expect(count(html, 'data-testid="promise-change-date"')).toBe(1);
		expect(html).toContain('inputmode="decimal"');
		expect(html).not.toContain('amount-help-');
		expect(html).toContain('<textarea');
		expect(html).not.toContain('type="checkbox"');
	});
});
