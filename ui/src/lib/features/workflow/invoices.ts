/**
 * The invoices a form can be about: from the agenda's lines, the customer file's open invoices, or typed.
 */
import type { AgendaItem, WorkflowRecords } from '$lib/api/types';

export type InvoiceChoice = {
	number: string;
	due_date?: string;
	days_late?: number | null;
	/** What is left to pay, decimal string. */
	residual?: string;
};

/** "F1, F2;F3  F1" → ["F1", "F2", "F3"]: numbers typed by hand, separated by commas, semicolons or spaces. */
export function parseInvoiceList(text: string): string[] {
	const out: string[] = [];
	for (const n of text.split(/[,;\s]+/)) {
		const v = n.trim();
		if (v !== '' && !out.includes(v)) out.push(v);
	}
	return out;
}

/** An agenda item's invoices as choices. */
export function choicesOfItem(item: AgendaItem): InvoiceChoice[] {
	return item.lines.map((l) => ({
		number: l.number,
		due_date: l.due_date,
		days_late: l.days_late,
		residual: l.residual
	}));
}

/**
 * The invoices a customer's records mention (actions, promises, disputes), newest first: what can be chosen when
 * the caller gives no open invoices.
 */
export function choicesOfRecords(records: WorkflowRecords): InvoiceChoice[] {
	const seen: string[] = [];
	for (const list of [records.actions, records.promises, records.disputes])
		for (const r of list) for (const n of r.invoices) if (!seen.includes(n)) seen.push(n);
	return seen.map((number) => ({ number }));
}
