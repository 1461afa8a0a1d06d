import { beforeEach, describe, expect, it, vi } from 'vitest';

const { invoke, Channel } = vi.hoisted(() => ({
	invoke: vi.fn(),
	/** Stands for Tauri's Channel: keeps the handler the backend's messages go to. */
	Channel: class {
		constructor(readonly onmessage: (message: unknown) => void) {}
	}
}));
vi.mock('@tauri-apps/api/core', () => ({ invoke, Channel }));

import { ApiError, connectBackend, createApi, isTauri, tauriTransport, toApiError } from './client';
import { detailShown, errorText } from '$lib/components/error-text';
import { translate } from '$lib/i18n/i18n.svelte';

beforeEach(() => invoke.mockReset());

describe('commands', () => {
	it('call Tauri with the exact command names and camelCase arguments', async () => {
		invoke.mockResolvedValue({});
		const api = createApi(tauriTransport);
		await api.status();
		await api.createDemo({ seed: null, customers: null, end: null, replace: null });
		await api.dashboard('2026-11-26');
		await api.aging(null);
		await api.dso('2026-10-31', 30);
		expect(invoke.mock.calls).toEqual([
			['status', {}],
			['create_demo', { options: { seed: null, customers: null, end: null, replace: null } }],
			['dashboard', { asOf: '2026-11-26' }],
			['aging', { asOf: null }],
			['dso', { asOf: '2026-10-31', periodDays: 30 }]
		]);
	});

	it('call the import commands with paths, options and a Channel for the FEC progress', async () => {
		invoke.mockResolvedValue({});
		const api = createApi(tauriTransport);
		const options = { mapping: [{ field: 'siren', header: 'N° SIREN' }], sheet: null };
		const progress: unknown[] = [];
		await api.inspectFec('/a/FEC.txt', null, null);
		await api.importFec('/a/FEC.txt', 45, '123456789', (p) => progress.push(p));
		await api.inspectCustomersFile('/a/c.csv', options);
		await api.importCustomersFile('/a/c.csv', options);
		await api.inspectInvoicesFile('/a/f.xlsx', options);
		await api.importInvoicesFile('/a/f.xlsx', options);
		await api.inspectEinvoices(['/a/1.pdf', '/a/2.xml']);
		await api.importEinvoices(['/a/1.pdf']);
		const calls = invoke.mock.calls as [string, Record<string, unknown>][];
		expect(calls.map(([command]) => command)).toEqual([
			'inspect_fec',
			'import_fec',
			'inspect_customers_file',
			'import_customers_file',
			'inspect_invoices_file',
			'import_invoices_file',
			'inspect_einvoices',
			'import_einvoices'
		]);
		expect(calls[0]?.[1]).toEqual({ path: '/a/FEC.txt', termsDays: null, siren: null });
		const { onProgress, ...rest } = calls[1]?.[1] ?? {};
		expect(rest).toEqual({ path: '/a/FEC.txt', termsDays: 45, siren: '123456789' });
		expect(onProgress).toBeInstanceOf(Channel);
		(onProgress as InstanceType<typeof Channel>).onmessage({ stage: 'read', done: 1, total: 2 });
		expect(progress).toEqual([{ stage: 'read', done: 1, total: 2 }]);
		expect(calls[2]?.[1]).toEqual({ path: '/a/c.csv', options });
		expect(calls[6]?.[1]).toEqual({ paths: ['/a/1.pdf', '/a/2.xml'] });
	});

	it('resolve with the reply', async () => {
		const status = {
			has_data: true,
			demo: false,
			company: 'X',
			customers: 1,
			lines: 2,
			today: '2026-11-26',
			database: '/x'
		};
		const api = createApi(async () => status);
		await expect(api.status()).resolves.toEqual(status);
	});
});

describe('errors', () => {
	it('turn an AppError into an ApiError with its code', async () => {
		const api = createApi(() => Promise.reject({ code: 'newer_database', message: 'written by version 9' }));
		const error = await api.dashboard(null).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect(error).toMatchObject({
			code: 'newer_database',
			detail: 'written by version 9',
			command: 'dashboard'
		});
	});

	it.each([
		'newer_database',
		'database',
		'busy',
		'invalid_input',
		'invalid_file',
		'no_data',
		'io',
		'mail',
		'no_pdf_viewer'
	] as const)('keep the code %s', (code) => {
		expect(toApiError('aging', { code, message: 'm' }).code).toBe(code);
	});

	it('keep where the PDF was saved when no viewer could open it', () => {
		const error = toApiError('print_letter', {
			code: 'no_pdf_viewer',
			message: 'no PDF viewer could open the letter',
			path: '/tmp/encaisse-letters/C00153.pdf'
		});
		expect(error).toMatchObject({ code: 'no_pdf_viewer', path: '/tmp/encaisse-letters/C00153.pdf' });
		expect(toApiError('aging', { code: 'io', message: 'm', path: '/x' }).path).toBeNull();
	});

	it('keep who changed a record meanwhile and when, and say it the French way', () => {
		const error = toApiError('save_scenario', {
			code: 'conflict',
			message: 'scenario default was changed by Marie Martin at 14:05 since it was read',
			by: 'Marie Martin',
			at: '14:05'
		});
		expect(error.changed).toEqual({ by: 'Marie Martin', at: '14:05' });
		expect(translate('fr', errorText(error.code).title, { ...error.changed })).toBe(
			'Modifié par Marie Martin à 14:05 — recharger'
		);
		expect(toApiError('aging', { code: 'io', message: 'm' }).changed).toBeNull();
		// The title names who and when in the user's language: the backend's English sentence is not repeated.
		expect(detailShown(error)).toBe(false);
		expect(detailShown(toApiError('aging', { code: 'io', message: 'disk full' }))).toBe(true);
		expect(detailShown(toApiError('aging', { code: 'io', message: '' }))).toBe(false);
		expect(detailShown(toApiError('open', { code: 'no_pdf_viewer', message: 'xdg-open' }))).toBe(false);
	});

	it('turn anything else into an unexpected error without a stack trace', () => {
		expect(toApiError('status', 'command status not found')).toMatchObject({
			code: 'unexpected',
			detail: 'command status not found'
		});
		const fromError = toApiError('status', new TypeError('x is undefined'));
		expect(fromError).toMatchObject({ code: 'unexpected', detail: 'x is undefined' });
		expect(toApiError('status', { code: 'teapot', message: 'm' }).code).toBe('unexpected');
		expect(toApiError('status', null).code).toBe('unexpected');
	});
});

describe('connectBackend', () => {
	it('uses Tauri inside the app, never the sample', async () => {
		invoke.mockResolvedValue({ has_data: false });
		const backend = await connectBackend({ __TAURI_INTERNALS__: {} });
		expect(backend.mock).toBe(false);
		await expect(backend.api.status()).resolves.toEqual({ has_data: false });
		expect(invoke).toHaveBeenCalledWith('status', {});
	});

	it('uses the sample outside Tauri and says so', async () => {
		const backend = await connectBackend({ location: { search: '?mock=empty' } });
		expect(backend.mock).toBe(true);
		expect(backend.desktop).toBeNull();
		expect((await backend.api.status()).has_data).toBe(false);
		expect(invoke).not.toHaveBeenCalled();
	});

	it('detects Tauri by its IPC bridge', () => {
		expect(isTauri({})).toBe(false);
		expect(isTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
	});
});
