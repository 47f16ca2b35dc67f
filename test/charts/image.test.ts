import { describe, expect, it } from 'vitest';
import {
  environmentObjects,
  Image,
  ImageRegistry,
  PINNED_IMAGES,
  podSpec,
  synthesizeAll,
  WORKLOAD_KINDS,
  type Manifest,
} from '../../charts/index.js';

describe('Image', () => {
  it('accepts a tag or a digest', () => {
    expect(Image.of('docker.io/library/postgres:17.6').reference).toBe('docker.io/library/postgres:17.6');
    const digest = `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`;
    expect(Image.of(digest).toString()).toBe(digest);
    expect(Image.of('localhost:5001/invoice-app:0.1.0').reference).toBe('localhost:5001/invoice-app:0.1.0');
  });

  it('refuses latest, a missing tag (a registry port is not a tag) and a malformed digest, and says what to do', () => {
    expect(() => Image.of('postgres:latest')).toThrow(/uses the tag 'latest'. Pin a version/);
    expect(() => Image.of('postgres:LATEST')).toThrow(/'latest'/);
    expect(() => Image.of('postgres')).toThrow("Image 'postgres' has no tag. Pin a version, e.g. 'postgres:1.2.3'.");
    expect(() => Image.of('localhost:5001/invoice-app')).toThrow(/has no tag/);
    expect(() => Image.of('app@sha256:123')).toThrow(/malformed digest/);
    expect(() => Image.of('app:bad/tag')).toThrow(/has no tag/);
    expect(() => Image.of('app:-x')).toThrow(/invalid tag '-x'/);
  });

  it('pins every third-party image', () => {
    for (const image of Object.values(PINNED_IMAGES)) {
      expect(image.reference).toMatch(/:[0-9][\w.-]*$/);
    }
  });
});

describe('ImageRegistry', () => {
  it('names our images <host>/<name>:<tag>', () => {
    expect(new ImageRegistry('ghcr.io/acme', '1f2e3d4').image('invoice-app').reference).toBe(
      'ghcr.io/acme/invoice-app:1f2e3d4',
    );
  });

  it('refuses latest and a malformed host', () => {
    expect(() => new ImageRegistry('ghcr.io/acme', 'latest')).toThrow(/'latest'/);
    expect(() => new ImageRegistry('ghcr.io/acme/', '1.0.0')).toThrow(/without a trailing slash/);
    expect(() => new ImageRegistry('', '1.0.0')).toThrow(/not valid/);
  });
});

describe('pull policy', () => {
  it('pulls every pinned image IfNotPresent in every environment, so a node that has it needs no registry', () => {
    const files = synthesizeAll();
    for (const folder of ['.', 'prod']) {
      const containers = environmentObjects(files, folder)
        .filter((object) => WORKLOAD_KINDS.includes(object.kind))
        .flatMap((workload) => podSpec(workload).containers as Manifest[]);
      expect(containers.length, folder).toBeGreaterThan(0);
      for (const container of containers) {
        expect(container.imagePullPolicy, `${folder}: ${container.image}`).toBe('IfNotPresent');
        expect(() => Image.of(container.image)).not.toThrow();
      }
    }
  });
});
