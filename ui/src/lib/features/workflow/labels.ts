/**
 * The workflow's words (step ids, channels, outcomes, dispute kinds, departments, statuses) as translated labels.
 * The backend speaks in stable ids; a user scenario may have its own step ids, shown as they are.
 */
import { DICTIONARIES, type MessageKey } from '$lib/i18n/i18n.svelte';

/** The standard scenario's steps, in order. */
export const STANDARD_STEPS = [
	'pre_reminder',
	'reminder_1',
	'reminder_2',
	'reminder_3',
	'personal_letter',
	'formal_notice'
] as const;

/** The channels a step can use, in the order the agenda groups them. */
export const CHANNELS = ['email', 'letter', 'call', 'sms_task'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a logged action was. */
export const ACTION_KINDS = ['email', 'letter', 'call', 'sms', 'note'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What came of a contact. */
export const OUTCOMES = [
	'promise',
	'dispute',
	'no_answer',
	'wrong_contact',
	'says_paid',
	'call_back'
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DISPUTE_KINDS = [
	'price',
	'quantity',
	'quality',
	'delivery',
	'invoicing_error',
	'missing_purchase_order',
	'duplicate',
	'other'
] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

export const DEPARTMENTS = ['sales', 'logistics', 'quality', 'accounting'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const PROMISE_STATUSES = ['running', 'kept', 'broken'] as const;

function known(key: string): key is MessageKey {
	return key in DICTIONARIES.fr;
}

/** The message key for `prefix.id` when the translations have it, else null (a user's own id). */
export function labelKey(prefix: string, id: string): MessageKey | null {
	const key = `${prefix}.${id}`;
	return known(key) ? key : null;
}

/**
 * The text of an id through `translate`: its label when known, else the id itself (a user scenario's step
 * "relance_douce" stays readable).
 */
export function labelOf(prefix: string, id: string, translate: (key: MessageKey) => string): string {
	const key = labelKey(prefix, id);
	return key ? translate(key) : id;
}

/** "letter+call" → ["letter", "call"]. */
export function splitChannels(channel: string): string[] {
	return channel
		.split('+')
		.map((c) => c.trim())
		.filter((c) => c !== '');
}

/** A step's channels as text: "Lettre + appel". */
export function channelsText(channel: string, translate: (key: MessageKey) => string): string {
	return splitChannels(channel)
		.map((c, i) => {
			const text = labelOf('channel', c, translate);
			return i === 0 ? text : text.toLocaleLowerCase();
		})
		.join(' + ');
}

/** The kind of action that carries out a step through its first channel (as the backend's mark_done does). */
export function kindForChannel(channel: string): ActionKind {
	const first = splitChannels(channel)[0] ?? 'email';
	switch (first) {
		case 'letter':
			return 'letter';
		case 'call':
			return 'call';
		case 'sms_task':
			return 'sms';
		default:
			return 'email';
	}
}
