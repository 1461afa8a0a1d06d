import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

function memoryStorage(initial: Record<string, string> = {}): Storage {
	const data = new Map(Object.entries(initial));
	return {
		get length() {
			return data.size;
		},
		clear: () => data.clear(),
		getItem: (k) => data.get(k) ?? null,
		key: (i) => [...data.keys()][i] ?? null,
		removeItem: (k) => void data.delete(k),
		setItem: (k, v) => void data.set(k, String(v))
	};
}

describe('language choice', () => {
	beforeEach(() => vi.resetModules());
	afterEach(() => vi.unstubAllGlobals());

	it('defaults to French', async () => {
		vi.stubGlobal('localStorage', memoryStorage());
		const { i18n, t } = await import('./i18n.svelte');
		expect(i18n.locale).toBe('fr');
		expect(t('nav.dashboard')).toBe('Tableau de bord');
	});

	it('is persisted and read back at the next start', async () => {
		const storage = memoryStorage();
		vi.stubGlobal('localStorage', storage);
		const first = await import('./i18n.svelte');
		first.i18n.locale = 'en';
		expect(first.t('nav.dashboard')).toBe('Dashboard');
		expect(storage.getItem(first.STORAGE_KEY)).toBe('en');

		vi.resetModules();
		const second = await import('./i18n.svelte');
		expect(second.i18n.locale).toBe('en');
	});

	it('ignores a stored value that is not a language', async () => {
		vi.stubGlobal('localStorage', memoryStorage({ 'encaisse.locale': 'de' }));
		const { i18n } = await import('./i18n.svelte');
		expect(i18n.locale).toBe('fr');
	});
});
