import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this module is the script node (or tsx) was asked to run, not an import (tests import the CLI). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const strip = (p: string) => p.replace(/\.(ts|js)$/, '');
  return strip(path.resolve(script)) === strip(fileURLToPath(moduleUrl));
}
