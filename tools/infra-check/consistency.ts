/**
 * Consistency between the code and the infrastructure. Run with `node --import tsx`:
 *
 *   consistency.ts                       the source checks (registry, JSON lists, policies, OpenAPI)
 *   consistency.ts --snapshot F [--consumption-snapshot G] [--params P] [--consumption-params Q]
 *                                        plus what Bicep would deploy (`bicep snapshot`, run.sh)
 *   consistency.ts --write               regenerate bicep/messaging.json, bicep/apim-operations.json
 *                                        and bicep/databases.json from the registry
 *
 * Prints one line per check and closes with `consistency: N passed, M failed`; exits 1 on failure.
 */
import fs from 'node:fs';
import * as prettier from 'prettier';
import { bicepparamValues, snapshotChecks, sourceChecks, type Check, type Snapshot } from './checks.js';
import {
  expectedDatabases,
  expectedMessaging,
  expectedOperations,
  files,
  readJson,
  type Databases,
} from './model.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(value), { ...options, parser: 'json', filepath: file });
  fs.writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

async function write(): Promise<void> {
  await writeJson(files.messaging, expectedMessaging());
  await writeJson(files.operations, { operations: expectedOperations() });
  const current = fs.existsSync(files.databases) ? readJson<Databases>(files.databases) : undefined;
  await writeJson(files.databases, expectedDatabases(current));
}

function run(checks: Check[]): number {
  let failed = 0;
  for (const check of checks) {
    let problems: string[];
    try {
      problems = check.run();
    } catch (error) {
      problems = [`the check crashed: ${(error as Error).stack ?? String(error)}`];
    }
    if (problems.length === 0) console.log(`ok   - ${check.name}`);
    else {
      failed++;
      console.log(`FAIL - ${check.name}`);
      for (const p of problems) console.log(`       ${p}`);
    }
  }
  console.log(`consistency: ${checks.length - failed} passed, ${failed} failed`);
  return failed;
}

if (process.argv.includes('--write')) {
  await write();
} else {
  const checks = sourceChecks();
  const snapshot = option('--snapshot');
  if (snapshot) {
    const params = option('--params');
    checks.push(
      ...snapshotChecks(readJson<Snapshot>(snapshot), params ? bicepparamValues(params) : {}, 'full'),
    );
  }
  const consumption = option('--consumption-snapshot');
  if (consumption) {
    const params = option('--consumption-params');
    checks.push(
      ...snapshotChecks(
        readJson<Snapshot>(consumption),
        params ? bicepparamValues(params) : {},
        'consumption',
      ),
    );
  }
  process.exitCode = run(checks) > 0 ? 1 : 0;
}
