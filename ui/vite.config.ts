import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig(({ command, mode }) => ({
	plugins: [sveltekit()],
	// The browser preview (fixed sample data) exists in `vite dev`, the tests and `vite build --mode preview`;
	// the production build embedded in the desktop app has none of it: the constant is false there and the
	// sample's code and data are dropped from the bundle.
	define: { __ENCAISSE_PREVIEW__: JSON.stringify(command === 'serve' || mode === 'preview') },
	// Tauri expects a fixed port in dev and should see Rust errors in the terminal.
	clearScreen: false,
	server: { port: 1420, strictPort: true },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
}));
