/**
 * The segment → debtor kind mapping of Settings → Lettres et taux: which customer segments are public bodies or
 * private persons (a customer's category comes first; a segment not listed is professional). Edited as rows,
 * saved whole; a blank or repeated segment is refused before it is sent.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { DebtorKind, DebtorKindMapping, SegmentKind } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/i18n.svelte';

export const DEBTOR_KINDS: DebtorKind[] = ['professional', 'public_body', 'private_person'];

/** What is wrong with the rows, if anything: a blank segment or one listed twice. */
export function mappingProblem(rows: SegmentKind[]): MessageKey | null {
	const seen = new Set<string>();
	for (const r of rows) {
		const s = r.segment.trim();
		if (s === '') return 'letters.kinds.blank';
		if (seen.has(s)) return 'letters.kinds.twice';
		seen.add(s);
	}
	return null;
}

export class DebtorKindsState {
	readonly loaded = new Loaded<DebtorKindMapping>('debtor_kind_mapping');
	rows = $state<SegmentKind[] | null>(null);
	dirty = $state(false);
	readonly saving = new Saving();

	constructor(private readonly api: Pick<Api, 'debtorKindMapping' | 'saveDebtorKindMapping'>) {}

	get loadError(): ApiError | null {
		return this.loaded.error;
	}

	readonly problem = $derived(this.rows ? mappingProblem(this.rows) : null);

	async load(): Promise<void> {
		await this.loaded.load(() => this.api.debtorKindMapping());
		if (this.loaded.phase !== 'ready' || !this.loaded.data) return;
		this.rows = this.loaded.data.segments.map((s) => ({ ...s }));
		this.dirty = false;
	}

	touched(): void {
		this.dirty = true;
		this.saving.done = false;
	}

	add(): void {
		if (!this.rows) return;
		this.rows = [...this.rows, { segment: '', kind: 'public_body' }];
		this.touched();
	}

	remove(index: number): void {
		if (!this.rows) return;
		this.rows = this.rows.filter((_, i) => i !== index);
		this.touched();
	}

	async save(): Promise<void> {
		const rows = this.rows;
		if (!rows || this.problem) return;
		await this.saving.run('save_debtor_kind_mapping', async () => {
			const saved = await this.api.saveDebtorKindMapping({
				segments: rows.map((r) => ({ segment: r.segment.trim(), kind: r.kind }))
			});
			this.rows = saved.segments.map((s) => ({ ...s }));
			this.dirty = false;
		});
	}
}
