import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { sampleAgendaView } from '$lib/api/fixtures/workflow-mock';
import type { AgendaItem } from '$lib/api/types';
import { FIRST_ROWS, VIRTUAL_FROM } from '$lib/table/virtual.svelte';
import AgendaGroup from './AgendaGroup.svelte';
import { sumDecimals, type ChannelGroup } from './agenda';

/** The sample's actions repeated to `size`, each for a customer of its own (a large portfolio's day). */
function items(size: number): AgendaItem[] {
	const base = sampleAgendaView.items;
	return Array.from({ length: size }, (_, i) => {
		const it = base[i % base.length]!;
		const customer = `P${String(i + 1).padStart(6, '0')}`;
		return { ...it, action: { ...it.action, customer } };
	});
}

function group(size: number): ChannelGroup {
	const list = items(size);
	return { channel: 'email', items: list, openAmount: sumDecimals(list.map((i) => i.action.amount)) };
}

/** The group as first drawn (the frame before the virtualizer reads the scroll area): its HTML. */
function draw(g: ChannelGroup): string {
	return render(AgendaGroup, {
		props: {
			group: g,
			currency: 'EUR',
			selected: new Set<string>(),
			busy: false,
			ontoggle: () => {},
			ontogglegroup: () => {},
			onaction: () => {}
		}
	}).body;
}

const count = (html: string, what: string) => html.split(what).length - 1;

describe("the agenda's long groups", () => {
	it('draw a screenful of 1,000 actions, with blank space standing for the others', () => {
		const html = draw(group(1000));
		const drawn = count(html, 'data-testid="agenda-item"');
		expect(drawn).toBeGreaterThan(0);
		expect(drawn).toBeLessThanOrEqual(FIRST_ROWS);
		expect(drawn * 20).toBeLessThan(1000);
		expect(html).toContain('data-testid="agenda-rows-email"');
		expect(html).toContain('data-virtual="true"');
		// Each action's rows (its credit note too) count; the blank row stands for the rest.
		expect(Number(/data-rows="(\d+)"/.exec(html)?.[1])).toBeGreaterThanOrEqual(1000);
		expect(count(html, 'virtual-blank')).toBe(1);
		// The first actions are the group's first, with their names and amounts.
		const first = group(1000).items[0]!;
		expect(html).toContain(`data-customer="${first.action.customer}"`);
		expect(html).toContain(first.name);
	});

	it('draw every action of a short group', () => {
		const n = Math.floor(VIRTUAL_FROM / 3);
		const html = draw(group(n));
		expect(count(html, 'data-testid="agenda-item"')).toBe(n);
		expect(html).not.toContain('data-virtual');
		expect(html).not.toContain('virtual-blank');
	});
});
