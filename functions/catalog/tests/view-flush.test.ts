import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { startTestHost } from '../../../shared/testing/test-host.js';
import { catalogDeps } from '../catalog.deps.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-views-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('writes the views counted in memory when the shop stops', async () => {
  const first = await startTestHost({ dataDir });
  const id = await new CatalogFixture(first).product(aProduct());
  for (let i = 0; i < 3; i++) await first.call('GET', `/api/product/${id}`);
  assert.equal(catalogDeps(first.platform).views.pending(id), 3);
  await first.close();

  const again = await startTestHost({ dataDir });
  try {
    const row = await again.platform
      .database<CatalogTables>('catalog')
      .db.selectFrom('products')
      .select('view_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.view_count, 3);
  } finally {
    await again.close();
  }
});
