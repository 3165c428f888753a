import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_ADDRESS_MAX_LENGTH, parseClientAddress, throttlingKeyOf } from './client-address.js';

describe('parseClientAddress', () => {
  it('keeps every group of an IPv6 address, with or without brackets and a port', () => {
    for (const raw of [
      '2001:db8:85a3:8d3:1319:8a2e:370:7348',
      '[2001:db8:85a3:8d3:1319:8a2e:370:7348]',
      '[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443',
      '2001:DB8:85A3:08D3:1319:8A2E:0370:7348',
    ])
      assert.equal(parseClientAddress(raw), '2001:db8:85a3:8d3:1319:8a2e:370:7348', raw);
  });

  it('writes IPv6 in one canonical form (RFC 5952), dropping a zone', () => {
    assert.equal(parseClientAddress('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(parseClientAddress('[::1]:7071'), '::1');
    assert.equal(parseClientAddress('fe80::1%eth0'), 'fe80::1');
    assert.equal(parseClientAddress('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  });

  it('turns an IPv4-mapped IPv6 address into the IPv4 address, and strips a v4 port', () => {
    assert.equal(parseClientAddress('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(parseClientAddress('[::ffff:203.0.113.9]:5000'), '203.0.113.9');
    assert.equal(parseClientAddress('::ffff:cb00:7109'), '203.0.113.9');
    assert.equal(parseClientAddress('203.0.113.9:5000'), '203.0.113.9');
    assert.equal(parseClientAddress(' 203.0.113.9 '), '203.0.113.9');
  });

  it('answers "" for what is not an address', () => {
    for (const raw of [
      '',
      undefined,
      'unknown',
      '1.2.3.4, 5.6.7.8',
      '999.1.1.1',
      "1' or '1'='1",
      'x'.repeat(500),
    ])
      assert.equal(parseClientAddress(raw), '', String(raw));
  });

  it('never returns more than the longest address form', () => {
    assert.ok(
      parseClientAddress('1234:5678:9abc:def0:1234:5678:9abc:def0').length <= CLIENT_ADDRESS_MAX_LENGTH,
    );
  });
});

describe('throttlingKeyOf', () => {
  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    assert.equal(throttlingKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(throttlingKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.notEqual(throttlingKeyOf('2001:db8:1:3::1'), throttlingKeyOf('2001:db8:1:2::1'));
    assert.equal(throttlingKeyOf('203.0.113.9'), '203.0.113.9');
    assert.equal(throttlingKeyOf(''), '');
    assert.ok(throttlingKeyOf('ffff:ffff:ffff:ffff::1').length <= CLIENT_ADDRESS_MAX_LENGTH);
  });
});
