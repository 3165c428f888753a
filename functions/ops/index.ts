import { register } from '../../shared/functions/registry.js';
import { docsAsset, docsPage, openApiJson } from './http/docs.js';
import { health } from './http/health.js';

register.domain({ name: 'ops', migrations: [] });
register.http(health, openApiJson, docsPage, docsAsset);
register.timer({
  name: 'ops-outbox-relay',
  // Every 30 seconds: publishes whatever a crash or an outage left in any outbox.
  schedule: '*/30 * * * * *',
  run: async (platform) => {
    await platform.relay.publishAll();
  },
});
