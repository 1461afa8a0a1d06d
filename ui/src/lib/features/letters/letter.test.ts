import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import type { LetterPreview } from '$lib/api/types';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { sampleAgendaView } from '$lib/api/fixtures/workflow-mock';
import { toApiError } from '$lib/api/client';
import { errorText } from '$lib/components/error-text';
import { translate } from '$lib/i18n/i18n.svelte';
import {
	batchFileName,
	batchSummary,
	dossierFileName,
	heldNumbers,
	isLetterAction,
	letterFileName,
	leftOutReason,
	letterRequest,
	paragraphs
} from './letter';

const base = {
	text_before: 'Bonjour,\n\nVoici vos factures :',
	text_after: 'Cordialement,\n\nMarie',
	after_editable: true
} as LetterPreview;

describe('letter request', () => {
	it('sends no text when the user changed nothing (line endings and outer spaces aside)', () => {
		const r = letterRequest('C1', 'reminder_2', '2026-11-26', base, {
			before: 'Bonjour,\r\n\r\nVoici vos factures : ',
			after: '\nCordialement,\n\nMarie\n'
		});
		expect(r).toEqual({
			customer: 'C1',
			step: 'reminder_2',
			as_of: '2026-11-26',
			text_before: null,
			text_after: null,
			include_held: null
		});
	});

	it('sends an edited text, trimmed, with \\n line endings', () => {
		const r = letterRequest('C1', null, null, base, {
			before: ' Madame,\r\n\r\nUn mot. ',
			after: base.text_after
		});
		expect(r.text_before).toBe('Madame,\n\nUn mot.');
		expect(r.text_after).toBeNull();
	});

	it('never sends the text after the table of a formal notice (its mentions are fixed)', () => {
		const notice = { ...base, after_editable: false };
		expect(
			letterRequest('C1', 'formal_notice', null, notice, { before: 'x', after: 'changed' }).text_after
		).toBeNull();
	});

	it('asks for the backend text before any preview', () => {
		expect(letterRequest('C1', null, null)).toEqual({
			customer: 'C1',
			step: null,
			as_of: null,
			text_before: null,
			text_after: null,
			include_held: null
		});
	});
});

describe('invoices held from a formal notice', () => {
	it('are asked for only when the user chose to include them', () => {
		expect(letterRequest('C1', 'formal_notice', null).include_held).toBeNull();
		expect(letterRequest('C1', 'formal_notice', null, null, null, true).include_held).toBe(true);
		expect(letterRequest('C1', 'formal_notice', null, null, null, false).include_held).toBeNull();
	});

	it('are named by reason', () => {
		const list = [
			{ invoice: 'F1', reason: 'dispute' },
			{ invoice: 'F2', reason: 'promise' },
			{ invoice: 'F3', reason: 'dispute' }
		];
		expect(heldNumbers(list, 'dispute')).toBe('F1, F3');
		expect(heldNumbers(list, 'promise')).toBe('F2');
		expect(heldNumbers([], 'promise')).toBe('');
	});

	it('are worded in French with the no-break space before the colon', () => {
		expect(translate('fr', 'letter.excludedDispute', { list: 'F1, F3' })).toBe(
			'Laissées hors de la mise en demeure (litige ouvert)\u00a0: F1, F3'
		);
		expect(translate('en', 'letter.heldPromise', { list: 'F2' })).toContain('F2');
	});
});

describe('letter helpers', () => {
	it('split a text into paragraphs of lines', () => {
		expect(paragraphs('Bonjour,\n\nLigne 1\nLigne 2\n\n\n  \nFin')).toEqual([
			['Bonjour,'],
			['Ligne 1', 'Ligne 2'],
			['Fin']
		]);
		expect(paragraphs('')).toEqual([]);
	});

	it('name the files', () => {
		expect(
			letterFileName({ customer: 'C00014', kind: 'reminder', step: 'reminder_2', as_of: '2026-11-26' })
		).toBe('lettre-C00014-reminder_2-2026-11-26.pdf');
		expect(
			letterFileName({ customer: 'C/1', kind: 'notice', step: 'formal_notice', as_of: '2026-11-26' })
		).toBe('mise-en-demeure-C_1-2026-11-26.pdf');
		expect(batchFileName('2026-11-26')).toBe('lettres-2026-11-26.pdf');
		expect(dossierFileName('C/1 é', '2026-11-26')).toBe('dossier-contentieux-C_1__-2026-11-26.zip');
	});

	it('the litigation file cannot be written outside the app', async () => {
		const api = createApi(createMockTransport());
		await expect(api.saveDossier('C00014', null, '/tmp/d.zip')).rejects.toMatchObject({
			code: 'invalid_input'
		});
	});

	it('count letters and pages of a batch', () => {
		expect(batchSummary([{ pages: 1 }, { pages: 2 }, { pages: 1 }])).toEqual({ count: 3, pages: 4 });
		expect(batchSummary([])).toEqual({ count: 0, pages: 0 });
	});

	it('say why a letter was left out of the batch, in French and English', () => {
		const missing = {
			reason: 'customer C00026: no ECB rate for the half-year starting 2027-01-01: add it in Settings',
			missing_rate: '2027-01-01'
		};
		const date = (iso: string) => iso.split('-').reverse().join('/');
		expect(leftOutReason(missing, (k, p) => translate('fr', k, p), date)).toBe(
			"taux BCE manquant pour le semestre du 01/01/2027 : ajoutez-le dans Paramètres → Lettres et taux, puis relancez l'impression."
		);
		expect(leftOutReason(missing, (k, p) => translate('en', k, p), date)).toContain(
			'half-year from 01/01/2027: add it in Settings → Letters and rates'
		);
		const other = { reason: 'customer C00001: no invoice is past due', missing_rate: null };
		expect(leftOutReason(other, (k, p) => translate('fr', k, p), date)).toBe(other.reason);
	});

	it('find the letter actions (letter, letter+call) and only them', () => {
		const letters = sampleAgendaView.items.filter(isLetterAction);
		expect(letters.length).toBeGreaterThan(0);
		for (const i of letters) expect(i.action.channel.split('+')).toContain('letter');
		const others = sampleAgendaView.items.filter((i) => !isLetterAction(i));
		for (const i of others) expect(i.action.channel.split('+')).not.toContain('letter');
	});
});

