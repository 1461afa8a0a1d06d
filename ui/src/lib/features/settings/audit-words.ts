/**
 * The audit journal in sentences: each event said from its kind and typed facts (the backend's AuditEvent), in the
 * app's language, with amounts and dates formatted and codes translated — "Litige ouvert sur la facture
 * F2026-17870 (prix, service commercial) : 13 121,66 €, Café de la Gare" — and who acted, at what time.
 */
import type { AuditEvent } from '$lib/api/types';
import { codeKey, labelIn } from '$lib/i18n/codes';
import { DICTIONARIES, translate, translatePlural, type MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';
import { formatCount, formatDate, formatMoney } from '$lib/format/format';
import { formatBytes } from './backups.svelte';
import { changes } from './settings';

/** An event as the journal shows it: the sentence, who and when, and the lines under it (comments, changes). */
export type AuditLine = { text: string; by: string; details: string[] };

/** At most this many invoice numbers in a sentence; the rest as "…". */
const MAX_INVOICES = 5;

function known(key: string): key is MessageKey {
	return key in DICTIONARIES.fr;
}

/** Who acted and when: "par Marie Martin à 14:32"; nobody known is said in words. */
export function byWhom(e: Pick<AuditEvent, 'user' | 'user_name' | 'time'>, locale: Locale): string {
	// The display name ("Marie Martin"), else the login, else words.
	const user = e.user_name.trim() || e.user.trim() || translate(locale, 'audit.unknownUser');
	return e.time
		? translate(locale, 'audit.by', { user, time: e.time })
		: translate(locale, 'audit.byNoTime', { user });
}

/** A settings value as words: a security mode, a language, yes/no, "(vide)". */
function settingValue(field: string, value: string | null, locale: Locale): string {
	if (value === null || value === '') return translate(locale, 'audit.part.empty');
	if (field === 'security') return labelIn(locale, 'Security', value);
	if (field === 'language' && (value === 'fr' || value === 'en')) return translate(locale, `lang.${value}`);
	if (value === 'true') return translate(locale, 'audit.part.yes');
	if (value === 'false') return translate(locale, 'audit.part.no');
	return value;
}

/** The changed settings, one line each: "Serveur : smtp.a.fr → smtp.b.fr"; the others counted. */
function settingLines(e: AuditEvent, locale: Locale): string[] {
	const lines: string[] = [];
	let others = 0;
	const byField = new Map(changes(e).map((c) => [c.key, c]));
	for (const field of e.facts.changed) {
		const key = `audit.field.${field}`;
		const c = byField.get(field);
		if (field === 'password' || field === 'secret') {
			if (c?.after === 'changed') lines.push(translate(locale, 'audit.part.passwordChanged'));
			if (c?.after === 'removed') lines.push(translate(locale, 'audit.part.passwordRemoved'));
			continue;
		}
		if (!known(key) || !c) {
			others += 1;
			continue;
		}
		lines.push(
			translate(locale, 'audit.part.change', {
				field: translate(locale, key),
				before: settingValue(field, c.before, locale),
				after: settingValue(field, c.after, locale)
			})
		);
	}
	if (others > 0) lines.push(translatePlural(locale, 'audit.part.otherFields', others));
	return lines;
}

function templateName(id: string | null, locale: Locale): string {
	if (id === 'thank_you') return translate(locale, 'tpl.thankYou');
	if (id === 'daily_report') return translate(locale, 'tpl.dailyReport');
	return id ? labelIn(locale, 'StepId', id) : '';
}

/** The event as a sentence in `locale`, who acted and when, and the lines under it. */
export function auditLine(e: AuditEvent, locale: Locale): AuditLine {
	const f = e.facts;
	const lower = (s: string) => s.toLocaleLowerCase(locale);
	const customer = f.customer_name ?? f.customer ?? '';
	const invoices =
		f.invoices.length > 0
			? translatePlural(locale, 'audit.part.invoices', f.invoices.length, {
					invoices:
						f.invoices.slice(0, MAX_INVOICES).join(', ') + (f.invoices.length > MAX_INVOICES ? '…' : '')
				})
			: '';
	const amount = f.amount ? formatMoney(f.amount, f.currency ?? 'EUR', locale) : '';
	const date = f.date ? formatDate(f.date) : '';
	const kind = f.dispute_kind ? lower(labelIn(locale, 'DisputeKind', f.dispute_kind)) : '';
	const department = f.department ? lower(labelIn(locale, 'Department', f.department)) : '';
	const scenario = (id: string | null) =>
		id ? labelIn(locale, 'scenarioName', id) : translate(locale, 'audit.part.ownScenario');
	const details: string[] = [];
	const params: Record<string, string> = {
		customer,
		invoices,
		amount,
		date,
		kind,
		department,
		id: e.entity_id,
		recipient: f.recipient ?? '',
		subject: f.subject ?? '',
		error: f.error ?? ''
	};
	switch (e.kind) {
		case 'action_recorded':
			params.action = f.action_kind ? lower(labelIn(locale, 'ActionKind', f.action_kind)) : '';
			if (f.step)
				details.push(translate(locale, 'audit.part.step', { step: labelIn(locale, 'StepId', f.step) }));
			if (f.outcome)
				details.push(
					translate(locale, 'audit.part.outcome', { outcome: labelIn(locale, 'Outcome', f.outcome) })
				);
			if (f.comment) details.push(f.comment);
			break;
		case 'promise_status_changed':
			params.before = f.status_before ? labelIn(locale, 'PromiseStatus', f.status_before) : '';
			params.after = f.status ? labelIn(locale, 'PromiseStatus', f.status) : '';
			break;
		case 'template_changed':
		case 'template_reset':
			params.template = templateName(f.template, locale);
			params.lang = f.lang === 'fr' || f.lang === 'en' ? translate(locale, `lang.${f.lang}`) : (f.lang ?? '');
			break;
		case 'scenario_saved':
			params.scenario = f.scenario_name ?? scenario(f.scenario);
			break;
		case 'scenario_assigned':
		case 'scenario_unassigned':
			params.scenario = scenario(f.scenario);
			params.by = f.assign_by ? lower(labelIn(locale, 'AssignBy', f.assign_by)) : '';
			params.value = f.assign_value
				? labelIn(locale, f.assign_by === 'category' ? 'Category' : 'customerSegment', f.assign_value)
				: '';
			break;
		case 'portfolio_assigned':
		case 'portfolio_unassigned':
			params.what = f.customer
				? translate(locale, 'audit.portfolio.customer', { name: f.customer_name ?? f.customer })
				: translate(locale, 'audit.portfolio.rule', {
						by: f.assign_by ? lower(labelIn(locale, 'AssignBy', f.assign_by)) : '',
						value: f.assign_value
							? labelIn(locale, f.assign_by === 'category' ? 'Category' : 'customerSegment', f.assign_value)
							: ''
					});
			params.collector = f.collector ?? '';
			params.before = f.collector_before ?? '';
			break;
		case 'portfolio_reassigned':
			params.collector = f.collector ?? '';
			params.before = f.collector_before ?? '';
			params.customers = translatePlural(locale, 'portfolio.customersCount', f.moved_customers ?? 0);
			params.rules = translatePlural(locale, 'portfolio.rulesCount', f.moved_rules ?? 0);
			break;
		case 'customer_scenario_changed':
			params.scenario = scenario(f.scenario);
			break;
		case 'smtp_changed':
		case 'mail_settings_changed':
		case 'letter_settings_changed':
		case 'collection_settings_changed':
		case 'rates_changed':
		case 'rates_reset':
		case 'debtor_kinds_changed':
		case 'pa_settings_changed':
			details.push(...settingLines(e, locale));
			break;
		case 'file_imported': {
			const what = `audit.importKind.${f.import_kind ?? ''}`;
			params.what = known(what) ? translate(locale, what) : (f.import_kind ?? '');
			params.file = f.file ?? e.entity_id;
			const n = (v: number | null | undefined) => formatCount(v ?? 0, locale);
			if (f.lines_added !== null && f.lines_added !== undefined)
				details.push(
					translate(locale, 'audit.part.lines', { added: n(f.lines_added), removed: n(f.lines_removed) })
				);
			if (f.customers_added)
				details.push(translate(locale, 'audit.part.customersAdded', { count: n(f.customers_added) }));
			if (f.customers_updated)
				details.push(translate(locale, 'audit.part.customersUpdated', { count: n(f.customers_updated) }));
			if (f.sha256) details.push(translate(locale, 'audit.part.sha256', { hash: f.sha256 }));
			break;
		}
		case 'bank_statement_removed':
			params.file = f.file ?? '';
			break;
		case 'customer_changed_from_file':
			params.file = f.file ?? '';
			for (const c of changes(e)) {
				const key = `import.field.${c.key}`;
				if (c.key === 'file' || !known(key)) continue;
				details.push(
					translate(locale, 'audit.part.change', {
						field: translate(locale, key),
						before: c.before || translate(locale, 'audit.part.empty'),
						after: c.after || translate(locale, 'audit.part.empty')
					})
				);
			}
			break;
		case 'demo_created':
			params.customers = formatCount(f.customers_added ?? 0, locale);
			break;
		case 'backup_made':
			params.reason = f.reason ? lower(labelIn(locale, 'BackupReason', f.reason)) : '';
			params.file = f.file ?? e.entity_id;
			if (f.bytes !== null && f.bytes !== undefined)
				details.push(translate(locale, 'audit.part.size', { size: formatBytes(f.bytes, locale) }));
			break;
		case 'database_restored':
			params.file = f.file ?? e.entity_id;
			break;
		case 'backup_settings_changed':
			details.push(...settingLines(e, locale));
			break;
		case 'penalty_waived':
		case 'penalty_unwaived':
			if (f.comment) details.push(f.comment);
			break;
		case 'user_name_changed':
			params.login = e.entity_id;
			params.before = f.name_before || e.entity_id;
			params.after = f.name_after || e.entity_id;
			break;
		case 'other': {
			const what = `audit.entity.${e.entity}`;
			params.what = known(what) ? translate(locale, what) : e.entity;
			params.action = e.action;
			break;
		}
		default:
			if (f.comment) details.push(f.comment);
	}
	return {
		text: translate(locale, `audit.says.${e.kind}`, params),
		by: byWhom(e, locale),
		details
	};
}
