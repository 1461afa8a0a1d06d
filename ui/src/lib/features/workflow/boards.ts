/**
 * The promises list and the disputes board: filters, order and the bars of the statistics. Pure functions.
 */
import type { DisputeDto, DisputeTally, PromiseDto } from '$lib/api/types';
import { compareDecimal, toScaled } from '$lib/format/decimal';
import { sumDecimals } from './agenda';

export type PromiseFilter = 'all' | 'running' | 'kept' | 'broken';

const PROMISE_ORDER: Record<string, number> = { broken: 0, running: 1, kept: 2 };

/** Broken first (to act on), then running by promised date, then kept, latest first. */
export function sortPromises(list: readonly PromiseDto[]): PromiseDto[] {
	return [...list].sort((a, b) => {
		const s = (PROMISE_ORDER[a.status] ?? 3) - (PROMISE_ORDER[b.status] ?? 3);
		if (s !== 0) return s;
		if (a.status === 'running') return a.date.localeCompare(b.date) || a.id - b.id;
		return b.date.localeCompare(a.date) || b.id - a.id;
	});
}

export function filterPromises(list: readonly PromiseDto[], filter: PromiseFilter): PromiseDto[] {
	return sortPromises(filter === 'all' ? list : list.filter((p) => p.status === filter));
}

/** Count and amount of promises by status. */
export function promiseTotals(
	list: readonly PromiseDto[]
): Record<PromiseFilter, { count: number; amount: string }> {
	const of = (f: PromiseFilter) => {
		const l = f === 'all' ? list : list.filter((p) => p.status === f);
		return { count: l.length, amount: sumDecimals(l.map((p) => p.amount)) };
	};
	return { all: of('all'), running: of('running'), kept: of('kept'), broken: of('broken') };
}

export type DisputeFilter = { status: 'all' | 'open' | 'closed'; kind: string; department: string };

export function filterDisputes(list: readonly DisputeDto[], f: DisputeFilter): DisputeDto[] {
	return list.filter(
		(d) =>
			(f.status === 'all' || d.status === f.status) &&
			(f.kind === '' || d.kind === f.kind) &&
			(f.department === '' || d.department === f.department)
	);
}

export type Bar = {
	key: string;
	count: number;
	amount: string;
	/** Share of the largest amount, 0–100. */ width: number;
};

/**
 * The statistics as bars sized by amount (the largest is 100), largest first; zero rows kept at the end so
 * every kind stays visible.
 */
export function bars(tallies: readonly DisputeTally[]): Bar[] {
	const max = tallies.reduce<bigint>((m, t) => {
		const v = toScaled(t.amount, 2) ?? 0n;
		return v > m ? v : m;
	}, 0n);
	return [...tallies]
		.sort((a, b) => compareDecimal(b.amount, a.amount) || b.count - a.count)
		.map((t) => {
			const v = toScaled(t.amount, 2) ?? 0n;
			const width = max === 0n ? 0 : Number((v * 1000n) / max) / 10;
			return { key: t.key, count: t.count, amount: t.amount, width };
		});
}
