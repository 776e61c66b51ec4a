// The copy every shared rendering is made into: the same JSON, in objects V8 can share hidden classes among.
import { copyWithSharedShapes } from '../../lib/k8s/shared-shapes';

const withSharedShapes = (value: unknown) => copyWithSharedShapes(value).copy;

describe('copyWithSharedShapes: the copy', () => {
  test('copies plain objects and arrays at every level, with the same keys in the same order and the same values', () => {
    // GIVEN: keys in an order that is not sorted, integer-like keys (which objects list first), nulls and undefined
    const rendered = {
      kind: 'Deployment',
      metadata: { name: 'api', labels: { z: '1', a: '2', 10: 'x', 2: 'y' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', args: ['a', 'b'], env: [] }], nodeName: null, hostname: undefined } } },
    };

    // WHEN
    const copy = withSharedShapes(rendered) as typeof rendered;

    // THEN: equal, key order included, and no object or array of it shared with the rendering
    expect(copy).toStrictEqual(rendered);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(rendered));
    expect(Object.keys(copy.metadata.labels)).toEqual(Object.keys(rendered.metadata.labels));
    expect(Object.keys(copy.spec.template.spec)).toEqual(['containers', 'nodeName', 'hostname']);
    expect(copy).not.toBe(rendered);
    expect(copy.metadata.labels).not.toBe(rendered.metadata.labels);
    expect(copy.spec.template.spec.containers[0]).not.toBe(rendered.spec.template.spec.containers[0]);
    expect(copy.spec.template.spec.containers[0].args).not.toBe(rendered.spec.template.spec.containers[0].args);
  });

  test('values that are not plain objects or arrays are kept as they are', () => {
    class Quantity {
      public constructor(public readonly value: string) {}
    }
    const quantity = new Quantity('1Gi');
    const noPrototype = Object.assign(Object.create(null), { a: 1 });
    const copy = withSharedShapes({ quantity, noPrototype, text: 'x', count: 3, on: true }) as Record<string, unknown>;
    expect(copy.quantity).toBe(quantity);
    expect(copy.noPrototype).toBe(noPrototype);
    expect([copy.text, copy.count, copy.on]).toEqual(['x', 3, true]);
    expect(['x', 3, null, undefined].map(withSharedShapes)).toEqual(['x', 3, null, undefined]);
  });

  test('a rendering that refers to itself is copied to a depth no Kubernetes object reaches, and kept as it is below', () => {
    // A custom toJson() could return this; cdk8s's YAML writer prints it with an alias.
    const cyclic: Record<string, unknown> = { kind: 'NetworkPolicy', spec: {} };
    (cyclic.spec as Record<string, unknown>).self = cyclic;

    const copy = withSharedShapes(cyclic) as Record<string, any>;

    let level: any = copy;
    // Two levels of nesting per turn: spec, then self.
    for (let i = 0; i <= 50; i++) {
      expect(level).not.toBe(cyclic);
      expect(level.kind).toBe('NetworkPolicy');
      level = level.spec.self;
    }
    expect(level).toBe(cyclic);
  });
});

describe('copyWithSharedShapes: whether kubectl may read it otherwise', () => {
  // The app's objects are walked for what kubectl reads otherwise only where the copy says it may.
  test('a rendering without a key << (values << included) is said to hold none', () => {
    const rendered = { kind: 'Deployment', metadata: { name: 'api', labels: { a: '<<' } }, spec: { containers: [{ name: 'c', args: ['<<'] }] } };
    const { copy, mayBeReadOtherwise } = copyWithSharedShapes(rendered);
    expect(copy).toStrictEqual(rendered);
    expect(mayBeReadOtherwise).toBe(false);
  });

  test('a key << anywhere, in a list item too, is noted', () => {
    expect(copyWithSharedShapes({ '<<': {} }).mayBeReadOtherwise).toBe(true);
    expect(copyWithSharedShapes({ spec: { containers: [{ name: 'a' }, { 'name': 'b', '<<': { privileged: true } }] } }).mayBeReadOtherwise).toBe(true);
  });

  test('a key or text kubectl reads as a number, in a list item too, is noted; text it reads as text is not', () => {
    expect(copyWithSharedShapes({ metadata: { labels: { '0o7': 'a' } } }).mayBeReadOtherwise).toBe(true);
    expect(copyWithSharedShapes({ spec: { ports: [{ port: 80 }, { port: '0X16' }] } }).mayBeReadOtherwise).toBe(true);
    expect(copyWithSharedShapes({ spec: { limits: { cpu: '250m', memory: '512Mi' }, mode: '0777', ports: [{ port: 80 }] } }).mayBeReadOtherwise).toBe(false);
  });

  test('an object kept as it is, not looked into, may hold one', () => {
    class Settings {
      public readonly mode = 'x';
    }
    expect(copyWithSharedShapes({ data: new Settings() }).mayBeReadOtherwise).toBe(true);
    expect(copyWithSharedShapes({ data: Object.assign(Object.create(null), { a: 1 }) }).mayBeReadOtherwise).toBe(true);
    const cyclic: Record<string, unknown> = { kind: 'NetworkPolicy' };
    cyclic.self = cyclic;
    expect(copyWithSharedShapes(cyclic).mayBeReadOtherwise).toBe(true);
  });
});
