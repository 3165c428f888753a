import { register } from '../../shared/functions/registry.js';
import { docsAsset, docsPage, openApiJson } from './http/docs.js';
import { listDeadLetters } from './http/dead-letters.js';
import { health, liveness } from './http/health.js';

register.domain({ name: 'ops', migrations: [] });
register.http(health, liveness, listDeadLetters, openApiJson, docsPage, docsAsset);
register.timer({
  name: 'ops-outbox-sweep',
  // Rare on purpose (default every 6 hours): events are published right after their commit, a
  // failed publish is retried in-process, and an instance sweeps when it starts. Each sweep wakes
  // every database, so a frequent one would keep serverless databases from ever pausing.
  schedule: { setting: 'OUTBOX_SWEEP_SCHEDULE' },
  run: async (platform) => {
    await platform.relay.publishAll();
  },
});
