/**
 * What the signed-in role may do on a team's server, for the screens to offer only that (the server refuses the
 * rest anyway). On a file of this computer there is no role: everything is offered.
 * - manager: everything;
 * - collector: the agenda, actions, promises, disputes, letters and emails, and their own name ("Mon nom", in
 *   Settings → E-mail); not the imports, scenarios, portfolios, templates, letter, platform or backup settings;
 * - viewer (the DAF, sales): reads everything, writes nothing.
 */
export type TeamRole = 'manager' | 'collector' | 'viewer';

export type Rights = {
	/** Record actions, promises, disputes; send and print. */
	act: boolean;
	/** Import, change the scenarios, portfolios and settings. */
	manage: boolean;
};

export function rightsOf(role: TeamRole | null | undefined): Rights {
	if (role === 'viewer') return { act: false, manage: false };
	if (role === 'collector') return { act: true, manage: false };
	return { act: true, manage: true };
}

/** The screens only a manager changes anything on (the sidebar hides them from the others). */
const MANAGER_SCREENS = [
	'/bank',
	'/import',
	'/settings/scenarios',
	'/settings/portfolios',
	'/settings/templates',
	'/settings/letters',
	'/settings/platform',
	'/settings/backups'
];

/** Whether the sidebar offers the screen at `path` (the app's path, without its base) to this role. */
export function offers(path: string, role: TeamRole | null | undefined): boolean {
	return rightsOf(role).manage || !MANAGER_SCREENS.some((s) => path === s || path.startsWith(`${s}/`));
}
