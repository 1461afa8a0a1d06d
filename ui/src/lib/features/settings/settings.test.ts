import { describe, expect, it } from 'vitest';
import type { EmailTemplate, SmtpSettings } from '$lib/api/types';
import {
	changes,
	daysInput,
	defaultPort,
	insecureLogin,
	insertPlaceholder,
	isChanged,
	mailForm,
	mailInput,
	parseRecipients,
	smtpForm,
	smtpInput,
	templatesOf,
	validateDays,
	validateMail,
	validatePeriod,
	validateSmtp
} from './settings';

const smtp: SmtpSettings = {
	host: 'smtp.example.fr',
	port: 587,
	security: 'starttls',
	user: 'anne',
	allow_insecure_login: false,
	from_address: 'relances@example.fr',
	from_name: '',
	reply_to: '',
	has_password: true
};

describe('SMTP form', () => {
	it('asks for an explicit choice before a login goes without encryption', () => {
		const plain = smtpForm({ ...smtp, security: 'none', port: 25 });
		expect(insecureLogin(plain.settings)).toBe(true);
		expect(validateSmtp(plain)).toEqual({ security: 'mailset.error.insecureLogin' });
		plain.settings.allow_insecure_login = true;
		expect(validateSmtp(plain)).toEqual({});
		// No login, or an encrypted connection: nothing to allow.
		expect(insecureLogin({ ...plain.settings, user: ' ' })).toBe(false);
		expect(insecureLogin({ ...plain.settings, security: 'starttls' })).toBe(false);
	});

	it('keeps the stored password unless the user types a new one or removes it', () => {
		const f = smtpForm(smtp);
		expect(f.password).toBe('');
		expect(smtpInput(f)).toEqual({ settings: { ...smtp, has_password: false }, password: null });
		f.passwordAction = 'set';
		f.password = 's3cret';
		expect(smtpInput(f).password).toBe('s3cret');
		f.passwordAction = 'remove';
		expect(smtpInput(f).password).toBe('');
	});

	it('refuses a missing host, a bad port or address, and a password without a user', () => {
		expect(validateSmtp(smtpForm(smtp))).toEqual({});
		const f = smtpForm({ ...smtp, host: ' ', port: 0, from_address: 'nope', reply_to: 'a@b', user: '' });
		// Nothing saved: the security's usual port rather than 0; a port the user empties is refused.
		expect(f.settings.port).toBe(587);
		f.settings.port = 0;
		f.passwordAction = 'set';
		expect(validateSmtp(f)).toEqual({
			host: 'mailset.error.host',
			port: 'mailset.error.port',
			from_address: 'mailset.error.address',
			reply_to: 'mailset.error.address',
			password: 'mailset.error.password',
			user: 'mailset.error.userForPassword'
		});
	});

	it('offers the usual port of each security', () => {
		expect([defaultPort('starttls'), defaultPort('tls'), defaultPort('none')]).toEqual([587, 465, 25]);
	});
});

describe('mail settings form', () => {
	const base = {
		language: 'fr',
		contact_name: '',
		contact_email: '',
		contact_phone: '',
		payment_link: '',
		report_recipients: ['daf@x.fr'],
		thank_you_days: null,
		report_time: '',
		collector_reports: [] as { collector: string; address: string }[]
	};

	it('reads recipients one per line or separated by commas and semicolons', () => {
		expect(parseRecipients(' a@x.fr,b@x.fr;\n\n c@x.fr ')).toEqual(['a@x.fr', 'b@x.fr', 'c@x.fr']);
	});

	it('turns the form into the backend input and back', () => {
		const f = mailForm(base);
		expect(f.recipients).toBe('daf@x.fr');
		f.recipients = 'daf@x.fr\nventes@x.fr';
		f.thankYouDays = '45';
		f.settings.report_time = ' 08:30 ';
		expect(mailInput(f)).toEqual({
			...base,
			report_recipients: ['daf@x.fr', 'ventes@x.fr'],
			thank_you_days: 45,
			report_time: '08:30'
		});
		f.thankYouDays = '';
		expect(mailInput(f).thank_you_days).toBeNull();
	});

	it("keeps the collectors' rows that say something, each with a login and a valid address, once", () => {
		const f = mailForm(base);
		f.collectors = [
			{ collector: ' claire ', address: ' claire@x.fr ' },
			{ collector: '', address: '' }
		];
		expect(validateMail(f)).toEqual({});
		expect(mailInput(f).collector_reports).toEqual([{ collector: 'claire', address: 'claire@x.fr' }]);
		f.collectors.push({ collector: 'julien', address: 'julien@' });
		expect(validateMail(f).collector_reports).toBe('mailset.error.collectorReport');
		f.collectors[2] = { collector: '', address: 'julien@x.fr' };
		expect(validateMail(f).collector_reports).toBe('mailset.error.collectorReport');
		f.collectors[2] = { collector: 'claire', address: 'autre@x.fr' };
		expect(validateMail(f).collector_reports).toBe('mailset.error.collectorTwice');
		// A time with only the collectors' reports, no team recipient: accepted.
		f.collectors.pop();
		f.recipients = '';
		f.settings.report_time = '08:00';
		expect(validateMail(f)).toEqual({});
	});

	it('checks the time, the recipients it needs, the link and the days', () => {
		const f = mailForm(base);
		f.settings.report_time = '8:05';
		expect(validateMail(f)).toEqual({});
		f.settings.report_time = '24:00';
		expect(validateMail(f).report_time).toBe('mailset.error.time');
		f.settings.report_time = '07:00';
		f.recipients = '';
		expect(validateMail(f).report_time).toBe('mailset.error.timeNeedsRecipients');
		f.recipients = 'daf@x.fr, pas-une-adresse';
		f.settings.payment_link = 'pay.example';
		f.thankYouDays = '-1';
		expect(validateMail(f)).toMatchObject({
			recipients: 'mailset.error.recipients',
			payment_link: 'mailset.error.link',
			thank_you_days: 'mailset.error.thankYouDays'
		});
	});
});

