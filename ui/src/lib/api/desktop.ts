/**
 * The window's own ways to name files: the open-file dialog for the import screen and the save-file dialog for
 * the exports (dialog plugin, allowed `dialog:allow-open` and `dialog:allow-save` only: they return paths, the
 * commands read or write them), and files dropped on the window (the webview's drag-drop event gives their paths).
 * Loaded only inside the app: a browser never hands out file paths.
 */
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';

export type FileFilter = { name: string; extensions: string[] };

/** A drag of files over the window: entering (with the files), moving, dropped (with the files), or gone. */
export type FileDrop =
	| { type: 'enter'; paths: string[] }
	| { type: 'over' }
	| { type: 'drop'; paths: string[] }
	| { type: 'leave' };

export type Desktop = {
	/** The chosen files' paths; empty when the user cancelled. */
	pickFiles(options: { title: string; multiple: boolean; filters: FileFilter[] }): Promise<string[]>;
	/** The path the user chose to save to; null when cancelled. */
	saveFile(options: { title: string; defaultPath: string; filters: FileFilter[] }): Promise<string | null>;
	/** Calls `handler` for each drag event over the window until the returned function is called. */
	onFileDrop(handler: (event: FileDrop) => void): Promise<() => void>;
};

export const tauriDesktop: Desktop = {
	async pickFiles({ title, multiple, filters }) {
		const chosen = await open({ title, multiple, filters, directory: false });
		if (chosen === null) return [];
		return Array.isArray(chosen) ? chosen : [chosen];
	},
	saveFile: ({ title, defaultPath, filters }) => save({ title, defaultPath, filters }),
	onFileDrop: (handler) => getCurrentWebview().onDragDropEvent((event) => handler(event.payload))
};
