import { TtpEngine, type Structure } from '../../../../../plugins/templates/ttp/index.ts';

/** Parses `data` with `template` and returns the first template's first input result. */
export function parseOne(template: string, data: string): unknown {
  const engine = new TtpEngine(template);
  engine.addInput(data);
  engine.parse();
  return (engine.result('list') as unknown[][])[0][0];
}

export function parseWith(template: string, data: string, structure: Structure): unknown {
  const engine = new TtpEngine(template);
  engine.addInput(data);
  engine.parse();
  return engine.result(structure);
}