describe('collections settings', () => {
	it('takes whole days from 0 to 90', () => {
		expect(validateDays({ min_gap_days: '0', promise_grace_days: '90' })).toEqual({});
		expect(validateDays({ min_gap_days: '91', promise_grace_days: '2.5' })).toEqual({
			min_gap_days: 'collection.error.days',
			promise_grace_days: 'collection.error.days'
		});
		expect(validateDays({ min_gap_days: '', promise_grace_days: '3' }).min_gap_days).toBe(
			'collection.error.days'
		);
		expect(daysInput({ min_gap_days: '7', promise_grace_days: '3' })).toEqual({
			min_gap_days: 7,
			promise_grace_days: 3
		});
	});
});

describe('template editor', () => {
	const tpl = (id: string, lang: string, edited = false): EmailTemplate => ({
		id,
		lang,
		subject: `s ${id}`,
		body: `b ${id}`,
		edited,
		updated_on: null,
		user: null,
		version: 0
	});

	it('lists one language in the scenario order, thank-you and daily report last', () => {
		const list = [
			tpl('daily_report', 'fr'),
			tpl('reminder_2', 'fr'),
			tpl('custom', 'fr'),
			tpl('pre_reminder', 'en'),
			tpl('thank_you', 'fr'),
			tpl('pre_reminder', 'fr')
		];
		expect(templatesOf(list, 'fr').map((t) => t.id)).toEqual([
			'pre_reminder',
			'reminder_2',
			'thank_you',
			'daily_report',
			'custom'
		]);
	});

	it('knows when a draft differs from what is saved', () => {
		const saved = tpl('reminder_1', 'fr');
		const draft = { id: 'reminder_1', lang: 'fr', subject: saved.subject, body: saved.body };
		expect(isChanged(draft, saved)).toBe(false);
		expect(isChanged({ ...draft, body: 'x' }, saved)).toBe(true);
		expect(isChanged(draft, undefined)).toBe(true);
	});

	it('inserts a placeholder at the cursor, replacing the selection', () => {
		expect(insertPlaceholder('Bonjour ,', 8, 8, 'customer_name')).toEqual({
			text: 'Bonjour {{ customer_name }},',
			cursor: 27
		});
		expect(insertPlaceholder('Total: XXX', 7, 10, 'total').text).toBe('Total: {{ total }}');
		expect(insertPlaceholder('a', 99, 99, 'x').text).toBe('a{{ x }}');
	});
});

describe('audit trail', () => {
	it('checks the period', () => {
		expect(validatePeriod('', '')).toBeNull();
		expect(validatePeriod('2026-11-01', '2026-11-26')).toBeNull();
		expect(validatePeriod('2026-11-27', '2026-11-26')).toBe('audit.error.order');
		expect(validatePeriod('2026-13-01', '')).toBe('audit.error.date');
	});

	it('shows only the fields that changed, and both sides of other values', () => {
		expect(
			changes({
				before: '{"min_gap_days":5,"promise_grace_days":3}',
				after: '{"min_gap_days":10,"promise_grace_days":3}'
			})
		).toEqual([{ key: 'min_gap_days', before: '5', after: '10' }]);
		expect(changes({ before: null, after: '{"recipient":"a@x.fr","error":null}' })).toEqual([
			{ key: 'recipient', before: null, after: 'a@x.fr' },
			{ key: 'error', before: null, after: '' }
		]);
		expect(changes({ before: '["Objet","Texte"]', after: null })).toEqual([
			{ key: '', before: 'Objet, Texte', after: null }
		]);
		expect(changes({ before: null, after: null })).toEqual([]);
	});
});
