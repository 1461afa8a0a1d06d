import type { ApiError, ErrorCode } from '$lib/api/client';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

/** What the user reads for each kind of error: what went wrong, and what to do. */
export function errorText(code: ErrorCode): { title: MessageKey; advice: MessageKey } {
	switch (code) {
		case 'newer_database':
			return { title: 'error.newer_database.title', advice: 'error.newer_database.advice' };
		case 'database':
			return { title: 'error.database.title', advice: 'error.database.advice' };
		case 'busy':
			return { title: 'error.busy.title', advice: 'error.busy.advice' };
		case 'invalid_input':
			return { title: 'error.invalid_input.title', advice: 'error.invalid_input.advice' };
		case 'no_data':
			return { title: 'error.no_data.title', advice: 'error.no_data.advice' };
		case 'invalid_file':
			return { title: 'error.invalid_file.title', advice: 'error.invalid_file.advice' };
		case 'io':
			return { title: 'error.io.title', advice: 'error.io.advice' };
		case 'mail':
			return { title: 'error.mail.title', advice: 'error.mail.advice' };
		case 'needs_confirmation':
			return { title: 'error.needs_confirmation.title', advice: 'error.needs_confirmation.advice' };
		case 'keyring':
			return { title: 'error.keyring.title', advice: 'error.keyring.advice' };
		case 'platform':
			return { title: 'error.platform.title', advice: 'error.platform.advice' };
		case 'no_pdf_viewer':
			return { title: 'error.no_pdf_viewer.title', advice: 'error.no_pdf_viewer.advice' };
		case 'conflict':
			return { title: 'error.conflict.title', advice: 'error.conflict.advice' };
		case 'unexpected':
			return { title: 'error.unexpected.title', advice: 'error.unexpected.advice' };
	}
}

/**
 * Whether the backend's own sentence (English) goes under the panel's text: not when the panel already says all of
 * it in the user's language — a conflict naming who changed the record and when, a missing PDF viewer (the saved
 * path is in the title).
 */
export function detailShown(error: Pick<ApiError, 'code' | 'detail' | 'changed'>): boolean {
	if (!error.detail || error.code === 'no_pdf_viewer') return false;
	return !(error.code === 'conflict' && error.changed !== null);
}
