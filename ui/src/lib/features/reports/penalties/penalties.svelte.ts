/**
 * Penalties on invoices paid late: the statement of every customer (or one) for a period of payment dates, the
 * waiver of an invoice's penalties with its reason (and its undoing), the printed statement of a customer.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { PenaltiesQuery, PenaltiesReport } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { penaltyRows, validatePeriod, type PenaltyRow } from './penalties';

/** The invoice whose penalties the user is about to waive (the reason dialog is open). */
export interface WaiverDraft {
	customer: string;
	name: string;
	invoice: string;
	reason: string;
}

export class PenaltiesState {
	/** Payment dates, ISO ('' for an open end). */
	from = $state('');
	to = $state('');
	readonly loaded = new Loaded<PenaltiesReport>('penalties');
	readonly saving = new Saving();
	draft = $state<WaiverDraft | null>(null);
	/** Where the last printed statement was saved (no viewer) or opened. */
	printed = $state<string | null>(null);

	constructor(
		private readonly api: Pick<
			Api,
			'penalties' | 'waivePenalty' | 'unwaivePenalty' | 'printPenaltyStatement'
		>,
		/** One customer's penalties only (the customer file), else every customer's. */
		private readonly customer: string | null = null
	) {}

	readonly periodError: MessageKey | null = $derived(validatePeriod(this.from, this.to));

	get report(): PenaltiesReport | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	/** One row per invoice, customers in the statement's order. */
	get rows(): PenaltyRow[] {
		return this.report ? penaltyRows(this.report) : [];
	}

	query(asOf: string | null): PenaltiesQuery {
		return {
			as_of: asOf,
			from: this.from || null,
			to: this.to || null,
			customer: this.customer
		};
	}

	async load(asOf: string | null): Promise<void> {
		if (this.periodError) return;
		const q = this.query(asOf);
		await this.loaded.load(() => this.api.penalties(q));
	}

	openWaiver(customer: string, name: string, invoice: string): void {
		this.saving.reset();
		this.draft = { customer, name, invoice, reason: '' };
	}

	/** The reason is required: nothing is sent without one. */
	get reasonMissing(): boolean {
		return (this.draft?.reason.trim() ?? '') === '';
	}

	/** Sends the waiver being typed, then reloads; false when refused (the dialog stays open with the error). */
	async waive(asOf: string | null): Promise<boolean> {
		const d = this.draft;
		if (!d || this.reasonMissing) return false;
		const ok = await this.saving.run('waive_penalty', () =>
			this.api.waivePenalty({ customer: d.customer, invoice: d.invoice, reason: d.reason.trim() })
		);
		if (ok) {
			this.draft = null;
			await this.load(asOf);
		}
		return ok;
	}

	async unwaive(customer: string, invoice: string, asOf: string | null): Promise<boolean> {
		const ok = await this.saving.run('unwaive_penalty', () => this.api.unwaivePenalty(customer, invoice));
		if (ok) await this.load(asOf);
		return ok;
	}

	/** Prints one customer's statement through the system viewer (or saves it to `path`). */
	async print(customer: string, asOf: string | null, path: string | null = null): Promise<boolean> {
		this.printed = null;
		const q = { ...this.query(asOf), customer };
		return this.saving.run('print_penalty_statement', async () => {
			this.printed = await this.api.printPenaltyStatement(q, path);
		});
	}
}
