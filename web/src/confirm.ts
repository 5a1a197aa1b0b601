import { h } from './dom.ts';

/** An accessible modal confirmation (<dialog>: focus is trapped, Escape cancels). */
export function confirmDialog(title: string, text: string, action: string, dismiss = 'Cancel'): Promise<boolean> {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'submit', value: 'yes', class: 'danger' }, action);
    const no = h('button', { type: 'submit', value: 'no', class: 'ghost' }, dismiss);
    const dlg = h(
      'dialog',
      { 'aria-labelledby': 'dlg-title', 'aria-describedby': 'dlg-text' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'dlg-title' }, title),
        h('p', { id: 'dlg-text' }, text),
        h('div', { class: 'actions' }, no, yes),
      ),
    );
    dlg.addEventListener('close', () => {
      resolve(dlg.returnValue === 'yes');
      dlg.remove();
    });
    document.body.appendChild(dlg);
    dlg.showModal();
    no.focus();
  });
}
