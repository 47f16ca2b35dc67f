import * as kplus from 'cdk8s-plus-27';

/**
 * A container image reference pinned by tag or digest. `latest` and untagged references are
 * refused: they change under a running Deployment, and two nodes may run different code.
 */
export class Image {
  /** Parses and checks a full reference such as `docker.io/library/postgres:17.6` or `repo@sha256:...`. */
  static of(reference: string): Image {
    const digestAt = reference.indexOf('@');
    if (digestAt >= 0) {
      if (!/^sha256:[a-f0-9]{64}$/.test(reference.slice(digestAt + 1))) {
        throw new Error(`Image '${reference}' has a malformed digest. Expected '@sha256:' and 64 hex digits.`);
      }
      return new Image(reference);
    }
    const lastSlash = reference.lastIndexOf('/');
    const tagColon = reference.lastIndexOf(':');
    if (tagColon <= lastSlash) {
      throw new Error(`Image '${reference}' has no tag. Pin a version, e.g. '${reference}:1.2.3'.`);
    }
    checkTag(reference.slice(tagColon + 1), reference);
    return new Image(reference);
  }

  private constructor(
    /** The full reference, as it goes into a pod spec. */
    readonly reference: string,
  ) {}

  toString(): string {
    return this.reference;
  }
}

/** Where our own images live, and which build of them to run. */
export class ImageRegistry {
  /**
   * @param host registry and path prefix, e.g. `ghcr.io/acme/billing` or `localhost:5001`.
   * @param tag the build to run in every image, e.g. a release `0.1.0` or a git SHA.
   */
  constructor(
    readonly host: string,
    readonly tag: string,
  ) {
    if (host === '' || host.endsWith('/')) {
      throw new Error(
        `Registry '${host}' is not valid. Give a host and optional path without a trailing slash, e.g. 'ghcr.io/acme'.`,
      );
    }
    checkTag(tag, `${host}/<image>:${tag}`);
  }

  /** The image `<host>/<name>:<tag>`. */
  image(name: string): Image {
    return Image.of(`${this.host}/${name}:${this.tag}`);
  }
}

function checkTag(tag: string, reference: string): void {
  if (tag.toLowerCase() === 'latest') {
    throw new Error(`Image '${reference}' uses the tag 'latest'. Pin a version instead, e.g. 1.2.3 or a git SHA.`);
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new Error(`Image '${reference}' has an invalid tag '${tag}'. Tags are up to 128 of [A-Za-z0-9_.-].`);
  }
}

/**
 * Third-party images the platform runs, pinned. Each runs as a fixed UID above 10000 that the
 * constructs set (see pod-security.ts), not as the image's own user.
 */
export const PINNED_IMAGES = {
  postgres: Image.of('docker.io/library/postgres:17.6-bookworm'),
  curl: Image.of('docker.io/curlimages/curl:8.11.1'),
  node: Image.of('docker.io/library/node:20.19.5-alpine3.22'),
};

/**
 * IfNotPresent: every image is pinned (ImageRegistry and Image refuse `latest` and untagged
 * references), so a copy on the node is the image asked for. A pod then starts without a
 * registry: images loaded into the node (`kind load docker-image`, `minikube image load`, an
 * air-gapped node), and during a registry outage. The price: the kubelet does not re-check pull
 * credentials for an image already on the node, so on a node shared by namespaces with
 * different registry rights, a pod may run a private image another namespace pulled.
 */
export const IMAGE_PULL_POLICY = kplus.ImagePullPolicy.IF_NOT_PRESENT;
