import { describe, expect, it } from 'vitest';
import { createApi } from '$lib/api/client';
import { createMockTransport } from '$lib/api/fixtures/mock';
import { DebtorKindsState, mappingProblem } from './debtor-kinds.svelte';

const state = async () => {
	const api = createApi(createMockTransport());
	const st = new DebtorKindsState(api);
	await st.load();
	return { api, st };
};

describe('Settings → Lettres et taux: the debtor kind of each segment', () => {
	it('refuses a blank segment and one listed twice, as the backend', () => {
		expect(mappingProblem([{ segment: 'a', kind: 'public_body' }])).toBeNull();
		expect(mappingProblem([{ segment: ' ', kind: 'public_body' }])).toBe('letters.kinds.blank');
		expect(
			mappingProblem([
				{ segment: 'a', kind: 'public_body' },
				{ segment: ' a ', kind: 'private_person' }
			])
		).toBe('letters.kinds.twice');
	});

	it("shows the demo's public sector, saves a new segment sorted and records it in the audit trail", async () => {
		const { api, st } = await state();
		expect(st.rows).toEqual([{ segment: 'secteur_public', kind: 'public_body' }]);
		st.add();
		expect(st.dirty).toBe(true);
		expect(st.problem).toBe('letters.kinds.blank');
		st.rows![1]!.segment = ' particuliers ';
		st.rows![1]!.kind = 'private_person';
		await st.save();
		expect(st.saving.done).toBe(true);
		expect(st.rows).toEqual([
			{ segment: 'particuliers', kind: 'private_person' },
			{ segment: 'secteur_public', kind: 'public_body' }
		]);
		expect(await api.debtorKindMapping()).toEqual({ segments: st.rows });
		const last = (await api.auditTrail(null, null)).at(-1)!;
		expect([last.entity, last.kind]).toEqual(['debtor_kinds', 'debtor_kinds_changed']);
		st.remove(0);
		await st.save();
		expect(st.rows).toEqual([{ segment: 'secteur_public', kind: 'public_body' }]);
	});
});
