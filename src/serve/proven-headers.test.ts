import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createProvenHeaders } from './proven-headers.js';

describe('createProvenHeaders', () => {
  const caller = { tenant: 'acme', device: 'token#1' };
  const header = 'Bearer acme-token-0000000000000001';

  it('finds a proven header on its own connection only, and only the same header', () => {
    const proven = createProvenHeaders();
    const socket = new Socket();
    const other = new Socket();
    proven.set(socket, { header, caller, scheme: 'bearer' });

    expect(proven.get(socket, header)).toEqual({ header, caller, scheme: 'bearer' });
    expect(proven.get(other, header)).toBeUndefined();
    expect(proven.get(socket, `${header.slice(0, -1)}2`)).toBeUndefined();
    expect(proven.get(socket, `${header}1`)).toBeUndefined();
    expect(proven.get(socket, header.slice(0, -1))).toBeUndefined();
    expect(proven.get(socket, '')).toBeUndefined();
  });

  it('keeps the last header a connection proved', () => {
    const proven = createProvenHeaders();
    const socket = new Socket();
    const globex = { tenant: 'globex', device: 'fw-globex' };
    proven.set(socket, { header, caller, scheme: 'bearer' });
    proven.set(socket, { header: 'Basic Zm9vOmJhcg==', caller: globex, scheme: 'basic' });

    expect(proven.get(socket, header)).toBeUndefined();
    expect(proven.get(socket, 'Basic Zm9vOmJhcg==')?.caller).toEqual(globex);
  });
});
