import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret generated once into DATA_DIR and kept (the local JWT key, the local webhook secret):
 * returns the file's content, creating it with `create()` first when it does not exist.
 *
 * Several processes may start on a fresh DATA_DIR at once (tests, `npm start` beside a CLI). The
 * content is written to a private temporary file and published with link(), which puts the whole
 * file in place at once and fails if another process got there first, so every process ends up
 * reading the same content (whichever landed first), never a half-written file.
 */
export function readOrCreateOnce(file: string, create: () => string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, create(), { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      // A file system without hard links: fall back to a rename when nothing is there yet.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && !fs.existsSync(file))
        fs.renameSync(temp, file);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return fs.readFileSync(file, 'utf8');
}
