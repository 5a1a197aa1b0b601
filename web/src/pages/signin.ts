import { api, ApiError } from '../api.ts';
import { field, h } from '../dom.ts';

/**
 * Sign-in: the key is posted once to /ui/session, which checks it in constant time and answers
 * with an HttpOnly, SameSite=Strict cookie. The field is cleared at once; no script keeps the key.
 */
export function signInPage(onSignedIn: () => void): HTMLElement {
  const key = h('input', {
    type: 'password',
    name: 'key',
    autocomplete: 'current-password',
    required: true,
    autofocus: true,
  });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', 'aria-describedby': 'signin-error' },
    h('h1', null, 'NetPulse'),
    h('p', null, 'Sign in with the server\u2019s API key.'),
    field('API key', key),
    submit,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      const value = key.value;
      key.value = '';
      await api('POST', '/ui/session', { key: value });
      onSignedIn();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : 'The server could not be reached.';
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return h('div', { class: 'signin-wrap' }, form);
}
