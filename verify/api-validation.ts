// The string rules of k8s.io/apimachinery/pkg/util/validation (1.27), which the API server applies
// to names, labels and ports. Each returns the API server's own wording, or nothing when valid.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

export function dns1123Label(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (is ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return `must be no more than 253 characters (is ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export function dns1035Label(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (is ${value.length})`;
  if (!DNS1035_LABEL.test(value)) {
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  }
  return undefined;
}

/** RBAC object names and a few others: anything that is a valid URL path segment. */
export function pathSegmentName(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function qualifiedName(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2)
    return "a qualified name must consist of an optional DNS subdomain prefix and a name, separated by one '/'";
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const prefixError = dns1123Subdomain(prefix);
    if (prefixError) return `prefix part ${prefixError}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return `name part must be no more than 63 characters (is ${name.length})`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export function labelValue(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (is ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Container port names and named target ports (RFC 6335 service names). */
export function ianaSvcName(value: string): string | undefined {
  if (value.length > 15) return `must be no more than 15 characters (is ${value.length})`;
  if (!IANA_SVC_NAME.test(value)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (value.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(value)) return 'must contain at least one letter (a-z)';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

export function portNumber(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 65535) return 'must be between 1 and 65535, inclusive';
  return undefined;
}

export function envVarName(value: string): string | undefined {
  if (!ENV_VAR_NAME.test(value)) {
    return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
  }
  return undefined;
}

/** Keys of ConfigMap and Secret data. */
export function configMapKey(value: string): string | undefined {
  if (value.length > 253) return `must be no more than 253 characters (is ${value.length})`;
  if (!CONFIG_MAP_KEY.test(value)) return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
  if (value === '.' || value === '..' || value.startsWith('..')) return "must not be '.' or '..' or start with '..'";
  return undefined;
}
