/**
 * The scenario editor's pure logic: the same rules as the backend's Scenario::validate (ids of letters, digits,
 * _ and -; at least one step; each step with a channel; step ids unique; offsets strictly increasing), so the
 * user sees every problem before saving, and helpers to edit a copy.
 */
import type { ScenarioDto, ScenarioStep } from '$lib/api/types';
import { CODES } from '$lib/i18n/codes';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

export const DEFAULT_SCENARIO = 'default';

const WORD = /^[A-Za-z0-9_-]{1,64}$/;

export function isWord(s: string): boolean {
	return WORD.test(s);
}

/** "Clients grands comptes" → "clients_grands_comptes": an id from a name. */
export function slugify(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 64);
}

export type ScenarioProblem = {
	/** null: the scenario itself; else the step's index. */
	step: number | null;
	field: 'id' | 'name' | 'steps' | 'stepId' | 'channels' | 'offset';
	message: MessageKey;
};

export function validateScenario(s: ScenarioDto): ScenarioProblem[] {
	const problems: ScenarioProblem[] = [];
	if (!isWord(s.id.trim())) problems.push({ step: null, field: 'id', message: 'scenario.error.id' });
	if (s.name.trim() === '') problems.push({ step: null, field: 'name', message: 'scenario.error.name' });
	if (s.steps.length === 0) problems.push({ step: null, field: 'steps', message: 'scenario.error.noStep' });
	s.steps.forEach((st, i) => {
		const id = st.id.trim();
		if (!isWord(id)) problems.push({ step: i, field: 'stepId', message: 'scenario.error.stepId' });
		else if (s.steps.slice(0, i).some((p) => p.id.trim() === id))
			problems.push({ step: i, field: 'stepId', message: 'scenario.error.duplicate' });
		if (st.channels.length === 0)
			problems.push({ step: i, field: 'channels', message: 'scenario.error.channel' });
		if (!Number.isInteger(st.offset_days))
			problems.push({ step: i, field: 'offset', message: 'scenario.error.offset' });
		else if (i > 0 && (s.steps[i - 1]?.offset_days ?? -Infinity) >= st.offset_days)
			problems.push({ step: i, field: 'offset', message: 'scenario.error.order' });
	});
	return problems;
}

/** A copy to edit; it keeps the version read, which the save sends back (a colleague's change is not overwritten). */
export function copyScenario(s: ScenarioDto): ScenarioDto {
	const steps = s.steps.map((st) => ({ ...st, channels: [...st.channels] }));
	return s.version === undefined
		? { id: s.id, name: s.name, steps }
		: { id: s.id, name: s.name, steps, version: s.version };
}

/** A new step after the last one: 15 days later, by email, with its own id. */
export function newStep(steps: readonly ScenarioStep[]): ScenarioStep {
	const last = steps.at(-1);
	// The first built-in step the scenario does not have yet (the user picks steps by name, never types an id).
	let id: string | undefined = CODES.StepId.find((s) => !steps.some((x) => x.id === s));
	if (id === undefined) {
		let n = steps.length + 1;
		while (steps.some((s) => s.id === `step_${n}`)) n += 1;
		id = `step_${n}`;
	}
	return {
		id,
		offset_days: last ? last.offset_days + 15 : 0,
		channels: ['email'],
		template: id,
		needs_validation: false
	};
}

/** The steps a step can be: the built-in ones, and its own id when a user's scenario named it otherwise. */
export function stepChoices(current: string): string[] {
	const builtIn: readonly string[] = CODES.StepId;
	return builtIn.includes(current) ? [...builtIn] : [...builtIn, current];
}

/** A new scenario starting from a copy of another's steps, with an id not yet taken. */
export function newScenario(from: ScenarioDto, name: string, taken: readonly string[]): ScenarioDto {
	const base = slugify(name) || 'scenario';
	let id = base;
	for (let n = 2; taken.includes(id); n += 1) id = `${base}_${n}`;
	return { id, name, steps: copyScenario(from).steps };
}

/** The channels of a step after (un)checking one, kept in the canonical order. */
export function toggleChannel(
	channels: readonly string[],
	channel: string,
	order: readonly string[]
): string[] {
	const set = new Set(channels);
	if (set.has(channel)) set.delete(channel);
	else set.add(channel);
	return order.filter((c) => set.has(c));
}

/** Moves a step up or down (offsets are the user's to fix; validation says when the order is wrong). */
export function moveStep(steps: readonly ScenarioStep[], index: number, delta: -1 | 1): ScenarioStep[] {
	const to = index + delta;
	if (to < 0 || to >= steps.length) return [...steps];
	const next = [...steps];
	const [moved] = next.splice(index, 1);
	if (moved) next.splice(to, 0, moved);
	return next;
}
