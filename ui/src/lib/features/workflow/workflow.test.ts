import { describe, expect, it } from 'vitest';
import type { AgendaItem, DisputeTally, PromiseDto } from '$lib/api/types';
import { translate } from '$lib/i18n/i18n.svelte';
import {
	doneInput,
	groupByChannel,
	creditAmount,
	hasUnappliedCredit,
	primaryChannel,
	selectedItems,
	sumDecimals,
	toggle,
	toggleGroup
} from './agenda';
import { bars, filterDisputes, filterPromises, promiseTotals } from './boards';
import {
	callInput,
	disputeInput,
	isIsoDate,
	parseAmountInput,
	promiseInput,
	validateCall,
	validateDispute,
	validatePromise,
	type CallForm,
	type DisputeForm,
	type PromiseForm
} from './forms';
import { choicesOfItem, parseInvoiceList } from './invoices';
import { channelsText, kindForChannel, STANDARD_STEPS, splitChannels } from './labels';
import { labelIn } from '$lib/i18n/codes';
import { moveStep, newScenario, newStep, slugify, toggleChannel, validateScenario } from './scenarios';

const fr = (key: Parameters<typeof translate>[1]) => translate('fr', key);
const en = (key: Parameters<typeof translate>[1]) => translate('en', key);

function item(
	customer: string,
	channel: string,
	open: string,
	extra: Partial<AgendaItem['action']> = {}
): AgendaItem {
	return {
		action: {
			customer,
			step: 'reminder_1',
			channel,
			invoices: [`F-${customer}`],
			not_due_invoices: [],
			amount: open,
			unapplied: '0.00',
			needs_validation: false,
			...extra
		},
		name: `Client ${customer}`,
		email: null,
		phone: null,
		scenario: 'default',
		template: 'reminder_1',
		collector: null,
		collector_name: null,
		follow_up: null,
		overdue_amount: open,
		not_due_amount: '0.00',
		lines: [
			{
				number: `F-${customer}`,
				due_date: '2026-11-01',
				days_late: 25,
				residual: open,
				reached: 'reminder_2',
				pending: true
			}
		]
	};
}

describe('labels', () => {
	it('name the standard steps as the seeds do, in both languages', () => {
		expect(STANDARD_STEPS.map((s) => labelIn('fr', 'StepId', s))).toEqual([
			'Pré-relance',
			'Relance 1',
			'Relance 2',
			'Relance 3',
			'Lettre personnelle + appel',
			'Mise en demeure'
		]);
		expect(labelIn('en', 'StepId', 'formal_notice')).toBe('Formal notice');
	});

	it("show a user scenario's own step id as it is", () => {
		expect(labelIn('fr', 'StepId', 'relance_douce')).toBe('relance_douce');
	});

	it('name outcomes, dispute kinds and departments', () => {
		expect(labelIn('fr', 'Outcome', 'says_paid')).toBe('Dit avoir payé');
		expect(labelIn('fr', 'Outcome', 'call_back')).toBe('Rappeler le…');
		expect(labelIn('fr', 'DisputeKind', 'missing_purchase_order')).toBe('Bon de commande manquant');
		expect(labelIn('en', 'Department', 'logistics')).toBe('Logistics');
	});

	it('split and name joined channels', () => {
		expect(splitChannels('letter+call')).toEqual(['letter', 'call']);
		expect(channelsText('letter+call')).toBe('Lettre + appel');
		expect(kindForChannel('letter+call')).toBe('letter');
		expect(kindForChannel('sms_task')).toBe('sms');
		expect(kindForChannel('email')).toBe('email');
	});
});

