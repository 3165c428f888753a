/**
 * The Azure entry: the Functions host loads this one file (package.json `main`). Every domain
 * registers its functions, then each is handed to `@azure/functions`; the platform starts on a
 * worker's first invocation, reading the consumers, session check and domains from the registry.
 */
import './index.js';
import { registerWithAzure } from '../shared/functions/azure-host.js';
import { assertRegistryValid, registeredParts, registry } from '../shared/functions/registry.js';
import { startPlatform } from '../shared/platform/current.js';

assertRegistryValid();
registerWithAzure(registry, () => startPlatform(registeredParts()));
