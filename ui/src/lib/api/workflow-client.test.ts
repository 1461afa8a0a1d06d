import { describe, expect, it } from 'vitest';
import { createApi } from './client';

/** The workflow's commands as the desktop shell registers them (src-tauri/src/commands/workflow.rs). */
describe('workflow client', () => {
	it('sends each call as its Tauri command with camelCase arguments', async () => {
		const sent: [string, Record<string, unknown> | undefined][] = [];
		const api = createApi(async (command, args) => {
			sent.push([command, args]);
			return null;
		});
		await api.agendaView('2026-11-26', null);
		await api.markDone('C00012', null);
		await api.checkPromises(null, true);
		await api.closeDispute(7, '2026-11-30', 'Avoir émis');
		await api.commentDispute(7, 'Relancé');
		await api.workflowRecords('C00012', null);
		await api.setCustomerPaused('C00012', true, 'Négociation', 3);
		await api.setCustomerScenario('C00012', null, null);
		await api.assignScenario('category', 'key_account', 'gentle');
		expect(sent).toEqual([
			['agenda_view', { asOf: '2026-11-26', portfolio: null }],
			['mark_done', { customer: 'C00012', asOf: null }],
			['check_promises', { asOf: null, record: true }],
			['close_dispute', { id: 7, closedOn: '2026-11-30', resolution: 'Avoir émis' }],
			['comment_dispute', { id: 7, body: 'Relancé' }],
			['workflow_records', { customer: 'C00012', invoice: null }],
			['set_customer_paused', { customer: 'C00012', paused: true, reason: 'Négociation', version: 3 }],
			['set_customer_scenario', { customer: 'C00012', scenario: null, version: null }],
			['assign_scenario', { by: 'category', value: 'key_account', scenario: 'gentle' }]
		]);
	});

	it('turns a refused action into an ApiError naming the command', async () => {
		const api = createApi(() => Promise.reject({ code: 'invalid_input', message: 'step: no step x' }));
		await expect(api.recordAction({} as never)).rejects.toMatchObject({
			code: 'invalid_input',
			command: 'record_action',
			detail: 'step: no step x'
		});
	});
});
