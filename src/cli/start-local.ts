import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadEnvFile } from '../config/env.js';
import { projectRoot } from '../lib/paths.js';
import { processSetup, startApp } from '../main.js';

/**
 * `npm start`: the bot in local mode (no Bot credentials, embedded SQLite) plus the Microsoft 365 Agents
 * Playground, a local Teams client, connected to it. Ctrl-C stops both.
 */
const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT ?? 56150);


/** The Playground tries to open a browser at start and exits when it cannot; give it an xdg-open that only prints. */
function headlessPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rexvet-xdg-'));
  const script = path.join(dir, 'xdg-open');
  fs.writeFileSync(script, '#!/bin/sh\necho "(open $1 in your browser)"\n', { mode: 0o755 });
  return `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve()));
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });
}

async function main() {
  loadEnvFile(projectRoot);
  if (process.env.BOT_ID) {
    process.stderr.write('npm start runs in local mode: BOT_ID is ignored here (use `npm run serve` with credentials for Teams).\n');
  }
  if (await portInUse(PLAYGROUND_PORT)) {
    process.stderr.write(`Port ${PLAYGROUND_PORT} is already in use (another \`npm start\`?). Stop it, or set PLAYGROUND_PORT.\n`);
    process.exit(1);
  }
  const { env, logger } = processSetup({ ...process.env, BOT_ID: '', BOT_PASSWORD: '', BOT_TENANT_ID: '' });
  const app = await startApp({ env, logger });

  const configDir = process.env.PLAYGROUND_CONFIG_DIR ? path.resolve(process.env.PLAYGROUND_CONFIG_DIR) : projectRoot;
  const cli = path.join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const playground: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', `${app.url}/api/messages`, '-p', String(PLAYGROUND_PORT), '--disable-telemetry'],
    { cwd: configDir, env: { ...process.env, PATH: headlessPath(), BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const playgroundLog = logger.child({ name: 'playground' });
  playground.stdout?.on('data', (d: Buffer) => playgroundLog.debug(d.toString().trim()));
  playground.stderr?.on('data', (d: Buffer) => playgroundLog.debug(d.toString().trim()));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (playground.exitCode === null) playground.kill('SIGTERM');
    await app.close();
    logger.flush();
    process.exit(code);
  };
  playground.once('exit', (code) => {
    if (stopping) return;
    logger.error({ code, configDir }, 'the Agents Playground exited; check .m365agentsplayground.yml (it needs at least five users)');
    void stop(1);
  });
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  await waitForPort(PLAYGROUND_PORT, 60_000);
  process.stdout.write(`\n  REX VET Mentor is running.\n  Open the local Teams client: http://localhost:${PLAYGROUND_PORT}\n  Bot endpoint: ${app.url}/api/messages   (Ctrl-C stops both)\n\n`);
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
