// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** True where the browser preview is built in (dev server, tests, preview build); false in the app's build. */
	const __ENCAISSE_PREVIEW__: boolean;

	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
