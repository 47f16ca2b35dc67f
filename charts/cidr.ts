import { BlockList, isIP } from 'node:net';

/** A parsed CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

// CIDR blocks: parsed once here for the constructs (which refuse a bad one with the fix) and for
// `npm run verify` (which checks policies' ipBlocks and matches addresses against them).

/** Parses a CIDR; an error message (with the fix) when it is not one. */
export function parseCidr(value: string): Cidr | string {
  const [address, prefixText, ...rest] = value.split('/');
  if (prefixText === undefined)
    return `"${value}": CIDR mask is missing. Did you mean ${value}/${isIP(value) === 6 ? 128 : 32}?`;
  const version = isIP(address ?? '');
  const prefix = Number(prefixText);
  const max = version === 6 ? 128 : 32;
  if (rest.length > 0 || version === 0 || !/^\d+$/.test(prefixText) || prefix > max)
    return `"${value}" is not an IPv4 or IPv6 CIDR. Write it as an address and a mask, e.g. 10.0.0.0/16.`;
  return { address: address!, prefix, family: version === 6 ? 'ipv6' : 'ipv4' };
}

/** Whether an address lies in a CIDR block. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (family !== cidr.family) return false;
  const list = new BlockList();
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return list.check(address, family);
}

/** Whether `inner` lies wholly within `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix >= outer.prefix && cidrContains(outer, inner.address);
}

/** Checks a CIDR and returns it, or throws an error that says how to fix it (host bits included). */
export function checkCidr(value: string): string {
  const cidr = parseCidr(value);
  if (typeof cidr === 'string') throw new Error(cidr);
  if (cidr.family === 'ipv4') {
    const octets = cidr.address.split('.').map(Number);
    const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
    const size = 2 ** (32 - cidr.prefix);
    const network = address - (address % size);
    if (network !== address) {
      const fixed = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
      throw new Error(`CIDR ${value} has host bits set. Did you mean ${fixed}/${cidr.prefix}?`);
    }
  }
  return value;
}
