/**
 * The scenarios settings' state: the list, a draft being edited, assignments, and saving.
 */
import { toApiError, type Api, type ApiError } from '$lib/api/client';
import type { ScenarioDto, Scenarios } from '$lib/api/types';
import type { LoadPhase } from '$lib/features/dashboard/dashboard.svelte';
import { copyScenario, newScenario, validateScenario, DEFAULT_SCENARIO } from './scenarios';

export class ScenariosState {
	phase = $state<LoadPhase>('idle');
	data = $state.raw<Scenarios | null>(null);
	error = $state.raw<ApiError | null>(null);
	/** The scenario being edited (a copy), and whether it is new. */
	draft = $state<ScenarioDto | null>(null);
	isNew = $state(false);
	tried = $state(false);
	busy = $state(false);
	saveError = $state.raw<ApiError | null>(null);
	saved = $state('');

	constructor(private readonly api: Api) {}

	readonly problems = $derived(this.draft ? validateScenario(this.draft) : []);

	async load(): Promise<void> {
		this.phase = 'loading';
		this.error = null;
		try {
			this.data = await this.api.scenarios();
			this.phase = 'ready';
			if (!this.draft) this.edit(this.data.scenarios[0]?.id ?? DEFAULT_SCENARIO);
		} catch (e) {
			this.error = toApiError('scenarios', e);
			this.phase = 'error';
		}
	}

	edit(id: string): void {
		const s = this.data?.scenarios.find((x) => x.id === id);
		if (!s) return;
		this.draft = copyScenario(s);
		this.isNew = false;
		this.tried = false;
		this.saveError = null;
		this.saved = '';
	}

	create(name: string): void {
		const from = this.data?.scenarios.find((s) => s.id === DEFAULT_SCENARIO) ?? this.data?.scenarios[0];
		if (!from) return;
		this.draft = newScenario(from, name, this.data?.scenarios.map((s) => s.id) ?? []);
		this.isNew = true;
		this.tried = false;
		this.saveError = null;
		this.saved = '';
	}

	async save(): Promise<void> {
		this.tried = true;
		const draft = this.draft;
		if (!draft || validateScenario(draft).length > 0) return;
		this.busy = true;
		this.saveError = null;
		try {
			const clean: ScenarioDto = {
				id: draft.id.trim(),
				name: draft.name.trim(),
				steps: draft.steps.map((s) => ({ ...s, id: s.id.trim(), template: s.template.trim() || s.id.trim() }))
			};
			this.data = await this.api.saveScenario(clean);
			this.isNew = false;
			this.saved = clean.name;
			this.edit(clean.id);
			this.saved = clean.name;
		} catch (e) {
			this.saveError = toApiError('save_scenario', e);
		} finally {
			this.busy = false;
		}
	}

	async assign(by: 'segment' | 'category', value: string, scenario: string | null): Promise<void> {
		this.saveError = null;
		try {
			this.data = await this.api.assignScenario(by, value.trim(), scenario);
		} catch (e) {
			this.saveError = toApiError('assign_scenario', e);
		}
	}
}
