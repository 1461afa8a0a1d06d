/** The forecast accuracy report at the screen's date. */
import type { Api } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import type { ForecastAccuracy } from '$lib/api/types';

export class AccuracyState {
	readonly accuracy = new Loaded<ForecastAccuracy>('forecast_accuracy');

	constructor(private readonly api: Pick<Api, 'forecastAccuracy'>) {}

	loadAccuracy(asOf: string | null): Promise<void> {
		return this.accuracy.load(() => this.api.forecastAccuracy(asOf));
	}
}
