/**
 * The "Banque" screen's pure logic: the entries of one status, the count per status, a reason's words, a split
 * by hand checked, the customer picker's search, a bank CSV's column mapping.
 */
import type { BankEntryDto, BankReason, BankStatus, FieldHeader, InvoiceShare } from '$lib/api/types';
import { parseAmountInput } from '$lib/features/workflow/forms';
import { compareDecimal, sumDecimal } from '$lib/format/decimal';
import { DICTIONARIES, translate, type MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';

export const BANK_STATUSES: BankStatus[] = ['suggested', 'unmatched', 'matched', 'on_account', 'ignored'];

/** The filter: one status, or every entry. */
export type BankFilter = BankStatus | 'all';

export function filterEntries(entries: BankEntryDto[], filter: BankFilter): BankEntryDto[] {
	return filter === 'all' ? entries : entries.filter((e) => e.status === filter);
}

export function countByStatus(entries: BankEntryDto[]): Record<BankStatus, number> {
	const counts: Record<BankStatus, number> = {
		matched: 0,
		suggested: 0,
		unmatched: 0,
		on_account: 0,
		ignored: 0
	};
	for (const e of entries) counts[e.status] += 1;
	return counts;
}

/** A reason in words (its code when this version has no words for it). */
export function reasonText(r: BankReason, locale: Locale): string {
	const { key, params } = reasonWords(r);
	return key in DICTIONARIES[locale] ? translate(locale, key as MessageKey, params) : r.code;
}

/** The message key of a reason and its parameters (invoice numbers, IBAN, name, count…). */
export function reasonWords(r: BankReason): { key: string; params: Record<string, string> } {
	const params: Record<string, string> = {
		invoice: r.invoice ?? '',
		invoices: (r.invoices ?? []).join(', '),
		reference: r.reference ?? '',
		iban: r.iban ?? '',
		name: r.name ?? '',
		count: String(r.count ?? r.alternatives ?? ''),
		amount: r.amount ?? '',
		unapplied: r.unapplied ?? ''
	};
	return { key: `bank.reason.${r.code}`, params };
}

/** One open invoice of the split dialog and the amount typed for it ("" = not chosen). */
export type SplitLine = { invoice: string; due_date: string; still_due: string; text: string };

export type SplitProblem =
	| { key: 'bank.split.error.none' }
	| { key: 'bank.split.error.amount'; invoice: string }
	| { key: 'bank.split.error.overInvoice'; invoice: string; due: string }
	| { key: 'bank.split.error.overEntry'; over: string };

export type SplitCheck = {
	/** What is sent: the chosen invoices with their amounts ("1234.50"). */
	shares: InvoiceShare[];
	total: string;
	/** What the entry keeps beyond the shares (on account). */
	left: string;
	problem: SplitProblem | null;
};

/**
 * A split by hand as typed: each chosen invoice gets a positive amount of at most what it still owes, and the
 * amounts sum to at most the entry.
 */
export function checkSplit(entryAmount: string, lines: readonly SplitLine[]): SplitCheck {
	const shares: InvoiceShare[] = [];
	let problem: SplitProblem | null = null;
	for (const l of lines) {
		if (l.text.trim() === '') continue;
		const amount = parseAmountInput(l.text);
		if (amount === null || compareDecimal(amount, '0') <= 0) {
			problem ??= { key: 'bank.split.error.amount', invoice: l.invoice };
			continue;
		}
		if (compareDecimal(amount, l.still_due) > 0)
			problem ??= { key: 'bank.split.error.overInvoice', invoice: l.invoice, due: l.still_due };
		shares.push({ invoice: l.invoice, amount });
	}
	const total = sumDecimal(shares.map((s) => s.amount ?? '0'));
	const left = sumDecimal([entryAmount, negate(total)]);
	if (!problem && compareDecimal(left, '0') < 0)
		problem = { key: 'bank.split.error.overEntry', over: negate(left) };
	if (!problem && shares.length === 0) problem = { key: 'bank.split.error.none' };
	return { shares, total, left, problem };
}

/** The amount "Tout" puts on an invoice: what it still owes, within what the other lines leave of the entry. */
export function fillAmount(entryAmount: string, lines: readonly SplitLine[], invoice: string): string {
	const others = lines
		.filter((l) => l.invoice !== invoice)
		.map((l) => parseAmountInput(l.text))
		.filter((a): a is string => a !== null);
	const left = sumDecimal([entryAmount, ...others.map(negate)]);
	const due = lines.find((l) => l.invoice === invoice)?.still_due ?? '0';
	const amount = compareDecimal(due, left) <= 0 ? due : left;
	return compareDecimal(amount, '0') > 0 ? amount : '0.00';
}

function negate(amount: string): string {
	return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/** Lower case without accents, to find "Société Générale" by typing "societe". */
export function folded(s: string): string {
	return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The customers whose name or code holds every word typed, at most `limit`, names in order. */
export function findCustomers<C extends { id: string; name: string }>(
	customers: readonly C[],
	query: string,
	limit = 50
): C[] {
	const words = folded(query).split(/\s+/).filter(Boolean);
	const out: C[] = [];
	for (const c of customers) {
		const text = folded(`${c.name} ${c.id}`);
		if (words.every((w) => text.includes(w))) out.push(c);
	}
	out.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	return out.slice(0, limit);
}

/** The fields of a bank CSV export, in the order the mapping asks them. */
export const BANK_CSV_FIELDS = [
	'date',
	'amount',
	'debit',
	'credit',
	'label',
	'value_date',
	'reference',
	'counterparty',
	'counterparty_iban',
	'bank_reference',
	'remittance'
] as const;
export type BankCsvField = (typeof BANK_CSV_FIELDS)[number];

/** Field → header chosen ("" = not imported). */
export type BankCsvMapping = Partial<Record<BankCsvField, string>>;

export function mappingFrom(fields: readonly FieldHeader[]): BankCsvMapping {
	const out: BankCsvMapping = {};
	for (const f of fields) {
		if ((BANK_CSV_FIELDS as readonly string[]).includes(f.field)) out[f.field as BankCsvField] = f.header;
	}
	return out;
}

/** The required fields left without a column: the date, the label, and the amount unless a debit or credit. */
export function missingCsvFields(m: BankCsvMapping): BankCsvField[] {
	const missing: BankCsvField[] = [];
	if (!m.date) missing.push('date');
	if (!m.amount && !m.debit && !m.credit) missing.push('amount');
	if (!m.label) missing.push('label');
	return missing;
}

/** The mapping as the import takes it (fields without a column left out). */
export function csvOptions(m: BankCsvMapping): FieldHeader[] {
	return BANK_CSV_FIELDS.filter((f) => m[f]).map((f) => ({ field: f, header: m[f] ?? '' }));
}
