import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// Tauri expects a fixed port in dev and should see Rust errors in the terminal.
	clearScreen: false,
	server: { port: 1420, strictPort: true },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
