import type { Platform } from './platform.js';
import type { AnyConsumer } from '../events/consumer.js';
import {
  embeddedDeadLetters,
  serviceBusDeadLetters,
  type DeadLetters,
  type DlqClient,
} from '../events/dead-letters.js';

const opened = new WeakMap<Platform, DeadLetters>();

/** The dead letters of the platform's transport: the embedded bus's, or every consumer subscription's on Service Bus. */
export async function deadLettersOf(platform: Platform, consumers: AnyConsumer[]): Promise<DeadLetters> {
  const known = opened.get(platform);
  if (known) return known;
  let deadLetters: DeadLetters;
  if (platform.bus) deadLetters = embeddedDeadLetters(platform.bus);
  else {
    const namespace = platform.config.SERVICE_BUS_NAMESPACE;
    if (!namespace) throw new Error('dead letters: no event transport is configured');
    // Imported here only: the ops routes load this module at every start, and @azure/identity is heavy.
    const [{ ServiceBusClient }, { azureCredential }] = await Promise.all([
      import('@azure/service-bus'),
      import('../azure/credential.js'),
    ]);
    const client = new ServiceBusClient(
      namespace,
      azureCredential({ clientId: platform.config.AZURE_CLIENT_ID }),
    );
    const dlq: DlqClient = {
      deadLetterReceiver: (topic, subscription) =>
        client.createReceiver(topic, subscription, { subQueueType: 'deadLetter', receiveMode: 'peekLock' }),
      async sendToTopic(topic, message) {
        const sender = client.createSender(topic);
        try {
          await sender.sendMessages({ ...message, body: message.body });
        } finally {
          await sender.close();
        }
      },
    };
    deadLetters = serviceBusDeadLetters(
      dlq,
      consumers.map((c) => ({ topic: c.event.topic, name: c.name })),
    );
  }
  opened.set(platform, deadLetters);
  return deadLetters;
}
