import { describe, expect, it, vi } from 'vitest';
import { createApi, type Transport } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { TeamState, teamFormProblems } from './team.svelte';

describe('Settings → Équipe', () => {
	it('asks for a postgres:// address with a database and a login the server may know', () => {
		const ok = { server: 'postgres://db.local:5433/compta?sslmode=require', user: 'marie', password: '' };
		expect(teamFormProblems(ok)).toEqual([]);
		expect(teamFormProblems({ ...ok, server: 'db.local/compta' })).toEqual(['team.error.server']);
		expect(teamFormProblems({ ...ok, server: 'postgres://db.local' })).toEqual(['team.error.server']);
		expect(teamFormProblems({ ...ok, user: 'ma rie' })).toEqual(['team.error.user']);
		expect(teamFormProblems({ ...ok, user: '' })).toEqual(['team.error.user']);
	});

	it('shows this computer’s file in the preview and says a server cannot be reached from a browser', async () => {
		const switched = vi.fn();
		const st = new TeamState(createApi(createMockTransport()), switched);
		await st.load();
		expect(st.data).toMatchObject({ on_server: false, from_env: false, fallback: null });
		expect(await st.connect({ server: 'postgres://db/compta', user: 'marie', password: 'x' })).toBe(false);
		expect(st.saving.error?.code).toBe('io');
		expect(switched).not.toHaveBeenCalled();
	});

	it('sends the form trimmed, then reloads the status and the connection', async () => {
		const sent: [string, unknown][] = [];
		let onServer = false;
		const transport: Transport = async (command, args) => {
			sent.push([command, args]);
			if (command === 'connect_team') {
				onServer = true;
				return 'postgres://marie@db/compta';
			}
			return {
				location: onServer ? 'postgres://marie@db/compta' : '/home/marie/encaisse.db',
				on_server: onServer,
				user: onServer ? 'marie' : null,
				from_env: false,
				saved_server: onServer ? 'postgres://marie@db/compta' : null,
				fallback: null
			};
		};
		const switched = vi.fn();
		const st = new TeamState(createApi(transport), switched);
		await st.load();
		expect(
			await st.connect({ server: ' postgres://db/compta ', user: ' marie ', password: ' s3cret ' })
		).toBe(true);
		expect(sent[1]).toEqual([
			'connect_team',
			{ input: { server: 'postgres://db/compta', user: 'marie', password: ' s3cret ' } }
		]);
		expect(switched).toHaveBeenCalledOnce();
		expect(st.connected).toBe('postgres://marie@db/compta');
		expect(st.data?.user).toBe('marie');
	});
});
