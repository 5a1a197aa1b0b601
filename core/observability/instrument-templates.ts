import type { TemplateService } from '../templates/service.ts';
import type { NetPulseMetrics } from './metrics.ts';
import { traced } from './tracing.ts';

/**
 * Times every render and parse of the template service (`netpulse_template_duration_seconds`)
 * and gives each a span (`template.render`, `template.parse`), inside a job's trace when a job
 * called it. Failed calls are timed too.
 */
export function instrumentTemplates(service: TemplateService, metrics: NetPulseMetrics): TemplateService {
  const render = service.render.bind(service);
  const parse = service.parse.bind(service);
  const timed = async <T>(engine: string, op: 'render' | 'parse', fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await traced(`template.${op}`, { 'netpulse.template.engine': engine }, fn);
    } finally {
      metrics.template(engine || 'none', op, (performance.now() - t0) / 1000);
    }
  };
  service.render = (name, req) => timed(name, 'render', () => render(name, req));
  service.parse = (name, req, text, defaults) => timed(name, 'parse', () => parse(name, req, text, defaults));
  return service;
}
