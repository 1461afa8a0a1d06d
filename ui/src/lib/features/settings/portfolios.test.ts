import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { noFacts } from '$lib/api/fixtures/settings-mock';
import type { AgendaPortfolio, AuditEvent } from '$lib/api/types';
import { portfolioChoices, scopeKey, scopeOfKey } from '$lib/features/workflow/agenda';
import { auditLine } from './audit-words';
import { PortfoliosState } from './portfolios.svelte';

const portfolio = (over: Partial<AgendaPortfolio> = {}): AgendaPortfolio => ({
	me: 'marie',
	shown: { kind: 'team' },
	team: 12,
	unassigned: 2,
	collectors: [
		{ login: 'paul', name: 'Paul Durand', actions: 4 },
		{ login: 'marie', name: 'Marie Martin', actions: 3 },
		{ login: 'ana', name: 'Ána Ruiz', actions: 3 }
	],
	...over
});

describe('the agenda portfolio choices', () => {
	it('put the user’s own first, then the team, the others by name, then nobody’s', () => {
		const choices = portfolioChoices(portfolio());
		expect(choices.map((c) => [c.kind, c.name, c.actions])).toEqual([
			['mine', 'Marie Martin', 3],
			['team', '', 12],
			['collector', 'Ána Ruiz', 3],
			['collector', 'Paul Durand', 4],
			['unassigned', '', 2]
		]);
		expect(choices[0]!.key).toBe('collector:marie');
	});

	it('keep a chosen collector with nothing left today, and leave nobody’s out when there is none', () => {
		const choices = portfolioChoices(
			portfolio({ shown: { kind: 'collector', login: 'zoe' }, unassigned: 0, collectors: [] })
		);
		expect(choices.map((c) => c.key)).toEqual(['team', 'collector:zoe']);
	});

	it('round-trip through the select’s value', () => {
		expect(scopeKey({ kind: 'mine' }, 'marie')).toBe('collector:marie');
		expect(scopeOfKey('collector:marie')).toEqual({ kind: 'collector', login: 'marie' });
		expect(scopeOfKey(scopeKey({ kind: 'unassigned' }, 'x'))).toEqual({ kind: 'unassigned' });
		expect(scopeOfKey(scopeKey({ kind: 'team' }, 'x'))).toEqual({ kind: 'team' });
	});
});

describe('the portfolios screen (browser preview)', () => {
	it('gives a customer by hand, shows it on that collector’s agenda, and hands a portfolio over', async () => {
		const api = createApi(createMockTransport());
		const pf = new PortfoliosState(api);
		await pf.load(null);
		const before = pf.data!;
		expect(before.collectors.map((c) => c.login)).toEqual(['Claire Martin', 'Julien Roux', 'Sophie Lambert']);
		const total = (p: typeof before) =>
			p.collectors.reduce((n, c) => n + c.totals.customers, 0) + p.unassigned.customers;

		const team = await api.agendaView(null, null);
		expect(team.portfolio.shown).toEqual({ kind: 'team' });
		const key = team.items[0]!.action.customer;
		expect(await pf.assign('customer', key, 'demo', null)).toBe(true);
		expect(pf.data!.by_hand).toEqual([expect.objectContaining({ customer: key, collector: 'demo' })]);
		expect(total(pf.data!)).toBe(total(before));

		// The user now follows a customer: their agenda is theirs by default.
		const mine = await api.agendaView(null, null);
		expect(mine.portfolio.shown).toEqual({ kind: 'collector', login: 'demo' });
		expect(mine.items.map((i) => i.action.customer)).toEqual([key]);

		expect(await pf.reassign('Julien Roux', 'demo', null)).toBe(true);
		expect(pf.lastReassignment!.customers).toBeGreaterThan(0);
		expect(pf.data!.collectors.map((c) => c.login)).toEqual(['Claire Martin', 'demo', 'Sophie Lambert']);
		expect(await pf.reassign('demo', 'demo', null)).toBe(false);
		expect(pf.saveError?.code).toBe('invalid_input');
	});
});

describe('the audit journal', () => {
	const event = (e: Partial<AuditEvent> & Pick<AuditEvent, 'kind' | 'action'>): AuditEvent => ({
		id: 1,
		date: '2026-12-04',
		time: '09:12',
		user: 'marie',
		user_name: 'Marie Martin',
		entity: 'portfolio',
		entity_id: '',
		before: null,
		after: null,
		...e,
		facts: { ...noFacts(), ...e.facts }
	});

	it('says who got which customers', () => {
		const given = event({
			kind: 'portfolio_assigned',
			action: 'assigned',
			facts: { ...noFacts(), customer: 'C042', customer_name: 'Café de la Gare', collector: 'paul' }
		});
		expect(auditLine(given, 'fr').text).toBe('Portefeuille : Café de la Gare attribué à paul');
		const rule = event({
			kind: 'portfolio_unassigned',
			action: 'removed',
			facts: { ...noFacts(), assign_by: 'category', assign_value: 'public_body', collector_before: 'paul' }
		});
		expect(auditLine(rule, 'fr').text).toBe(
			'Portefeuille : attribution de catégorie « Organisme public » à paul retirée'
		);
		const moved = event({
			kind: 'portfolio_reassigned',
			action: 'reassigned',
			facts: {
				...noFacts(),
				collector_before: 'julien',
				collector: 'marie',
				moved_customers: 12,
				moved_rules: 1
			}
		});
		expect(auditLine(moved, 'en').text).toBe("julien's portfolio reassigned to marie (12 customers, 1 rule)");
	});
});

describe('a collector’s daily report from the portfolios screen', () => {
	it('asks for the collector’s report, then sends it to the address typed or to the usual recipients', async () => {
		const calls: [string, Record<string, unknown>][] = [];
		const mock = createMockTransport();
		const report = (args: Record<string, unknown>) => ({
			as_of: '2026-11-26',
			yesterday: '2026-11-25',
			collections: '0.00',
			collections_count: 0,
			agenda_count: 3,
			agenda_amount: '1234.56',
			broken_promises: 0,
			new_disputes: 0,
			subject: 'Rapport du 26/11/2026',
			text: 'Relances du jour : 3',
			html: '',
			sent_to: args.send ? ((args.to as string[]).length ? (args.to as string[]) : ['daf@exemple.fr']) : [],
			collector: args.collector as string
		});
		const api = createApi((cmd: string, args?: Record<string, unknown>) => {
			calls.push([cmd, args ?? {}]);
			return cmd === 'daily_report' ? Promise.resolve(report(args ?? {})) : mock(cmd, args);
		});
		const pf = new PortfoliosState(api);
		expect(await pf.showReport('alice', null)).toBe(true);
		expect(pf.report?.collector).toBe('alice');
		expect(calls.at(-1)).toEqual(['daily_report', { asOf: null, send: false, collector: 'alice', to: [] }]);
		await pf.sendReport('  alice@exemple.fr ', null);
		expect(calls.at(-1)?.[1]).toEqual({
			asOf: null,
			send: true,
			collector: 'alice',
			to: ['alice@exemple.fr']
		});
		expect(pf.report?.sent_to).toEqual(['alice@exemple.fr']);
		await pf.sendReport('', null);
		expect(pf.report?.sent_to).toEqual(['daf@exemple.fr']);
	});
});
