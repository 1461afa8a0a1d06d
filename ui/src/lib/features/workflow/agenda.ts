/**
 * The agenda's pure logic: actions grouped by channel (emails to send, letters to print, calls to make, SMS),
 * the action that marks an item done, and totals. No Svelte, no API: tested on their own.
 */
import type { ActionInput, AgendaItem, AgendaPortfolio, PortfolioScope } from '$lib/api/types';
import { compareDecimal, toScaled } from '$lib/format/decimal';
import { CHANNELS, kindForChannel, splitChannels, type Channel } from './labels';

/** What can be done on one agenda item. */
export type ItemAction = 'done' | 'send' | 'print' | 'call' | 'promise' | 'dispute';

export type ChannelGroup = {
	channel: Channel;
	items: AgendaItem[];
	/** What is still due on the group's invoices (overdue and not yet due). */
	openAmount: string;
};

/** The group an action goes to: its first channel ("letter+call" is a letter to print, then a call). */
export function primaryChannel(item: AgendaItem): Channel {
	const first = splitChannels(item.action.channel)[0];
	return (CHANNELS as readonly string[]).includes(first ?? '') ? (first as Channel) : 'email';
}

/**
 * The day's actions by channel in the order email, letter, call, SMS; empty groups left out. Inside a group the
 * actions needing validation come first, then the largest open amounts, then by name.
 */
export function groupByChannel(items: readonly AgendaItem[], collation = 'fr-FR'): ChannelGroup[] {
	const byChannel = new Map<Channel, AgendaItem[]>();
	for (const item of items) {
		const c = primaryChannel(item);
		const list = byChannel.get(c) ?? [];
		list.push(item);
		byChannel.set(c, list);
	}
	return CHANNELS.filter((c) => byChannel.has(c)).map((channel) => {
		const list = [...(byChannel.get(channel) ?? [])].sort(
			(a, b) =>
				Number(b.action.needs_validation) - Number(a.action.needs_validation) ||
				compareDecimal(b.action.amount, a.action.amount) ||
				a.name.localeCompare(b.name, collation)
		);
		return { channel, items: list, openAmount: sumDecimals(list.map((i) => i.action.amount)) };
	});
}

/** Exact sum of decimal strings, with two decimals ("1234.50"). Non-decimals count as zero. */
export function sumDecimals(amounts: readonly string[]): string {
	let total = 0n;
	for (const a of amounts) total += toScaled(a, 2) ?? 0n;
	const negative = total < 0n;
	const abs = negative ? -total : total;
	const units = abs / 100n;
	const cents = (abs % 100n).toString().padStart(2, '0');
	return `${negative ? '-' : ''}${units}.${cents}`;
}

/** The customer has unapplied credits (payments on account, credit notes not matched): "-120.00", not "0.00". */
export function hasUnappliedCredit(item: AgendaItem): boolean {
	return /[1-9]/.test(item.action.unapplied);
}

/** An unapplied credit ("-120.00", the aged balance's sign) as the credit the customer has: "120.00". */
export function creditAmount(unapplied: string): string {
	return unapplied.trim().replace(/^-/, '');
}

/** The record that marks an agenda item done on its day, exactly what the backend's mark_done writes. */
export function doneInput(item: AgendaItem, asOf: string, user = ''): ActionInput {
	return {
		customer: item.action.customer,
		kind: kindForChannel(item.action.channel),
		invoices: [...item.action.invoices],
		step: item.action.step,
		outcome: null,
		date: asOf,
		user,
		next_action_date: null,
		template: item.template,
		recipient: null,
		subject: null,
		body: ''
	};
}

/** The selection after toggling a customer. */
export function toggle(selected: ReadonlySet<string>, customer: string): Set<string> {
	const next = new Set(selected);
	if (next.has(customer)) next.delete(customer);
	else next.add(customer);
	return next;
}

/** The selection after (un)selecting a whole group: all selected → none of it, else all of it. */
export function toggleGroup(selected: ReadonlySet<string>, group: readonly AgendaItem[]): Set<string> {
	const next = new Set(selected);
	const all = group.length > 0 && group.every((i) => next.has(i.action.customer));
	for (const i of group) {
		if (all) next.delete(i.action.customer);
		else next.add(i.action.customer);
	}
	return next;
}

/** The items of the selection, in the agenda's order. */
export function selectedItems(items: readonly AgendaItem[], selected: ReadonlySet<string>): AgendaItem[] {
	return items.filter((i) => selected.has(i.action.customer));
}

/** A portfolio as one string, for a <select>: "team", "unassigned" or "collector:LOGIN" ("mine" is the user's). */
export function scopeKey(scope: PortfolioScope, me: string): string {
	switch (scope.kind) {
		case 'team':
		case 'unassigned':
			return scope.kind;
		case 'mine':
			return `collector:${me}`;
		case 'collector':
			return `collector:${scope.login}`;
	}
}

export function scopeOfKey(key: string): PortfolioScope {
	if (key === 'team' || key === 'unassigned' || key === 'mine') return { kind: key };
	return { kind: 'collector', login: key.replace(/^collector:/, '') };
}

export type PortfolioChoice = {
	key: string;
	/** What the option says: the user's own, the team, nobody's, or a collector's name. */
	kind: 'mine' | 'team' | 'unassigned' | 'collector';
	name: string;
	actions: number;
};

/**
 * The agenda's portfolio choices: the user's own first (when they follow a customer or it is shown), the whole
 * team, each other collector by name, then the customers nobody follows (when there are some).
 */
export function portfolioChoices(p: AgendaPortfolio, collation = 'fr-FR'): PortfolioChoice[] {
	const mine = p.collectors.find((c) => c.login === p.me);
	const shownMine = p.shown.kind === 'collector' && p.shown.login === p.me;
	const out: PortfolioChoice[] = [];
	if (mine || shownMine)
		out.push({
			key: `collector:${p.me}`,
			kind: 'mine',
			name: mine?.name ?? p.me,
			actions: mine?.actions ?? 0
		});
	out.push({ key: 'team', kind: 'team', name: '', actions: p.team });
	const others = p.collectors
		.filter((c) => c.login !== p.me)
		.sort((a, b) => a.name.localeCompare(b.name, collation));
	for (const c of others)
		out.push({ key: `collector:${c.login}`, kind: 'collector', name: c.name, actions: c.actions });
	// A collector chosen with nothing left today stays selectable.
	if (
		p.shown.kind === 'collector' &&
		!out.some((o) => o.key === `collector:${(p.shown as { login: string }).login}`)
	)
		out.push({ key: `collector:${p.shown.login}`, kind: 'collector', name: p.shown.login, actions: 0 });
	if (p.unassigned > 0 || p.shown.kind === 'unassigned')
		out.push({ key: 'unassigned', kind: 'unassigned', name: '', actions: p.unassigned });
	return out;
}
