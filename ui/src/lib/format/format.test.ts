import { describe, expect, it } from 'vitest';
import {
	formatDate,
	formatIban,
	formatDays,
	formatDaysLate,
	formatMoney,
	formatMoneyCompact,
	formatPercent,
	formatSiren,
	isNegative,
	isZero
} from './format';

// fr-FR groups thousands with a narrow no-break space (U+202F) and puts a no-break space (U+00A0) before €.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatMoney', () => {
	it('formats French amounts with grouped thousands and a comma', () => {
		expect(formatMoney('1234.56', 'EUR', 'fr')).toBe(`1${NNBSP}234,56${NBSP}€`);
		expect(formatMoney('3719634.20', 'EUR', 'fr')).toBe(`3${NNBSP}719${NNBSP}634,20${NBSP}€`);
	});

	it('formats English amounts', () => {
		expect(formatMoney('1234.56', 'EUR', 'en')).toBe('€1,234.56');
		expect(formatMoney('1234.56', 'USD', 'en')).toBe('US$1,234.56');
	});

	it('shows negative amounts with a minus in both languages', () => {
		expect(formatMoney('-100.00', 'EUR', 'fr')).toBe(`-100,00${NBSP}€`);
		expect(formatMoney('-14903.47', 'EUR', 'en')).toBe('-€14,903.47');
	});

	it('shows zero, and negative zero, without a sign', () => {
		expect(formatMoney('0.00', 'EUR', 'fr')).toBe(`0,00${NBSP}€`);
		expect(formatMoney('-0.00', 'EUR', 'fr')).toBe(`0,00${NBSP}€`);
		expect(formatMoney('-0.00', 'EUR', 'en')).toBe('€0.00');
	});

	it('keeps every digit of amounts beyond float precision', () => {
		// As a double, 12345678901234.56 is 12345678901234.5605… and 9007199254740993.01 loses its last digits.
		expect(formatMoney('12345678901234.56', 'EUR', 'fr')).toBe(
			`12${NNBSP}345${NNBSP}678${NNBSP}901${NNBSP}234,56${NBSP}€`
		);
		expect(formatMoney('9007199254740993.01', 'EUR', 'en')).toBe('€9,007,199,254,740,993.01');
	});

	it('leaves a value that is not a decimal as it is', () => {
		expect(formatMoney('n/a', 'EUR', 'fr')).toBe('n/a');
		expect(formatMoney('1e5', 'EUR', 'fr')).toBe('1e5');
	});

	it('has a compact form for chart labels', () => {
		expect(formatMoneyCompact('2817653.34', 'EUR', 'fr')).toBe(`2,8${NBSP}M${NBSP}€`);
		expect(formatMoneyCompact('2817653.34', 'EUR', 'en')).toBe('€2.8m');
	});
});

describe('signs', () => {
	it('tells negative and zero amounts', () => {
		expect(isNegative('-0.01')).toBe(true);
		expect(isNegative('-0.00')).toBe(false);
		expect(isNegative('5.00')).toBe(false);
		expect(isZero('0.00')).toBe(true);
		expect(isZero('-0.00')).toBe(true);
		expect(isZero('0.01')).toBe(false);
	});
});

describe('dates and days', () => {
	it('formats dates as DD/MM/YYYY', () => {
		expect(formatDate('2026-11-26')).toBe('26/11/2026');
		expect(formatDate('2027-01-05')).toBe('05/01/2027');
		expect(formatDate('not a date')).toBe('not a date');
	});

	it('formats days late with a plus and the language unit', () => {
		expect(formatDaysLate(45, 'fr')).toBe(`+45${NBSP}j`);
		expect(formatDaysLate(45, 'en')).toBe(`+45${NBSP}d`);
		expect(formatDaysLate(1234, 'fr')).toBe(`+1${NNBSP}234${NBSP}j`);
		expect(formatDaysLate(0, 'fr')).toBe(`0${NBSP}j`);
	});

	it('formats DSO days with one decimal', () => {
		expect(formatDays(57.3, 'fr')).toBe(`57,3${NBSP}j`);
		expect(formatDays(56, 'en')).toBe(`56.0${NBSP}d`);
	});

	it('formats percentages given in percent', () => {
		expect(formatPercent(24.6, 'fr')).toBe(`24,6${NBSP}%`);
		expect(formatPercent(24.6, 'en')).toBe('24.6%');
	});
});

describe('SIREN and SIRET', () => {
	it('are grouped as printed in France, with no-break spaces', () => {
		expect(formatSiren('633786025')).toBe('633\u00a0786\u00a0025');
		expect(formatSiren('63378602500012')).toBe('633\u00a0786\u00a0025\u00a000012');
		expect(formatSiren(' 633 786 025 ')).toBe('633\u00a0786\u00a0025');
	});

	it('leave anything else as given', () => {
		expect(formatSiren('BE0123456789')).toBe('BE0123456789');
		expect(formatSiren('12345')).toBe('12345');
		expect(formatSiren(null)).toBe('');
	});
});

describe('formatIban', () => {
	it('groups an IBAN by four and leaves other account ids as given', () => {
		expect(formatIban('FR7630004005680001234567890')).toBe(
			'FR76\u00a03000\u00a04005\u00a06800\u00a00123\u00a04567\u00a0890'
		);
		expect(formatIban('fr76 3000 4005 6800 0123 4567 890')).toBe(
			'FR76\u00a03000\u00a04005\u00a06800\u00a00123\u00a04567\u00a0890'
		);
		expect(formatIban('00012345678')).toBe('00012345678');
		expect(formatIban(null)).toBe('');
	});
});
