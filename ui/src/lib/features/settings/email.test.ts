import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { EmailSettingsState } from './email.svelte';

const state = async () => {
	const st = new EmailSettingsState(createApi(createMockTransport()));
	await st.load();
	return st;
};

describe('the email settings screen', () => {
	it('loads both forms and proposes the contact address for the test', async () => {
		const st = await state();
		expect(st.smtp?.settings.host).toBe('smtp.atelier-lumiere.fr');
		expect(st.hasPassword).toBe(true);
		expect(st.mail?.settings.contact_name).toBe('Anne Martin');
		expect(st.testTo).toBe('a.martin@atelier-lumiere.fr');
	});

	it('moves the port with the security while it is the default one', async () => {
		const st = await state();
		st.changeSecurity('tls');
		expect(st.smtp?.settings.port).toBe(465);
		if (st.smtp) st.smtp.settings.port = 2525;
		st.changeSecurity('starttls');
		expect(st.smtp?.settings.port).toBe(2525);
	});

	it('shows the problems once tried and saves nothing then; saves a valid form', async () => {
		const st = await state();
		if (st.smtp) st.smtp.settings.host = '';
		expect(st.smtpProblem('host')).toBeUndefined();
		await st.saveSmtp();
		expect(st.smtpProblem('host')).toBeDefined();
		expect(st.smtpSaving.done).toBe(false);
		if (st.smtp) st.smtp.settings.host = 'smtp.example.fr';
		await st.saveSmtp();
		expect(st.smtpSaving.done).toBe(true);
		expect(st.smtpTried).toBe(false);
		expect(st.smtp?.settings.host).toBe('smtp.example.fr');
	});

	it("keeps the test's refusal (no mail outside the app)", async () => {
		const st = await state();
		await st.sendTest();
		expect(st.testing.error?.code).toBe('mail');
		expect(st.testing.done).toBe(false);
	});

	it("offers the portfolios' collectors and adds, removes and saves their reports' rows", async () => {
		const st = await state();
		expect(st.collectors.map((c) => c.login)).toContain('Claire Martin');
		expect(st.mail?.collectors).toEqual([
			{ collector: 'Claire Martin', address: 'c.martin@atelier-lumiere.fr' }
		]);
		st.addCollector();
		if (st.mail) st.mail.collectors[1] = { collector: 'Julien Roux', address: 'j.roux@atelier-lumiere.fr' };
		st.addCollector();
		await st.saveMail();
		expect(st.mailSaving.done).toBe(true);
		expect(st.mail?.collectors.map((c) => c.collector)).toEqual(['Claire Martin', 'Julien Roux']);
		st.removeCollector(0);
		await st.saveMail();
		expect(st.mail?.settings.collector_reports).toEqual([
			{ collector: 'Julien Roux', address: 'j.roux@atelier-lumiere.fr' }
		]);
	});

	it('saves the messages settings', async () => {
		const st = await state();
		if (st.mail) st.mail.settings.contact_phone = '01 02 03 04 05';
		await st.saveMail();
		expect(st.mailSaving.done).toBe(true);
		expect(st.mail?.settings.contact_phone).toBe('01 02 03 04 05');
	});
});
