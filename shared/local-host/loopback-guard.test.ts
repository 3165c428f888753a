import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackRequest } from './loopback-guard.js';

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
});
