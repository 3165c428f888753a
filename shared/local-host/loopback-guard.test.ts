import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  configuredHostsOf,
  isLoopbackRequest,
  isRebindingSafeHost,
  listenNotice,
  listensBeyondLoopback,
} from './loopback-guard.js';

const request = (remoteAddress: string, host: string | undefined) => ({
  socket: { remoteAddress },
  headers: { host },
});

describe('isLoopbackRequest', () => {
  it('accepts a loopback client that names a loopback host, with any port', () => {
    for (const host of ['127.0.0.1:7071', 'localhost:3000', 'LOCALHOST', '[::1]:7071', '127.0.0.1'])
      assert.equal(isLoopbackRequest(request('127.0.0.1', host)), true, host);
    assert.equal(isLoopbackRequest(request('::1', 'localhost:7071')), true);
    assert.equal(isLoopbackRequest(request('::ffff:127.0.0.1', 'localhost:7071')), true);
  });

  it('refuses a foreign Host header even from loopback (DNS rebinding)', () => {
    for (const host of [
      'evil.example:7071',
      'localhost.evil.example',
      '127.0.0.1.nip.io:7071',
      '',
      undefined,
    ])
      assert.equal(isLoopbackRequest(request('127.0.0.1', host)), false, String(host));
  });

  it('refuses a client on another machine', () => {
    for (const address of ['192.168.1.20', '::ffff:10.0.0.3', 'fe80::1', ''])
      assert.equal(isLoopbackRequest(request(address, '127.0.0.1:7071')), false, address);
  });

  it("accepts the shop's configured host names from loopback, and only from loopback", () => {
    const hosts = configuredHostsOf({
      PUBLIC_BASE_URL: 'http://shop.test:7071',
      SHOP_URL: 'http://localhost:5173',
      STOREFRONT_ORIGINS: ['http://Storefront.Test:3000'],
    });
    assert.deepEqual(hosts, ['shop.test', 'localhost', 'storefront.test']);
    for (const host of ['shop.test:7071', 'SHOP.TEST', 'storefront.test:7071'])
      assert.equal(isLoopbackRequest(request('127.0.0.1', host), hosts), true, host);
    for (const host of ['evil.test:7071', 'shop.test.evil.example', 'shop.test:7071@evil'])
      assert.equal(isLoopbackRequest(request('127.0.0.1', host), hosts), false, host);
    assert.equal(isLoopbackRequest(request('192.168.1.20', 'shop.test:7071'), hosts), false);
  });
});

describe('isRebindingSafeHost', () => {
  it('takes addresses, localhost names and configured names, with any port', () => {
    for (const host of [
      '127.0.0.1:7071',
      '192.168.1.20',
      '[::1]:7071',
      '[2001:db8::1]',
      'localhost',
      'app.localhost:3000',
      'Shop.Test:7071',
    ])
      assert.equal(isRebindingSafeHost(host, ['shop.test']), true, host);
  });

  it('refuses any other name (a rebinding page), and malformed or missing hosts', () => {
    for (const host of [
      'rebind.attacker.example',
      'localhost.',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'shop.test.evil.example',
      '[evil]',
      '[::1',
      'a:b:c',
      '',
      undefined,
    ])
      assert.equal(isRebindingSafeHost(host, ['shop.test']), false, String(host));
  });
});

describe('listensBeyondLoopback', () => {
  it('tells a loopback HOST from one that opens the local host to the network', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'])
      assert.equal(listensBeyondLoopback(host), false, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'my-laptop.local'])
      assert.equal(listensBeyondLoopback(host), true, host);
  });
});

describe('listenNotice', () => {
  it('says the shop binds to loopback by default, and warns loudly when HOST opens it', () => {
    assert.match(listenNotice('127.0.0.1', 7071).join('\n'), /loopback\) only/);
    const warning = listenNotice('0.0.0.0', 7071).join('\n');
    assert.match(warning, /WARNING: HOST=0\.0\.0\.0 opens this shop to every machine/);
    assert.ok(listenNotice('0.0.0.0', 7071).length >= 3);
  });
});
