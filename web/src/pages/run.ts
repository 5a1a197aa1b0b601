import { api, ApiError, type Catalog, type Job } from '../api.ts';
import { copyButton, field, h, replace, select } from '../dom.ts';
import { parseDevices } from '../devices.ts';
import { getCatalog, launched, runDraft, setRunDraft } from '../state.ts';

const SECRET_KEY = /pass|secret|private_key/i;
const MAX_CSV_BYTES = 1024 * 1024;

/** Masks every credential-like value, so previews and screenshots never show one. */
export function masked(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(masked);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) && typeof x === 'string' && x ? '********' : masked(x)]),
    );
  return v;
}

/**
 * Run: builds a POST /device/exec or /device/bulk body from a form, shows it as JSON and as a curl
 * command (credentials masked, the API key as an environment variable), and sends it. A bulk run
 * opens its batch page to watch it live.
 */
export function runPage(main: HTMLElement): undefined {
  const box = h('div', null, h('p', { class: 'muted' }, 'Loading drivers…'));
  replace(main, h('h1', null, 'Run a job'), box);
  getCatalog().then(
    (c) => replace(box, runForm(c)),
    (e) => replace(box, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e))),
  );
}

function runForm(cat: Catalog): HTMLElement {
  const draft = runDraft;
  setRunDraft(null);
  const radio = (name: string, value: string, label: string, checked: boolean): HTMLElement => {
    const id = `${name}-${value}`;
    return h(
      'span',
      { class: 'radio' },
      h('input', { type: 'radio', name, value, id, checked }),
      h('label', { for: id }, label),
    );
  };
  const mode = h(
    'fieldset',
    null,
    h('legend', null, 'Mode'),
    radio('mode', 'exec', 'One device (exec)', draft?.mode !== 'bulk'),
    radio('mode', 'bulk', 'Many devices (bulk)', draft?.mode === 'bulk'),
  );
  const op = h(
    'fieldset',
    null,
    h('legend', null, 'Operation'),
    radio('op', 'command', 'Command', true),
    radio('op', 'config', 'Configuration', false),
  );
  const driver = select(
    cat.drivers.map((d) => d.name),
    cat.drivers.some((d) => d.name === 'netmiko') ? 'netmiko' : cat.drivers[0]?.name,
  );
  const deviceType = h('select');
  const host = h('input', { name: 'host', placeholder: '10.0.0.1', autocomplete: 'off' });
  const devices = h('textarea', {
    rows: '5',
    name: 'devices',
    placeholder: '10.0.0.1\n10.0.0.2:22\n\nor CSV with a header:\nhost,port,device_type\n10.0.0.3,22,cisco_ios',
    spellcheck: 'false',
  });
  devices.value = Array.isArray(draft?.devices) ? (draft.devices as string[]).join('\n') : '';
  const csv = h('input', { type: 'file', accept: '.csv,text/csv,text/plain' });
  const port = h('input', { type: 'number', min: '1', max: '65535', name: 'port', placeholder: '22' });
  const username = h('input', { name: 'username', autocomplete: 'off' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const secret = h('input', { type: 'password', name: 'secret', autocomplete: 'new-password' });
  const extra = h('textarea', { rows: '2', name: 'extra', placeholder: '{"timeout": 30}', spellcheck: 'false' });
  const payload = h('textarea', {
    rows: '4',
    name: 'payload',
    required: true,
    placeholder: 'show version\nshow ip interface brief',
    spellcheck: 'false',
  });
  const parser = select([['', 'none'], ...cat.parsers.map((p): [string, string] => [p, p])], '');
  const template = h('textarea', {
    rows: '4',
    name: 'template',
    placeholder: 'TextFSM or TTP template',
    spellcheck: 'false',
  });
  const strategy = select(
    [
      ['', 'driver default'],
      ['fifo', 'fifo'],
      ['pinned', 'pinned'],
    ],
    '',
  );
  const preview = h('pre', { class: 'preview', tabindex: '0', 'aria-label': 'Request as JSON' });
  const curl = h('pre', { class: 'preview', tabindex: '0', 'aria-label': 'Request as curl' });
  const problems = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Send');

  const flags = h('div', { class: 'flags' });
  const hostField = field('Host', host);
  const devicesField = h(
    'div',
    null,
    field(
      'Devices',
      devices,
      'One per line (host, host:port) or CSV with a header row; each row overrides the connection fields.',
    ),
    field('…or upload a CSV file', csv),
  );
  const templateField = field(
    'Parsing template',
    template,
    'Leave empty to use the parser\u2019s built-in templates when it has them.',
  );

  const fillTypes = (): void => {
    const d = cat.drivers.find((x) => x.name === driver.value);
    const types = d?.device_types ?? [];
    replace(
      deviceType,
      h('option', { value: '' }, types.length ? '(choose)' : 'not used by this driver'),
      types.map((t) => h('option', { value: t }, t)),
    );
    deviceType.disabled = !types.length;
    if (types.includes('cisco_ios')) deviceType.value = 'cisco_ios';
    // Boolean request fields the driver declares (`save`, `enable_mode`, …) become checkboxes.
    const bools = (d?.request_fields ?? []).filter((f) => f.type === 'boolean');
    replace(
      flags,
      bools.map((f) =>
        h(
          'span',
          { class: 'radio', title: f.description ?? '' },
          h('input', { type: 'checkbox', name: `flag-${f.name}`, id: `flag-${f.name}`, value: f.name }),
          h('label', { for: `flag-${f.name}` }, f.name),
        ),
      ),
    );
  };
  fillTypes();

  const isBulk = (): boolean => (mode.querySelector('input:checked') as HTMLInputElement).value === 'bulk';
  const build = (): { body: Record<string, unknown>; errors: string[] } => {
    const errors: string[] = [];
    const conn: Record<string, unknown> = {};
    if (deviceType.value) conn.device_type = deviceType.value;
    if (!isBulk() && host.value.trim()) conn.host = host.value.trim();
    if (port.value) conn.port = Number(port.value);
    if (username.value) conn.username = username.value;
    if (password.value) conn.password = password.value;
    if (secret.value) conn.secret = secret.value;
    if (extra.value.trim()) {
      try {
        const x = JSON.parse(extra.value);
        if (x && typeof x === 'object' && !Array.isArray(x)) Object.assign(conn, x);
        else errors.push('Extra connection arguments must be a JSON object');
      } catch {
        errors.push('Extra connection arguments are not valid JSON');
      }
    }
    const lines = payload.value
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l.trim());
    const operation = (op.querySelector('input:checked') as HTMLInputElement).value;
    const body: Record<string, unknown> = { driver: driver.value, connection_args: conn };
    if (isBulk()) {
      const parsed = parseDevices(devices.value);
      errors.push(...parsed.errors);
      if (!parsed.devices.length) errors.push('Add at least one device');
      body.devices = parsed.devices;
    } else if (!conn.host) errors.push('Host is required');
    body[operation] = lines.length === 1 ? lines[0] : lines;
    if (!lines.length) errors.push(`The ${operation} is empty`);
    if (parser.value) body.parsing = { name: parser.value, template: template.value };
    if (strategy.value) body.queue_strategy = strategy.value;
    for (const c of flags.querySelectorAll<HTMLInputElement>('input:checked')) body[c.value] = true;
    return { body, errors };
  };

  const update = (): void => {
    const bulk = isBulk();
    hostField.hidden = bulk;
    devicesField.hidden = !bulk;
    templateField.hidden = !parser.value;
    const { body } = build();
    const json = JSON.stringify(masked(body), null, 2);
    preview.textContent = json;
    const path = bulk ? '/device/bulk' : '/device/exec';
    const quoted = JSON.stringify(masked(body)).replace(/'/g, "'\\''");
    curl.textContent = [
      `curl -sS -X POST '${location.origin}${path}' \\`,
      `  -H "${cat.api_key_name}: $NETPULSE_API_KEY" -H 'content-type: application/json' \\`,
      `  -d '${quoted}'`,
    ].join('\n');
  };

  csv.addEventListener('change', async () => {
    const f = csv.files?.[0];
    if (!f) return;
    if (f.size > MAX_CSV_BYTES) {
      problems.textContent = 'The CSV file is larger than 1 MiB';
      return;
    }
    devices.value = await f.text();
    update();
  });
  driver.addEventListener('change', () => {
    fillTypes();
    update();
  });

  const form = h(
    'form',
    { class: 'run', novalidate: true },
    h(
      'div',
      { class: 'grid2' },
      h(
        'div',
        null,
        mode,
        field('Driver', driver),
        field('Device type', deviceType, 'From the driver\u2019s platform list.'),
        hostField,
        devicesField,
        h('div', { class: 'row' }, field('Port', port), field('Username', username)),
        h('div', { class: 'row' }, field('Password', password), field('Enable secret', secret)),
        field('Extra connection arguments (JSON)', extra),
        op,
        flags,
        field('Commands or configuration lines', payload, 'One per line.'),
        h('div', { class: 'row' }, field('Parser', parser), field('Queue strategy', strategy)),
        templateField,
        problems,
        submit,
      ),
      h(
        'div',
        null,
        h(
          'section',
          { 'aria-labelledby': 'pv-json' },
          h(
            'h2',
            { id: 'pv-json' },
            'Request ',
            copyButton(() => preview.textContent ?? '', 'Copy request JSON'),
          ),
          preview,
        ),
        h(
          'section',
          { 'aria-labelledby': 'pv-curl' },
          h(
            'h2',
            { id: 'pv-curl' },
            'curl ',
            copyButton(() => curl.textContent ?? '', 'Copy curl command'),
          ),
          curl,
        ),
        h('p', { class: 'muted' }, 'Credentials are masked here; the form sends them.'),
      ),
    ),
  );
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { body, errors } = build();
    problems.textContent = errors.join('. ');
    if (errors.length) return;
    submit.disabled = true;
    try {
      if (isBulk()) {
        const r = await api<{
          batch_id?: string;
          succeeded: Job[];
          failed: string[];
          reasons: Record<string, string>;
        } | null>('POST', '/device/bulk', body);
        if (r?.batch_id) {
          launched.set(r.batch_id, { body, rejected: r.reasons ?? {} });
          location.hash = `#/batch/${r.batch_id}`;
        } else location.hash = '#/jobs';
      } else {
        const job = await api<Job>('POST', '/device/exec', body);
        location.hash = `#/job/${job.id}`;
      }
    } catch (err) {
      problems.textContent = err instanceof ApiError ? err.message : String(err);
    } finally {
      submit.disabled = false;
    }
  });
  update();
  return form;
}
