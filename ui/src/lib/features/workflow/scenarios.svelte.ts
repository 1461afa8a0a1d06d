/**
 * The scenarios settings' state: the list, a draft being edited, assignments, and saving.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded, type LoadPhase } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { ScenarioDto, Scenarios } from '$lib/api/types';
import { copyScenario, newScenario, validateScenario, DEFAULT_SCENARIO } from './scenarios';

export class ScenariosState {
	readonly loaded = new Loaded<Scenarios>('scenarios');
	/** The scenario being edited (a copy), and whether it is new. */
	draft = $state<ScenarioDto | null>(null);
	isNew = $state(false);
	tried = $state(false);
	readonly saving = new Saving();
	saved = $state('');

	constructor(private readonly api: Api) {}

	get phase(): LoadPhase {
		return this.loaded.phase;
	}
	get data(): Scenarios | null {
		return this.loaded.data;
	}
	set data(data: Scenarios | null) {
		this.loaded.data = data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	get busy(): boolean {
		return this.saving.busy;
	}
	get saveError(): ApiError | null {
		return this.saving.error;
	}

	readonly problems = $derived(this.draft ? validateScenario(this.draft) : []);

	async load(): Promise<void> {
		await this.loaded.load(() => this.api.scenarios());
		const data = this.loaded.data;
		if (this.loaded.phase === 'ready' && data && !this.draft)
			this.edit(data.scenarios[0]?.id ?? DEFAULT_SCENARIO);
	}

	edit(id: string): void {
		const s = this.data?.scenarios.find((x) => x.id === id);
		if (!s) return;
		this.draft = copyScenario(s);
		this.isNew = false;
		this.tried = false;
		this.saving.reset();
		this.saved = '';
	}

	create(name: string): void {
		const from = this.data?.scenarios.find((s) => s.id === DEFAULT_SCENARIO) ?? this.data?.scenarios[0];
		if (!from) return;
		this.draft = newScenario(from, name, this.data?.scenarios.map((s) => s.id) ?? []);
		this.isNew = true;
		this.tried = false;
		this.saving.reset();
		this.saved = '';
	}

	async save(): Promise<void> {
		this.tried = true;
		const draft = this.draft;
		if (!draft || validateScenario(draft).length > 0) return;
		// A refused save must not keep the last one's "saved" beside its error.
		this.saved = '';
		await this.saving.run('save_scenario', async () => {
			const clean: ScenarioDto = {
				id: draft.id.trim(),
				name: draft.name.trim(),
				steps: draft.steps.map((s) => ({
					...s,
					id: s.id.trim(),
					template: s.template.trim() || s.id.trim()
				})),
				...(draft.version === undefined ? {} : { version: draft.version })
			};
			this.data = await this.api.saveScenario(clean);
			this.isNew = false;
			this.saved = clean.name;
			this.edit(clean.id);
			this.saved = clean.name;
		});
	}

	async assign(by: 'segment' | 'category', value: string, scenario: string | null): Promise<void> {
		await this.saving.run('assign_scenario', async () => {
			this.data = await this.api.assignScenario(by, value.trim(), scenario);
		});
	}
}
