import { remindersUsage, runRemindersBench } from './reminders.bench.js';
import { mappingUsage, runMappingBench } from './mapping.bench.js';
import { broadcastUsage, runBroadcastBench } from './broadcast.bench.js';

/**
 * On-demand benchmarks (never part of `npm test`): `npm run bench -- <name> [options]`.
 */
const benches: Record<string, { usage: string; run(argv: string[]): Promise<number> }> = {
  reminders: { usage: remindersUsage, run: runRemindersBench },
  mapping: { usage: mappingUsage, run: runMappingBench },
  broadcast: { usage: broadcastUsage, run: runBroadcastBench },
};

function usage(): string {
  return `usage: npm run bench -- <name> [options]\n\nbenches:\n${Object.entries(benches)
    .map(([name, b]) => `\n${name}:\n  ${b.usage.trim().split('\n').join('\n  ')}`)
    .join('\n')}\n`;
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    process.stderr.write(`${name ? `unknown bench "${name}"\n\n` : ''}${usage()}`);
    return 2;
  }
  return bench.run(rest);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
