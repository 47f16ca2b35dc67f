import { Construct, type IConstruct } from 'constructs';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The recipe for one value of a generated Secret. Only recipes reach `dist/`, never values. */
export class SecretValue {
  /** `bytes` random bytes, hex-encoded (so safe inside URLs). */
  static random(bytes = 32): SecretValue {
    if (!Number.isInteger(bytes) || bytes < 16) {
      throw new Error(`A random secret of ${bytes} bytes is too weak. Use at least 16 bytes.`);
    }
    return new SecretValue({ random: bytes });
  }

  /** A fixed, non-secret value such as a database user name. */
  static literal(value: string): SecretValue {
    return new SecretValue({ literal: value });
  }

  /** Other keys of the same Secret, inserted verbatim, e.g. `postgres://{POSTGRES_USER}:{POSTGRES_PASSWORD}@db/app`. */
  static template(template: string): SecretValue {
    return new SecretValue({ template });
  }

  private constructor(readonly recipe: SecretRecipe) {}

  /** The keys a template refers to (none for other values). */
  get references(): string[] {
    return 'template' in this.recipe
      ? [...this.recipe.template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '')
      : [];
  }
}

/** How the bootstrap job makes a value. */
export type SecretRecipe = { random: number } | { literal: string } | { template: string };

/** A reference to one key of a Secret, as a container's `secretKeyRef`. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly secret: string;
  /** The key within it. */
  readonly key: string;
}

/** Properties of a GeneratedSecret. */
export interface GeneratedSecretProps {
  /** The Secret's name. */
  readonly name: string;
  /** The namespaces that hold a copy; every copy has the same values. */
  readonly namespaces: string[];
  /** The keys and how each value is made. */
  readonly keys: Record<string, SecretValue>;
}

/** What the SecretBootstrap job reads for one Secret. */
export interface GeneratedSecretSpec {
  readonly name: string;
  readonly namespaces: string[];
  readonly keys: Record<string, SecretRecipe>;
}

/**
 * A Secret the platform creates in the cluster on first apply, with generated values, and
 * never overwrites. It synthesizes nothing itself: the SecretBootstrap in the same app
 * collects every GeneratedSecret and creates the missing ones from inside the cluster, so
 * `dist/` holds no secret value.
 */
export class GeneratedSecret extends Construct {
  /** Whether a construct is a GeneratedSecret. */
  static isGeneratedSecret(x: IConstruct): x is GeneratedSecret {
    return x instanceof GeneratedSecret;
  }

  /** The Secret's name. */
  readonly name: string;
  /** The namespaces that hold a copy. */
  readonly namespaces: string[];
  private readonly keys: Record<string, SecretValue>;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    if (props.namespaces.length === 0) {
      throw new Error(`Secret '${props.name}' has no namespace. Name at least one namespace that holds it.`);
    }
    for (const [key, value] of Object.entries(props.keys)) {
      if (!ENV_NAME.test(key)) {
        throw new Error(
          `Secret '${props.name}' has the key '${key}'. Use an environment variable name, e.g. API_TOKEN.`,
        );
      }
      for (const reference of value.references) {
        const target = props.keys[reference];
        if (target === undefined || 'template' in target.recipe) {
          throw new Error(
            `Secret '${props.name}': ${key} refers to {${reference}}, which is not a random or literal key of the same Secret.`,
          );
        }
      }
    }
    this.name = props.name;
    this.namespaces = [...props.namespaces];
    this.keys = props.keys;
  }

  /** Copies the Secret into another namespace too (same values), e.g. a caller's that sends the token. */
  shareWith(namespace: string): void {
    if (!this.namespaces.includes(namespace)) this.namespaces.push(namespace);
  }

  /** A reference to one of this Secret's keys. */
  ref(key: string): SecretKeyRef {
    if (!(key in this.keys)) {
      throw new Error(`Secret '${this.name}' has no key '${key}'. Its keys are: ${Object.keys(this.keys).join(', ')}.`);
    }
    return { secret: this.name, key };
  }

  /** The recipe the bootstrap job follows. */
  toSpec(): GeneratedSecretSpec {
    const keys = Object.fromEntries(Object.entries(this.keys).map(([key, value]) => [key, value.recipe]));
    return { name: this.name, namespaces: this.namespaces, keys };
  }
}
