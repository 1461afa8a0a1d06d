import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type CommandName } from './bindings/commands';
import { createApi, isAppError, type Transport } from './client';
import { createMockTransport, mockChannel, SAMPLE_FEC_NAME } from './fixtures/mock';

/** Every argument name a command takes, with a value the preview can work with. */
const plausible: Record<string, unknown> = {
	asOf: null,
	periodDays: null,
	weeks: null,
	path: `/data/${SAMPLE_FEC_NAME}`,
	paths: ['/data/facture.pdf'],
	termsDays: null,
	siren: null,
	options: { mapping: [], sheet: null, as_of: null, buckets: null, basis: null, group_by: null },
	onProgress: mockChannel(() => {}),
	customer: 'C00001',
	invoice: null,
	key: 'C00001',
	category: null,
	days: 10,
	rate: '4.5',
	yearEnd: '2026-12-31',
	turnover: null,
	from: null,
	to: 'dafi@example.fr',
	send: false,
	record: false,
	id: 1,
	body: 'Relancé',
	closedOn: null,
	resolution: 'Avoir émis',
	paused: false,
	reason: '',
	scenario: null,
	by: 'segment',
	value: 'pme',
	lang: 'fr',
	format: 'csv',
	entry: 'ref:FR7630004005680001234567890:R1',
	status: null,
	invoices: [],
	version: null
};

/** The structured arguments, per command, taken from what the preview itself answers. */
async function structured(
	transport: Transport
): Promise<Partial<Record<CommandName, Record<string, unknown>>>> {
	const smtp = await transport('smtp_settings', {});
	const mail = await transport('mail_settings', {});
	const letters = await transport('letter_settings', {});
	const rates = await transport('rates', {});
	const backupSettings = await transport('backup_settings', {});
	const scenarios = (await transport('scenarios', {})) as { scenarios: unknown[] };
	const draft = { id: 'reminder_1', lang: 'fr', subject: 'Relance', body: 'Bonjour' };
	const customer = 'C00001';
	const user = '';
	return {
		save_smtp: { input: { settings: smtp, password: null } },
		save_pa_settings: { input: { settings: await transport('pa_settings', {}), secret: null } },
		save_email_template: { input: draft },
		preview_template: { draft },
		preview_email: {
			request: { customer, template: null, as_of: null, lang: null, subject: null, body: null }
		},
		send_emails: { request: { as_of: null, customers: [], user } },
		save_mail_settings: { settings: mail },
		save_collection_settings: { input: { min_gap_days: null, promise_grace_days: null } },
		change_promise: {
			input: { id: 1, version: null, date: '2026-12-18', amount: '10.00', grace_days: 3, comment: '' }
		},
		save_letter_settings: { settings: letters },
		save_rates: { rates },
		save_backup_settings: { settings: backupSettings },
		record_action: {
			input: {
				customer,
				kind: 'note',
				invoices: [],
				step: null,
				outcome: null,
				date: null,
				user,
				next_action_date: null,
				template: null,
				recipient: '',
				subject: '',
				comment: 'Note'
			}
		},
		add_promise: {
			input: {
				customer,
				invoices: [],
				date: '2026-12-10',
				amount: '100.00',
				grace_days: null,
				made_on: null,
				action_id: null,
				user,
				comment: ''
			}
		},
		open_dispute: {
			input: {
				customer,
				invoices: [],
				kind: 'price',
				department: 'sales',
				amount: null,
				opened_on: null,
				user,
				comment: ''
			}
		},
		save_scenario: { scenario: scenarios.scenarios[0] },
		save_debtor_kind_mapping: { mapping: { segments: [{ segment: 'secteur_public', kind: 'public_body' }] } },
		letter_preview: { request: { customer, step: null, as_of: null, text_before: null, text_after: null } },
		save_letter_pdf: { request: { customer, step: null, as_of: null, text_before: null, text_after: null } },
		print_letter: { request: { customer, step: null, as_of: null, text_before: null, text_after: null } },
		daily_report: { send: false, collector: null, to: [] },
		penalties: { query: { as_of: null, from: null, to: null, customer: null } },
		waive_penalty: { input: { customer, invoice: 'F2026-00001', reason: '' } },
		print_penalty_statement: { query: { as_of: null, from: null, to: null, customer }, path: null },
		export_report: { report: { kind: 'aging' } }
	};
}

describe('commands', () => {
	it('have one method each in the api, calling that command', async () => {
		const sent: string[] = [];
		const api = createApi(async (command) => {
			sent.push(command);
			return null;
		}, mockChannel);
		const methods = Object.values(api) as ((...args: unknown[]) => Promise<unknown>)[];
		expect(methods).toHaveLength(COMMAND_NAMES.length);
		for (const method of methods) await method(null, null, null, null);
		expect([...sent].sort()).toEqual([...COMMAND_NAMES].sort());
	});

	it.each(COMMAND_NAMES.map((name) => [name]))('%s is answered by the browser preview', async (name) => {
		const transport = createMockTransport({ demoDelayMs: 0, importStepMs: 0 });
		const args = { ...plausible, ...(await structured(transport))[name as CommandName] };
		const answer = await transport(name as CommandName, args).then(
			() => 'answered',
			(e: unknown) => (isAppError(e) ? 'refused' : e)
		);
		expect(['answered', 'refused']).toContain(answer);
	});
});
