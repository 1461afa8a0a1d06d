import { describe, expect, it } from 'vitest';
import type { VirtualizerOptions } from '@tanstack/virtual-core';
import { VirtualRows } from './virtual.svelte';

type Options = VirtualizerOptions<Element, Element>;

/** A scroll area 600 px high scrolled to `offset`, as the browser would report it. */
function area(offset: number) {
	const scroller = {} as Element;
	const rect: Options['observeElementRect'] = (_v, cb) => {
		cb({ width: 1000, height: 600 });
		return () => {};
	};
	const scroll: Options['observeElementOffset'] = (_v, cb) => {
		cb(offset, false);
		return () => {};
	};
	return { getScrollElement: () => scroller, observeElementRect: rect, observeElementOffset: scroll };
}

describe('VirtualRows', () => {
	it('draws a few dozen of 15,000 rows, with blank space standing for the others', () => {
		const rows = new VirtualRows({ count: 15000, estimateSize: () => 28, ...area(0) });
		const stop = rows.mount();
		expect(rows.items.length).toBeGreaterThan(0);
		expect(rows.items.length).toBeLessThan(60);
		expect(rows.items[0]?.index).toBe(0);
		expect(rows.size).toBe(15000 * 28);
		expect(rows.before).toBe(0);
		expect(rows.after).toBe(rows.size - rows.items.length * 28);
		stop();
	});

	it('draws the rows in view further down, after the content above the list', () => {
		const rows = new VirtualRows({
			count: 15000,
			estimateSize: () => 28,
			scrollMargin: 200,
			...area(200 + 28 * 5000)
		});
		const stop = rows.mount();
		const indexes = rows.items.map((i) => i.index);
		expect(indexes).toContain(5000);
		expect(indexes).toContain(5020);
		expect(rows.items.length).toBeLessThan(60);
		expect(rows.before).toBe((rows.items[0]?.index ?? -1) * 28);
		expect(rows.before + rows.items.length * 28 + rows.after).toBe(rows.size);
		stop();
	});

	it('follows a shorter list at once (a filter)', () => {
		const rows = new VirtualRows({ count: 15000, estimateSize: () => 28, ...area(0) });
		const stop = rows.mount();
		rows.update({ count: 3 });
		expect(rows.items.map((i) => i.index)).toEqual([0, 1, 2]);
		expect(rows.size).toBe(84);
		expect(rows.after).toBe(0);
		stop();
	});
});
