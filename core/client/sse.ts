/**
 * A Server-Sent Events reader over a fetch body (Node 20's fetch has no EventSource): yields each
 * dispatched event and, as `comment`, each comment line (the server's `: keepalive`), so a caller can
 * tell a quiet stream from a dead one.
 */
export interface SseEvent {
  kind: 'event';
  id: string | null;
  event: string;
  data: string;
}
export interface SseComment {
  kind: 'comment';
  text: string;
}

/** One line may not grow past this (a broken or hostile server cannot exhaust memory). */
const MAX_LINE = 64 * 1024 * 1024;
/** Any of the three line ends Server-Sent Events allow. */
const LINE_END = /\r\n|\r|\n/;

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent | SseComment> {
  const decoder = new TextDecoder();
  let buf = '';
  let id: string | null = null;
  let event = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      for (let nl = buf.search(LINE_END); nl >= 0; nl = buf.search(LINE_END)) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + (buf[nl] === '\r' && buf[nl + 1] === '\n' ? 2 : 1));
        if (line === '') {
          if (data.length) yield { kind: 'event', id, event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) {
          yield { kind: 'comment', text: line.slice(1).trim() };
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'id') id = val;
        else if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
      }
      if (buf.length > MAX_LINE) throw new Error('event stream line too long');
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
