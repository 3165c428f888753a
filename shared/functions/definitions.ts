import type { DomainMigration } from '../db/migrations.js';
import type { Platform } from '../platform/platform.js';

/** A domain as the hosts see it: its migrations and the data it seeds. */
export interface DomainModule {
  name: string;
  migrations: DomainMigration[];
  /** Data every environment needs (the ADMIN account from settings). Idempotent. */
  bootstrap?(platform: Platform): Promise<void>;
  /** Demo data for a local shop (DEMO_DATA). Idempotent. Never runs in a deployed environment by default. */
  demo?(platform: Platform): Promise<void>;
  /**
   * Work for once the new code is live (`npm run db:migrate -- --after-deploy`, which azd's
   * postdeploy hook runs): what the previous version may have left behind while it still served
   * after the migrations ran. Idempotent.
   */
  afterDeploy?(platform: Platform): Promise<void>;
}

export interface TimerDefinition {
  name: string;
  /**
   * NCRONTAB with seconds, as the Functions host reads it (e.g. every 30 s: "*\/30 * * * * *"), or
   * the name of the setting that holds it (the Azure host then reads `%SETTING%` itself).
   */
  schedule: string | { setting: 'OUTBOX_SWEEP_SCHEDULE' };
  run(platform: Platform): Promise<void>;
}
