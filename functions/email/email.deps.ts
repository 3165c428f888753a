import type { Config } from '../../shared/config/config.js';
import type { Database } from '../../shared/db/database.js';
import type { Mailer } from '../../shared/email/mailer.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { getUserContact, type UserContact } from '../auth/auth.client.js';
import { getOrderSummary, type OrderSummary } from '../orders/orders.client.js';
import { loadTemplates, type EmailTemplates } from './email-templates.js';
import type { EmailDb, EmailTables } from './email.tables.js';
import { storefrontLinks, type StorefrontLinks } from './storefront-links.js';

/** Who is who, for an event that names a user or an order but no address. */
export interface Directory {
  contactOf(userId: string): Promise<UserContact | undefined>;
  orderOf(orderId: number): Promise<OrderSummary | undefined>;
}

export interface EmailSettings {
  shopName: string;
  /** Where the new-order notice goes; undefined: nowhere (the notice is skipped with a warning). */
  shopAddress: string | undefined;
}

export interface EmailDeps {
  database: Database<EmailTables>;
  db: EmailDb;
  mailer: Mailer;
  templates: EmailTemplates;
  links: StorefrontLinks;
  directory: Directory;
  settings: EmailSettings;
  clock: Clock;
  log: Logger;
}

/** Used only with the local mailbox, so a local shop shows its new-order notices too. */
export const LOCAL_SHOP_ADDRESS = 'orders@shop.local';

/** SHOP_EMAIL, else ADMIN_EMAIL, else (local mailbox only) a local address. */
export function shopAddressOf(config: Config, mailer: Mailer): string | undefined {
  return (
    config.SHOP_EMAIL ?? config.ADMIN_EMAIL ?? (mailer.kind === 'mailbox' ? LOCAL_SHOP_ADDRESS : undefined)
  );
}

const built = new WeakMap<Platform, EmailDeps>();

/** The email domain's dependencies, built once per platform. */
export function emailDeps(platform: Platform = currentPlatform()): EmailDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<EmailTables>('email');
    const { config } = platform;
    deps = {
      database,
      db: database.db,
      mailer: platform.mailer,
      templates: loadTemplates({ name: config.SHOP_NAME, url: config.SHOP_URL }),
      links: storefrontLinks(config.SHOP_URL),
      directory: { contactOf: getUserContact, orderOf: getOrderSummary },
      settings: { shopName: config.SHOP_NAME, shopAddress: shopAddressOf(config, platform.mailer) },
      clock: platform.clock,
      log: platform.log.child({ domain: 'email' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
