import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { azureSchedule, serviceBusConnection } from '../shared/functions/azure-host.js';
import { registry } from '../shared/functions/registry.js';
import { standInFunctionsWorker } from '../shared/testing/functions-worker.js';

/**
 * What the Functions host would see when it loads package.json's `main` (functions/azure.ts): the
 * functions the library hands the worker must be exactly the registry's, trigger for trigger.
 */
const worker = standInFunctionsWorker();
before(async () => {
  await import('./azure.js');
});
after(() => worker.restore());

const triggerOf = (name: string) => {
  const trigger = worker.triggerOf(name);
  assert.ok(trigger, `${name} is registered with the worker`);
  return trigger;
};

describe('the Azure entry', () => {
  it('registers every function of the registry, and nothing else', () => {
    const recorded = [...registry.http, ...registry.consumers, ...registry.timers].map((f) => f.name);
    assert.ok(registry.http.length > 0 && registry.consumers.length > 0 && registry.timers.length > 0);
    assert.deepEqual(worker.functions.map((f) => f.metadata.name).sort(), recorded.sort());
  });

  it('gives each HTTP function its route and methods, behind the function key', () => {
    for (const fn of registry.http) {
      const trigger = triggerOf(fn.name);
      assert.deepEqual(
        {
          type: trigger['type'],
          route: trigger['route'],
          methods: trigger['methods'],
          authLevel: trigger['authLevel'],
        },
        { type: 'httpTrigger', route: fn.route, methods: fn.methods, authLevel: 'function' },
        fn.name,
      );
    }
  });

  it('subscribes each consumer to its event’s topic, under its own name', () => {
    for (const consumer of registry.consumers) {
      const trigger = triggerOf(consumer.name);
      assert.deepEqual(
        {
          type: trigger['type'],
          topicName: trigger['topicName'],
          subscriptionName: trigger['subscriptionName'],
          connection: trigger['connection'],
        },
        {
          type: 'serviceBusTrigger',
          topicName: consumer.event.topic,
          subscriptionName: consumer.name,
          connection: serviceBusConnection,
        },
        consumer.name,
      );
    }
  });

  it('runs each timer on its schedule', () => {
    for (const timer of registry.timers) {
      const trigger = triggerOf(timer.name);
      assert.deepEqual(
        { type: trigger['type'], schedule: trigger['schedule'] },
        { type: 'timerTrigger', schedule: azureSchedule(timer) },
        timer.name,
      );
    }
  });
});
