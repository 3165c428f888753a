import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads `.env` from the working directory into process.env with Node's own parser (the format of
 * `node --env-file`). A variable already set in the environment wins over the file, so
 * `PORT=7072 npm start` still works with a `.env` that sets PORT. Only the local host reads it; the
 * Functions host has `local.settings.json`, and Azure has app settings.
 */
export function loadEnvFile(file = path.resolve('.env')): { file: string; applied: string[] } | undefined {
  if (!fs.existsSync(file)) return undefined;
  if (typeof process.loadEnvFile !== 'function') {
    throw new Error(
      `${file} exists, but this Node.js (${process.version}) cannot read it: use Node 20.12 or newer, or export the settings in the shell.`,
    );
  }
  const before = new Set(Object.keys(process.env));
  process.loadEnvFile(file);
  return { file, applied: Object.keys(process.env).filter((name) => !before.has(name)) };
}
