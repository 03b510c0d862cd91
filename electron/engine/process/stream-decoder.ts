/**
 * Turns a child's raw output bytes into lines, on Windows as well as elsewhere.
 *
 * Lines are cut at the byte level before any decoding: `\n` and `\r` never occur
 * inside a multi-byte UTF-8 character (nor in a single-byte code page), so a
 * character split across two chunks is always whole by the time its line is
 * decoded. Python is told to write UTF-8 (PYTHONUTF8), but Windows tools and
 * older interpreters still write the ANSI code page; the first line that is not
 * valid UTF-8 switches the stream to cp1252 for good, so one stream never mixes
 * two decodings of the same bytes.
 */
export interface LineDecoderOptions {
  /** Code page for streams that turn out not to be UTF-8. */
  fallback?: 'cp1252';
  /**
   * A line longer than this many bytes is emitted in pieces, so a child that
   * never writes a newline cannot grow our buffer without bound.
   */
  maxLineBytes?: number;
}

export interface LineDecoder {
  write(chunk: Buffer): void;
  /** Emits the last, unterminated line (if any). Further writes are ignored. */
  end(): void;
  /** The encoding the stream is being decoded with (it changes at most once). */
  readonly encoding: 'utf-8' | 'cp1252';
}

const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** cp1252's differences from Latin-1, bytes 0x80–0x9F; the five unassigned bytes map to the C1 control of the same number, as WHATWG does. */
const CP1252_HIGH: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Decodes bytes as Windows-1252. */
export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    out += String.fromCharCode(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : byte);
  }
  return out;
}

export function createLineDecoder(onLine: (line: string) => void, opts: LineDecoderOptions = {}): LineDecoder {
  const maxLineBytes = Math.max(4, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  // fatal: invalid input throws instead of becoming U+FFFD, which is how we notice a non-UTF-8 stream.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let encoding: 'utf-8' | 'cp1252' = 'utf-8';
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // A CR ends a line at once; an LF right after it (possibly in the next chunk) belongs to it.
  let swallowLf = false;
  let ended = false;

  const decode = (bytes: Buffer): string => {
    if (encoding === 'utf-8') {
      try {
        return utf8.decode(bytes);
      } catch {
        encoding = opts.fallback ?? 'cp1252';
      }
    }
    return decodeCp1252(bytes);
  };

  const take = (): Buffer => {
    const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return bytes;
  };

  const emit = (bytes: Buffer): void => {
    onLine(decode(bytes));
  };

  const append = (piece: Buffer): void => {
    if (piece.length === 0) return;
    pending.push(piece);
    pendingBytes += piece.length;
    // An over-long line is cut, but never inside a UTF-8 character.
    while (pendingBytes > maxLineBytes) {
      const bytes = take();
      const cut = encoding === 'utf-8' ? utf8Boundary(bytes, maxLineBytes) : maxLineBytes;
      emit(bytes.subarray(0, cut));
      const rest = bytes.subarray(cut);
      if (rest.length) {
        pending.push(rest);
        pendingBytes = rest.length;
      }
    }
  };

  return {
    get encoding() {
      return encoding;
    },
    write(chunk: Buffer): void {
      if (ended || chunk.length === 0) return;
      let start = 0;
      if (swallowLf && chunk[0] === LF) start = 1;
      swallowLf = false;
      for (let i = start; i < chunk.length; i += 1) {
        const byte = chunk[i];
        if (byte !== LF && byte !== CR) continue;
        append(chunk.subarray(start, i));
        emit(take());
        if (byte === CR) {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === LF) i += 1;
          } else {
            swallowLf = true;
          }
        }
        start = i + 1;
      }
      // Copied: the caller may reuse the chunk's memory once write returns.
      if (start < chunk.length) append(Buffer.from(chunk.subarray(start)));
    },
    end(): void {
      if (ended) return;
      ended = true;
      if (pendingBytes > 0) emit(take());
    },
  };
}

/**
 * The largest index ≤ limit at which a UTF-8 character starts, so cutting there
 * leaves whole characters on both sides (limit itself when the bytes are not
 * UTF-8-shaped there).
 */
function utf8Boundary(bytes: Buffer, limit: number): number {
  for (let back = 0; back < 4 && limit - back > 0; back += 1) {
    // 10xxxxxx is a continuation byte: a character does not start here.
    if ((bytes[limit - back] & 0xc0) !== 0x80) return limit - back;
  }
  return limit;
}
