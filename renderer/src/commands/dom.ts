/** What the dispatcher needs to know about the page around a key event. */

const TEXT_INPUT_TYPES = new Set([
  '',
  'text',
  'search',
  'email',
  'number',
  'password',
  'tel',
  'url',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/**
 * Whether the event target takes typed keys itself: text inputs, textareas, selects, contenteditable,
 * and open widgets (menus, listboxes, comboboxes) that handle arrows, Enter and Escape.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type.toLowerCase());
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  // jsdom has no isContentEditable; the attribute says the same.
  if (target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  // A keyboard list of the app's own (useRowList) takes its keys from the registry, whatever its role.
  if (target.closest('[data-row-list]')) return false;
  return !!target.closest('[role="textbox"], [role="combobox"], [role="listbox"], [role="menu"]');
}

function isShown(el: Element): boolean {
  for (let n: Element | null = el; n; n = n.parentElement) {
    if (n instanceof HTMLElement && (n.hidden || n.style.display === 'none')) return false;
  }
  return true;
}

/**
 * Whether a modal dialog is open: every Mantine Modal, Drawer and Spotlight renders its content as
 * role="dialog" aria-modal="true" (kept-mounted closed ones are display:none), so no feature has to report it.
 */
export function isModalOpen(doc: Document = document): boolean {
  for (const el of doc.querySelectorAll('[aria-modal="true"]')) if (isShown(el)) return true;
  return false;
}
