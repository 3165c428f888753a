// The default reporter of `npm test`: a line per test file, the failures in full, and a summary
// (counts, time, slowest files). What a test file prints (logs of deliberate failures, say) is kept
// back and shown only when a test of that file fails, or with TEST_LOGS=1; what a test reports with
// t.diagnostic() (the fuzz run's counts) is shown under its file's line.
// Node's own reporters stay available: TEST_REPORTER=spec npm test (or tap, dot).
import path from 'node:path';
import { inspect } from 'node:util';

const color = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (t) => paint(31, t);
const green = (t) => paint(32, t);
const yellow = (t) => paint(33, t);
const dim = (t) => paint(2, t);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const relative = (file) => (file ? path.relative(process.cwd(), file) : '(no file)');
const showAllOutput = process.env['TEST_LOGS'] === '1';
/** When `npm test` started (scripts/test.mjs), else when this reporter did. */
const startedAt = Number(process.env['TEST_STARTED_AT']) || Date.now() - process.uptime() * 1000;

export default async function* compactReporter(source) {
  const files = new Map();
  const fileOf = (name) => {
    let entry = files.get(name);
    if (!entry) {
      entry = {
        passed: 0,
        failed: 0,
        skipped: 0,
        todo: 0,
        output: [],
        notes: [],
        failures: [],
        ms: 0,
        fileFailed: false,
      };
      files.set(name, entry);
    }
    return entry;
  };
  const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  /** The runner's own closing counts ("tests 3", "pass 3", ...), printed last as Node's reporters do. */
  const runnerSummary = [];
  /** Names of the suites around the current test, per file and nesting level. */
  const ancestry = new Map();

  for await (const event of source) {
    const data = event.data ?? {};
    const file = data.file ? relative(data.file) : undefined;
    switch (event.type) {
      case 'test:start': {
        if (file === undefined) break;
        const names = ancestry.get(file) ?? [];
        names.length = data.nesting;
        names[data.nesting] = data.name;
        ancestry.set(file, names);
        break;
      }
      case 'test:stdout':
      case 'test:stderr':
        if (file !== undefined) fileOf(file).output.push(data.message);
        break;
      case 'test:diagnostic':
        // A test's own diagnostics have a file; the runner's summary lines ("tests 3") do not.
        if (file !== undefined) fileOf(file).notes.push(data.message);
        else runnerSummary.push(data.message);
        break;
      case 'test:pass':
      case 'test:fail': {
        if (file === undefined || data.details?.type === 'suite') break;
        // The file itself appears as a test when it fails to load or run (Node reports it by path).
        const isFileItself = data.nesting === 0 && relative(data.name) === file;
        const entry = fileOf(file);
        const outcome = data.skip
          ? 'skipped'
          : data.todo
            ? 'todo'
            : event.type === 'test:pass'
              ? 'passed'
              : 'failed';
        entry[outcome]++;
        totals[outcome]++;
        if (outcome === 'failed') {
          const suites = (ancestry.get(file) ?? []).slice(0, data.nesting);
          entry.failures.push({
            title: isFileItself
              ? 'the file failed to run or exited with an error (its output below)'
              : [...suites, data.name].join(' › '),
            error: isFileItself ? undefined : data.details?.error,
          });
        }
        break;
      }
      case 'test:complete':
        // Node 20 closes each file with a test named after its path, as the file's process ends
        // (its tests' own events may still be on their way: the details wait for the end).
        if (file !== undefined && data.nesting === 0 && relative(data.name) === file) {
          const entry = fileOf(file);
          entry.ms = data.details?.duration_ms ?? 0;
          entry.fileFailed = data.details?.passed === false;
          yield (
            `${entry.fileFailed ? red('✗') : green('✓')} ${file} ${dim(seconds(entry.ms))}\n` +
            entry.notes.map((note) => dim(`    ${note}\n`)).join('')
          );
        }
        break;
      default:
        break;
    }
  }

  const failedFiles = [...files].filter(([, e]) => e.failed > 0 || e.fileFailed);
  for (const [file, entry] of failedFiles) yield details(file, entry);
  if (showAllOutput)
    for (const [file, entry] of files) if (!failedFiles.some(([f]) => f === file)) yield details(file, entry);

  const slowest = [...files]
    .filter(([, e]) => e.ms > 0)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 5)
    .map(([file, e]) => `  ${seconds(e.ms).padStart(7)}  ${file}`);
  const lines = ['', 'Slowest files:', ...slowest, ''];
  if (failedFiles.length > 0) lines.push(red(`Failed in: ${failedFiles.map(([file]) => file).join(', ')}`));
  lines.push(
    `${files.size} files, ${totals.passed + totals.failed + totals.skipped + totals.todo} tests in ${seconds(Date.now() - startedAt)}` +
      (totals.todo > 0 ? `, ${totals.todo} todo` : ''),
  );
  const summary = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
  lines.push(`tests: ${totals.failed > 0 ? red(summary) : green(summary)}`);
  // Node's closing block, word for word as its spec reporter ends, so that tools reading a test
  // run's last lines (CI summaries) recognise Node's test runner.
  lines.push(...runnerSummary.map((message) => dim(`ℹ ${message}`)));
  yield lines.join('\n') + '\n';
}

function details(file, entry) {
  const counts = `${entry.passed} passed, ${entry.failed} failed${entry.skipped > 0 ? yellow(`, ${entry.skipped} skipped`) : ''}`;
  const out = ['', `${entry.failed > 0 || entry.fileFailed ? red('✗') : green('✓')} ${file} (${counts})`];
  for (const failure of entry.failures) {
    out.push(red(`  ✗ ${failure.title}`));
    if (failure.error !== undefined) out.push(indent(describeError(failure.error), '      '));
  }
  const output = entry.output.join('');
  if (output.trim() !== '') {
    out.push(dim(`  output of ${file}:`));
    out.push(indent(output.trimEnd(), '    │ '));
  }
  return out.join('\n') + '\n';
}

function describeError(error) {
  if (!error) return '(no error reported)';
  // Node wraps what a test threw in ERR_TEST_FAILURE; the cause is the assertion or error itself.
  const cause = error.code === 'ERR_TEST_FAILURE' && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof Error)) return inspect(cause, { depth: 4, colors: color });
  // The message (an assertion's diff included) and the frames outside node_modules and Node itself.
  const text = (cause.stack ?? String(cause))
    .split('\n')
    .filter((line) => !/^\s+at .*(node_modules|node:internal|\(node:)|^\s+at async Promise\.all/.test(line))
    .join('\n')
    .replaceAll(`file://${process.cwd()}/`, '')
    .replaceAll(`${process.cwd()}/`, '');
  return cause.cause === undefined ? text : `${text}\ncaused by: ${describeError(cause.cause)}`;
}

function indent(text, prefix) {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
