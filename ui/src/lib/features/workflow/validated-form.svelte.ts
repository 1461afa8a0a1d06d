/**
 * A workflow form's state: what the user typed, its problems (shown once the user tried to save), and the
 * saving of it. The form starts from the dialog's props once: later prop changes must not erase the typing.
 */
import { Saving } from '$lib/api/saving.svelte';
import type { MessageKey } from '$lib/i18n/i18n.svelte';
import { hasErrors, type FormErrors } from './forms';

export class ValidatedForm<F extends object, Field extends string> {
	form = $state() as F;
	tried = $state(false);
	readonly saving = new Saving();
	readonly #validate: (form: F) => FormErrors<Field>;
	constructor(initial: F, validate: (form: F) => FormErrors<Field>) {
		this.form = initial;
		this.#validate = validate;
	}

	/** The problems to show: none until the user tried to save. */
	get errors(): FormErrors<Field> {
		return this.tried ? this.#validate(this.form) : {};
	}

	/** The message key of a field's problem, if it is to be shown. */
	problem(field: Field): MessageKey | undefined {
		return this.errors[field];
	}

	/** Shows the problems, or sends the form when it has none. */
	async submit(label: string, send: (form: F) => Promise<void>): Promise<void> {
		this.tried = true;
		if (hasErrors(this.#validate(this.form))) return;
		await this.saving.run(label, () => send(this.form));
	}
}
