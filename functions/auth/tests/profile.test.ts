import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pngImage } from '../../../shared/testing/images.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../index.js';
import { adminEnv, aSignedInCustomer, signInAdmin } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost({ env: { ...adminEnv, MAX_UPLOAD_BYTES: '65536' } })));
after(() => host.close());

// A real PNG (the pipeline checks an image's type by its bytes), made once as the module loads.
const avatarPng = await pngImage({ width: 8 });

/** The storefront's edituser form, with overrides. */
function profileForm(
  fields: Record<string, string>,
  avatar?: { bytes: Buffer; name: string; type: string },
): FormData {
  const form = new FormData();
  const defaults = {
    name: 'Anh',
    phoneNumber: '+61 400 000 000',
    address: '1 George St',
    dateOfBirth: 'Mon Jun 18 1996',
    avatarUrl: 'undefined',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...fields })) form.append(k, v);
  if (avatar) form.append('avatar', new Blob([avatar.bytes], { type: avatar.type }), avatar.name);
  return form;
}

describe('GET /api/auth/getuser/{userId}', () => {
  it('returns your own profile', async () => {
    const me = await aSignedInCustomer(host);
    const res = await host.call('GET', `/api/auth/getuser/${me.id}`, { token: me.token });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as { email: string }).email, me.email);
  });

  it("refuses another user's profile (403), except to an ADMIN", async () => {
    const me = await aSignedInCustomer(host);
    const other = await aSignedInCustomer(host);
    assert.equal((await host.call('GET', `/api/auth/getuser/${other.id}`, { token: me.token })).status, 403);
    const admin = await signInAdmin(host);
    assert.equal(
      (await host.call('GET', `/api/auth/getuser/${other.id}`, { token: admin.token })).status,
      200,
    );
  });

  it('answers 400 for an id that is not a user id and 404 for an unknown one (ADMIN)', async () => {
    const admin = await signInAdmin(host);
    assert.equal((await host.call('GET', '/api/auth/getuser/42', { token: admin.token })).status, 400);
    const unknown = await host.call('GET', '/api/auth/getuser/00000000-0000-4000-8000-000000000000', {
      token: admin.token,
    });
    assert.equal(unknown.status, 404);
  });
});

describe('POST /api/auth/edituser (multipart)', () => {
  it('saves the profile with a zone-less birthday and an avatar served at an absolute URL', async () => {
    const me = await aSignedInCustomer(host);
    const bytes = avatarPng;
    const res = await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ email: me.email }, { bytes, name: 'me.png', type: 'image/png' }),
    });
    assert.equal(res.status, 200, res.text);
    const user = res.body.data as Record<string, string>;
    assert.equal(user['name'], 'Anh');
    assert.equal(user['phoneNumber'], '+61 400 000 000');
    assert.equal(user['dateOfBirth'], '1996-06-18T00:00:00');
    assert.match(user['avatar'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/media\/avatars\/.+\.png$/);
    const served = await fetch(user['avatar'] ?? '');
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);

    const again = await host.call('GET', `/api/auth/getuser/${me.id}`, { token: me.token });
    assert.equal((again.body.data as Record<string, string>)['dateOfBirth'], '1996-06-18T00:00:00');
  });

  it('accepts an ISO birthday and clears it with "undefined"', async () => {
    const me = await aSignedInCustomer(host);
    const iso = await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ dateOfBirth: '1990-02-28' }),
    });
    assert.equal((iso.body.data as Record<string, string>)['dateOfBirth'], '1990-02-28T00:00:00');
    const cleared = await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ dateOfBirth: 'undefined' }),
    });
    assert.equal((cleared.body.data as Record<string, string>)['dateOfBirth'], '');
  });

  it('keeps the stored birthday when the form leaves the field out', async () => {
    const me = await aSignedInCustomer(host);
    await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ dateOfBirth: '1990-02-28' }),
    });
    const form = new FormData();
    form.append('name', 'Only the name');
    const res = await host.call('POST', '/api/auth/edituser', { token: me.token, form });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as Record<string, string>)['dateOfBirth'], '1990-02-28T00:00:00');
    assert.equal((res.body.data as Record<string, string>)['name'], 'Only the name');
  });

  it('refuses an impossible birthday with a message under dateOfBirth', async () => {
    const me = await aSignedInCustomer(host);
    const res = await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ dateOfBirth: 'Fri Feb 30 1990' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'dateOfBirth');
  });

  it("refuses to edit another user's profile by email (403) and lets an ADMIN do it", async () => {
    const me = await aSignedInCustomer(host);
    const other = await aSignedInCustomer(host, { name: 'Other' });
    const res = await host.call('POST', '/api/auth/edituser', {
      token: me.token,
      form: profileForm({ email: other.email, name: 'Hacked' }),
    });
    assert.equal(res.status, 403);
    const check = await host.call('GET', `/api/auth/getuser/${other.id}`, { token: other.token });
    assert.equal((check.body.data as Record<string, string>)['name'], 'Other');

    const admin = await signInAdmin(host);
    const byAdmin = await host.call('POST', '/api/auth/edituser', {
      token: admin.token,
      form: profileForm({ email: other.email, name: 'Fixed' }),
    });
    assert.equal(byAdmin.status, 200);
    assert.equal((byAdmin.body.data as Record<string, string>)['name'], 'Fixed');
  });

  const badAvatars: [string, { bytes: Buffer; name: string; type: string }, number][] = [
    [
      'an SVG',
      {
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        name: 'a.svg',
        type: 'image/svg+xml',
      },
      415,
    ],
    [
      'a text file named .png',
      { bytes: Buffer.from('hello, not an image'), name: 'a.png', type: 'image/png' },
      415,
    ],
    [
      'an image over the size limit',
      { bytes: Buffer.concat([avatarPng, Buffer.alloc(70_000)]), name: 'big.png', type: 'image/png' },
      413,
    ],
  ];
  for (const [label, avatar, status] of badAvatars) {
    it(`refuses ${label} as avatar (${status}) and changes nothing`, async () => {
      const me = await aSignedInCustomer(host, { name: 'Before' });
      const res = await host.call('POST', '/api/auth/edituser', {
        token: me.token,
        form: profileForm({ name: 'After' }, avatar),
      });
      assert.equal(res.status, status);
      assert.equal(res.body.isSuccess, false);
      assert.equal(res.body.type, 'avatar');
      const check = await host.call('GET', `/api/auth/getuser/${me.id}`, { token: me.token });
      assert.equal((check.body.data as Record<string, string>)['name'], 'Before');
      assert.equal((check.body.data as Record<string, string>)['avatar'], '');
    });
  }

  it('needs multipart form data (415) and a token (401)', async () => {
    const me = await aSignedInCustomer(host);
    assert.equal(
      (await host.call('POST', '/api/auth/edituser', { token: me.token, json: { name: 'x' } })).status,
      415,
    );
    assert.equal((await host.call('POST', '/api/auth/edituser', { form: profileForm({}) })).status, 401);
  });
});
