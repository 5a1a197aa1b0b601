/**
 * `npm run bench -- <name> [args…]`: runs `scripts/bench/<name>.ts`, whose `run(argv)` prints its
 * own table. Benchmarks are never tests: they print figures and comparisons, they assert nothing.
 */
const BENCHES = ['engine', 'ssh', 'parsers'] as const;

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || !(BENCHES as readonly string[]).includes(name)) {
    console.error(`usage: npm run bench -- <${BENCHES.join('|')}> [options]`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.ts`)) as { run(argv: string[]): Promise<void> };
  await mod.run(rest);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
