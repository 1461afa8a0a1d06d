/**
 * The UI's only door to the backend: one typed function per Tauri command, errors turned into ApiError.
 * The transport is injectable so tests (and the browser preview) run without Tauri.
 */
import { invoke } from '@tauri-apps/api/core';
import type { AgingReport } from './bindings/AgingReport';
import type { AppError } from './bindings/AppError';
import type { Dashboard } from './bindings/Dashboard';
import type { DemoOptions } from './bindings/DemoOptions';
import type { DemoSummary } from './bindings/DemoSummary';
import type { DsoReport } from './bindings/DsoReport';
import type { Status } from './bindings/Status';

export type { AgingReport, AppError, Dashboard, DemoOptions, DemoSummary, DsoReport, Status };
export type { AgingRow } from './bindings/AgingRow';
export type { BucketTotal } from './bindings/BucketTotal';
export type { LateCustomer } from './bindings/LateCustomer';

/** Sends one command with its (camelCase) arguments and resolves with the reply or rejects with the error value. */
export type Transport = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/** The backend's error kinds, plus `unexpected` for anything that is not an AppError (a bug, a missing command). */
export type ErrorCode = AppError['code'] | 'unexpected';

const APP_ERROR_CODES: readonly string[] = [
	'newer_database',
	'database',
	'invalid_input',
	'no_data',
	'io'
] satisfies AppError['code'][];

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		readonly code: ErrorCode,
		/** The backend's message, for the "details" line; the UI's own text says what to do. */
		readonly detail: string,
		readonly command: string
	) {
		super(`${command}: ${code}: ${detail}`);
	}
}

export function isAppError(value: unknown): value is AppError {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return typeof v.code === 'string' && APP_ERROR_CODES.includes(v.code) && typeof v.message === 'string';
}

/** Whatever a command rejected with, as an ApiError (never a stack trace for the user). */
export function toApiError(command: string, reason: unknown): ApiError {
	if (reason instanceof ApiError) return reason;
	if (isAppError(reason)) return new ApiError(reason.code, reason.message, command);
	if (typeof reason === 'string') return new ApiError('unexpected', reason, command);
	if (reason instanceof Error) return new ApiError('unexpected', reason.message, command);
	return new ApiError('unexpected', String(reason), command);
}

export type Api = {
	status(): Promise<Status>;
	createDemo(options: DemoOptions): Promise<DemoSummary>;
	dashboard(asOf: string | null): Promise<Dashboard>;
	aging(asOf: string | null): Promise<AgingReport>;
	dso(asOf: string | null, periodDays: number | null): Promise<DsoReport>;
};

export function createApi(transport: Transport): Api {
	async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
		try {
			return (await transport(command, args)) as T;
		} catch (reason) {
			throw toApiError(command, reason);
		}
	}
	return {
		status: () => call<Status>('status'),
		createDemo: (options) => call<DemoSummary>('create_demo', { options }),
		dashboard: (asOf) => call<Dashboard>('dashboard', { asOf }),
		aging: (asOf) => call<AgingReport>('aging', { asOf }),
		dso: (asOf, periodDays) => call<DsoReport>('dso', { asOf, periodDays })
	};
}

/** The real transport: Tauri's IPC. Tauri maps camelCase argument names to the Rust snake_case parameters. */
export const tauriTransport: Transport = (command, args) => invoke(command, args);

/** True inside the Tauri window (its IPC bridge is injected before the page's scripts run). */
export function isTauri(scope: object = globalThis): boolean {
	return '__TAURI_INTERNALS__' in scope;
}

export type Backend = {
	api: Api;
	/** True when the data is the browser preview's fixed sample. */ mock: boolean;
};

/**
 * Picks the transport once at start: Tauri's IPC inside the app, always. Only outside Tauri (a plain browser,
 * for screenshots and UI work) does it load the fixed sample, and the UI then shows a banner saying so.
 */
export async function connectBackend(scope: object = globalThis): Promise<Backend> {
	if (isTauri(scope)) return { api: createApi(tauriTransport), mock: false };
	const { createMockTransport } = await import('./fixtures/mock');
	const search = 'location' in scope ? String((scope as { location: Location }).location.search) : '';
	return {
		api: createApi(createMockTransport({ empty: new URLSearchParams(search).get('mock') === 'empty' })),
		mock: true
	};
}
