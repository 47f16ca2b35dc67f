import { readFileSync } from 'node:fs';
import type { Check, Violation } from '../check.js';
import type { K8sObject } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';
import { parseManifests, refOf } from '../manifest.js';
import type { Report } from '../verify.js';
import { verify } from '../verify.js';

const FIXTURE = new URL('./platform.yaml', import.meta.url);

/** A path into an object: `spec.template.spec.containers[0].image`, `metadata.labels["a.b/c"]`. */
function tokens(path: string): (string | number)[] {
  return [...path.matchAll(/\["([^"]+)"\]|\[(\d+)\]|([^.[\]]+)/g)].map(([, quoted, index, plain]) =>
    index !== undefined ? Number(index) : (quoted ?? plain!),
  );
}

type Node = Record<string | number, unknown>;

/**
 * The fixture platform (verify/testing/platform.yaml, which passes every check), freshly
 * parsed, with small editing helpers so that each test breaks exactly one thing.
 */
export class Platform {
  private objects: K8sObject[];

  constructor(text = readFileSync(FIXTURE, 'utf8')) {
    this.objects = parseManifests(text, 'platform.yaml').map(({ object }) => object);
  }

  /** The object `Kind namespace/name` (or `Kind name` when cluster-scoped), to edit in place. */
  object(ref: string): K8sObject {
    const object = this.objects.find((candidate) => refOf(candidate) === ref);
    if (!object) throw new Error(`No ${ref} in the fixture.`);
    return object;
  }

  /** Sets a field, creating the objects on the way. */
  set(ref: string, path: string, value: unknown): this {
    const keys = tokens(path);
    let node = this.object(ref) as unknown as Node;
    keys.slice(0, -1).forEach((key, index) => {
      node[key] ??= typeof keys[index + 1] === 'number' ? [] : {};
      node = node[key] as Node;
    });
    node[keys.at(-1)!] = value;
    return this;
  }

  /** Reads a field. */
  get(ref: string, path: string): unknown {
    return tokens(path).reduce<unknown>((node, key) => (node as Node | undefined)?.[key], this.object(ref));
  }

  /** Removes a field (or an array element). */
  remove(ref: string, path: string): this {
    const keys = tokens(path);
    const parent = this.get(
      ref,
      keys
        .slice(0, -1)
        .map((key) => (typeof key === 'number' ? `[${key}]` : `["${key}"]`))
        .join(''),
    );
    const last = keys.at(-1)!;
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete (parent as Node)[last];
    return this;
  }

  /** Appends objects given as YAML. */
  add(yaml: string): this {
    this.objects.push(...parseManifests(yaml, 'added.yaml').map(({ object }) => object));
    return this;
  }

  /** Removes an object. */
  drop(ref: string): this {
    this.objects = this.objects.filter((object) => object !== this.object(ref));
    return this;
  }

  /** Moves an object to the end, as if it came last in `kubectl apply` order. */
  moveToEnd(ref: string): this {
    const object = this.object(ref);
    this.objects = [...this.objects.filter((candidate) => candidate !== object), object];
    return this;
  }

  manifests(): Manifest[] {
    return this.objects.map((object, order) => ({ object, source: `platform.yaml#${order}`, order }));
  }

  verify(checks?: readonly Check[]): Report {
    return verify(this.manifests(), checks);
  }

  /** Violations of one check (or of all). */
  violations(check?: string): Violation[] {
    return this.verify().violations.filter((violation) => check === undefined || violation.check === check);
  }
}
