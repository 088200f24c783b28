/**
 * From the bytes of a response to its text: Content-Encoding undone (gzip, deflate, br) under a
 * cap on the inflated size, then the character encoding picked the way browsers pick it.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { FetchError } from './errors.ts';

/** The codings of a Content-Encoding header, in the order they were applied. */
export function contentEncodings(header: string | undefined): string[] {
  return (header ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity');
}

/** Real servers apply one coding; two is already unusual. */
const MAX_CONTENT_ENCODINGS = 2;
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * Undoes Content-Encoding (applied in order, so undone in reverse), each step capped by
 * zlib's maxOutputLength, which stops inflating as soon as the cap is passed: a 10 KB
 * gzip of 10 GB of zeros costs 10 MB, not 10 GB. `partial` accepts a cut-off stream.
 */
export async function decompress(data: Buffer, encodings: readonly string[], maxOutput: number, url: string, { partial = false } = {}): Promise<Buffer> {
  // Each layer is capped, but not their number: 200 nested gzips would cost 200 capped inflates.
  if (encodings.length > MAX_CONTENT_ENCODINGS) {
    throw new FetchError('bad-encoding', `${encodings.length} stacked Content-Encodings (at most ${MAX_CONTENT_ENCODINGS}) at ${url}`, { url });
  }
  let current = data;
  for (const encoding of [...encodings].reverse()) {
    const flush = partial ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {};
    const options = { maxOutputLength: maxOutput, ...flush };
    try {
      switch (encoding) {
        case 'gzip':
        case 'x-gzip':
          current = await gunzip(current, options);
          break;
        case 'deflate':
          // "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate.
          current = isZlibHeader(current) ? await inflate(current, options) : await inflateRaw(current, options);
          break;
        case 'br':
          current = await brotliDecompress(current, {
            maxOutputLength: maxOutput,
            ...(partial ? { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH } : {}),
          });
          break;
        default:
          throw new FetchError('bad-encoding', `unsupported Content-Encoding ${encoding} at ${url}`, { url });
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FetchError('decompression-bomb', `${encoding} body inflates past ${maxOutput} bytes (${data.length} bytes compressed) at ${url}`, { url, cause: error });
      }
      if (code === 'Z_BUF_ERROR') throw new FetchError('truncated', `${encoding} stream ends early at ${url}`, { url, cause: error });
      throw new FetchError('bad-encoding', `corrupt ${encoding} body at ${url}`, { url, cause: error });
    }
  }
  return current;
}

function isZlibHeader(data: Buffer): boolean {
  const [cmf, flg] = data;
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

// windows-1252's 0x80–0x9F (where it differs from ISO-8859-1), decoded by hand: some Node
// releases decode the "windows-1252" label as plain latin1 (C1 controls instead of ’ “ € …).
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Decodes a body the way browsers pick the encoding: a BOM wins (UTF-8, UTF-16LE/BE), then the
 * Content-Type charset, then a <meta charset>/<meta http-equiv> or XML declaration in the first
 * 4 KiB, then UTF-8 if the bytes are valid UTF-8, else windows-1252. Labels follow the WHATWG
 * Encoding Standard (so "iso-8859-1" and "ascii" mean windows-1252, as in every browser).
 */
export function decodeBody(body: Uint8Array, contentType: string): string {
  const bom = bomEncoding(body);
  if (bom !== undefined) return new TextDecoder(bom).decode(body);
  const label = charsetParam(contentType) ?? declaredCharset(body);
  const encoding = label === undefined ? undefined : supportedEncoding(label);
  if (encoding !== undefined) return decodeAs(body, encoding);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeAs(body, 'windows-1252');
  }
}

function decodeAs(body: Uint8Array, encoding: string): string {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding).decode(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}

function bomEncoding(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function charsetParam(contentType: string): string | undefined {
  return /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType)?.[1];
}

function declaredCharset(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 4096)).toString('latin1');
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  const label = meta ?? /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  // A UTF-16 label found by reading the bytes as ASCII cannot be right (WHATWG prescan rule).
  return label !== undefined && /^utf-16/i.test(label) ? 'utf-8' : label;
}

/** The WHATWG name for a label, or undefined when this runtime cannot decode it. */
function supportedEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}