describe('letters in the browser preview', () => {
	it('preview an agenda letter with its invoices and total, print it and take it off the agenda', async () => {
		const api = createApi(createMockTransport());
		const item = sampleAgendaView.items.find(isLetterAction)!;
		const p = await api.letterPreview(letterRequest(item.action.customer, null, null));
		expect(p.step).toBe(item.action.step);
		expect(p.on_agenda).toBe(true);
		expect(p.rows.map((r) => r[0])).toEqual(item.action.invoices);
		expect(p.still_due).toBe(item.overdue_amount);
		expect(p.totals.at(-1)!.amount.replace(/\s/g, ' ')).toContain('€');
		const edited = await api.letterPreview({
			...letterRequest(item.action.customer, null, null),
			text_before: 'Madame,'
		});
		expect(edited.text_before).toBe('Madame,');
		const action = await api.printLetter(letterRequest(item.action.customer, null, null));
		expect(action.kind).toBe('letter');
		expect(action.step).toBe(item.action.step);
		const view = await api.agendaView(null, null);
		expect(view.items.some((i) => i.action.customer === item.action.customer)).toBe(false);
		const records = await api.workflowRecords(item.action.customer, null);
		expect(records.actions.some((a) => a.id === action.id && a.kind === 'letter')).toBe(true);
	});

	it('claim only the overdue invoices of an action that lists some not yet due, and record those', async () => {
		const api = createApi(createMockTransport());
		const item = sampleAgendaView.items.find(
			(i) => isLetterAction(i) && i.action.not_due_invoices.length > 0
		)!;
		const overdue = item.action.invoices.filter((n) => !item.action.not_due_invoices.includes(n));
		const p = await api.letterPreview(letterRequest(item.action.customer, null, null));
		expect(p.invoices).toEqual(overdue);
		expect(p.still_due).toBe(item.overdue_amount);
		const action = await api.printLetter(letterRequest(item.action.customer, null, null));
		expect(action.invoices).toEqual(overdue);
	});

	it('print the day batch: every letter recorded, none left on the agenda', async () => {
		const api = createApi(createMockTransport());
		const expected = sampleAgendaView.items.filter(isLetterAction).map((i) => i.action.customer);
		const { letters, left_out } = await api.lettersBatch(null, null);
		expect(left_out).toEqual([]);
		expect(letters.map((l) => l.customer)).toEqual(expected);
		expect(letters.every((l) => l.action_id !== null)).toBe(true);
		const view = await api.agendaView(null, null);
		expect(view.items.filter(isLetterAction)).toEqual([]);
		await expect(api.lettersBatch(null, null)).rejects.toMatchObject({ code: 'invalid_input' });
	});

	it('refuse to write files outside the app', async () => {
		const api = createApi(createMockTransport());
		const item = sampleAgendaView.items.find(isLetterAction)!;
		await expect(
			api.saveLetterPdf(letterRequest(item.action.customer, null, null), '/tmp/x.pdf')
		).rejects.toMatchObject({
			code: 'invalid_input'
		});
	});
});

describe('printing without a PDF viewer', () => {
	it('says so in French with the path where the PDF was saved, and in English', () => {
		const error = toApiError('print_letter', {
			code: 'no_pdf_viewer',
			message: 'no PDF viewer could open the letter, saved in /tmp/encaisse-letters/C1.pdf: Launcher failed',
			path: '/tmp/encaisse-letters/C1.pdf'
		});
		const text = errorText(error.code);
		const params = { path: error.path ?? '' };
		expect(translate('fr', text.title, params)).toBe(
			"Aucune visionneuse PDF n'est installée : le PDF a été enregistré dans /tmp/encaisse-letters/C1.pdf"
		);
		expect(translate('en', text.title, params)).toBe(
			'No PDF viewer is installed: the PDF was saved in /tmp/encaisse-letters/C1.pdf'
		);
		expect(translate('fr', text.advice)).toContain("Rien n'a été noté dans le suivi");
	});
});
