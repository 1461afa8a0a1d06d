/**
 * One change sent to the backend (a save, a send, an export): busy while it runs, its typed error when refused,
 * `done` once it went through (the screen's "saved" line) until the next run starts.
 */
import { toApiError, type ApiError } from './client';

export class Saving {
	busy = $state(false);
	/** The label of the run under way (to tell which of a screen's buttons is working); null when idle. */
	running = $state<string | null>(null);
	error = $state.raw<ApiError | null>(null);
	done = $state(false);

	/**
	 * Runs `work` unless a run is under way; true when it succeeded. Any rejection becomes the ApiError
	 * `error`, named after `label` when it was not already one (a window service, a bug).
	 */
	async run(label: string, work: () => Promise<void>): Promise<boolean> {
		if (this.busy) return false;
		this.busy = true;
		this.running = label;
		this.error = null;
		this.done = false;
		try {
			await work();
			this.done = true;
			return true;
		} catch (e) {
			this.error = toApiError(label, e);
			return false;
		} finally {
			this.busy = false;
			this.running = null;
		}
	}

	/** Forgets the last outcome (the user changed the form again). */
	reset(): void {
		this.error = null;
		this.done = false;
	}
}
