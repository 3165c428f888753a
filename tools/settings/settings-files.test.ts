import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig, settingNames } from '../../shared/config/config.js';
import { settingDocs } from '../../shared/config/settings.docs.js';
import { consumerNames, envExample, files, localSettingsExample } from './settings-files.js';

const regenerate = 'run `node --import tsx tools/settings/settings-files.ts --write`';

describe('settings files follow the settings schema', () => {
  it('documents every setting of the schema, and nothing else', () => {
    assert.deepEqual(
      settingNames.filter((name) => !(name in settingDocs)),
      [],
      'add these to shared/config/settings.docs.ts',
    );
    assert.deepEqual(
      Object.keys(settingDocs).filter((name) => !(settingNames as string[]).includes(name)),
      [],
      'these are documented but not settings any more',
    );
  });

  it('.env.example is what the schema generates', () => {
    assert.equal(fs.readFileSync(files.env, 'utf8'), envExample(), `.env.example is stale: ${regenerate}`);
  });

  it('.env.example lists every setting with its default, and loads as a valid configuration', () => {
    const text = fs.readFileSync(files.env, 'utf8');
    for (const name of settingNames) assert.match(text, new RegExp(`^# ${name}=`, 'm'), name);
    // Uncommented as it stands (examples blanked out), the file is the default configuration.
    const env: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^# ([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined)
        env[m[1]] = settingDocs[m[1] as keyof typeof settingDocs].example === m[2] ? '' : m[2];
    }
    assert.doesNotThrow(() => loadConfig(env));
  });

  it('local.settings.example.json is what the schema and the registry generate', async () => {
    assert.equal(
      fs.readFileSync(files.localSettings, 'utf8'),
      localSettingsExample(await consumerNames()),
      `local.settings.example.json is stale: ${regenerate}`,
    );
  });

  it('local.settings.example.json holds a valid configuration for the Functions host', async () => {
    const { Values } = JSON.parse(fs.readFileSync(files.localSettings, 'utf8')) as {
      Values: Record<string, string>;
    };
    assert.equal(Values['FUNCTIONS_WORKER_RUNTIME'], 'node');
    for (const name of settingNames) assert.ok(name in Values, name);
    assert.doesNotThrow(() => loadConfig(Values));
  });
});
