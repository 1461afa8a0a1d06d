// The Clients screen at 15,000 customers, in headless Chromium on the browser preview (npm run build:preview):
// the time from the click in the sidebar to the first rows, a sort, a filter, and the frames while scrolling.
// Prints the figures; fails only on generous bounds, and when the table draws more than a small part of its
// rows (the list must be virtualized). Then the agenda (3,000 actions) and the audit journal (15,000 entries): each
// must draw a small part of its rows and reach its last row once scrolled to the end.
//   npm run build:preview && npm run bench:ui            (PORTFOLIO=15000 by default; PREVIEW_DIR=another
//                                                        build of the preview, to compare two versions)
import { serve, launch } from './preview-browser.mjs';

const SIZE = Number(process.env.PORTFOLIO ?? 15000);
const BOUNDS = { firstRowsMs: 2000, sortMs: 1000, filterMs: 1000, drawnShare: 0.05 };

const server = await serve(process.env.PREVIEW_DIR ?? new URL('../build-preview', import.meta.url).pathname);
const browser = await launch();
const failures = [];
try {
	const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
	// The dashboard first (the app started), then the click on "Clients".
	await page.goto(`${server.url}/?portfolio=${SIZE}`);
	await page.waitForSelector('[data-testid="late-table"] tbody tr', { timeout: 30000 });

	/** Runs `act` in the page and waits until `done` holds, both in the same frame loop: ms between them. */
	const timed = (act, done, arg) =>
		page.evaluate(
			([act, done, arg]) =>
				new Promise((resolve, reject) => {
					const t0 = performance.now();
					new Function('arg', act)(arg);
					const deadline = t0 + 20000;
					const poll = () => {
						if (new Function('arg', done)(arg)) {
							// The frame that shows it.
							requestAnimationFrame(() => resolve(performance.now() - t0));
						} else if (performance.now() > deadline) reject(new Error(`timeout: ${done}`));
						else requestAnimationFrame(poll);
					};
					poll();
				}),
			[act, done, arg]
		);

	const table = '[data-testid="customers-table"]';
	const firstRowsMs = await timed(
		`document.querySelector('nav a[href$="/customers"]').click()`,
		`return document.querySelectorAll('${table} tbody tr[data-customer-key]').length > 10`
	);
	const counts = await page.evaluate((sel) => {
		const t = document.querySelector(sel);
		return { total: Number(t.dataset.rows), drawn: t.querySelectorAll('tbody tr[data-customer-key]').length };
	}, table);

	// Sort by balance (figures start descending): done when the first row is the largest balance.
	const sortMs = await timed(
		`document.querySelector('${table} thead th:nth-child(3) button').click()`,
		`return document.querySelector('${table} thead th:nth-child(3)').getAttribute('aria-sort') === 'descending'`
	);

	// Filter: type a name into the search box; done when the count says fewer rows.
	const filterMs = await timed(
		`const i = document.querySelector('[data-testid="customers-search"]');
		 i.value = 'mairie de lyon'; i.dispatchEvent(new Event('input', { bubbles: true }));`,
		`return Number(document.querySelector('${table}').dataset.rows) < ${SIZE}`
	);
	const shown = await page.evaluate((sel) => Number(document.querySelector(sel).dataset.rows), table);
	await page.fill('[data-testid="customers-search"]', '');
	await page.waitForFunction(
		(n) => Number(document.querySelector('[data-testid="customers-table"]').dataset.rows) === n,
		SIZE
	);

	// Scroll the whole list in 60 steps, one per frame: frame times while the rows follow.
	const scroll = await page.evaluate(async () => {
		const area = document.querySelector('.content');
		const frames = [];
		let last = performance.now();
		const steps = 60;
		for (let i = 1; i <= steps; i++) {
			area.scrollTop = (area.scrollHeight - area.clientHeight) * (i / steps);
			await new Promise((r) => requestAnimationFrame(r));
			const now = performance.now();
			frames.push(now - last);
			last = now;
		}
		// The end: the list's height is final once its rows were measured; scroll until nothing is left.
		for (let i = 0; i < 10 && area.scrollTop + area.clientHeight < area.scrollHeight - 1; i++) {
			area.scrollTop = area.scrollHeight;
			await new Promise((r) => requestAnimationFrame(r));
		}
		await new Promise((r) => requestAnimationFrame(r));
		frames.sort((a, b) => a - b);
		const rows = document.querySelectorAll('[data-testid="customers-table"] tbody tr[data-customer-key]');
		const lastIndex = Number(rows[rows.length - 1]?.dataset.index ?? -1);
		return {
			median: frames[Math.floor(frames.length / 2)],
			p95: frames[Math.floor(frames.length * 0.95)],
			max: frames[frames.length - 1],
			lastIndex
		};
	});

	const fmt = (ms) => `${ms.toFixed(0)} ms`;
	console.log(
		`UI bench: Clients screen, ${SIZE.toLocaleString('en')} customers (browser preview, headless Chromium, 1366x768)`
	);
	console.log(`  first rows after the click  ${fmt(firstRowsMs)}`);
	console.log(`  rows drawn / rows in list   ${counts.drawn} / ${counts.total}`);
	console.log(`  sort by balance             ${fmt(sortMs)}`);
	console.log(`  filter "mairie de lyon"     ${fmt(filterMs)} (${shown} rows)`);
	console.log(
		`  scroll to the end, 60 steps frame median ${fmt(scroll.median)}, p95 ${fmt(scroll.p95)}, max ${fmt(scroll.max)}; last row drawn #${scroll.lastIndex + 1}`
	);

	// The agenda's groups and the audit journal at the same portfolio's size (3,000 actions, 15,000 entries): each
	// long list draws a screenful, and scrolling the content area to the end reaches the last row.
	for (const list of [
		{ name: 'agenda', link: '/agenda', bodies: '[data-testid^="agenda-rows-"]' },
		{ name: 'audit journal', link: '/settings/audit', bodies: '[data-testid="audit-rows"]' }
	]) {
		await page.click(`nav a[href$="${list.link}"]`);
		await page.waitForSelector(`${list.bodies} > tr[data-index]`, { timeout: 30000 });
		const seen = await page.evaluate(async (sel) => {
			const frame = () => new Promise((r) => requestAnimationFrame(r));
			await frame();
			const bodies = [...document.querySelectorAll(sel)];
			const drawn = () =>
				bodies.reduce((n, b) => n + b.querySelectorAll(':scope > tr[data-index]').length, 0);
			const total = bodies.reduce((n, b) => n + Number(b.dataset.rows), 0);
			const first = drawn();
			const area = document.querySelector('.content');
			for (let i = 0; i < 40 && area.scrollTop + area.clientHeight < area.scrollHeight - 1; i++) {
				area.scrollTop = area.scrollHeight;
				await frame();
				await frame();
			}
			const last = bodies[bodies.length - 1];
			const rows = last.querySelectorAll(':scope > tr[data-index]');
			return {
				total,
				first,
				atEnd: drawn(),
				lastIndex: Number(rows[rows.length - 1]?.dataset.index ?? -1),
				lastRows: Number(last.dataset.rows),
				lists: bodies.length
			};
		}, list.bodies);
		console.log(
			`  ${list.name}: rows drawn / rows in its ${seen.lists} list(s) ${seen.first} / ${seen.total}, at the end ${seen.atEnd}; last row drawn #${seen.lastIndex + 1} of ${seen.lastRows}`
		);
		if (seen.total <= SIZE * BOUNDS.drawnShare)
			failures.push(`the ${list.name} holds only ${seen.total} rows`);
		if (Math.max(seen.first, seen.atEnd) > seen.total * BOUNDS.drawnShare)
			failures.push(
				`${list.name}: ${Math.max(seen.first, seen.atEnd)} rows drawn of ${seen.total}: not virtualized`
			);
		if (seen.lastIndex !== seen.lastRows - 1)
			failures.push(`${list.name}: after scrolling to the end the last row drawn is #${seen.lastIndex + 1}`);
	}

	if (counts.total !== SIZE) failures.push(`the table holds ${counts.total} rows, not ${SIZE}`);
	if (counts.drawn > SIZE * BOUNDS.drawnShare)
		failures.push(`${counts.drawn} rows drawn of ${SIZE}: not virtualized`);
	if (firstRowsMs > BOUNDS.firstRowsMs)
		failures.push(`first rows after ${fmt(firstRowsMs)} (bound ${BOUNDS.firstRowsMs} ms)`);
	if (sortMs > BOUNDS.sortMs) failures.push(`sort took ${fmt(sortMs)} (bound ${BOUNDS.sortMs} ms)`);
	if (filterMs > BOUNDS.filterMs) failures.push(`filter took ${fmt(filterMs)} (bound ${BOUNDS.filterMs} ms)`);
	if (scroll.lastIndex !== SIZE - 1)
		failures.push(`after scrolling to the end the last row drawn is #${scroll.lastIndex + 1}`);
} finally {
	await browser.close();
	await server.close();
}
if (failures.length) {
	console.error(`UI bench FAILED:\n  ${failures.join('\n  ')}`);
	process.exit(1);
}
console.log('UI bench: within bounds');
