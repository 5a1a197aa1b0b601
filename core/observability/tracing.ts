import {
  INVALID_SPAN_CONTEXT,
  context,
  propagation,
  trace,
  SpanStatusCode,
  type Context,
  type Span,
  type Attributes,
} from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { scrubText } from '../log/redact.ts';

/**
 * OpenTelemetry traces, off unless `telemetry.otlp_endpoint` is set. One trace per job: the HTTP
 * request, placement, then on the node the queue wait, execution, the driver session (connect or
 * reuse), each command, parsing and the webhook. The W3C `traceparent` of the submitting span is
 * stored in the job (`meta.trace`), which is how the trace crosses the broker.
 *
 * Without a provider the helpers below take a fast path: no span, context or closure is made, the
 * job's function is simply called (they sit on every job's and every request's path).
 */
export const tracer = () => trace.getTracer('netpulse');

export interface TelemetrySettings {
  otlp_endpoint: string | null;
  service_name: string;
  export_interval_ms: number;
}

let provider: NodeTracerProvider | null = null;

/** Whether this process exports traces (started by {@link startTracing}). */
export function tracingOn(): boolean {
  return provider !== null;
}

/** The span handed to `traced` callbacks while tracing is off: every method is a no-op. */
const OFF_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Starts the process-wide tracer provider (first caller wins). Returns a flush-and-stop function.
 * The SDK is imported only here: loading it costs seconds on a busy machine, and most
 * deployments never turn tracing on.
 */
export async function startTracing(t: TelemetrySettings, attrs: Record<string, string>): Promise<() => Promise<void>> {
  if (!t.otlp_endpoint || provider) return async () => undefined;
  const [
    { W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor },
    { NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  if (provider) return async () => undefined;
  const url = t.otlp_endpoint.replace(/\/+$/, '').endsWith('/v1/traces')
    ? t.otlp_endpoint
    : `${t.otlp_endpoint.replace(/\/+$/, '')}/v1/traces`;
  const p = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': t.service_name, ...attrs }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: t.export_interval_ms }),
    ],
  });
  p.register({ propagator: new W3CTraceContextPropagator() });
  provider = p;
  return async () => {
    if (provider !== p) return;
    provider = null;
    await p.forceFlush().catch(() => undefined);
    await p.shutdown().catch(() => undefined);
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

/** Runs `fn` in a child span of the active one; records the error and rethrows on failure. */
export function traced<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  parent?: Context,
): Promise<T> {
  if (provider !== null) return inSpan(name, attributes, fn, parent);
  return untraced(() => fn(OFF_SPAN));
}

/** `fn()` as a promise (a synchronous throw becomes a rejection, as inside a span). */
function untraced<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}

async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  parent?: Context,
): Promise<T> {
  const ctx = parent ?? context.active();
  const span = tracer().startSpan(name, { attributes }, ctx);
  try {
    return await context.with(trace.setSpan(ctx, span), () => fn(span));
  } catch (e) {
    span.recordException(e as Error);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: scrubText((e as Error)?.message ?? String(e)).slice(0, 300),
    });
    throw e;
  } finally {
    span.end();
  }
}

/** Span for one device command; the command text is scrubbed of secret-looking values and cut to 200 characters. */
export function commandSpan<T>(command: string, fn: () => Promise<T>): Promise<T> {
  if (provider === null) return untraced(fn);
  return traced('driver.command', { 'netpulse.command': scrubText(command).slice(0, 200) }, () => fn());
}

/** The `traceparent` of the active span, to store in a job; null when there is none. */
export function currentTraceparent(): string | null {
  if (provider === null) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Context whose parent is the span a job was submitted under (or the active context when absent). */
export function contextFromTraceparent(traceparent: unknown): Context {
  if (provider === null) return context.active();
  if (typeof traceparent !== 'string' || traceparent.length > 128) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

/** A span that already happened (queue wait): start and end given in epoch ms. */
export function recordSpan(
  name: string,
  parent: Context,
  startMs: number,
  endMs: number,
  attributes: Attributes = {},
): void {
  if (provider === null) return;
  tracer().startSpan(name, { startTime: startMs, attributes }, parent).end(endMs);
}

export { context, trace };
