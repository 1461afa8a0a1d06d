import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// `vite build --mode preview` (npm run build:preview) builds the browser preview, sample data included, beside
// the app's build rather than over it.
const mode = process.argv.indexOf('--mode');
const out = mode >= 0 && process.argv[mode + 1] === 'preview' ? 'build-preview' : 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// A static single-page app: the Tauri shell embeds ui/build (frontendDist: ../ui/build).
		// The Content-Security-Policy is the Tauri shell's (tauri.conf.json): it hashes the inline bootstrap script.
		adapter: adapter({ pages: out, assets: out, fallback: 'index.html', strict: true })
	}
};

export default config;