describe('agenda', () => {
	const items = [
		item('C1', 'email', '100.00'),
		item('C2', 'letter+call', '500.00', { step: 'personal_letter', needs_validation: true }),
		item('C3', 'email', '900.00'),
		item('C4', 'letter', '50.00', { step: 'formal_notice', needs_validation: true }),
		item('C5', 'email', '300.00', { needs_validation: true, unapplied: '-120.00' }),
		item('C6', 'call', '10.00'),
		item('C7', 'sms_task', '20.00')
	];

	it('groups by first channel in the order emails, letters, calls, SMS', () => {
		const groups = groupByChannel(items);
		expect(groups.map((g) => g.channel)).toEqual(['email', 'letter', 'call', 'sms_task']);
		expect(groups.map((g) => g.items.map((i) => i.action.customer))).toEqual([
			['C5', 'C3', 'C1'],
			['C2', 'C4'],
			['C6'],
			['C7']
		]);
		expect(primaryChannel(items[1]!)).toBe('letter');
	});

	it('puts actions to validate first, then the largest amounts, and totals each group exactly', () => {
		const [emails] = groupByChannel(items);
		expect(emails?.items[0]?.action.needs_validation).toBe(true);
		expect(emails?.openAmount).toBe('1300.00');
	});

	it('leaves out empty groups', () => {
		expect(groupByChannel([item('C1', 'call', '1.00')]).map((g) => g.channel)).toEqual(['call']);
		expect(groupByChannel([])).toEqual([]);
	});

	it('sums decimal strings without floats', () => {
		expect(sumDecimals(['0.10', '0.20'])).toBe('0.30');
		expect(sumDecimals(['1234567890123.45', '0.55'])).toBe('1234567890124.00');
		expect(sumDecimals(['-120.00', '20.5'])).toBe('-99.50');
		expect(sumDecimals([])).toBe('0.00');
	});

	it('flags unapplied credits only when there are some', () => {
		expect(hasUnappliedCredit(items[4]!)).toBe(true);
		expect(hasUnappliedCredit(items[0]!)).toBe(false);
		expect(hasUnappliedCredit(item('X', 'email', '1.00', { unapplied: '-0.00' }))).toBe(false);
		expect(hasUnappliedCredit(item('X', 'email', '1.00', { amount: '5.00' }))).toBe(false);
	});

	it('shows an unapplied credit as the credit the customer has', () => {
		expect(creditAmount('-120.00')).toBe('120.00');
		expect(creditAmount('0.00')).toBe('0.00');
	});

	it('marks an item done as the backend mark_done does', () => {
		expect(doneInput(items[1]!, '2026-11-26')).toMatchObject({
			customer: 'C2',
			kind: 'letter',
			step: 'personal_letter',
			invoices: ['F-C2'],
			date: '2026-11-26',
			template: 'reminder_1',
			outcome: null
		});
	});

	it('selects one, a group, and unselects a fully selected group', () => {
		let s = toggle(new Set(), 'C1');
		expect([...s]).toEqual(['C1']);
		s = toggleGroup(s, items.slice(0, 3));
		expect([...s].sort()).toEqual(['C1', 'C2', 'C3']);
		s = toggleGroup(s, items.slice(0, 3));
		expect(s.size).toBe(0);
		s = toggle(toggle(new Set(), 'C3'), 'C1');
		expect(selectedItems(items, s).map((i) => i.action.customer)).toEqual(['C1', 'C3']);
	});

	it('offers the agenda lines as invoice choices', () => {
		expect(choicesOfItem(items[0]!)).toEqual([
			{ number: 'F-C1', due_date: '2026-11-01', days_late: 25, residual: '100.00' }
		]);
	});
});

