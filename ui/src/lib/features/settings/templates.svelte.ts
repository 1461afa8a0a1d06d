/**
 * The email templates screen's state: the templates by language, the draft being edited, its preview rendered by
 * the backend on a fictional customer (the latest request wins), and saving or going back to the shipped text.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { EmailPreview, EmailTemplate } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { codeKey } from '$lib/i18n/codes';
import { isChanged, templateKey, templatesOf, type TemplateDraft } from './settings';

export type TemplateLang = 'fr' | 'en';

export class TemplatesState {
	readonly loaded = new Loaded<EmailTemplate[]>('email_templates');
	lang = $state<TemplateLang>('fr');
	draft = $state<TemplateDraft | null>(null);
	preview = $state.raw<EmailPreview | null>(null);
	previewError = $state.raw<ApiError | null>(null);
	readonly saving = new Saving();
	/** What the last save or reset did, shown until the draft changes. */
	done = $state<MessageKey | null>(null);
	#asked = 0;

	constructor(
		private readonly api: Pick<
			Api,
			'emailTemplates' | 'previewTemplate' | 'saveEmailTemplate' | 'resetEmailTemplate'
		>,
		lang: TemplateLang
	) {
		this.lang = lang;
	}

	get templates(): EmailTemplate[] | null {
		return this.loaded.data;
	}
	get loadError(): ApiError | null {
		return this.loaded.error;
	}

	/** The templates of the chosen language, in the screen's order. */
	readonly list: EmailTemplate[] = $derived(this.templates ? templatesOf(this.templates, this.lang) : []);
	/** The saved version of the draft. */
	readonly saved: EmailTemplate | undefined = $derived.by(() => {
		const draft = this.draft;
		return draft ? this.templates?.find((x) => templateKey(x) === templateKey(draft)) : undefined;
	});
	readonly changed: boolean = $derived(this.draft ? isChanged(this.draft, this.saved) : false);

	async load(): Promise<void> {
		await this.loaded.load(() => this.api.emailTemplates());
		const templates = this.loaded.data;
		if (this.loaded.phase === 'ready' && templates && !this.draft)
			this.pick(templatesOf(templates, this.lang)[0]);
	}

	pick(tpl: EmailTemplate | undefined): void {
		if (!tpl) return;
		this.draft = { id: tpl.id, lang: tpl.lang, subject: tpl.subject, body: tpl.body, version: tpl.version };
		this.saving.reset();
		this.done = null;
	}

	/** Another language: the same template in it, or its first one. */
	switchLang(lang: TemplateLang): void {
		this.lang = lang;
		const templates = this.templates;
		const same = templates?.find((x) => x.lang === lang && x.id === this.draft?.id);
		this.pick(same ?? (templates ? templatesOf(templates, lang)[0] : undefined));
	}

	/** Renders a draft; an answer to an older request is dropped. */
	async render(draft: TemplateDraft): Promise<void> {
		const n = ++this.#asked;
		try {
			const p = await this.api.previewTemplate(draft);
			if (n === this.#asked) {
				this.preview = p;
				this.previewError = null;
			}
		} catch (e) {
			if (n === this.#asked) this.previewError = e as ApiError;
		}
	}

	async save(): Promise<void> {
		const draft = this.draft;
		if (!draft) return;
		await this.saving.run('save_email_template', async () => {
			this.replace(await this.api.saveEmailTemplate({ ...draft }));
			this.done = 'tpl.saved';
		});
	}

	async reset(): Promise<void> {
		const draft = this.draft;
		if (!draft) return;
		await this.saving.run('reset_email_template', async () => {
			this.replace(await this.api.resetEmailTemplate(draft.id, draft.lang, draft.version ?? null));
			this.done = 'tpl.resetDone';
		});
	}

	private replace(tpl: EmailTemplate): void {
		this.loaded.data = (this.templates ?? []).map((x) => (templateKey(x) === templateKey(tpl) ? tpl : x));
		this.pick(tpl);
	}
}

/** A template's name on screen: its step's label, or the thank-you and daily report's own. */
export function templateName(id: string, translate: (key: MessageKey) => string): string {
	if (id === 'thank_you') return translate('tpl.thankYou');
	if (id === 'daily_report') return translate('tpl.dailyReport');
	const key = codeKey('StepId', id);
	return key ? translate(key) : id;
}
