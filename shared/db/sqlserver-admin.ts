import { Kysely, sql } from 'kysely';
import type { Config } from '../config/config.js';
import { mssqlDialect } from './mssql-driver.js';
import { sqlServerDatabaseName, sqlServerPool } from './sqlserver.js';

const safeName = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Creates (or drops) the domains' databases on a SQL Server, through `master`. For tests and CI
 * against a SQL Server container only: in Azure, Bicep creates the databases and the app's identity
 * has no right to create more.
 */
export async function withMaster<T>(
  config: Config,
  work: (master: Kysely<unknown>) => Promise<T>,
): Promise<T> {
  const master = new Kysely<unknown>({
    dialect: mssqlDialect(() => sqlServerPool('master', config, { max: 1 })),
  });
  try {
    return await work(master);
  } finally {
    await master.destroy();
  }
}

export async function createSqlServerDatabases(config: Config, domains: string[]): Promise<void> {
  await withMaster(config, async (master) => {
    for (const domain of domains) {
      const name = sqlServerDatabaseName(domain, config);
      if (!safeName.test(name)) throw new Error(`unsafe database name ${name}`);
      await sql`if db_id(${name}) is null exec('create database [' + ${name} + ']')`.execute(master);
    }
  });
}

export async function dropSqlServerDatabases(config: Config, domains: string[]): Promise<void> {
  await withMaster(config, async (master) => {
    for (const domain of domains) {
      const name = sqlServerDatabaseName(domain, config);
      if (!safeName.test(name)) throw new Error(`unsafe database name ${name}`);
      await sql`if db_id(${name}) is not null exec('alter database [' + ${name} + '] set single_user with rollback immediate; drop database [' + ${name} + ']')`.execute(
        master,
      );
    }
  });
}
