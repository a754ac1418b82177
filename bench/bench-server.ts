// A MISP API server in its own process, as a real MISP would be: it serves BENCH_ATTRIBUTES
// ip-dst attributes (IPv4 from the RFC 2544 benchmarking range 198.18.0.0/15, then IPv6 from
// 2001:db8::/32) over 100 events, and prints its URL on stdout once listening.
import { startMispApiServer } from '../test/support/misp-api-server.js';
import { wireAttribute, wireEvent, type MispWireEvent } from '../test/support/misp-fixtures.js';

const count = Number(process.argv[2] ?? 1_000_000);
const apiKey = process.argv[3] ?? 'bench-key';
const events: MispWireEvent[] = Array.from({ length: 100 }, (_, n) => wireEvent(n + 1));
const IPV4_SPAN = 131_072;

function benchValue(index: number): string {
  if (index < IPV4_SPAN)
    return `198.${18 + (index >>> 16)}.${(index >>> 8) & 0xff}.${index & 0xff}`;
  const n = index - IPV4_SPAN;
  return `2001:db8:${(n >>> 16).toString(16)}::${(n & 0xffff).toString(16)}`;
}

const server = await startMispApiServer({
  apiKey,
  provider: {
    count,
    at: (index) =>
      wireAttribute(index + 1, events[index % events.length] as MispWireEvent, {
        value: benchValue(index),
      }),
  },
});
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