describe('forms', () => {
	it('read amounts as French users type them', () => {
		expect(parseAmountInput('1 234,50')).toBe('1234.50');
		expect(parseAmountInput('1\u202f234,5 €')).toBe('1234.50');
		expect(parseAmountInput('1234.5')).toBe('1234.50');
		expect(parseAmountInput('0042')).toBe('42.00');
		expect(parseAmountInput('12,345')).toBeNull();
		expect(parseAmountInput('1.234,50')).toBeNull();
		expect(parseAmountInput('-5')).toBeNull();
		expect(parseAmountInput('')).toBeNull();
	});

	it('check dates', () => {
		expect(isIsoDate('2026-02-28')).toBe(true);
		expect(isIsoDate('2026-02-30')).toBe(false);
		expect(isIsoDate('26/11/2026')).toBe(false);
	});

	it('read typed invoice lists', () => {
		expect(parseInvoiceList(' F1, F2;F3  F1 ')).toEqual(['F1', 'F2', 'F3']);
		expect(parseInvoiceList('')).toEqual([]);
	});

	const call: CallForm = {
		customer: 'C1',
		invoices: ['F1'],
		step: 'personal_letter',
		outcome: '',
		note: ' Laissé un message ',
		date: '2026-11-26',
		nextDate: ''
	};

	it('need a date to call back, never before the call', () => {
		expect(validateCall(call)).toEqual({});
		expect(validateCall({ ...call, outcome: 'call_back' })).toEqual({ nextDate: 'wf.error.callBackDate' });
		expect(validateCall({ ...call, outcome: 'call_back', nextDate: '2026-11-20' })).toEqual({
			nextDate: 'wf.error.nextBeforeCall'
		});
		expect(validateCall({ ...call, outcome: 'fax' })).toEqual({ outcome: 'wf.error.outcome' });
		expect(callInput({ ...call, outcome: 'no_answer', nextDate: '2026-12-01' })).toMatchObject({
			kind: 'call',
			outcome: 'no_answer',
			next_action_date: '2026-12-01',
			step: 'personal_letter',
			body: 'Laissé un message'
		});
	});

	const promise: PromiseForm = {
		customer: 'C1',
		invoices: ['F1'],
		date: '2026-12-05',
		amount: '1 200,00',
		comment: '',
		madeOn: '2026-11-26'
	};

	it('need a promise with invoices, a date not past and a positive amount', () => {
		expect(validatePromise(promise)).toEqual({});
		expect(validatePromise({ ...promise, invoices: [], date: '2026-11-25', amount: '0,00' })).toEqual({
			invoices: 'wf.error.invoices',
			date: 'wf.error.promisePast',
			amount: 'wf.error.amountZero'
		});
		expect(validatePromise({ ...promise, amount: 'mille' }).amount).toBe('wf.error.amount');
		expect(promiseInput(promise, 7)).toMatchObject({
			amount: '1200.00',
			made_on: '2026-11-26',
			action_id: 7
		});
	});

	const dispute: DisputeForm = {
		customer: 'C1',
		invoices: ['F1'],
		kind: 'price',
		department: 'sales',
		amount: '',
		comment: 'Remise oubliée',
		openedOn: '2026-11-26'
	};

	it('need a dispute kind and department; an empty amount means the open amount', () => {
		expect(validateDispute(dispute)).toEqual({});
		expect(validateDispute({ ...dispute, kind: '', department: 'it' })).toEqual({
			kind: 'wf.error.kind',
			department: 'wf.error.department'
		});
		expect(disputeInput(dispute).amount).toBeNull();
		expect(disputeInput({ ...dispute, amount: '99,9' }).amount).toBe('99.90');
	});
});

