/**
 * What an import changes in the database, as sentences for the screen, and whether the user must confirm:
 * anything that replaces, marks or rewrites what is already there (the demo company, a previous import of
 * the same ledger, customers' fields, due dates) needs an explicit "yes".
 */
import type { EInvoiceReport, EInvoiceWarningCode, ImportChangesDto, TabularChanges } from '$lib/api/types';
import type { MessageKey, PluralKey } from '$lib/i18n/i18n.svelte';

export type ChangeLine = {
	/** A plural key when the line has a `count` (its singular and plural by the language's rules). */
	key: MessageKey | PluralKey;
	/** Counts, formatted by the screen for its language. */
	params?: Record<string, number>;
	/** `warning` when existing data is replaced or marked. */
	tone: 'info' | 'warning';
};

export function ledgerChanges(c: ImportChangesDto): ChangeLine[] {
	if (c.unchanged) return [{ key: 'import.change.unchanged', tone: 'info' }];
	const lines: ChangeLine[] = [];
	if (c.replaced_demo) lines.push({ key: 'import.change.replacedDemo', tone: 'warning' });
	if (c.lines_removed > 0)
		lines.push({
			key: 'import.change.linesReplaced',
			params: { removed: c.lines_removed, added: c.lines_added },
			tone: 'warning'
		});
	else lines.push({ key: 'import.change.linesAdded', params: { count: c.lines_added }, tone: 'info' });
	if (c.customers_added > 0)
		lines.push({ key: 'import.change.customersAdded', params: { count: c.customers_added }, tone: 'info' });
	if (c.invoices_added > 0)
		lines.push({ key: 'import.change.invoicesAdded', params: { count: c.invoices_added }, tone: 'info' });
	if (c.invoices_kept > 0)
		lines.push({ key: 'import.change.invoicesKept', params: { count: c.invoices_kept }, tone: 'info' });
	if (c.invoices_missing > 0)
		lines.push({
			key: 'import.change.invoicesMissing',
			params: { count: c.invoices_missing },
			tone: 'warning'
		});
	if (c.invoices_back > 0)
		lines.push({ key: 'import.change.invoicesBack', params: { count: c.invoices_back }, tone: 'warning' });
	return lines;
}

export function tableChanges(c: TabularChanges): ChangeLine[] {
	if (c.ledger) {
		// An open-invoices file: the ledger lines of the previous file are replaced.
		const lines = ledgerChanges(c.ledger);
		return c.replaced_demo && !c.ledger.replaced_demo
			? [{ key: 'import.change.replacedDemo', tone: 'warning' }, ...lines]
			: lines;
	}
	const lines: ChangeLine[] = [];
	if (c.replaced_demo) lines.push({ key: 'import.change.replacedDemo', tone: 'warning' });
	if (c.customers_added > 0)
		lines.push({ key: 'import.change.customersAdded', params: { count: c.customers_added }, tone: 'info' });
	if (c.customers_updated.length > 0)
		lines.push({
			key: 'import.change.customersUpdated',
			params: { count: c.customers_updated.length },
			tone: 'warning'
		});
	if (c.customers_unchanged > 0)
		lines.push({
			key: 'import.change.customersUnchanged',
			params: { count: c.customers_unchanged },
			tone: 'info'
		});
	if (lines.length === 0) lines.push({ key: 'import.change.unchanged', tone: 'info' });
	return lines;
}

export function einvoiceChanges(r: EInvoiceReport): ChangeLine[] {
	const lines: ChangeLine[] = [];
	if (r.replaced_demo) lines.push({ key: 'import.change.replacedDemo', tone: 'warning' });
	const dueDates = r.files.filter((f) => f.action === 'matched' && f.due_date_changed).length;
	if (r.matched > 0)
		lines.push({ key: 'import.change.einvoicesMatched', params: { count: r.matched }, tone: 'info' });
	if (dueDates > 0)
		lines.push({ key: 'import.change.dueDatesChanged', params: { count: dueDates }, tone: 'warning' });
	if (r.created > 0)
		lines.push({ key: 'import.change.einvoicesCreated', params: { count: r.created }, tone: 'info' });
	if (r.unchanged > 0)
		lines.push({ key: 'import.change.einvoicesUnchanged', params: { count: r.unchanged }, tone: 'info' });
	return lines;
}

/** One e-invoice's warning as the screen says it: where (file, line, field) and the sentence's key. */
export type EInvoiceWarningLine = {
	file: string;
	line: number;
	field: string;
	code: EInvoiceWarningCode;
	key: MessageKey;
	/** `date`: the due date the payment terms gave (ISO), formatted by the screen. */
	params?: Record<string, string>;
};

const WARNING_KEYS: Record<EInvoiceWarningCode, MessageKey> = {
	buyer_identifier: 'import.einvoiceWarning.buyer_identifier',
	no_due_date: 'import.einvoiceWarning.no_due_date',
	negative_invoice: 'import.einvoiceWarning.negative_invoice'
};

/** Every warning of the report's files, file by file: what was imported with a reservation (never refused). */
export function einvoiceWarnings(r: EInvoiceReport): EInvoiceWarningLine[] {
	return r.files.flatMap((f) =>
		f.warnings.map((w) => {
			const base = { file: f.file, line: w.line, field: w.field, code: w.code };
			if (w.code === 'no_due_date')
				return f.due_date_from_terms && f.due_date
					? { ...base, key: WARNING_KEYS.no_due_date, params: { date: f.due_date } }
					: { ...base, key: 'import.einvoiceWarning.no_due_date_kept' as MessageKey };
			return { ...base, key: WARNING_KEYS[w.code] };
		})
	);
}

/** Something already in the database would be replaced, marked or rewritten. */
export function touchesExisting(lines: readonly ChangeLine[]): boolean {
	return lines.some((l) => l.tone === 'warning');
}
