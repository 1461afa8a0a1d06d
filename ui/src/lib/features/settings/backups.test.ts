import { describe, expect, it, vi } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { BackupsState, formatBytes, formatCreatedAt, keepProblem } from './backups.svelte';

const state = async (onRestored = () => {}) => {
	const api = createApi(createMockTransport());
	const st = new BackupsState(api, onRestored);
	await st.load();
	return { api, st };
};

describe('Settings → "Sauvegardes"', () => {
	it('says dates the French way and sizes in words', () => {
		expect(formatCreatedAt('2026-12-03T14:05:09')).toBe('03/12/2026 14:05');
		expect(formatBytes(532, 'fr')).toBe('532\u00a0o');
		expect(formatBytes(18_874_368, 'fr')).toBe('18,9\u00a0Mo');
		expect(formatBytes(18_874_368, 'en')).toBe('18.9\u00a0MB');
	});

	it('checks the retention fields as the backend does', () => {
		expect(keepProblem('last', '10')).toBeNull();
		expect(keepProblem('last', '0')).toBe('backups.error.last');
		expect(keepProblem('last', 'dix')).toBe('backups.error.number');
		expect(keepProblem('weeks', '0')).toBeNull();
		expect(keepProblem('weeks', '521')).toBe('backups.error.weeks');
	});

	it('lists the copies newest first and makes one now', async () => {
		const { st } = await state();
		const before = st.list!.backups.length;
		expect(st.keepLast).toBe('10');
		await st.backupNow();
		expect(st.saving.error).toBeNull();
		expect(st.made).toMatchObject({ integrity: 'ok', reason: 'manual' });
		expect(st.list!.backups).toHaveLength(before + 1);
		expect(st.list!.backups[0]!.reason).toBe('manual');
	});

	it('restores only once confirmed, then tells the window', async () => {
		const restored = vi.fn();
		const { st } = await state(restored);
		const target = st.list!.backups[1]!;
		st.askRestore(target);
		expect(st.toRestore).toBe(target);
		st.cancelRestore();
		expect(st.toRestore).toBeNull();
		expect(restored).not.toHaveBeenCalled();
		st.askRestore(target);
		await st.confirmRestore();
		expect(st.toRestore).toBeNull();
		expect(st.restored).toMatchObject({ restored_from: target.path });
		expect(st.list!.backups[0]!.reason).toBe('before_restore');
		expect(restored).toHaveBeenCalledOnce();
	});

	it('saves the retention rule and shows why the folder cannot open outside the app', async () => {
		const { st } = await state();
		st.keepLast = '5';
		st.keepWeeks = '4';
		await st.saveSettings();
		expect(st.saved).toEqual({ keep_last: 5, keep_weeks: 4 });
		await st.openFolder();
		expect(st.saving.error?.code).toBe('io');
	});
});
