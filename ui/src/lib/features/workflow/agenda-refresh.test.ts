import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { AgendaState } from './agenda.svelte';

/** The preview's backend, with a change stamp the test moves (a colleague writing on the team's server). */
function backend() {
	let stamp = 's1';
	let agendaLoads = 0;
	const mock = createMockTransport();
	const api = createApi(async (command, args) => {
		if (command === 'change_stamp') return stamp;
		if (command === 'agenda_view') agendaLoads += 1;
		return mock(command, args);
	});
	return {
		api,
		write: () => (stamp = `${stamp}+`),
		loads: () => agendaLoads
	};
}

describe('the agenda in team mode', () => {
	it('reloads when someone else wrote, and only then', async () => {
		const b = backend();
		const agenda = new AgendaState(b.api);
		await agenda.load(null);
		expect(b.loads()).toBe(1);
		// The first poll learns the stamp; nothing changed since.
		expect(await agenda.refreshIfChanged(null)).toBe(false);
		expect(await agenda.refreshIfChanged(null)).toBe(false);
		expect(b.loads()).toBe(1);
		b.write();
		expect(await agenda.refreshIfChanged(null)).toBe(true);
		expect(b.loads()).toBe(2);
		expect(agenda.phase).toBe('ready');
		expect(await agenda.refreshIfChanged(null)).toBe(false);
		expect(b.loads()).toBe(2);
	});

	it('sees a write made before its first poll once it noted the stamp on opening', async () => {
		const b = backend();
		const agenda = new AgendaState(b.api);
		await agenda.learnChanges();
		await agenda.load(null);
		b.write();
		expect(await agenda.refreshIfChanged(null)).toBe(true);
		expect(b.loads()).toBe(2);
	});
});
