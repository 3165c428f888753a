import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { divideRounded, moneyInput, parseMoney, percentOf, toDecimal } from './money.js';

describe('parseMoney', () => {
  const accepted: [string | number, number][] = [
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.1', 10],
    ['0.01', 1],
    ['7', 700],
    [' 19.95 ', 1995],
    ['-1', -100],
    [12.5, 1250],
    [0.1, 10],
    [19.99, 1999],
    [0, 0],
  ];
  for (const [input, minor] of accepted) {
    it(`reads ${JSON.stringify(input)} as ${minor} minor units`, () => {
      assert.equal(parseMoney(input), minor);
    });
  }

  const refused: (string | number)[] = [
    '1.234',
    '1e3',
    '',
    '.5',
    '12.',
    '+1',
    '1,50',
    'abc',
    '12.5.0',
    1e3 / 3,
    NaN,
    Infinity,
  ];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      assert.equal(parseMoney(input), undefined);
    });
  }

  it('refuses a float that only looks like cents (0.1 + 0.2) instead of rounding it', () => {
    assert.equal(parseMoney(0.1 + 0.2), undefined);
  });

  it('refuses numbers JavaScript prints in exponent form', () => {
    assert.equal(parseMoney(1e21), undefined);
    assert.equal(parseMoney(1e-7), undefined);
  });
});

describe('toDecimal', () => {
  it('turns minor units into a decimal number', () => {
    assert.equal(toDecimal(1250), 12.5);
    assert.equal(toDecimal(1999), 19.99);
    assert.equal(toDecimal(1), 0.01);
    assert.equal(toDecimal(0), 0);
    assert.equal(toDecimal(-5), -0.05);
  });

  it('round-trips with parseMoney', () => {
    for (const minor of [1, 10, 99, 1995, 123456789]) assert.equal(parseMoney(toDecimal(minor)), minor);
  });
});

describe('divideRounded', () => {
  it('rounds positive ties away from zero', () => {
    assert.equal(divideRounded(5, 2), 3);
    assert.equal(divideRounded(1, 2), 1);
    assert.equal(divideRounded(25, 10), 3);
  });

  it('rounds negative ties away from zero', () => {
    assert.equal(divideRounded(-5, 2), -3);
    assert.equal(divideRounded(5, -2), -3);
    assert.equal(divideRounded(-1, 2), -1);
  });

  it('rounds non-ties to the nearest integer', () => {
    assert.equal(divideRounded(1, 3), 0);
    assert.equal(divideRounded(2, 3), 1);
    assert.equal(divideRounded(-2, 3), -1);
    assert.equal(divideRounded(-5, -2), 3);
  });

  it('refuses division by zero', () => {
    assert.throws(() => divideRounded(1, 0), RangeError);
  });
});

describe('percentOf', () => {
  it('takes a percentage given in hundredths', () => {
    assert.equal(percentOf(10000, 1000), 1000); // 10% of 100.00
    assert.equal(percentOf(1999, 1250), 250); // 12.5% of 19.99 = 2.49875
  });

  it('rounds half a cent away from zero', () => {
    assert.equal(percentOf(1, 5000), 1); // 50% of 0.01
    assert.equal(percentOf(-1, 5000), -1);
    assert.equal(percentOf(3, 5000), 2); // 1.5 cents
  });
});

describe('moneyInput', () => {
  it('parses amounts and refuses negatives', () => {
    const schema = moneyInput();
    assert.equal(schema.parse('19.95'), 1995);
    assert.equal(schema.safeParse('-1').success, false);
    assert.equal(schema.safeParse('1.234').success, false);
  });

  it('refuses zero when asked to', () => {
    assert.equal(moneyInput({ allowZero: false }).safeParse(0).success, false);
  });

  it('refuses an amount above the maximum', () => {
    assert.equal(moneyInput({ max: 1000 }).safeParse('10.01').success, false);
  });
});
