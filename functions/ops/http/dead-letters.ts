import { z } from 'zod';
import { deadLettersOf } from '../../../shared/platform/dead-letters-open.js';
import { registry } from '../../../shared/functions/registry.js';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { currentPlatform } from '../../../shared/platform/current.js';

const deadLetterSchema = z.object({
  id: z.string(),
  topic: z.string(),
  subscription: z.string(),
  messageId: z.string(),
  eventName: z.string(),
  reason: z.string(),
  deliveryCount: z.number().int(),
  deadLetteredAt: z.string(),
});

export const listDeadLetters = defineHttp({
  name: 'ops-dead-letters',
  route: 'ops/deadletters',
  methods: ['GET'],
  access: 'admin',
  bodyKind: 'none',
  response: z.array(deadLetterSchema),
  summary:
    'Messages a consumer could not process (dead-lettered), with the reason, per subscription; replay one ' +
    'with `npm run dlq -- replay ID` once its cause is fixed',
  tags: ['operations'],
  async handler() {
    const deadLetters = await deadLettersOf(currentPlatform(), registry.consumers);
    return ok(await deadLetters.list());
  },
});
