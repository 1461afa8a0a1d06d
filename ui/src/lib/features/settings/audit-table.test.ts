import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { sampleAudit } from '$lib/api/fixtures/settings-mock';
import type { AuditEvent } from '$lib/api/types';
import { FIRST_ROWS, VIRTUAL_FROM } from '$lib/table/virtual.svelte';
import AuditTable from './AuditTable.svelte';

/** The sample's entries repeated to `size`, each with an id of its own (years of a team's work). */
function events(size: number): AuditEvent[] {
	return Array.from({ length: size }, (_, i) => ({ ...sampleAudit[i % sampleAudit.length]!, id: i + 1 }));
}

const count = (html: string, what: string) => html.split(what).length - 1;

describe('the audit journal', () => {
	it('draws a screenful of 3,000 entries, with blank space standing for the others', () => {
		const html = render(AuditTable, { props: { events: events(3000) } }).body;
		const drawn = count(html, 'data-testid="audit-row"');
		expect(drawn).toBeGreaterThan(0);
		expect(drawn).toBeLessThanOrEqual(FIRST_ROWS);
		expect(drawn * 50).toBeLessThan(3000);
		expect(html).toContain('data-rows="3000"');
		expect(html).toContain('data-virtual="true"');
		expect(count(html, 'virtual-blank')).toBe(1);
		expect(count(html, 'data-testid="audit-sentence"')).toBe(drawn);
	});

	it('draws every entry of a short journal', () => {
		const html = render(AuditTable, { props: { events: events(VIRTUAL_FROM) } }).body;
		expect(count(html, 'data-testid="audit-row"')).toBe(VIRTUAL_FROM);
		expect(html).not.toContain('data-virtual');
	});
});
