/**
 * One report loaded from the backend: its phase, its data (kept while a newer request runs, so figures do not
 * flicker) and its typed error. A newer load wins over an older one still in flight.
 */
import { toApiError, type ApiError } from './client';

export type LoadPhase = 'idle' | 'loading' | 'ready' | 'error';

export class Loaded<T> {
	phase = $state<LoadPhase>('idle');
	data = $state.raw<T | null>(null);
	error = $state.raw<ApiError | null>(null);
	#request = 0;

	constructor(private readonly command: string) {}

	async load(fetch: () => Promise<T>): Promise<void> {
		const request = ++this.#request;
		this.phase = 'loading';
		this.error = null;
		try {
			const data = await fetch();
			if (request !== this.#request) return;
			this.data = data;
			this.phase = 'ready';
		} catch (e) {
			if (request !== this.#request) return;
			this.error = toApiError(this.command, e);
			this.phase = 'error';
		}
	}
}
