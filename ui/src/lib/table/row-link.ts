/**
 * A table row that leads somewhere (a customer's row → the customer's file): the row's own link is the
 * keyboard way in (Tab, Enter); a click anywhere else on the row is the mouse shortcut. A click on a control
 * of the row, or a text selection, is left alone.
 */
import { goto } from '$app/navigation';

export function isRowShortcut(event: MouseEvent): boolean {
	if ((event.target as Element | null)?.closest('a, button, select, input, label, textarea')) return false;
	return !window.getSelection()?.toString();
}

/** An attachment for a <tr>: a click on the row opens `href`. */
export function openOnClick(href: string): (row: HTMLElement) => () => void {
	return (row) => {
		const onclick = (event: MouseEvent) => {
			if (isRowShortcut(event)) void goto(href);
		};
		row.addEventListener('click', onclick);
		row.classList.add('row-link');
		return () => row.removeEventListener('click', onclick);
	};
}
