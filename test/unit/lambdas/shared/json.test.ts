import { isJsonObject } from '../../../../lambdas/shared/json.js';

describe('isJsonObject', () => {
  it('takes an object, however empty', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject({ active: true })).toBe(true);
  });

  it.each([['a list', []], ['null', null], ['a string', 'x'], ['a number', 1], ['a boolean', true], ['nothing', undefined]])('refuses %s', (_what, value) => {
    expect(isJsonObject(value)).toBe(false);
  });
});
