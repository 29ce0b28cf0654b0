import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const WORKER = path.resolve('test/helpers/worker-process.ts');

/** A worker in its own OS process on the database at `dbUrl` (worker-process.ts says what `env` may set). */
export function runWorker(dbUrl: string, env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: dbUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

/**
 * A local Bot Connector over real HTTP, for tests where the worker runs in another OS process (nock cannot reach
 * it there). Counts posts per conversation and answers 201; `hold` can leave a call unanswered, e.g. to kill the
 * calling process during it.
 */
export class LocalConnector {
  readonly sends = new Map<string, number>();
  /** Asked for every post (with the number of posts so far, this one included): true leaves it unanswered. */
  hold: ((conversationId: string, total: number) => boolean) | null = null;
  onHeld: (() => void) | null = null;
  private total = 0;
  private readonly server = http.createServer((req, res) => {
    const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) {
      res.writeHead(404);
      res.end();
      return;
    }
    req.resume();
    req.on('end', () => {
      const conversationId = decodeURIComponent(m[1]!);
      this.sends.set(conversationId, (this.sends.get(conversationId) ?? 0) + 1);
      this.total += 1;
      if (this.hold?.(conversationId, this.total)) return this.onHeld?.(); // never answered: the caller dies during the call
      // Two calls: restify (loaded by other test files in this worker) patches writeHead to return nothing.
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `activity-${conversationId}` }));
    });
  });

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
