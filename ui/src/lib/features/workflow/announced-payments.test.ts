import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { AnnouncedPayment } from '$lib/api/types';
import AnnouncedPayments from './AnnouncedPayments.svelte';

const payment: AnnouncedPayment = {
	customer: 'C00012',
	name: 'Boulangerie Martin',
	invoice: 'F2026-00123',
	amount: '1234.56',
	announced_on: '2026-11-25',
	expected_on: '2026-11-27',
	hold_until: '2026-12-02'
};

function draw(announced: AnnouncedPayment[]): string {
	return render(AnnouncedPayments, {
		props: { announced, currency: 'EUR', customerHref: (key: string) => `/customers/${key}` }
	}).body;
}

describe('the agenda’s announced payments', () => {
	it('lists each invoice with its amount and dates, the French way', () => {
		const html = draw([payment]);
		expect(html).toContain('Paiements annoncés');
		expect(html).toContain('data-invoice="F2026-00123"');
		expect(html).toContain('href="/customers/C00012"');
		expect(html).toContain('25/11/2026');
		expect(html).toContain('27/11/2026');
		expect(html).toContain('02/12/2026');
		expect(html.replace(/\u202f|\u00a0/g, ' ')).toContain('1 234,56 €');
	});

	it('shows nothing when no payment is announced', () => {
		expect(draw([])).not.toContain('announced-payments');
	});
});
