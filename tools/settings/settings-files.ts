/**
 * `.env.example` and `local.settings.example.json`, generated from the settings schema
 * (shared/config/config.ts: names and defaults) and its documentation (settings.docs.ts).
 *
 *   node --import tsx tools/settings/settings-files.ts --write    after adding or changing a setting
 *
 * `npm test` (settings-files.test.ts) fails while either file differs from what this generates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingDefaults, settingNames, type Settings } from '../../shared/config/config.js';
import { settingDocs, settingGroups } from '../../shared/config/settings.docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const files = {
  env: path.join(root, '.env.example'),
  localSettings: path.join(root, 'local.settings.example.json'),
};

/** A setting's default as the text of an environment variable ('' when it has none). */
function defaultText(name: keyof Settings): string {
  const value = settingDefaults()[name];
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function wrap(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(prefix + line);
  return lines;
}

export function envExample(): string {
  const out = [
    '# Settings of the local host (npm start, npm run dev). Copy this file to .env and uncomment what',
    '# you change: npm start reads .env (Node’s own parser); a variable set in the shell wins over it.',
    '# Every setting is optional. Left out, it takes the default shown, or the embedded stand-in for its',
    '# Azure service. Generated from shared/config/config.ts and settings.docs.ts: do not edit by hand;',
    '# run `node --import tsx tools/settings/settings-files.ts --write` instead.',
    '# Never commit a .env: it may hold secrets (.gitignore lists it).',
  ];
  for (const group of settingGroups) {
    const names = settingNames.filter((name) => settingDocs[name].group === group);
    if (names.length === 0) continue;
    out.push('', `# ---- ${group} ${'-'.repeat(Math.max(4, 92 - group.length))}`);
    for (const name of names) {
      const doc = settingDocs[name];
      const value = defaultText(name);
      const about = [doc.about];
      if (value === '' && doc.unset) about.push(`Unset: ${doc.unset}.`);
      if (doc.secret) about.push('A secret.');
      out.push('', ...wrap(about.join(' '), '# '));
      out.push(`# ${name}=${value === '' ? (doc.example ?? '') : value}`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The real Functions host (Core Tools) reads `local.settings.json`. Every setting with its default
 * ('' for unset, which the app treats as absent), the host's own settings, and every Service Bus
 * consumer disabled: without a namespace their triggers cannot start (see the README).
 */
export function localSettingsExample(consumerNames: string[]): string {
  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    ServiceBusConnection__fullyQualifiedNamespace: '',
  };
  for (const name of settingNames) values[name] = defaultText(name);
  for (const consumer of [...consumerNames].sort()) values[`AzureWebJobs.${consumer}.Disabled`] = 'true';
  const document = {
    IsEncrypted: false,
    Values: values,
    Host: {
      LocalHttpPort: 7071,
      CORS: 'http://localhost:3000,http://localhost:5173',
      CORSCredentials: false,
    },
  };
  return JSON.stringify(document, null, 2) + '\n';
}

export async function consumerNames(): Promise<string[]> {
  await import('../../functions/index.js');
  const { registry } = await import('../../shared/functions/registry.js');
  return registry.consumers.map((c) => c.name);
}

if (process.argv.includes('--write')) {
  fs.writeFileSync(files.env, envExample());
  fs.writeFileSync(files.localSettings, localSettingsExample(await consumerNames()));
  console.log(`wrote ${path.relative(root, files.env)} and ${path.relative(root, files.localSettings)}`);
}
