import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { registry } from '../../shared/functions/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Exercise = (db: Kysely<any>) => Promise<string[]>;

export interface DomainQueries {
  domain: string;
  /** The repository's exported function names. */
  exported: string[];
  /** tests/<domain>.tsql.ts, or undefined when the domain has none. */
  exercise: Exercise | undefined;
  exerciseFile: string;
}

/**
 * Every registered domain that has a repository, with its T-SQL exercise: the function that calls
 * every repository function once against a compile-only handle (import functions/index.js first).
 */
export async function domainQueries(): Promise<DomainQueries[]> {
  const found: DomainQueries[] = [];
  for (const domain of registry.domains.filter((d) => d.migrations.length > 0)) {
    const folder = path.join(root, 'functions', domain.name);
    const repositoryFile = path.join(folder, `${domain.name}.repository.ts`);
    const exerciseFile = path.join(folder, 'tests', `${domain.name}.tsql.ts`);
    if (!fs.existsSync(repositoryFile)) continue;
    const repository = (await import(pathToFileURL(repositoryFile).href)) as Record<string, unknown>;
    const exported = Object.entries(repository)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    const exercise = fs.existsSync(exerciseFile)
      ? ((await import(pathToFileURL(exerciseFile).href)) as { exercise: Exercise }).exercise
      : undefined;
    found.push({ domain: domain.name, exported, exercise, exerciseFile: path.relative(root, exerciseFile) });
  }
  return found;
}

/** What a domain's exercise fails to cover, as messages (empty when complete). */
export function coverageProblems(queries: DomainQueries, called: string[] | undefined): string[] {
  if (!queries.exercise || called === undefined) {
    return [`${queries.domain}: ${queries.exerciseFile} is missing (it must call every repository function)`];
  }
  const missed = queries.exported.filter((name) => !called.includes(name));
  return missed.length > 0
    ? [`${queries.domain}: the T-SQL exercise does not call ${missed.join(', ')}`]
    : [];
}
