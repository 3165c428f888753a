import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTemplates, templatesFolder } from '../email-templates.js';
import { basketView, formatMoney, safeUrl, templateNames, type TemplateViews } from '../email.views.js';
import { sendOperationId, uuidV5 } from '../operation-id.js';
import { storefrontLinks } from '../storefront-links.js';

const shop = { name: 'Tom & Jerry’s <Shop>', url: 'https://shop.test/' };
const hostile = '<script>alert(1)</script> & "quotes" \'single\'';

const basket = basketView(
  {
    lines: [
      {
        name: hostile,
        imageUrl: 'javascript:alert(1)',
        count: 2,
        unitPriceMinor: 12_50,
        lineTotalMinor: 25_00,
      },
    ],
    subtotalMinor: 25_00,
    discountMinor: 2_50,
    totalMinor: 22_50,
    couponCode: '<b>SAVE</b>',
  },
  'AUD',
);

/** A view for every template, with a hostile value in every user-supplied field. */
const views: TemplateViews = {
  welcome: { name: hostile, shopLink: shop.url },
  'password-reset': {
    name: hostile,
    resetLink: 'https://shop.test/reset-password?email=a%40b.test&token=t0k',
    token: 't0k',
    validMinutes: 30,
  },
  'password-changed': { name: hostile, wasReset: true, shopLink: shop.url },
  'order-confirmation': { name: hostile, order: { orderId: 42, ...basket }, ordersLink: `${shop.url}orders` },
  'new-order-notice': {
    customerName: hostile,
    customerEmail: 'x"onmouseover="alert(1)@shop.test',
    order: { orderId: 42, ...basket },
    ordersLink: `${shop.url}orders`,
  },
  'order-cancelled': {
    name: hostile,
    orderId: 42,
    total: 'AUD 22.50',
    reason: 'you cancelled it',
    refundFollows: true,
    ordersLink: `${shop.url}orders`,
  },
  'refund-confirmed': { name: hostile, orderId: 42, amount: 'AUD 22.50', ordersLink: `${shop.url}orders` },
  'points-granted': { name: hostile, orderId: 42, points: 22, balance: 100, ordersLink: `${shop.url}orders` },
  cart: { name: hostile, basket, cartLink: `${shop.url}cart` },
};

const templates = loadTemplates(shop);

describe('email templates', () => {
  it('has the three files for every template, and no raw {{{ }}} in any HTML', () => {
    for (const name of templateNames) {
      for (const file of ['subject.txt', 'body.txt', 'body.html'])
        assert.ok(fs.existsSync(path.join(templatesFolder, name, file)), `${name}/${file}`);
    }
    const html = fs
      .readdirSync(templatesFolder, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.html'));
    for (const file of html)
      assert.doesNotMatch(fs.readFileSync(path.join(templatesFolder, file), 'utf8'), /\{\{\{|\{\{&/, file);
  });

  for (const name of templateNames) {
    it(`${name}: escapes every value in the HTML and none in the plain text`, () => {
      const email = templates.render(name, views[name]);
      assert.doesNotMatch(email.html, /<script|<b>SAVE|onmouseover="|javascript:/);
      assert.match(email.html, /Tom &amp; Jerry’s &lt;Shop&gt;/);
      assert.match(
        email.html,
        /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot; &#x27;single&#x27;/,
      );
      assert.ok(email.text.includes(hostile), email.text);
      assert.ok(email.text.startsWith('Tom & Jerry’s <Shop>\n'));
      assert.ok(!email.subject.includes('\n') && email.subject.length > 0);
    });
  }

  it('refuses a view that lacks a value (strict mode), instead of sending a blank', () => {
    assert.throws(
      () => templates.render('welcome', { name: 'Ada' } as TemplateViews['welcome']),
      /"shopLink" not defined/,
    );
  });

  it('shows the discount line only when there is a discount', () => {
    const plain = basketView(
      { lines: [], subtotalMinor: 100, discountMinor: 0, totalMinor: 100, couponCode: '' },
      'AUD',
    );
    const email = templates.render('cart', { name: '', basket: plain, cartLink: 'https://shop.test/cart' });
    assert.doesNotMatch(email.text, /Discount/);
    assert.match(email.text, /^Hi,$/m);
  });
});

describe('email values', () => {
  it('formats minor units with the currency, without floating point', () => {
    assert.equal(formatMoney(123_456_78, 'AUD'), 'AUD 123,456.78');
    assert.equal(formatMoney(5, 'USD'), 'USD 0.05');
    assert.equal(formatMoney(-1_00, 'AUD'), 'AUD -1.00');
  });

  it('lets only http(s) URLs into links and images', () => {
    assert.equal(safeUrl('https://media.shop.test/a.png'), 'https://media.shop.test/a.png');
    assert.equal(safeUrl('javascript:alert(1)'), '');
    assert.equal(safeUrl('data:image/png;base64,AAAA'), '');
    assert.equal(safeUrl('not a url'), '');
  });

  it('links to the storefront, keeping a path in SHOP_URL, with the reset page’s email and token', () => {
    const links = storefrontLinks('http://localhost:5173');
    assert.equal(links.orders, 'http://localhost:5173/orders');
    assert.equal(links.cart, 'http://localhost:5173/cart');
    assert.equal(
      links.resetPassword('a+b@shop.test', 'x/y='),
      'http://localhost:5173/reset-password?email=a%2Bb%40shop.test&token=x%2Fy%3D',
    );
    assert.equal(storefrontLinks('https://example.com/shop').home, 'https://example.com/shop/');
  });

  it('derives operation ids as RFC 9562 UUID v5s, one per (event, template)', () => {
    // The RFC's DNS namespace example, as Python's uuid.uuid5 computes it.
    assert.equal(
      uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    const id = sendOperationId('event-1', 'welcome');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(sendOperationId('event-1', 'welcome'), id);
    assert.notEqual(sendOperationId('event-1', 'order-confirmation'), id);
    assert.notEqual(sendOperationId('event-2', 'welcome'), id);
  });
});

describe('templates in a build', () => {
  it('are found by the compiled module: tsc output plus scripts/copy-assets.mjs, as `npm run build` makes dist/', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    // Under node_modules/.cache so the compiled module resolves handlebars from the project.
    const work = fs.mkdtempSync(path.join(root, 'node_modules', '.cache-email-build-'));
    try {
      const tsconfig = path.join(work, 'tsconfig.json');
      fs.writeFileSync(
        tsconfig,
        JSON.stringify({
          extends: path.join(root, 'tsconfig.build.json'),
          compilerOptions: { outDir: path.join(work, 'out'), rootDir: root, sourceMap: false },
          include: [],
          files: [path.join(root, 'functions/email/email-templates.ts')],
        }),
      );
      const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
      execFileSync(process.execPath, [tsc, '-p', tsconfig], { cwd: root, stdio: 'pipe' });
      execFileSync(process.execPath, ['scripts/copy-assets.mjs', path.join(work, 'out')], {
        cwd: root,
        stdio: 'pipe',
      });
      const compiled = path.join(work, 'out/functions/email/email-templates.js');
      const render = `
        const { loadTemplates } = await import(${JSON.stringify(compiled)});
        const email = loadTemplates({ name: 'Built Shop', url: 'https://shop.test/' })
          .render('welcome', { name: 'Ada', shopLink: 'https://shop.test/' });
        process.stdout.write(JSON.stringify(email));`;
      const email = JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', render], {
          cwd: root,
          encoding: 'utf8',
        }),
      ) as { subject: string; text: string };
      assert.equal(email.subject, 'Welcome to Built Shop');
      assert.match(email.text, /Hi Ada,/);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
