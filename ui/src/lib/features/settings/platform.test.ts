import { describe, expect, it } from 'vitest';
import { createApi, type Api } from '$lib/api/client';
import { createMockTransport, mockChannel } from '$lib/api/fixtures/mock';
import type { PaSettings, PaSyncReport } from '$lib/api/types';
import {
	isPlatformUrl,
	paForm,
	paInput,
	PaSync,
	PlatformState,
	syncable,
	validatePa
} from './platform.svelte';

const EMPTY: PaSettings = {
	base_url: '',
	token_url: '',
	client_id: '',
	organization_id: '',
	has_secret: false,
	cursor: null
};

const READY: PaSettings = {
	base_url: 'https://api.flow.example.fr/flow-service',
	token_url: 'https://auth.example.fr/token',
	client_id: 'encaisse',
	organization_id: 'ORG-1',
	has_secret: true,
	cursor: null
};

describe('Settings → "Plateforme agréée"', () => {
	it('takes https addresses (http only to this computer), as the backend', () => {
		expect(isPlatformUrl('https://api.flow.example.fr/flow-service')).toBe(true);
		expect(isPlatformUrl('http://127.0.0.1:8080/flow-service')).toBe(true);
		expect(isPlatformUrl('http://api.flow.example.fr/flow-service')).toBe(false);
		expect(isPlatformUrl('http://localhost.evil.fr/')).toBe(false);
		expect(isPlatformUrl('https://a b')).toBe(false);
	});

	it('validates the form by field, and all empty forgets the platform', () => {
		expect(validatePa(paForm(EMPTY))).toEqual({});
		const form = paForm({ ...EMPTY, base_url: 'http://pa.example.fr' });
		expect(validatePa(form)).toEqual({
			base_url: 'pa.error.url',
			token_url: 'pa.error.url',
			client_id: 'pa.error.clientId'
		});
		const secret = paForm(READY);
		secret.secretAction = 'set';
		expect(validatePa(secret)).toEqual({ secret: 'pa.error.secret' });
	});

	it('sends the secret only when it changes', () => {
		const form = paForm(READY);
		expect(paInput(form).secret).toBeNull();
		form.secretAction = 'set';
		form.secret = 's3cr3t';
		expect(paInput(form).secret).toBe('s3cr3t');
		form.secretAction = 'remove';
		expect(paInput(form).secret).toBe('');
		expect(paInput(form).settings.has_secret).toBe(false);
	});

	it('saves through the preview and records the change without the secret', async () => {
		const api = createApi(createMockTransport());
		const st = new PlatformState(api);
		await st.load();
		expect(st.hasSecret).toBe(false);
		st.form!.settings = { ...READY, has_secret: false };
		st.form!.secretAction = 'set';
		st.form!.secret = 'tr3s-secret';
		expect(await st.save()).toBe(true);
		expect(st.hasSecret).toBe(true);
		expect(syncable(st.settings)).toBe(true);
		const last = (await api.auditTrail(null, null)).at(-1)!;
		expect(last.kind).toBe('pa_settings_changed');
		expect(JSON.stringify(last)).not.toContain('tr3s-secret');
	});

	it('refuses to send an invalid form', async () => {
		let calls = 0;
		const st = new PlatformState({
			paSettings: async () => EMPTY,
			savePaSettings: async () => {
				calls += 1;
				return EMPTY;
			}
		});
		await st.load();
		st.form!.settings.base_url = 'ftp://x';
		expect(await st.save()).toBe(false);
		expect(st.problem('base_url')).toBe('pa.error.url');
		expect(calls).toBe(0);
	});
});

describe('the platform sync', () => {
	const report: PaSyncReport = {
		flows: 2,
		imported: 1,
		statuses: 1,
		failed: [{ flow: 'F2', reason: 'F2.xml:12: ReasonCode: missing' }]
	};

	it('runs when the app opens only if the settings are complete', async () => {
		let runs = 0;
		const api = (settings: PaSettings): Pick<Api, 'paSync' | 'paSettings'> => ({
			paSettings: async () => settings,
			paSync: async (onProgress) => {
				runs += 1;
				onProgress({ done: 0, total: 2, flow: 'F1' });
				return report;
			}
		});
		const sync = new PaSync();
		await sync.whenOpened(api({ ...READY, has_secret: false }));
		expect(runs).toBe(0);
		await sync.whenOpened(api(READY));
		expect(runs).toBe(1);
		expect(sync.report).toEqual(report);
		expect(sync.progress).toBeNull();
		expect(sync.openError).toBeNull();
	});

	it('keeps the error of the sync when the app opened until dismissed, without throwing', async () => {
		const sync = new PaSync();
		await sync.whenOpened({
			paSettings: async () => READY,
			paSync: async () => Promise.reject({ code: 'platform', message: 'refused (401): invalid_client' })
		});
		expect(sync.openError?.code).toBe('platform');
		sync.dismiss();
		expect(sync.openError).toBeNull();
		// A sync on demand shows its error in the panel, not above every screen.
		await sync.run({ paSync: async () => Promise.reject({ code: 'platform', message: 'down' }) });
		expect(sync.error?.code).toBe('platform');
		expect(sync.openError).toBeNull();
	});

	it('reports progress and the failed flows from the preview', async () => {
		const api = createApi(createMockTransport(), mockChannel);
		await api.savePaSettings({ settings: READY, secret: 'x' });
		const sync = new PaSync();
		const seen: number[] = [];
		const run = sync.run({
			paSync: (onProgress) =>
				api.paSync((p) => {
					seen.push(p.done);
					onProgress(p);
				})
		});
		expect(await run).toBe(true);
		expect(seen).toEqual([0, 1, 2]);
		expect(sync.report?.failed.map((f) => f.flow)).toEqual(['FLOW-0002']);
	});
});
