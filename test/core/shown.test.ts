import { shown } from '../../lib/core';

describe('shown: a received value as messages show it', () => {
  test.each([
    ['a string', 'ghcr.io/acme/api', '"ghcr.io/acme/api"'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['NaN', NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['NaN inside an object, beside a real null', { uid: NaN, gid: null }, '{"uid":NaN,"gid":null}'],
    ['Infinity inside a list', [1, Infinity], '[1,Infinity]'],
  ])('%s', (_, value, expected) => {
    expect(shown(value)).toBe(expected);
  });

  test('a received string that looks like the marker of a number is still shown as a string', () => {
    expect(shown({ a: '#numberNaN', b: NaN })).toBe('{"a":"#numberNaN","b":NaN}');
    expect(shown(['#number#NaN', '#numberInfinity', Infinity])).toBe('["#number#NaN","#numberInfinity",Infinity]');
  });
});
