import { describe, expect, it } from 'vitest';
import { addDays, dateToText, parseDateText } from './date-input';

describe('date fields', () => {
	it('show an ISO date day first, in both languages', () => {
		expect(dateToText('2026-03-12')).toBe('12/03/2026');
		expect(dateToText('')).toBe('');
	});

	it('read day/month/year with any usual separator, and ISO', () => {
		for (const text of [
			'12/03/2026',
			'12.03.2026',
			'12-03-2026',
			'12 03 2026',
			'12/3/2026',
			'12/03/26',
			'12032026',
			' 2026-03-12 '
		]) {
			expect(parseDateText(text), text).toBe('2026-03-12');
		}
	});

	it('never read month first: 03/12/2026 is the 3rd of December', () => {
		expect(parseDateText('03/12/2026')).toBe('2026-12-03');
	});

	it('refuse what is not a day of the calendar', () => {
		for (const text of [
			'31/04/2026',
			'29/02/2026',
			'00/01/2026',
			'12/13/2026',
			'demain',
			'12/03',
			'2026/03/12x'
		]) {
			expect(parseDateText(text), text).toBeUndefined();
		}
		expect(parseDateText('29/02/2028')).toBe('2028-02-29');
	});

	it('read a blank field as no date', () => {
		expect(parseDateText('   ')).toBe('');
	});

	it('step a day at a time across months and years', () => {
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
	});
});
