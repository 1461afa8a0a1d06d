/**
 * The settings screens as plain data: the SMTP form (the password is write-only: the form only says whether one is
 * stored, and what to do with it), the mail settings, the collections settings, the template editor's bookkeeping
 * and the audit trail's before/after. Each form has its validation (message keys per field, empty when valid) and
 * the backend input it becomes.
 */
import type {
	AuditEvent,
	CollectionSettingsInput,
	CollectorReport,
	EmailTemplate,
	MailSettings,
	SaveSmtp,
	Security,
	SmtpSettings
} from '$lib/api/types';
import { CODES } from '$lib/i18n/codes';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { isIsoDate, type FormErrors } from '$lib/features/workflow/forms';

export const SECURITIES: readonly Security[] = CODES.Security;

/** The port each security usually has (the backend's defaults). */
export function defaultPort(security: Security): number {
	return security === 'starttls' ? 587 : security === 'tls' ? 465 : 25;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

export function isEmail(value: string): boolean {
	return EMAIL.test(value.trim());
}

/** What to do with the stored password: keep it, replace it by the one typed, or remove it. */
export type PasswordAction = 'keep' | 'set' | 'remove';

export type SmtpForm = {
	settings: SmtpSettings;
	/** Typed by the user; never filled from the backend (which never sends it). */
	password: string;
	passwordAction: PasswordAction;
};

export function smtpForm(settings: SmtpSettings): SmtpForm {
	// Nothing saved yet: the security mode's usual port, never 0.
	const port = settings.port || defaultPort(settings.security);
	return { settings: { ...settings, port }, password: '', passwordAction: 'keep' };
}

export type SmtpField = 'host' | 'port' | 'from_address' | 'reply_to' | 'password' | 'user' | 'security';

/** A login and password would go over a connection without encryption: the form shows a warning. */
export function insecureLogin(s: SmtpSettings): boolean {
	return s.security === 'none' && s.user.trim() !== '';
}

export function validateSmtp(form: SmtpForm): FormErrors<SmtpField> {
	const s = form.settings;
	const errors: FormErrors<SmtpField> = {};
	if (!s.host.trim()) errors.host = 'mailset.error.host';
	if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) errors.port = 'mailset.error.port';
	if (!isEmail(s.from_address)) errors.from_address = 'mailset.error.address';
	if (s.reply_to.trim() && !isEmail(s.reply_to)) errors.reply_to = 'mailset.error.address';
	// The backend refuses a login over an unencrypted connection unless the user allowed it.
	if (insecureLogin(s) && !s.allow_insecure_login) errors.security = 'mailset.error.insecureLogin';
	if (form.passwordAction === 'set') {
		if (!form.password) errors.password = 'mailset.error.password';
		if (!s.user.trim()) errors.user = 'mailset.error.userForPassword';
	}
	return errors;
}

/**
 * The backend input: the password only when the user typed a new one (`""` removes it, absent keeps it). The
 * read-only `has_password` is not sent as true.
 */
export function smtpInput(form: SmtpForm): SaveSmtp {
	const password =
		form.passwordAction === 'set' ? form.password : form.passwordAction === 'remove' ? '' : null;
	return { settings: { ...form.settings, has_password: false }, password };
}

/** Recipients typed one per line, or separated by commas or semicolons. */
export function parseRecipients(text: string): string[] {
	return text
		.split(/[\n,;]+/)
		.map((r) => r.trim())
		.filter((r) => r !== '');
}

export type MailForm = {
	settings: MailSettings;
	recipients: string;
	/** The thank-you window as typed ("" = the default, 30 days). */
	thankYouDays: string;
	/** Each collector's own report, one row each as typed (empty rows are left out when saved). */
	collectors: CollectorReport[];
};

export function mailForm(settings: MailSettings): MailForm {
	return {
		settings: { ...settings, report_recipients: [...settings.report_recipients] },
		recipients: settings.report_recipients.join('\n'),
		thankYouDays: settings.thank_you_days === null ? '' : String(settings.thank_you_days),
		collectors: settings.collector_reports.map((c) => ({ ...c }))
	};
}

/** The collectors' rows that say something, trimmed. */
export function collectorReports(rows: readonly CollectorReport[]): CollectorReport[] {
	return rows
		.map((r) => ({ collector: r.collector.trim(), address: r.address.trim() }))
		.filter((r) => r.collector !== '' || r.address !== '');
}

export type MailField =
	'contact_email' | 'payment_link' | 'recipients' | 'thank_you_days' | 'report_time' | 'collector_reports';

const TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;

export function isTime(value: string): boolean {
	return TIME.test(value.trim());
}

