/**
 * The email settings screen's state: the SMTP server (its password only ever sent, never read back), the test
 * message, and what the messages say about the sender with who gets the daily report. Each form shows its
 * problems once the user tried to save it.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { MailSettings, SmtpSettings } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import {
	defaultPort,
	mailForm,
	mailInput,
	smtpForm,
	smtpInput,
	validateMail,
	validateSmtp,
	type MailField,
	type MailForm,
	type SmtpField,
	type SmtpForm
} from './settings';

export class EmailSettingsState {
	readonly loaded = new Loaded<[SmtpSettings, MailSettings]>('smtp_settings');
	smtp = $state<SmtpForm | null>(null);
	hasPassword = $state(false);
	mail = $state<MailForm | null>(null);

	smtpTried = $state(false);
	readonly smtpSaving = new Saving();
	testTo = $state('');
	readonly testing = new Saving();
	mailTried = $state(false);
	readonly mailSaving = new Saving();
	/** The collectors the portfolios know (their login and name), offered for the collectors' reports. */
	collectors = $state<{ login: string; name: string }[]>([]);

	constructor(
		private readonly api: Pick<
			Api,
			'smtpSettings' | 'mailSettings' | 'saveSmtp' | 'testSmtp' | 'saveMailSettings' | 'portfolios'
		>
	) {}

	get loadError(): ApiError | null {
		return this.loaded.error;
	}

	readonly smtpErrors = $derived(this.smtp ? validateSmtp(this.smtp) : {});
	readonly mailErrors = $derived(this.mail ? validateMail(this.mail) : {});

	/** A field's problem, once the user tried to save the SMTP form. */
	smtpProblem(field: SmtpField): MessageKey | undefined {
		return this.smtpTried ? this.smtpErrors[field] : undefined;
	}

	mailProblem(field: MailField): MessageKey | undefined {
		return this.mailTried ? this.mailErrors[field] : undefined;
	}

	async load(): Promise<void> {
		await this.loaded.load(() => Promise.all([this.api.smtpSettings(), this.api.mailSettings()]));
		if (this.loaded.phase !== 'ready' || !this.loaded.data) return;
		const [s, m] = this.loaded.data;
		this.smtp = smtpForm(s);
		this.hasPassword = s.has_password;
		this.mail = mailForm(m);
		if (!this.testTo) this.testTo = m.contact_email || s.from_address;
		// Only suggestions: without them (a refused read) the login is typed.
		this.collectors = await this.api.portfolios(null).then(
			(p) => p.collectors.map((c) => ({ login: c.login, name: c.name })),
			() => []
		);
	}

	/** Another collector's row, empty. */
	addCollector(): void {
		this.mail?.collectors.push({ collector: '', address: '' });
	}

	removeCollector(index: number): void {
		this.mail?.collectors.splice(index, 1);
	}

	/** Another security: the port follows when it was the old security's default (or empty). */
	changeSecurity(value: string): void {
		const smtp = this.smtp;
		if (!smtp) return;
		const before = smtp.settings.security;
		smtp.settings.security = value as typeof before;
		if (smtp.settings.port === defaultPort(before) || !smtp.settings.port)
			smtp.settings.port = defaultPort(smtp.settings.security);
	}

	async saveSmtp(): Promise<void> {
		this.smtpTried = true;
		this.smtpSaving.done = false;
		const smtp = this.smtp;
		if (!smtp || Object.keys(this.smtpErrors).length > 0) return;
		await this.smtpSaving.run('save_smtp', async () => {
			const saved = await this.api.saveSmtp(smtpInput(smtp));
			this.smtp = smtpForm(saved);
			this.hasPassword = saved.has_password;
			this.smtpTried = false;
		});
	}

	async sendTest(): Promise<void> {
		await this.testing.run('test_smtp', () => this.api.testSmtp(this.testTo.trim()));
	}

	async saveMail(): Promise<void> {
		this.mailTried = true;
		this.mailSaving.done = false;
		const mail = this.mail;
		if (!mail || Object.keys(this.mailErrors).length > 0) return;
		await this.mailSaving.run('save_mail_settings', async () => {
			this.mail = mailForm(await this.api.saveMailSettings(mailInput(mail)));
			this.mailTried = false;
		});
	}
}
