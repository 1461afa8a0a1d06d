/**
 * The portfolios screen's state: each collector's customers and money, the rules by segment or category, the
 * customers given by hand, and the changes a manager makes (each answered with the portfolios as they now are).
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { DailyReport, Portfolios, Reassignment } from '$lib/api/types';

export type AssignTarget = 'customer' | 'segment' | 'category';

export class PortfoliosState {
	readonly loaded = new Loaded<Portfolios>('portfolios');
	readonly saving = new Saving();
	/** What the last change did, for the screen's status line. */
	lastReassignment = $state.raw<Reassignment | null>(null);
	/** A collector's daily report, as shown (and, once sent, whom it went to). */
	report = $state.raw<DailyReport | null>(null);
	readonly reporting = new Saving();

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get data(): Portfolios | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	get saveError(): ApiError | null {
		return this.saving.error;
	}

	async load(asOf: string | null): Promise<void> {
		await this.loaded.load(() => this.api.portfolios(asOf));
	}

	/** Gives a customer, a segment's or a category's customers to a collector (null takes it back). */
	async assign(
		by: AssignTarget,
		value: string,
		collector: string | null,
		asOf: string | null
	): Promise<boolean> {
		this.lastReassignment = null;
		return this.saving.run('assign_portfolio', async () => {
			const next = await this.api.assignPortfolio(by, value.trim(), collector?.trim() ?? null, asOf);
			this.loaded.data = next;
		});
	}

	/** A collector's daily report (their portfolio's collections, agenda, broken promises, new disputes). */
	async showReport(collector: string, asOf: string | null): Promise<boolean> {
		this.report = null;
		return this.reporting.run('daily_report', async () => {
			this.report = await this.api.dailyReport(asOf, false, collector, []);
		});
	}

	/** Emails the report shown to `to` (empty: the daily report's recipients of the mail settings). */
	async sendReport(to: string, asOf: string | null): Promise<boolean> {
		const shown = this.report;
		if (!shown) return false;
		const address = to.trim();
		return this.reporting.run('daily_report', async () => {
			this.report = await this.api.dailyReport(asOf, true, shown.collector ?? null, address ? [address] : []);
		});
	}

	/** Hands everything `from` follows over to `to`, then reloads. */
	async reassign(from: string, to: string, asOf: string | null): Promise<boolean> {
		const ok = await this.saving.run('reassign_portfolio', async () => {
			this.lastReassignment = await this.api.reassignPortfolio(from, to.trim());
		});
		if (ok) await this.load(asOf);
		return ok;
	}
}
