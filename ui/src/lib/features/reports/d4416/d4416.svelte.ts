/** The D441-6 table at a chosen year end, with a turnover the user may enter (recorded by the backend). */
import type { Api } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import type { D4416Report } from '$lib/api/types';

export class D4416State {
	readonly d4416 = new Loaded<D4416Report>('d441_6');
	yearEnd = $state('');
	turnover = $state('');

	constructor(private readonly api: Pick<Api, 'd4416'>) {}

	/** The table at the chosen year end; `withTurnover` records the typed turnover first. */
	loadD4416(withTurnover: boolean): Promise<void> {
		const yearEnd = this.yearEnd;
		const turnover = withTurnover && this.turnover.trim() !== '' ? this.turnover.trim() : null;
		return this.d4416.load(() => this.api.d4416(yearEnd, turnover));
	}
}
