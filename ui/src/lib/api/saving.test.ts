import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { Saving } from './saving.svelte';

describe('saving', () => {
	it('is busy while the work runs, then done', async () => {
		const saving = new Saving();
		let finish: () => void = () => {};
		const running = saving.run('save_rates', () => new Promise<void>((resolve) => (finish = resolve)));
		expect(saving.busy).toBe(true);
		expect(saving.running).toBe('save_rates');
		expect(await saving.run('save_rates', async () => {})).toBe(false);
		finish();
		expect(await running).toBe(true);
		expect(saving).toMatchObject({ busy: false, running: null, done: true, error: null });
	});

	it('keeps a refusal as it came, and names anything else after the label', async () => {
		const saving = new Saving();
		const refused = new ApiError('invalid_input', 'rate: 120 %', 'save_rates');
		expect(await saving.run('save_rates', () => Promise.reject(refused))).toBe(false);
		expect(saving.error).toBe(refused);
		expect(saving.done).toBe(false);
		await saving.run('dialog_save', () => Promise.reject(new Error('no window')));
		expect(saving.error).toMatchObject({ code: 'unexpected', detail: 'no window', command: 'dialog_save' });
		saving.reset();
		expect(saving).toMatchObject({ busy: false, done: false, error: null });
	});
});
