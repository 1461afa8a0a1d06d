/**
 * The audit trail screen's state: every change between two days (newest first), and its export to a file the
 * user names in the save dialog.
 */
import type { Api, ApiError } from '$lib/api/client';
import type { Desktop } from '$lib/api/desktop';
import { Loaded } from '$lib/api/loader.svelte';
import { Saving } from '$lib/api/saving.svelte';
import type { AuditEvent, ExportDone, ExportFormat } from '$lib/api/types';
import { exportFileName, exportFilter, exportTitleKey } from '$lib/features/reports/export';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { validatePeriod } from './settings';

const ENTITIES: Record<
	string,
	| 'audit.entity.email'
	| 'audit.entity.smtp'
	| 'audit.entity.mail_settings'
	| 'audit.entity.mail_template'
	| 'audit.entity.daily_report'
	| 'audit.entity.collection_settings'
	| 'audit.entity.action'
	| 'audit.entity.promise'
	| 'audit.entity.dispute'
	| 'audit.entity.customer_dunning'
	| 'audit.entity.scenario'
	| 'audit.entity.scenario_assignment'
	| 'audit.entity.letter_settings'
	| 'audit.entity.rates'
	| 'audit.entity.penalty_waiver'
	| 'audit.entity.debtor_kinds'
> = {
	email: 'audit.entity.email',
	smtp: 'audit.entity.smtp',
	mail_settings: 'audit.entity.mail_settings',
	mail_template: 'audit.entity.mail_template',
	daily_report: 'audit.entity.daily_report',
	collection_settings: 'audit.entity.collection_settings',
	action: 'audit.entity.action',
	promise: 'audit.entity.promise',
	dispute: 'audit.entity.dispute',
	customer_dunning: 'audit.entity.customer_dunning',
	scenario: 'audit.entity.scenario',
	scenario_assignment: 'audit.entity.scenario_assignment',
	letter_settings: 'audit.entity.letter_settings',
	rates: 'audit.entity.rates',
	penalty_waiver: 'audit.entity.penalty_waiver',
	debtor_kinds: 'audit.entity.debtor_kinds'
};
/** The message key naming what a change was made to, if it has one. */
export function entityKey(entity: string): MessageKey | null {
	return ENTITIES[entity] ?? null;
}

export class AuditState {
	from = $state('');
	to = $state('');
	readonly loaded = new Loaded<AuditEvent[]>('audit_trail');
	readonly exporting = new Saving();
	exported = $state.raw<ExportDone | null>(null);
	notInApp = $state(false);

	constructor(
		private readonly api: Pick<Api, 'auditTrail' | 'exportAudit'>,
		private readonly translate: (key: MessageKey) => string
	) {}

	readonly periodError: MessageKey | null = $derived(validatePeriod(this.from, this.to));

	get events(): AuditEvent[] | null {
		return this.loaded.data;
	}
	get error(): ApiError | null {
		return this.loaded.error;
	}
	get loading(): boolean {
		return this.loaded.phase === 'loading';
	}

	async load(): Promise<void> {
		if (this.periodError) return;
		const { from, to } = this;
		// Newest first on screen; the backend gives them oldest first.
		await this.loaded.load(async () =>
			(await this.api.auditTrail(from || null, to || null)).slice().reverse()
		);
	}

	/** Every change, whatever the days. */
	async showAll(): Promise<void> {
		this.from = '';
		this.to = '';
		await this.load();
	}

	async exportAs(format: ExportFormat, desktop: Desktop | null): Promise<void> {
		this.exported = null;
		this.exporting.reset();
		this.notInApp = false;
		if (!desktop) {
			this.notInApp = true;
			return;
		}
		const { from, to } = this;
		await this.exporting.run('export_audit', async () => {
			const path = await desktop.saveFile({
				title: this.translate(exportTitleKey(format)),
				defaultPath: exportFileName(this.translate('audit.fileName'), to || null, format),
				filters: [exportFilter(format, this.translate)]
			});
			if (path !== null) this.exported = await this.api.exportAudit(from || null, to || null, format, path);
		});
	}
}
