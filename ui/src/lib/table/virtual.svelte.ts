/**
 * Long lists render only the rows in view (and a few around them), through TanStack's framework-agnostic
 * virtualizer wired to Svelte runes. The list scrolls with the screen's one scroll area (the content area),
 * not in a box of its own: `scrollMargin` is where the list starts inside that area.
 */
import {
	Virtualizer,
	elementScroll,
	observeElementOffset,
	observeElementRect,
	type VirtualItem,
	type VirtualizerOptions
} from '@tanstack/virtual-core';

/** Lists up to this many rows render them all (and print whole); longer ones render what is in view. */
export const VIRTUAL_FROM = 150;

/**
 * Rows a long list draws before its virtualizer is mounted (its first frame, or a server rendering): about a
 * screen, so that the first paint shows rows and the virtualizer then keeps them (same keys).
 */
export const FIRST_ROWS = 40;

/** Rows drawn beyond each edge of the view, so that a fast wheel never shows a blank band. */
const OVERSCAN = 12;

export type VirtualOptions = Partial<VirtualizerOptions<Element, Element>> &
	Pick<VirtualizerOptions<Element, Element>, 'count' | 'getScrollElement' | 'estimateSize'>;

/**
 * The ancestor the list scrolls in (the app's content area), or the document's scroller. A box that only scrolls
 * sideways (a wide table's `overflow-x: auto`, which makes its overflow-y compute to `auto` too) grows with its
 * rows and never overflows vertically: it is passed over. The nearest box that overflows vertically now wins,
 * else the outermost one that could scroll.
 */
export function scrollParent(el: Element): Element {
	let outermost: Element | null = null;
	for (let p = el.parentElement; p; p = p.parentElement) {
		const y = getComputedStyle(p).overflowY;
		if (y !== 'auto' && y !== 'scroll') continue;
		if (p.scrollHeight > p.clientHeight) return p;
		outermost = p;
	}
	return outermost ?? document.scrollingElement ?? document.documentElement;
}

/** Where `el` starts inside the content of `scroller` (its distance from the scroller's top at scroll 0). */
export function offsetWithin(el: Element, scroller: Element): number {
	return Math.round(
		el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop
	);
}

export class VirtualRows {
	/** The rows to draw now, each with its index in the full list. */
	items = $state.raw<VirtualItem[]>([]);
	/** The height of the whole list (every row, drawn or not). */
	size = $state(0);
	readonly #v: Virtualizer<Element, Element>;

	constructor(options: VirtualOptions) {
		this.#v = new Virtualizer<Element, Element>({
			observeElementRect,
			observeElementOffset,
			scrollToFn: elementScroll,
			overscan: OVERSCAN,
			...options,
			onChange: (v) => this.#sync(v)
		});
	}

	#sync(v: Virtualizer<Element, Element>): void {
		this.items = v.getVirtualItems();
		this.size = v.getTotalSize();
	}

	/** Starts following the scroll element; returns what stops it (an $effect's cleanup). */
	mount(): () => void {
		const stop = this.#v._didMount();
		this.#v._willUpdate();
		this.#sync(this.#v);
		return stop;
	}

	/** New count, scroll element or margin: the drawn rows follow at once. */
	update(options: Partial<VirtualizerOptions<Element, Element>>): void {
		this.#v.setOptions({ ...this.#v.options, ...options });
		this.#v._willUpdate();
		this.#sync(this.#v);
	}

	/**
	 * Reads the drawn items' real heights (items of different heights: a dispute with comments). Called once
	 * after the DOM is updated, it reads them all in one layout.
	 */
	measureWithin(container: Element): void {
		for (const el of container.querySelectorAll(':scope > [data-index]')) this.#v.measureElement(el);
	}

	/** The blank height above the first drawn row. */
	get before(): number {
		const first = this.items[0];
		return first ? first.start - this.#v.options.scrollMargin : 0;
	}

	/** The blank height below the last drawn row. */
	get after(): number {
		const last = this.items[this.items.length - 1];
		return last ? Math.max(0, this.size - (last.end - this.#v.options.scrollMargin)) : 0;
	}

	/** The element the list scrolls in, as found at its mount (a dialog that locks it later changes nothing). */
	get scroller(): Element | null {
		return this.#v.options.getScrollElement();
	}

	scrollToIndex(index: number): void {
		this.#v.scrollToIndex(index);
	}
}
