import { createHash } from 'node:crypto';
import type { RenderContext } from './renderer.js';

const PREFIX = 'iocrelay';
const HASH_LENGTH = 8;

/**
 * The name a device gives a list (nftables set, ipset, iptables chain, RouterOS address list):
 * `iocrelay_<tenant>_<list>`, lowercase letters, digits and `_` only, so one rule fits every
 * tool's identifier grammar. A name longer than `maxLength` keeps its start and ends in 8 hex
 * digits of a SHA-256 of `tenant/list`, so two long names stay apart and the same list always
 * gets the same name.
 *
 * Limit: lists whose names differ only in case or in `.`, `-`, `_` (e.g. `ip.txt` and `ip-txt`)
 * map to the same device name.
 *
 * @example
 * deviceName({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 }, 24); // 'iocrelay_acme_ip_txt'
 */
export function deviceName(context: RenderContext, maxLength: number): string {
  const name = `${PREFIX}_${sanitise(context.tenant)}_${sanitise(context.list)}`;
  if (name.length <= maxLength) return name;

  const hash = createHash('sha256')
    .update(`${context.tenant}/${context.list}`)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const head = name.slice(0, maxLength - HASH_LENGTH - 1).replace(/_+$/, '');
  return `${head}_${hash}`;
}

function sanitise(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
