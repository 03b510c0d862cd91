import { describe, it, expect } from 'vitest';
import { createLineDecoder, decodeCp1252 } from '../../../../electron/engine/process/stream-decoder';

function decodeAll(chunks: Buffer[], opts?: Parameters<typeof createLineDecoder>[1]): { lines: string[]; encoding: string } {
  const lines: string[] = [];
  const decoder = createLineDecoder((line) => lines.push(line), opts);
  for (const chunk of chunks) decoder.write(chunk);
  decoder.end();
  return { lines, encoding: decoder.encoding };
}

/** Splits a buffer into pieces of the given sizes (the rest goes last). */
function pieces(buffer: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(buffer.subarray(at, at + size));
    at += size;
  }
  if (at < buffer.length) out.push(buffer.subarray(at));
  return out;
}

describe('createLineDecoder', () => {
  it('keeps multi-byte characters that are split across chunks', () => {
    const bytes = Buffer.from('café ✓ Ж\n', 'utf8');
    // c a f [C3|A9] ' ' [E2|9C|93] ' ' [D0|96] '\n': cut inside é, twice inside ✓ and inside Ж.
    const { lines, encoding } = decodeAll(pieces(bytes, [4, 2, 1, 1, 3, 1]));
    expect(lines).toEqual(['café ✓ Ж']);
    expect(encoding).toBe('utf-8');
  });

  it('survives every possible split point, one byte at a time', () => {
    const text = 'café ✓ Ж 🐘\nzweite Zeile äöü\n';
    const bytes = Buffer.from(text, 'utf8');
    const oneByOne = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(decodeAll(oneByOne).lines).toEqual(['café ✓ Ж 🐘', 'zweite Zeile äöü']);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(decodeAll(pieces(bytes, [cut])).lines).toEqual(['café ✓ Ж 🐘', 'zweite Zeile äöü']);
    }
  });

  it('falls back to cp1252 once a line is not UTF-8, and keeps that decision', () => {
    const first = Buffer.from('plain ascii\n', 'ascii');
    // “quoted” café in cp1252: 0x93 … 0x94, 0xE9
    const cp1252 = Buffer.from([0x93, 0x71, 0x94, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]);
    // Valid UTF-8 after the switch is still read as cp1252: one stream, one decoding.
    const later = Buffer.from('é\n', 'utf8');
    const { lines, encoding } = decodeAll([first, cp1252, later]);
    expect(lines).toEqual(['plain ascii', '\u201cq\u201d café', 'Ã©']);
    expect(encoding).toBe('cp1252');
  });

  it('decodes the cp1252 high range and Latin-1 elsewhere', () => {
    expect(decodeCp1252(Buffer.from([0x80, 0x85, 0x91, 0x92, 0x96, 0x97, 0x99, 0x9f]))).toBe('€…‘’–—™Ÿ');
    // Unassigned bytes map to C1 controls; 0xA0–0xFF are Latin-1.
    expect(decodeCp1252(Buffer.from([0x81, 0x8d, 0xa0, 0xe9, 0xff]))).toBe('\u0081\u008d\u00a0éÿ');
  });

  it('treats a truncated UTF-8 character at the end of the stream as cp1252', () => {
    const { lines, encoding } = decodeAll([Buffer.from([0x61, 0xc3])]);
    expect(lines).toEqual(['aÃ']);
    expect(encoding).toBe('cp1252');
  });

  it('splits on CRLF, LF and lone CR, also when CRLF is split across chunks', () => {
    const { lines } = decodeAll([Buffer.from('one\r\ntwo\nthree\rfour\r'), Buffer.from('\nfive\r'), Buffer.from('six')]);
    expect(lines).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  });

  it('keeps empty lines and does not invent a last one', () => {
    expect(decodeAll([Buffer.from('a\n\nb\n')]).lines).toEqual(['a', '', 'b']);
    expect(decodeAll([Buffer.from('a\r\n\r\n')]).lines).toEqual(['a', '']);
    expect(decodeAll([]).lines).toEqual([]);
  });

  it('cuts an endless line into pieces without breaking characters', () => {
    const text = 'ж'.repeat(50); // 100 bytes, no newline
    const { lines } = decodeAll([Buffer.from(text, 'utf8')], { maxLineBytes: 15 });
    expect(lines.join('')).toBe(text);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^ж+$/);
  });

  it('ignores writes after end and copies chunks it keeps', () => {
    const lines: string[] = [];
    const decoder = createLineDecoder((line) => lines.push(line));
    const chunk = Buffer.from('abc');
    decoder.write(chunk);
    chunk.fill(0x78); // the caller reuses its buffer
    decoder.end();
    decoder.write(Buffer.from('late\n'));
    expect(lines).toEqual(['abc']);
  });
});
