import { describe, expect, it } from 'vitest';
import { offers, rightsOf } from './rights';

describe('what a team role is offered', () => {
	it('offers everything on a file and to a manager, actions to a collector, nothing to change to a viewer', () => {
		expect(rightsOf(undefined)).toEqual({ act: true, manage: true });
		expect(rightsOf('manager')).toEqual({ act: true, manage: true });
		expect(rightsOf('collector')).toEqual({ act: true, manage: false });
		expect(rightsOf('viewer')).toEqual({ act: false, manage: false });
	});

	it('hides the managers’ screens from the others and keeps the reports, the agenda and “Mon nom”', () => {
		for (const path of ['/import', '/settings/scenarios', '/settings/portfolios', '/bank']) {
			expect(offers(path, 'manager')).toBe(true);
			expect(offers(path, null)).toBe(true);
			expect(offers(path, 'collector')).toBe(false);
			expect(offers(path, 'viewer')).toBe(false);
		}
		for (const path of [
			'/',
			'/aging',
			'/agenda',
			'/promises',
			'/settings/email',
			'/settings/team',
			'/settings/audit'
		])
			expect(offers(path, 'viewer')).toBe(true);
	});
});
