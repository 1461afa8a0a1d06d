/**
 * The dashboard's DAF panels: DSO set (its 12 month ends), the 13-week forecast, the customers' limit alerts and
 * the invoices entering 61+ days, loaded beside the dashboard's own figures; and the what-if, asked again when
 * its inputs change.
 */
import type { Api } from '$lib/api/client';
import type { AgingInvoices, CustomersReport, DsoSetReport, ForecastReport, WhatIf } from '$lib/api/types';
import { Loaded } from '$lib/api/loader.svelte';
import { enteringOver60, parseDays, parseRate } from './daf';

export class DafState {
	readonly dso = new Loaded<DsoSetReport>('dso_set');
	readonly forecast = new Loaded<ForecastReport>('forecast');
	readonly customers = new Loaded<CustomersReport>('customers');
	readonly invoices = new Loaded<AgingInvoices>('aging_invoices');
	readonly whatIf = new Loaded<WhatIf>('what_if');
	/** The what-if's inputs as typed. */
	days = $state('10');
	rate = $state('4,5');
	#asOf: string | null = null;

	constructor(private readonly api: Api) {}

	readonly entering = $derived(enteringOver60(this.invoices.data?.invoices ?? []));
	readonly daysValue = $derived(parseDays(this.days));
	readonly rateValue = $derived(parseRate(this.rate));

	async load(asOf: string | null): Promise<void> {
		this.#asOf = asOf;
		await Promise.all([
			this.dso.load(() => this.api.dsoSet(asOf, null)),
			this.forecast.load(() => this.api.forecast(asOf, null)),
			this.customers.load(() => this.api.customers(asOf)),
			this.invoices.load(() =>
				this.api.agingInvoices({ as_of: asOf, buckets: null, basis: null, group_by: null }, null)
			),
			this.simulate()
		]);
	}

	/** Asks the backend for the what-if with the current inputs; invalid inputs ask nothing (the form says why). */
	async simulate(): Promise<void> {
		const days = this.daysValue;
		const rate = this.rateValue;
		if (days === null || rate === null) return;
		const asOf = this.#asOf;
		await this.whatIf.load(() => this.api.whatIf(asOf, days, rate));
	}
}
