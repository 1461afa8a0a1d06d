/** Labels for the backend's codes (amount styles, mapping origins, field names…), from the translation files. */
import { DICTIONARIES, type MessageKey } from '$lib/i18n/i18n.svelte';

function known(key: string): key is MessageKey {
	return key in DICTIONARIES.fr;
}

/** `import.<group>.<code>` when the translation files have it, else null (the screen shows the code). */
export function codeLabel(group: string, code: string): MessageKey | null {
	const key = `import.${group}.${code}`;
	return known(key) ? key : null;
}

/** The file name of a path (either kind of slash). */
export function baseName(path: string): string {
	return path.split(/[\\/]/).pop() || path;
}
