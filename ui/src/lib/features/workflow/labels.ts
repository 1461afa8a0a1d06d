/**
 * The workflow's words as the screens list them (step ids, channels, outcomes, dispute kinds, departments), from
 * the generated code lists; their labels come from the one translation table ($lib/i18n/codes). A user scenario
 * may have its own step ids, shown as they are.
 */
import { CODES, label } from '$lib/i18n/codes';

/** The standard scenario's steps, in order. */
export const STANDARD_STEPS = CODES.StepId;

/** The channels a step can use, in the order the agenda groups them. */
export const CHANNELS = CODES.Channel;
export type Channel = (typeof CHANNELS)[number];

/** What a logged action was. */
export const ACTION_KINDS = CODES.ActionKind;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What came of a contact. */
export const OUTCOMES = CODES.Outcome;
export type Outcome = (typeof OUTCOMES)[number];

export const DISPUTE_KINDS = CODES.DisputeKind;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

export const DEPARTMENTS = CODES.Department;
export type Department = (typeof DEPARTMENTS)[number];

export const PROMISE_STATUSES = CODES.PromiseStatus;

/** "letter+call" → ["letter", "call"]. */
export function splitChannels(channel: string): string[] {
	return channel
		.split('+')
		.map((c) => c.trim())
		.filter((c) => c !== '');
}

/** A step's channels as text: "Lettre + appel". */
export function channelsText(channel: string): string {
	return splitChannels(channel)
		.map((c, i) => {
			const text = label('Channel', c);
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
