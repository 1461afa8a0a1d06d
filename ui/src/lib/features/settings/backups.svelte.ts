/**
 * Settings → "Sauvegardes": the verified copies of the database kept beside it (newest first, with why each was
 * made), a copy now, a restore after a confirmation that names what it replaces, the folder in the file manager,
 * and how many copies are kept.
 */
import type { Api, ApiError } from '$lib/api/client';
import { Saving } from '$lib/api/saving.svelte';
import type { BackupDone, BackupInfo, BackupList, BackupSettings, RestoreDone, Status } from '$lib/api/types';
import { intlLocale, formatDate } from '$lib/format/format';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locale';

export type BackupsApi = Pick<
	Api,
	| 'backups'
	| 'backupNow'
	| 'restoreBackup'
	| 'openBackupsFolder'
	| 'backupSettings'
	| 'saveBackupSettings'
	| 'status'
>;

/** "2026-12-03T14:05:09" → "03/12/2026 14:05" (the date the French way, the local time of day). */
export function formatCreatedAt(at: string): string {
	const [date, time = ''] = at.split('T');
	return `${formatDate(date ?? at)} ${time.slice(0, 5)}`.trim();
}

/** A size in words: 532 o, 12,4 ko, 3,1 Mo (fr); 532 B, 12.4 kB, 3.1 MB (en). */
export function formatBytes(bytes: number, locale: Locale): string {
	const units = locale === 'fr' ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit += 1;
	}
	const digits = unit === 0 ? 0 : 1;
	const n = new Intl.NumberFormat(intlLocale(locale), {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}).format(value);
	return `${n}\u00a0${units[unit]}`;
}

/** A retention field's problem, or null: whole numbers, at least one copy kept. */
export function keepProblem(field: 'last' | 'weeks', value: string): MessageKey | null {
	const text = value.trim();
	if (!/^\d+$/.test(text)) return 'backups.error.number';
	const n = Number(text);
	if (field === 'last' && (n < 1 || n > 1000)) return 'backups.error.last';
	if (field === 'weeks' && n > 520) return 'backups.error.weeks';
	return null;
}

export class BackupsState {
	list = $state.raw<BackupList | null>(null);
	status = $state.raw<Status | null>(null);
	loadError = $state.raw<ApiError | null>(null);
	/** The copy just written by "Sauvegarder maintenant". */
	made = $state.raw<BackupDone | null>(null);
	/** The copy the user chose to restore: the confirmation is open while set. */
	toRestore = $state.raw<BackupInfo | null>(null);
	restored = $state.raw<RestoreDone | null>(null);
	/** The folder's path once shown (and where it is when the opener failed). */
	opened = $state<string | null>(null);
	keepLast = $state('');
	keepWeeks = $state('');
	saved = $state.raw<BackupSettings | null>(null);
	readonly saving = new Saving();
	readonly settingsSaving = new Saving();

	constructor(
		private readonly api: BackupsApi,
		/** Told after a restore: the rest of the window (the company's name) reads the database again. */
		private readonly onRestored: () => void = () => {}
	) {}

	readonly lastProblem = $derived(keepProblem('last', this.keepLast));
	readonly weeksProblem = $derived(keepProblem('weeks', this.keepWeeks));

	get error(): ApiError | null {
		return this.saving.error ?? this.loadError;
	}

	async load(): Promise<void> {
		this.loadError = null;
		try {
			const [list, status, settings] = await Promise.all([
				this.api.backups(),
				this.api.status(),
				this.api.backupSettings()
			]);
			this.list = list;
			this.status = status;
			this.showSettings(settings);
		} catch (e) {
			this.loadError = e as ApiError;
		}
	}

	private showSettings(s: BackupSettings): void {
		this.saved = s;
		this.keepLast = String(s.keep_last);
		this.keepWeeks = String(s.keep_weeks);
	}

	async backupNow(): Promise<void> {
		this.restored = null;
		await this.saving.run('backup_now', async () => {
			this.made = await this.api.backupNow();
			this.list = await this.api.backups();
		});
	}

	askRestore(b: BackupInfo): void {
		this.saving.reset();
		this.made = null;
		this.toRestore = b;
	}

	cancelRestore(): void {
		this.toRestore = null;
	}

	async confirmRestore(): Promise<void> {
		const b = this.toRestore;
		if (!b) return;
		this.toRestore = null;
		const ok = await this.saving.run('restore_backup', async () => {
			this.restored = await this.api.restoreBackup(b.path);
			const [list, status] = await Promise.all([this.api.backups(), this.api.status()]);
			this.list = list;
			this.status = status;
		});
		if (ok) this.onRestored();
	}

	async openFolder(): Promise<void> {
		await this.saving.run('open_backups_folder', async () => {
			this.opened = await this.api.openBackupsFolder();
		});
	}

	async saveSettings(): Promise<void> {
		if (this.lastProblem || this.weeksProblem) return;
		await this.settingsSaving.run('save_backup_settings', async () => {
			this.showSettings(
				await this.api.saveBackupSettings({
					keep_last: Number(this.keepLast.trim()),
					keep_weeks: Number(this.keepWeeks.trim())
				})
			);
		});
	}
}
