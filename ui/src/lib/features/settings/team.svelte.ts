/**
 * Settings → "Équipe": where the window's database is, signing in to a team's server (the password goes to the
 * OS keyring, never to the screen again) and coming back to this computer's file.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { Connection } from '$lib/api/types';

export type TeamForm = { server: string; user: string; password: string };

/** What the form lacks before it can be sent, as message keys. */
export function teamFormProblems(f: TeamForm): ('team.error.server' | 'team.error.user')[] {
	const problems: ('team.error.server' | 'team.error.user')[] = [];
	if (!/^postgres(ql)?:\/\/[^/\s]+\/[^/\s?]+/.test(f.server.trim())) problems.push('team.error.server');
	if (!/^[A-Za-z0-9_.-]{1,63}$/.test(f.user.trim())) problems.push('team.error.user');
	return problems;
}

export class TeamState {
	readonly loaded = new Loaded<Connection>('team_connection');
	readonly saving = new Saving();
	/** The server just signed in to. */
	connected = $state<string | null>(null);
	disconnected = $state(false);

	constructor(
		private readonly api: Api,
		/** The app's status changed (the sidebar says who is signed in): reload it. */
		private readonly onswitched: () => void
	) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get data(): Connection | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}

	async load(): Promise<void> {
		await this.loaded.load(() => this.api.teamConnection());
	}

	async connect(form: TeamForm): Promise<boolean> {
		this.connected = null;
		this.disconnected = false;
		let server = '';
		const ok = await this.saving.run('connect_team', async () => {
			server = await this.api.connectTeam({
				server: form.server.trim(),
				user: form.user.trim(),
				password: form.password
			});
		});
		if (ok) {
			this.connected = server;
			this.onswitched();
			await this.load();
		}
		return ok;
	}

	async disconnect(): Promise<boolean> {
		this.connected = null;
		const ok = await this.saving.run('disconnect_team', () => this.api.disconnectTeam());
		if (ok) {
			this.disconnected = true;
			this.onswitched();
			await this.load();
		}
		return ok;
	}
}
