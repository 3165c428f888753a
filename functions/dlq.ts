/**
 * `npm run dlq -- list | show ID | replay ID`: the dead letters of the configured transport (Service
 * Bus when SERVICE_BUS_NAMESPACE is set, else the local embedded bus in DATA_DIR), with their
 * reasons; replay sends one again to the subscription that failed, once its cause is fixed.
 */
import './index.js';
import { deadLettersOf } from '../shared/platform/dead-letters-open.js';
import { registeredParts, registry } from '../shared/functions/registry.js';
import { startPlatform, stopPlatform } from '../shared/platform/current.js';

const [command, id] = process.argv.slice(2);
const usage = 'usage: npm run dlq -- list | show <id> | replay <id>';

try {
  const platform = await startPlatform(registeredParts());
  const deadLetters = await deadLettersOf(platform, registry.consumers);
  if (command === 'list') {
    const letters = await deadLetters.list();
    if (letters.length === 0) process.stdout.write('no dead letters\n');
    for (const l of letters)
      process.stdout.write(
        `${l.id}\t${l.subscription}\t${l.eventName}\t${l.deliveryCount} deliveries\t${l.deadLetteredAt}\n  ${l.reason}\n`,
      );
  } else if (command === 'show' && id) {
    const letter = await deadLetters.show(id);
    process.stdout.write(letter ? `${JSON.stringify(letter, null, 2)}\n` : `no dead letter ${id}\n`);
    if (!letter) process.exitCode = 1;
  } else if (command === 'replay' && id) {
    const replayed = await deadLetters.replay(id);
    process.stdout.write(replayed ? `replayed ${id}\n` : `no dead letter ${id}\n`);
    if (!replayed) process.exitCode = 1;
  } else {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
  }
  await stopPlatform();
} catch (error) {
  process.stderr.write(`dlq failed: ${String(error)}\n`);
  process.exit(1);
}
