// Hostile inputs at the CLI's edge: huge files, huge standard input, huge names, huge single-line policies.
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { limits } from '@claimc/model';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

interface JsonReport {
  files: { file: string; diagnostics: { code: string; severity: string; line: number; column: number; pointer: string; message: string }[] }[];
}

const dir = mkdtempSync(join(tmpdir(), 'claimc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], stdin?: AsyncIterable<Uint8Array>) {
  const io = { ...recordingIO({ cwd: dir }), ...(stdin !== undefined ? { stdin } : {}) };
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** Counts the bytes read through every FileHandle while `body` runs. */
async function countingReads<T>(body: () => Promise<T>): Promise<{ result: T; bytesRead: number }> {
  const probe = await open(join(dir, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> };
  await probe.close();
  const original = prototype.read;
  let bytesRead = 0;
  const spy = vi.spyOn(prototype, 'read').mockImplementation(async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    bytesRead += result.bytesRead;
    return result;
  });
  try {
    return { result: await body(), bytesRead };
  } finally {
    spy.mockRestore();
  }
}

describe('input size limits', () => {
  it('a 50 MB (sparse) file is refused with CM0050 and exit 2 without reading a byte of it', async () => {
    const huge = join(dir, 'huge.json');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const { result, bytesRead } = await countingReads(() => run(['check', 'huge.json', '--format', 'json']));
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as JsonReport;
    expect(report.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'CM0050', severity: 'error', line: 1, column: 1, pointer: '' })]);
    expect(report.files[0]!.diagnostics[0]!.message).toContain(String(50 * 1024 * 1024));
    expect(bytesRead).toBe(0);
  });

  it('a file one byte over the limit is refused; one at the limit is read', async () => {
    writeFileSync(join(dir, 'over.json'), ' '.repeat(limits.policyBytes + 1));
    writeFileSync(join(dir, 'at.json'), ' '.repeat(limits.policyBytes));
    expect((await run(['check', 'over.json'])).out).toContain('error CM0050');
    const at = await run(['check', 'at.json', '--format', 'json']);
    expect((JSON.parse(at.out) as JsonReport).files[0]!.diagnostics.map((d) => d.code)).not.toContain('CM0050');
  });

  it('a device without a size (/dev/zero) is read only one byte past the limit', async () => {
    const { result, bytesRead } = await countingReads(() => run(['check', '/dev/zero']));
    expect(result.code).toBe(2);
    expect(result.out).toContain(`error CM0050 The file is more than ${limits.policyBytes} bytes`);
    expect(bytesRead).toBe(limits.policyBytes + 1);
  });

  it('standard input (-) stops being read at the limit: CM0051, exit 2, the rest of the stream never pulled', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = Readable.from((function* () {
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield chunk;
      }
    })());
    const { code, out } = await run(['check', '-', '--format', 'json'], endless);
    expect(code).toBe(2);
    expect((JSON.parse(out) as JsonReport).files[0]).toMatchObject({ file: '<stdin>', diagnostics: [{ code: 'CM0051' }] });
    expect(pulled).toBeLessThan(limits.policyBytes / chunk.length + 4);
  });

  it('commands that write back to their files never read standard input for -', async () => {
    let pulled = 0;
    const stdin = Readable.from((function* () {
      pulled++;
      yield Buffer.from('policy Demo { }');
    })());
    const { code, err } = await run(['fmt', '-'], stdin);
    expect(code).toBe(2);
    expect(err).toContain('-: no such file');
    expect(pulled).toBe(0);
  });

  it('standard input within the limit is checked like a file', async () => {
    const { code, out } = await run(['check', '-'], Readable.from([Buffer.from('{"ClaimsMappingPolicy":{"Version":2}}')]));
    expect(code).toBe(1);
    expect(out).toMatch(/^<stdin>:1:\d+: error CM\d{4}/);
  });
});

describe('huge names and single-line policies', () => {
  it('a 900 KB claim name is never echoed in full, in text or JSON', async () => {
    const name = 'n'.repeat(900 * 1024);
    writeFileSync(join(dir, 'name.json'), JSON.stringify({ ClaimsMappingPolicy: { Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: name + '!' }] } }));
    const text = await run(['check', 'name.json']);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^name\.json:1:\d+: error CM4104 JWT claim name "n+…n+!" is malformed/);
    // every diagnostic that names it (the malformed name, the token-size bound's largest claim) shows a bounded excerpt
    expect(text.out).not.toMatch(/n{1000}/);
    expect(text.out.length).toBeLessThan(4_000);
    const json = await run(['check', 'name.json', '--format', 'json']);
    expect(json.out).not.toMatch(/n{1000}/);
    expect(json.out.length).toBeLessThan(4_000);
  });

  it('a 12,000-entry single-line Graph body renders as text with 50 code frames and output linear in the entries', async () => {
    const schema = Array.from({ length: 12_000 }, (_, i) => ({ Source: 'user', ID: 'employeeid', JwtClaimType: `c${i}` }));
    const body = JSON.stringify({ displayName: 'big', definition: [JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema } })] });
    expect(body.length).toBeLessThan(limits.policyBytes);
    writeFileSync(join(dir, 'graph.json'), body);
    const { code, out } = await run(['check', 'graph.json']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('graph.json:1:') && l.includes('warning CM4007'))).toHaveLength(11_950);
    expect(lines.filter((l) => l.startsWith(' 1 | '))).toHaveLength(50);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(250);
    expect(out.length / 11_950).toBeLessThan(120);
    expect(out).toContain('graph.json: 11900 more diagnostics shown on one line each');
  }, 60_000);
});
