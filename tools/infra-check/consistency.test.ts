// The infrastructure consistency checks that need only Node (`npm test`). The Bicep build, lint and
// snapshot checks need the .NET SDK and run in tools/infra-check/run.sh (.ci/run, GitHub Actions).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSettingNames, requiredAppSettings, sourceChecks } from './checks.js';
import { expectedOperations, urlTemplateOf } from './model.js';
import { xmlProblems } from './xml.js';

describe('infrastructure consistency with the code', () => {
  for (const check of sourceChecks()) {
    it(check.name, () => {
      assert.deepEqual(check.run(), []);
    });
  }

  it('every required app setting is read by the config schema or the Functions host', () => {
    const known = configSettingNames();
    const unknown = requiredAppSettings.filter(
      (key) => !known.includes(key) && !key.includes('__'), // host settings are Section__key
    );
    assert.deepEqual(unknown, []);
  });
});

describe('route to APIM operation mapping', () => {
  it('turns Functions route templates into APIM URL templates with declared parameters', () => {
    assert.deepEqual(urlTemplateOf('product/{id:int}'), {
      urlTemplate: '/product/{id}',
      parameters: [{ name: 'id', type: 'integer' }],
    });
    assert.deepEqual(urlTemplateOf('auth/.well-known/jwks.json'), {
      urlTemplate: '/auth/.well-known/jwks.json',
      parameters: [],
    });
    assert.deepEqual(urlTemplateOf('cart/GetCart/{userId}').urlTemplate, '/cart/GetCart/{userId}');
  });

  it('refuses routes APIM operations cannot express yet', () => {
    assert.throws(() => urlTemplateOf('files/{*path}'), /catch-all/);
    assert.throws(() => urlTemplateOf('items/{id?}'), /optional/);
  });

  it('names one operation per method, the function name when there is one method', () => {
    const names = expectedOperations().map((o) => o.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('auth-login'));
  });
});

describe('policy XML well-formedness', () => {
  it('accepts a policy with comments, quoted expressions and self-closing elements', () => {
    const xml = `<!-- c --><policies><inbound><base /><set-variable name="a" value='@("x")' /></inbound></policies>`;
    assert.deepEqual(xmlProblems(xml), []);
  });

  it('reports mismatched, unclosed and stray markup', () => {
    assert.match(xmlProblems('<policies><inbound></policies>').join('\n'), /closes <inbound>/);
    assert.match(xmlProblems('<policies><inbound>').join('\n'), /never closed/);
    assert.match(xmlProblems('<policies>a && b</policies>').join('\n'), /unescaped "&"/);
    assert.match(xmlProblems('<policies>List<string></policies>').join('\n'), /closes|never closed|stray/);
    assert.match(xmlProblems('<a/><b/>').join('\n'), /one root element/);
  });
});
