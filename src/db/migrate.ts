import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../lib/paths.js';

/** Applies pending migrations with the Prisma CLI (`migrate deploy` works offline with the JS engine). */
export function migrateDeploy(databaseUrl: string): Promise<void> {
  const cli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${code}):\n${output}`))));
  });
}
