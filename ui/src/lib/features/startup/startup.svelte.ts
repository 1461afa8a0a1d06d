/**
 * First start: ask the backend what the database holds, then show the welcome screen (empty database)
 * or the app (the import screen is reachable from both: importing a ledger is the other way to get data).
 */
import type { Api, ApiError } from '$lib/api/client';
import type { DemoSummary, Status } from '$lib/api/types';

export type StartupPhase = 'checking' | 'welcome' | 'creating' | 'ready' | 'error';

/** The welcome screen's demo: only offered over an empty database, so it never replaces imported data. */
export const DEMO_OPTIONS = { seed: null, customers: null, end: null, replace: null } as const;

export class StartupState {
	phase = $state<StartupPhase>('checking');
	status = $state.raw<Status | null>(null);
	error = $state.raw<ApiError | null>(null);
	demo = $state.raw<DemoSummary | null>(null);

	constructor(private readonly api: Api) {}

	async check(): Promise<void> {
		this.phase = 'checking';
		this.error = null;
		try {
			const status = await this.api.status();
			this.status = status;
			this.phase = status.has_data ? 'ready' : 'welcome';
		} catch (e) {
			this.error = e as ApiError;
			this.phase = 'error';
		}
	}

	/**
	 * After an import: what the database holds now (the company's name in the sidebar), without leaving the
	 * current screen; the welcome screen gives way once there is data. A failure here is left to the next screen.
	 */
	async refresh(): Promise<void> {
		try {
			const status = await this.api.status();
			this.status = status;
			if (status.has_data && this.phase === 'welcome') this.phase = 'ready';
		} catch {
			// The screen the user opens next asks the backend again and shows the error there.
		}
	}

	/** Creates the demo company; on failure stays on the welcome screen with the error shown. */
	async openDemo(): Promise<boolean> {
		if (this.phase === 'creating') return false;
		this.phase = 'creating';
		this.error = null;
		try {
			this.demo = await this.api.createDemo({ ...DEMO_OPTIONS });
			this.status = await this.api.status();
			this.phase = this.status.has_data ? 'ready' : 'welcome';
			return this.phase === 'ready';
		} catch (e) {
			this.error = e as ApiError;
			this.phase = 'welcome';
			return false;
		}
	}
}
