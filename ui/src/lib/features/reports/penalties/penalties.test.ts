import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { createApi } from '$lib/api/client';
import { createMockTransport, mockChannel } from '$lib/api/fixtures/mock';
import { samplePenalties } from '$lib/api/fixtures/penalties-mock';
import { noFacts } from '$lib/api/fixtures/settings-mock';
import { compareDecimal, sumDecimal } from '$lib/format/decimal';
import { auditLine } from '$lib/features/settings/audit-words';
import { defaultFrom, penaltyRows, totalDue, validatePeriod } from './penalties';
import { PenaltiesState } from './penalties.svelte';
import PenaltiesReport from './PenaltiesReport.svelte';

const AS_OF = samplePenalties.as_of;

function state(customer: string | null = null): PenaltiesState {
	return new PenaltiesState(createApi(createMockTransport(), mockChannel), customer);
}

describe('the penalty statement', () => {
	it('adds up: each customer its invoices not waived, the statement its customers', () => {
		const s = samplePenalties.statement;
		expect(s.customers.length).toBeGreaterThan(0);
		for (const c of s.customers) {
			const counted = c.invoices.filter((i) => !i.waived);
			expect(sumDecimal(counted.map((i) => i.interest))).toBe(c.interest);
			expect(sumDecimal(counted.map((i) => i.indemnity))).toBe(c.indemnities);
		}
		expect(sumDecimal(s.customers.map((c) => c.interest))).toBe(s.interest);
		expect(totalDue(s)).toBe(sumDecimal([s.interest, s.indemnities]));
		const rows = penaltyRows(samplePenalties);
		expect(rows).toHaveLength(s.customers.reduce((n, c) => n + c.invoices.length, 0));
		expect(rows.every((r) => r.daysLate > 0 && ['L441-10', 'R2192-31'].includes(r.basis))).toBe(true);
	});

	it('shows the month before by default and refuses a period that ends before it starts', () => {
		expect(defaultFrom('2026-11-26')).toBe('2026-10-01');
		expect(defaultFrom('2027-01-05')).toBe('2026-12-01');
		expect(defaultFrom('')).toBe('');
		expect(validatePeriod('2026-11-01', '2026-10-01')).toBe('penalties.periodOrder');
		expect(validatePeriod('', '2026-10-01')).toBeNull();
	});
});

describe('waiving an invoice’s penalties', () => {
	it('needs a reason, keeps the invoice listed with it, takes it out of the totals, and can be undone', async () => {
		const st = state();
		await st.load(AS_OF);
		const before = st.report!;
		const c = before.statement.customers[0]!;
		const inv = c.invoices[0]!;
		st.openWaiver(c.id, 'Client', inv.invoice);
		expect(st.reasonMissing).toBe(true);
		expect(await st.waive(AS_OF)).toBe(false);
		expect(st.draft).not.toBeNull();

		st.draft!.reason = '  Geste commercial  ';
		expect(await st.waive(AS_OF)).toBe(true);
		expect(st.draft).toBeNull();
		const after = st.report!;
		const waived = after.statement.customers[0]!.invoices.find((i) => i.invoice === inv.invoice)!;
		expect(waived).toMatchObject({ waived: true, waiver_reason: 'Geste commercial' });
		expect(after.statement.customers[0]!.interest).toBe(sumDecimal([c.interest, `-${inv.interest}`]));
		expect(compareDecimal(after.statement.indemnities, before.statement.indemnities)).toBe(-1);

		// Drawn as the customer file draws it (the full screen's export buttons need the app's layout).
		const html = render(PenaltiesReport, { props: { st, asOf: AS_OF, compact: true } }).body;
		expect(html).toContain('data-testid="penalties-waived"');
		expect(html).toContain('Geste commercial');
		expect(html).toContain('data-testid="penalties-unwaive"');

		expect(await st.unwaive(c.id, inv.invoice, AS_OF)).toBe(true);
		expect(st.report!.statement).toEqual(before.statement);
		expect(await st.unwaive(c.id, inv.invoice, AS_OF)).toBe(false);
		expect(st.saving.error?.code).toBe('invalid_input');
	});

	it('lists one customer only on the customer file, without period fields or export', async () => {
		const id = samplePenalties.statement.customers[1]!.id;
		const st = state(id);
		await st.load(AS_OF);
		expect(st.report!.statement.customers.map((c) => c.id)).toEqual([id]);
		const html = render(PenaltiesReport, { props: { st, asOf: AS_OF, compact: true } }).body;
		expect(html).not.toContain('penalties-from');
		expect(html).not.toContain('penalties-export');
		expect(html).toContain(`data-customer="${id}"`);
	});

	it('says a waiver in the audit journal with its reason', () => {
		const line = auditLine(
			{
				id: 1,
				date: '2026-11-26',
				time: '10:00',
				user: 'marie',
				user_name: 'Marie Martin',
				entity: 'penalty_waiver',
				entity_id: 'C00001:F1',
				action: 'waived',
				kind: 'penalty_waived',
				before: null,
				after: null,
				facts: {
					...noFacts(),
					customer: 'C00001',
					customer_name: 'Café de la Gare',
					invoices: ['F1'],
					comment: 'Geste commercial'
				}
			},
			'fr'
		);
		expect(line.text).toBe('Pénalités de retard abandonnées sur la facture F1, Café de la Gare');
		expect(line.details).toEqual(['Geste commercial']);
	});
});
