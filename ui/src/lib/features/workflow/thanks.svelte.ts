/**
 * The thank-you emails the agenda proposes: customers whose chased invoices were paid (the backend's
 * thank_you_candidates), each previewed on demand and sent one by one; a sent one leaves the list.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import type { EmailPreview, ThankYouCandidate } from '$lib/api/types';

export class ThanksState {
	readonly loaded = new Loaded<ThankYouCandidate[]>('thank_you_candidates');
	/** The customer whose message is shown, and the message. */
	previewOf = $state<string | null>(null);
	preview = $state.raw<EmailPreview | null>(null);
	/** The customer being sent, if any. */
	sending = $state<string | null>(null);
	/** Per customer: the address it went to, or the error. */
	results = $state.raw<Record<string, { ok: boolean; text: string }>>({});
	private asOf: string | null = null;

	constructor(private readonly api: Pick<Api, 'thankYouCandidates' | 'sendThankYou' | 'previewEmail'>) {}

	get candidates(): ThankYouCandidate[] {
		return this.loaded.data ?? [];
	}
	set candidates(list: ThankYouCandidate[]) {
		this.loaded.data = list;
	}
	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	async load(asOf: string | null): Promise<void> {
		this.asOf = asOf;
		await this.loaded.load(() => this.api.thankYouCandidates(asOf));
	}

	/** Shows the customer's message (or hides it when it is the one shown). */
	async togglePreview(customer: string): Promise<void> {
		if (this.previewOf === customer) {
			this.previewOf = null;
			this.preview = null;
			return;
		}
		this.previewOf = customer;
		this.preview = null;
		try {
			const p = await this.api.previewEmail({
				customer,
				template: 'thank_you',
				as_of: this.asOf,
				lang: null,
				subject: null,
				body: null
			});
			if (this.previewOf === customer) this.preview = p;
		} catch (e) {
			this.results = {
				...this.results,
				[customer]: { ok: false, text: (e as ApiError).message }
			};
			this.previewOf = null;
		}
	}

	async send(customer: string): Promise<void> {
		this.sending = customer;
		try {
			const sent = await this.api.sendThankYou(customer, this.asOf);
			this.results = { ...this.results, [customer]: { ok: true, text: sent.to } };
			this.candidates = this.candidates.filter((c) => c.customer !== customer);
			if (this.previewOf === customer) {
				this.previewOf = null;
				this.preview = null;
			}
		} catch (e) {
			this.results = {
				...this.results,
				[customer]: { ok: false, text: (e as ApiError).message }
			};
		} finally {
			this.sending = null;
		}
	}
}
