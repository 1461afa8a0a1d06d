// The browser preview (npm run build:preview → build-preview/) served on 127.0.0.1 and opened in headless
// Chromium (Debian's `chromium`, driven by playwright-core): for the UI bench and screenshots.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.woff2': 'font/woff2'
};

/** Serves `dir` on a free loopback port; unknown paths get index.html (a single-page app). */
export async function serve(dir) {
	const root = resolve(dir);
	if (!existsSync(join(root, 'index.html'))) {
		throw new Error(`${root}/index.html is missing: run \`npm run build:preview\` first`);
	}
	const server = createServer(async (req, res) => {
		const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
		let file = join(root, path);
		if (!file.startsWith(root) || !existsSync(file) || path.endsWith('/')) file = join(root, 'index.html');
		try {
			const body = await readFile(file);
			res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
			res.end(body);
		} catch {
			res.writeHead(404).end();
		}
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	const { port } = server.address();
	return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, or the one CHROMIUM names. */
export function chromiumPath() {
	const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const found = candidates.find((p) => p && existsSync(p));
	if (!found)
		throw new Error('no Chromium: `apt-get install chromium` (scripts/install.sh does) or set CHROMIUM');
	return found;
}

export async function launch() {
	return chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=fr-FR']
	});
}