export function validateMail(form: MailForm): FormErrors<MailField> {
	const s = form.settings;
	const errors: FormErrors<MailField> = {};
	if (s.contact_email.trim() && !isEmail(s.contact_email)) errors.contact_email = 'mailset.error.address';
	if (s.payment_link.trim() && !/^https?:\/\/\S+$/.test(s.payment_link.trim()))
		errors.payment_link = 'mailset.error.link';
	const recipients = parseRecipients(form.recipients);
	if (recipients.some((r) => !isEmail(r))) errors.recipients = 'mailset.error.recipients';
	const days = form.thankYouDays.trim();
	if (days && !(/^\d+$/.test(days) && Number(days) <= 365))
		errors.thank_you_days = 'mailset.error.thankYouDays';
	const collectors = collectorReports(form.collectors);
	if (collectors.some((c) => c.collector === '' || c.collector.length > 63 || !isEmail(c.address)))
		errors.collector_reports = 'mailset.error.collectorReport';
	else if (new Set(collectors.map((c) => c.collector)).size < collectors.length)
		errors.collector_reports = 'mailset.error.collectorTwice';
	const time = s.report_time.trim();
	if (time && !isTime(time)) errors.report_time = 'mailset.error.time';
	else if (time && recipients.length === 0 && collectors.length === 0)
		errors.report_time = 'mailset.error.timeNeedsRecipients';
	return errors;
}

export function mailInput(form: MailForm): MailSettings {
	const days = form.thankYouDays.trim();
	return {
		...form.settings,
		report_recipients: parseRecipients(form.recipients),
		thank_you_days: days === '' ? null : Number(days),
		report_time: form.settings.report_time.trim(),
		collector_reports: collectorReports(form.collectors)
	};
}

/** The collections settings as typed: whole days from 0 to 90. */
export const MAX_DAYS = 90;

export type DaysField = 'min_gap_days' | 'promise_grace_days';

export function validateDays(form: Record<DaysField, string>): FormErrors<DaysField> {
	const errors: FormErrors<DaysField> = {};
	for (const field of ['min_gap_days', 'promise_grace_days'] as const) {
		const v = form[field].trim();
		if (!/^\d+$/.test(v) || Number(v) > MAX_DAYS) errors[field] = 'collection.error.days';
	}
	return errors;
}

export function daysInput(form: Record<DaysField, string>, version?: number): CollectionSettingsInput {
	return {
		min_gap_days: Number(form.min_gap_days),
		promise_grace_days: Number(form.promise_grace_days),
		...(version === undefined ? {} : { version })
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Templates

/** The order of the editor's list: the standard scenario's steps, then the thank-you and the daily report. */
export const TEMPLATE_ORDER = [
	'pre_reminder',
	'reminder_1',
	'reminder_2',
	'reminder_3',
	'personal_letter',
	'formal_notice',
	'thank_you',
	'daily_report'
];

export function templateKey(t: { id: string; lang: string }): string {
	return `${t.id}/${t.lang}`;
}

/** The templates of one language in the editor's order (others after, by id). */
export function templatesOf(list: EmailTemplate[], lang: string): EmailTemplate[] {
	const rank = (id: string) => {
		const i = TEMPLATE_ORDER.indexOf(id);
		return i < 0 ? TEMPLATE_ORDER.length : i;
	};
	return list
		.filter((t) => t.lang === lang)
		.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

/** A template being edited, with the version it was read at (sent back with the save or the reset). */
export type TemplateDraft = { id: string; lang: string; subject: string; body: string; version?: number };

export function isChanged(draft: TemplateDraft, saved: EmailTemplate | undefined): boolean {
	return !saved || draft.subject !== saved.subject || draft.body !== saved.body;
}

/** Inserts `{{ name }}` at the cursor (replacing the selection); returns the new text and cursor. */
export function insertPlaceholder(
	text: string,
	start: number,
	end: number,
	name: string
): { text: string; cursor: number } {
	const tag = `{{ ${name} }}`;
	const a = Math.max(0, Math.min(start, text.length));
	const b = Math.max(a, Math.min(end, text.length));
	return { text: text.slice(0, a) + tag + text.slice(b), cursor: a + tag.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Audit trail

/** A period to read: both ends optional, the first not after the second. */
export function validatePeriod(from: string, to: string): MessageKey | null {
	if ((from && !isIsoDate(from)) || (to && !isIsoDate(to))) return 'audit.error.date';
	if (from && to && from > to) return 'audit.error.order';
	return null;
}

export type Change = { key: string; before: string | null; after: string | null };

function flat(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map(flat).join(', ');
	return JSON.stringify(value);
}

function parse(json: string | null): unknown {
	if (json === null) return undefined;
	try {
		return JSON.parse(json);
	} catch {
		return json;
	}
}

/**
 * An event's before/after as fields that changed (or all fields when only one side exists); a side that is not a
 * JSON object shows as one value.
 */
export function changes(event: Pick<AuditEvent, 'before' | 'after'>): Change[] {
	const before = parse(event.before);
	const after = parse(event.after);
	const isObject = (v: unknown): v is Record<string, unknown> =>
		typeof v === 'object' && v !== null && !Array.isArray(v);
	if ((before === undefined || isObject(before)) && (after === undefined || isObject(after))) {
		const b = (before ?? {}) as Record<string, unknown>;
		const a = (after ?? {}) as Record<string, unknown>;
		const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
		return keys
			.filter((k) => before === undefined || after === undefined || flat(b[k]) !== flat(a[k]))
			.map((k) => ({
				key: k,
				before: before === undefined ? null : flat(b[k]),
				after: after === undefined ? null : flat(a[k])
			}));
	}
	return [
		{
			key: '',
			before: before === undefined ? null : flat(before),
			after: after === undefined ? null : flat(after)
		}
	];
}