describe('scenarios', () => {
	const standard = {
		id: 'default',
		name: 'Standard',
		steps: [
			{
				id: 'pre_reminder',
				offset_days: -3,
				channels: ['email'],
				template: 'pre_reminder',
				needs_validation: false
			},
			{
				id: 'reminder_1',
				offset_days: 5,
				channels: ['email'],
				template: 'reminder_1',
				needs_validation: false
			}
		]
	};

	it('accept a valid scenario and say what is wrong with a bad one', () => {
		expect(validateScenario(standard)).toEqual([]);
		const bad = {
			id: 'mon scénario',
			name: ' ',
			steps: [
				{ ...standard.steps[0]!, channels: [] },
				{ ...standard.steps[1]!, id: 'pre_reminder', offset_days: -3 }
			]
		};
		expect(validateScenario(bad).map((p) => [p.step, p.message])).toEqual([
			[null, 'scenario.error.id'],
			[null, 'scenario.error.name'],
			[0, 'scenario.error.channel'],
			[1, 'scenario.error.duplicate'],
			[1, 'scenario.error.order']
		]);
		expect(validateScenario({ ...standard, steps: [] })[0]?.message).toBe('scenario.error.noStep');
	});

	it('make new scenarios and steps with free ids', () => {
		expect(slugify('Grands comptes & Public')).toBe('grands_comptes_public');
		const s = newScenario(standard, 'Standard', ['default', 'standard']);
		expect(s.id).toBe('standard_2');
		expect(s.steps).toEqual(standard.steps);
		expect(s.steps[0]).not.toBe(standard.steps[0]);
		expect(newStep(standard.steps)).toMatchObject({
			id: 'reminder_2',
			template: 'reminder_2',
			offset_days: 20,
			channels: ['email']
		});
	});

	it('reorder steps and keep channels in the canonical order', () => {
		expect(moveStep(standard.steps, 1, -1).map((s) => s.id)).toEqual(['reminder_1', 'pre_reminder']);
		expect(moveStep(standard.steps, 0, -1).map((s) => s.id)).toEqual(['pre_reminder', 'reminder_1']);
		const order = ['email', 'letter', 'call', 'sms_task'];
		expect(toggleChannel(['call'], 'letter', order)).toEqual(['letter', 'call']);
		expect(toggleChannel(['letter', 'call'], 'letter', order)).toEqual(['call']);
	});
});

describe('boards', () => {
	const p = (id: number, status: PromiseDto['status'], date: string, amount = '10.00'): PromiseDto => ({
		id,
		customer: `C${id}`,
		name: `Client ${id}`,
		made_on: '2026-10-01',
		date,
		amount,
		grace_days: 3,
		deadline: date,
		status,
		status_as_of: '2026-11-26',
		user: '',
		comment: '',
		invoices: [],
		version: 0
	});
	const list = [
		p(1, 'kept', '2026-10-10'),
		p(2, 'running', '2026-12-10'),
		p(3, 'broken', '2026-11-01', '5.50'),
		p(4, 'running', '2026-12-01')
	];

	it('list broken promises first, running ones by date', () => {
		expect(filterPromises(list, 'all').map((x) => x.id)).toEqual([3, 4, 2, 1]);
		expect(filterPromises(list, 'running').map((x) => x.id)).toEqual([4, 2]);
		expect(promiseTotals(list).broken).toEqual({ count: 1, amount: '5.50' });
		expect(promiseTotals(list).all).toEqual({ count: 4, amount: '35.50' });
	});

	it('size the bars by amount, the largest at 100', () => {
		const tallies: DisputeTally[] = [
			{ key: 'price', count: 1, amount: '250.00' },
			{ key: 'quality', count: 2, amount: '1000.00' },
			{ key: 'other', count: 0, amount: '0.00' }
		];
		expect(bars(tallies)).toEqual([
			{ key: 'quality', count: 2, amount: '1000.00', width: 100 },
			{ key: 'price', count: 1, amount: '250.00', width: 25 },
			{ key: 'other', count: 0, amount: '0.00', width: 0 }
		]);
		expect(bars([{ key: 'x', count: 0, amount: '0.00' }])[0]?.width).toBe(0);
	});

	it('filter disputes by status, kind and department', () => {
		const d = (id: number, status: string, kind: string, department: string) =>
			({ id, status, kind, department }) as never;
		const all = [
			d(1, 'open', 'price', 'sales'),
			d(2, 'closed', 'price', 'logistics'),
			d(3, 'open', 'quality', 'quality')
		];
		const ids = (f: Parameters<typeof filterDisputes>[1]) =>
			filterDisputes(all, f).map((x: { id: number }) => x.id);
		expect(ids({ status: 'open', kind: '', department: '' })).toEqual([1, 3]);
		expect(ids({ status: 'all', kind: 'price', department: '' })).toEqual([1, 2]);
		expect(ids({ status: 'all', kind: '', department: 'quality' })).toEqual([3]);
	});
});
