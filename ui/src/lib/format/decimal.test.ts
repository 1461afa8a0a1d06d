import { describe, expect, it } from 'vitest';
import { compareDecimal, fromScaled, sharePercent, sumDecimal, toScaled } from './decimal';

describe('toScaled', () => {
	it('scales exactly', () => {
		expect(toScaled('1234.56', 2)).toBe(123456n);
		expect(toScaled('-100.00', 2)).toBe(-10000n);
		expect(toScaled('7', 2)).toBe(700n);
		expect(toScaled('12345678901234.56', 2)).toBe(1234567890123456n);
		expect(toScaled('abc', 2)).toBeNull();
	});
});

describe('compareDecimal', () => {
	it('orders by value, not by text', () => {
		expect(compareDecimal('10.00', '9.99')).toBe(1);
		expect(compareDecimal('-100.00', '2.50')).toBe(-1);
		expect(compareDecimal('-100.00', '-20.00')).toBe(-1);
		expect(compareDecimal('2.5', '2.50')).toBe(0);
		expect(compareDecimal('0.00', '-0.00')).toBe(0);
	});

	it('distinguishes amounts a double cannot', () => {
		expect(compareDecimal('9007199254740993.01', '9007199254740993.00')).toBe(1);
	});
});

describe('sharePercent', () => {
	it('gives one decimal, rounded half away from zero', () => {
		expect(sharePercent('25.00', '200.00')).toBe(12.5);
		expect(sharePercent('1.00', '3.00')).toBe(33.3);
		expect(sharePercent('2.00', '3.00')).toBe(66.7);
		expect(sharePercent('1.00', '8.00')).toBe(12.5);
		expect(sharePercent('1.00', '16.00')).toBe(6.3);
		expect(sharePercent('-1.00', '16.00')).toBe(-6.3);
	});

	it('matches the demo sample', () => {
		expect(sharePercent('2817653.34', '3719634.20')).toBe(75.8);
	});

	it('is null when the whole is zero', () => {
		expect(sharePercent('1.00', '0.00')).toBeNull();
	});
});

describe('sumDecimal and fromScaled', () => {
	it('adds amounts exactly, where floats would not', () => {
		expect(sumDecimal(['0.10', '0.20'])).toBe('0.30');
		expect(sumDecimal(['1234567890123.45', '0.01'])).toBe('1234567890123.46');
		expect(sumDecimal(['100.00', '-100.50'])).toBe('-0.50');
		expect(sumDecimal([])).toBe('0.00');
	});

	it('writes scaled integers back with their decimals and no negative zero', () => {
		expect(fromScaled(-12345n, 2)).toBe('-123.45');
		expect(fromScaled(5n, 2)).toBe('0.05');
		expect(fromScaled(0n, 2)).toBe('0.00');
		expect(fromScaled(42n, 0)).toBe('42');
	});
});
