/**
 * The workflow's forms as plain data: a call's outcome, a promise to pay, a dispute. Each has its validation
 * (error message keys per field, empty when valid) and the backend input it becomes.
 */
import type { ActionInput, DisputeInput, PromiseChangeInput, PromiseDto, PromiseInput } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { DEPARTMENTS, DISPUTE_KINDS, OUTCOMES } from './labels';

export type FormErrors<F extends string> = Partial<Record<F, MessageKey>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A valid YYYY-MM-DD (the value of an <input type="date">). */
export function isIsoDate(value: string): boolean {
	if (!ISO_DATE.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/**
 * An amount as typed by a French user ("1 234,50", "1234.5", "1 234,50 €") → "1234.50"; null when it is not an
 * amount of at most two decimals.
 */
export function parseAmountInput(text: string): string | null {
	const compact = text.replace(/[\s\u00a0\u202f€]/g, '');
	const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
	if (!m) return null;
	const units = (m[1] ?? '0').replace(/^0+(?=\d)/, '');
	return `${units}.${(m[2] ?? '').padEnd(2, '0')}`;
}

function positive(amount: string): boolean {
	return /[1-9]/.test(amount);
}

/** "1234.50" → "1234,50" to prefill a French amount field (no grouping: the user edits it). */
export function amountForInput(amount: string, locale: 'fr' | 'en'): string {
	return locale === 'fr' ? amount.replace('.', ',') : amount;
}

// --- A call's outcome ---------------------------------------------------------------------------------------

export type CallForm = {
	customer: string;
	invoices: string[];
	/** The agenda step this call carries out (marks it done), or null for a contact outside the scenario. */
	step: string | null;
	/** '' when nothing in particular came of it. */
	outcome: string;
	note: string;
	/** The day of the call. */
	date: string;
	/** When to act next; required to call back. */
	nextDate: string;
};

export type CallField = 'outcome' | 'nextDate' | 'date';

export function validateCall(form: CallForm): FormErrors<CallField> {
	const errors: FormErrors<CallField> = {};
	if (form.outcome !== '' && !(OUTCOMES as readonly string[]).includes(form.outcome))
		errors.outcome = 'wf.error.outcome';
	if (!isIsoDate(form.date)) errors.date = 'wf.error.date';
	if (form.nextDate === '') {
		if (form.outcome === 'call_back') errors.nextDate = 'wf.error.callBackDate';
	} else if (!isIsoDate(form.nextDate)) errors.nextDate = 'wf.error.date';
	else if (isIsoDate(form.date) && form.nextDate < form.date) errors.nextDate = 'wf.error.nextBeforeCall';
	return errors;
}

export function callInput(form: CallForm): ActionInput {
	return {
		customer: form.customer,
		kind: 'call',
		invoices: [...form.invoices],
		step: form.step,
		outcome: form.outcome === '' ? null : form.outcome,
		date: form.date,
		user: '',
		next_action_date: form.nextDate === '' ? null : form.nextDate,
		template: null,
		recipient: null,
		subject: null,
		body: form.note.trim()
	};
}

// --- A promise to pay ---------------------------------------------------------------------------------------

export type PromiseForm = {
	customer: string;
	/** The invoices chosen among `available`. */
	invoices: string[];
	/** The day the customer will pay. */
	date: string;
	/** As typed. */
	amount: string;
	comment: string;
	/** The day it was made (the agenda's day). */
	madeOn: string;
};

export type PromiseField = 'invoices' | 'date' | 'amount';

export function validatePromise(form: PromiseForm): FormErrors<PromiseField> {
	const errors: FormErrors<PromiseField> = {};
	if (form.invoices.length === 0) errors.invoices = 'wf.error.invoices';
	if (!isIsoDate(form.date)) errors.date = 'wf.error.date';
	else if (isIsoDate(form.madeOn) && form.date < form.madeOn) errors.date = 'wf.error.promisePast';
	const amount = parseAmountInput(form.amount);
	if (amount === null) errors.amount = 'wf.error.amount';
	else if (!positive(amount)) errors.amount = 'wf.error.amountZero';
	return errors;
}

export function promiseInput(form: PromiseForm, actionId: number | null = null): PromiseInput {
	return {
		customer: form.customer,
		invoices: [...form.invoices],
		date: form.date,
		amount: parseAmountInput(form.amount) ?? form.amount,
		grace_days: null,
		made_on: form.madeOn,
		action_id: actionId,
		user: '',
		comment: form.comment.trim()
	};
}

/** A promise changed after a call: the version read goes along (a colleague's change since is refused). */
export function promiseChangeInput(
	form: PromiseForm,
	promise: PromiseDto,
	graceDays: number
): PromiseChangeInput {
	return {
		id: promise.id,
		version: promise.version,
		date: form.date,
		amount: parseAmountInput(form.amount) ?? form.amount,
		grace_days: graceDays,
		comment: form.comment.trim()
	};
}

// --- A dispute ----------------------------------------------------------------------------------------------

export type DisputeForm = {
	customer: string;
	invoices: string[];
	kind: string;
	department: string;
	/** '' for the open amount of its invoices. */
	amount: string;
	comment: string;
	openedOn: string;
};

export type DisputeField = 'invoices' | 'kind' | 'department' | 'amount';

export function validateDispute(form: DisputeForm): FormErrors<DisputeField> {
	const errors: FormErrors<DisputeField> = {};
	if (form.invoices.length === 0) errors.invoices = 'wf.error.invoices';
	if (!(DISPUTE_KINDS as readonly string[]).includes(form.kind)) errors.kind = 'wf.error.kind';
	if (!(DEPARTMENTS as readonly string[]).includes(form.department))
		errors.department = 'wf.error.department';
	if (form.amount.trim() !== '') {
		const amount = parseAmountInput(form.amount);
		if (amount === null) errors.amount = 'wf.error.amount';
		else if (!positive(amount)) errors.amount = 'wf.error.amountZero';
	}
	return errors;
}

export function disputeInput(form: DisputeForm): DisputeInput {
	return {
		customer: form.customer,
		invoices: [...form.invoices],
		kind: form.kind,
		department: form.department,
		amount: form.amount.trim() === '' ? null : (parseAmountInput(form.amount) ?? form.amount),
		opened_on: form.openedOn,
		user: '',
		comment: form.comment.trim()
	};
}

export function hasErrors(errors: object): boolean {
	return Object.keys(errors).length > 0;
}
