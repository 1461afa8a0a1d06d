/**
 * The UI's only door to the backend: the generated commands over Tauri's IPC, every rejection turned into an
 * ApiError. The transport is injectable so tests (and the browser preview) run without Tauri.
 */
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AppError } from './bindings/AppError';
import { commandsOver, type CommandName, type Commands } from './bindings/commands';
import type { Desktop } from './desktop';
import type { FileProblem } from './bindings/FileProblem';

/** Every backend command, one typed method each (camelCase of the command's name). */
export type Api = Commands;

/** Sends one command with its (camelCase) arguments and resolves with the reply or rejects with the error value. */
export type Transport = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/**
 * Makes the value sent as a command's channel argument, whose messages reach `onMessage`: a Tauri Channel in
 * the app; tests and the browser preview pass their own.
 */
export type ChannelFactory = <T>(onMessage: (message: T) => void) => unknown;

/** The real channel: Tauri's IPC Channel (only usable inside the app). */
export const tauriChannel: ChannelFactory = <T>(onMessage: (message: T) => void) => new Channel<T>(onMessage);

/** The backend's error kinds, plus `unexpected` for anything that is not an AppError (a bug, a missing command). */
export type ErrorCode = AppError['code'] | 'unexpected';

const APP_ERROR_CODES: readonly string[] = [
	'newer_database',
	'database',
	'busy',
	'invalid_input',
	'invalid_file',
	'no_data',
	'io',
	'mail',
	'needs_confirmation',
	'keyring',
	'platform',
	'no_pdf_viewer',
	'conflict'
] satisfies AppError['code'][];

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		readonly code: ErrorCode,
		/** The backend's message, for the "details" line; the UI's own text says what to do. */
		readonly detail: string,
		readonly command: string,
		/** A refused file's problems, one per row (invalid_file); empty for every other error. */
		readonly problems: readonly FileProblem[] = [],
		/** Where the backend saved a file it could not show (no_pdf_viewer); null for every other error. */
		readonly path: string | null = null,
		/** Who changed the record meanwhile and when, HH:MM (conflict); null for every other error. */
		readonly changed: { by: string; at: string } | null = null
	) {
		super(`${command}: ${code}: ${detail}`);
	}
}

export function isAppError(value: unknown): value is AppError {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return typeof v.code === 'string' && APP_ERROR_CODES.includes(v.code) && typeof v.message === 'string';
}

/** The problems an invalid_file error carries; anything else carries none. */
function problemsOf(error: AppError): FileProblem[] {
	if (error.code !== 'invalid_file') return [];
	const problems = (error as { problems?: unknown }).problems;
	return Array.isArray(problems) ? (problems as FileProblem[]) : [];
}

/** Who changed the record, and when, that a conflict error names; null for any other error. */
function changedOf(error: AppError): { by: string; at: string } | null {
	if (error.code !== 'conflict') return null;
	return { by: error.by, at: error.at };
}

/** The path a no_pdf_viewer error names; null for any other error. */
function pathOf(error: AppError): string | null {
	if (error.code !== 'no_pdf_viewer') return null;
	const path = (error as { path?: unknown }).path;
	return typeof path === 'string' ? path : null;
}

/**
 * Whatever a command (or a window service such as the file picker) rejected with, as an ApiError: never a
 * stack trace for the user.
 */
export function toApiError(command: string, reason: unknown): ApiError {
	if (reason instanceof ApiError) return reason;
	if (isAppError(reason))
		return new ApiError(
			reason.code,
			reason.message,
			command,
			problemsOf(reason),
			pathOf(reason),
			changedOf(reason)
		);
	if (typeof reason === 'string') return new ApiError('unexpected', reason, command);
	if (reason instanceof Error) return new ApiError('unexpected', reason.message, command);
	return new ApiError('unexpected', String(reason), command);
}

/** The commands over a transport; every rejection becomes an ApiError naming its command. */
export function createApi(transport: Transport, channel: ChannelFactory = tauriChannel): Api {
	const call = async (command: CommandName, args: Record<string, unknown>): Promise<unknown> => {
		try {
			return await transport(command, args);
		} catch (reason) {
			throw toApiError(command, reason);
		}
	};
	return commandsOver(call, channel);
}

/** The real transport: Tauri's IPC. Tauri maps camelCase argument names to the Rust snake_case parameters. */
export const tauriTransport: Transport = (command, args) => invoke(command, args);

/** True inside the Tauri window (its IPC bridge is injected before the page's scripts run). */
export function isTauri(scope: object = globalThis): boolean {
	return '__TAURI_INTERNALS__' in scope;
}

export type Backend = {
	api: Api;
	/** True when the data is the browser preview's fixed sample. */
	mock: boolean;
	/** The window's file picker and file drops; null outside the app (a browser gives no file paths). */
	desktop: Desktop | null;
};

/**
 * Picks the transport once at start: Tauri's IPC inside the app, always. Only outside Tauri (a plain browser,
 * for screenshots and UI work) does it load the fixed sample, and the UI then shows a banner saying so; the
 * app's own build has no sample at all.
 */
function roleOf(value: string | null): 'manager' | 'collector' | 'viewer' | undefined {
	return value === 'manager' || value === 'collector' || value === 'viewer' ? value : undefined;
}

export async function connectBackend(scope: object = globalThis): Promise<Backend> {
	if (isTauri(scope)) {
		const { tauriDesktop } = await import('./desktop');
		return { api: createApi(tauriTransport), mock: false, desktop: tauriDesktop };
	}
	if (__ENCAISSE_PREVIEW__) {
		const { createMockTransport, mockChannel } = await import('./fixtures/mock');
		const search = 'location' in scope ? String((scope as { location: Location }).location.search) : '';
		const query = new URLSearchParams(search);
		return {
			api: createApi(
				createMockTransport({
					empty: query.get('mock') === 'empty',
					// ?portfolio=15000: the lists at the size of a large portfolio (the UI bench).
					portfolio: Number(query.get('portfolio') ?? 0) || 0,
					// ?role=viewer: as a team's server login of that role (what its screens offer).
					role: roleOf(query.get('role'))
				}),
				mockChannel
			),
			mock: true,
			desktop: null
		};
	}
	throw new Error(
		'no backend: this build runs in the Encaisse window only (the browser preview is `npm run dev`)'
	);
}
