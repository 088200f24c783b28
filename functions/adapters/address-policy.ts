/**
 * Which hosts and addresses the fetcher may connect to. Policy URLs come from users, so a URL
 * must never reach the instance metadata service (169.254.169.254), the VPC, or the machine
 * itself: every address is checked after resolution, on every redirect hop, and the socket
 * connects only to the address that was checked (see `http-fetcher.ts`).
 *
 * An allow-list of host names or IPs (tests, the local runner, `--allow-host`) exempts exactly
 * those hosts as written in the URL. It is matched on the URL's host, not on resolved addresses:
 * allowing 127.0.0.1 does not let some other name that resolves to 127.0.0.1 through.
 */
import ipaddr from 'ipaddr.js';
import { FetchError } from './errors.ts';

// NAT64 (RFC 6052) embeds a real IPv4 address: judge it by that address, so IPv6-only
// networks with DNS64 keep working while 64:ff9b::7f00:1 still counts as loopback.
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
// Only global unicast space is routable on the internet; anything outside 2000::/3
// (e.g. IPv4-compatible ::7f00:1, discard-only, reserved) is refused.
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Names the special range an address is in, or returns undefined for a public unicast address.
 * Unparsable input is refused (fail closed).
 */
export function refusedRange(ip: string): string | undefined {
  const literal = stripBrackets(ip);
  if (!ipaddr.isValid(literal)) return 'not an IP address';
  const address = ipaddr.parse(literal);
  if (address.kind() === 'ipv4') {
    const range = address.range();
    return range === 'unicast' ? undefined : range;
  }
  const ipv6 = address as ipaddr.IPv6;
  if (ipv6.isIPv4MappedAddress()) {
    // ::ffff:127.0.0.1 reaches 127.0.0.1 on a dual-stack socket.
    const mapped = refusedRange(ipv6.toIPv4Address().toString());
    return mapped === undefined ? undefined : `IPv4-mapped ${mapped}`;
  }
  if (ipv6.match(NAT64_WELL_KNOWN)) {
    const embedded = ipaddr.fromByteArray(ipv6.toByteArray().slice(12)).toString();
    const inner = refusedRange(embedded);
    return inner === undefined ? undefined : `NAT64 ${inner}`;
  }
  const range = ipv6.range();
  if (range !== 'unicast') return range;
  return ipv6.match(IPV6_GLOBAL_UNICAST) ? undefined : 'reserved';
}

/**
 * True for any address the fetcher must not connect to: loopback, private (RFC 1918, IPv6 ULA
 * fc00::/7), link-local (169.254/16 incl. cloud metadata, fe80::/10), CGNAT 100.64/10,
 * multicast, broadcast, unspecified, reserved/documentation/benchmarking, 6to4 and Teredo
 * (they tunnel to addresses we cannot see), and IPv4-mapped/NAT64 forms of any of those.
 */
export function isRefusedAddress(ip: string): boolean {
  return refusedRange(ip) !== undefined;
}

/** Normalizes allow-list entries: lower case, no brackets, no trailing dot, canonical IPs. */
export function normalizeAllowHosts(allowHosts: readonly string[]): Set<string> {
  return new Set(allowHosts.map(normalizeHost).filter((host) => host !== ''));
}

/** True when the URL host (name or IP literal, as written) is on the allow-list. */
export function isAllowListed(hostname: string, allowHosts: ReadonlySet<string>): boolean {
  return allowHosts.has(normalizeHost(hostname));
}

/**
 * Throws FetchError('refused-address') unless the host may be fetched: an IP literal must be
 * public, a name must not be `localhost` (RFC 6761: always loopback, never sent to DNS), and
 * every resolved address, when given, must be public. Allow-listed hosts pass as they are.
 *
 * IP spellings such as http://2130706433/, http://0177.0.0.1/ and http://0x7f.1/ need no
 * special case: the WHATWG URL parser has already turned them into 127.0.0.1.
 */
export function assertAllowedHost(
  hostname: string,
  allowHosts: ReadonlySet<string>,
  resolvedAddresses?: readonly string[],
): void {
  if (isAllowListed(hostname, allowHosts)) return;
  const host = normalizeHost(hostname);
  if (ipaddr.isValid(host)) {
    const range = refusedRange(host);
    if (range !== undefined) throw new FetchError('refused-address', `${host} is ${range}`);
    return;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new FetchError('refused-address', `${host} is loopback`);
  }
  for (const address of resolvedAddresses ?? []) {
    const range = refusedRange(address);
    if (range !== undefined) throw new FetchError('refused-address', `${host} resolves to ${address} (${range})`);
  }
}

function normalizeHost(host: string): string {
  const bare = stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');
  // Canonical form, so "::1", "[::1]" and "0:0:0:0:0:0:0:1" are one entry. Only plain dotted
  // quads and IPv6 count as literals here; URL hosts are already in that form.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare) || (bare.includes(':') && ipaddr.IPv6.isValid(bare))) {
    return ipaddr.parse(bare).toString();
  }
  return bare;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
