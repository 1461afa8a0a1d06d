import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// A static single-page app: the Tauri shell embeds ui/build (frontendDist: ../ui/build).
		// The Content-Security-Policy is the Tauri shell's (tauri.conf.json): it hashes the inline bootstrap script.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true })
	}
};

export default config;
