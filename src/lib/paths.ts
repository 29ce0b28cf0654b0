import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The project root, whether running from src/ (tsx, jest) or from dist/. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const cardsDir = path.join(projectRoot, 'cards');
export const localesDir = path.join(projectRoot, 'src', 'locales');
export const contentDir = path.join(projectRoot, 'prisma', 'content');
