/**
 * Reads a CLI input (file path or URL) into a parsed policy version. URLs go through the same
 * safe fetcher and page checks as the Lambdas, so a refused address or a challenge page is an
 * error, never a diff.
 */
import { readFile } from 'node:fs/promises';
import { readPolicy, type PolicyVersion } from '../core/engine.ts';
import { assessPage } from '../core/page-validity.ts';
import { sniffFormat } from '../core/parse.ts';
import type { InputFormat } from '../core/types.ts';
import { HttpPolicyFetcher } from '../adapters/http-fetcher.ts';

/** An error the CLI reports as one line, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export interface InputOptions {
  format?: InputFormat;
  allowHosts: string[];
}

function formatFromContentType(contentType: string): InputFormat | undefined {
  if (/html/i.test(contentType)) return 'html';
  if (/markdown/i.test(contentType)) return 'markdown';
  return undefined;
}

async function readSource(source: string, options: InputOptions): Promise<{ text: string; format: InputFormat }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    const fetcher = new HttpPolicyFetcher({ allowHosts: options.allowHosts, respectRobots: false });
    const outcome = await fetcher.fetch({ url: source });
    if (outcome.status !== 'ok') throw new CliError(`${source}: unexpected not-modified answer`);
    const verdict = assessPage(outcome.text, outcome.contentType);
    if (!verdict.ok) throw new CliError(`${source}: ${verdict.reason}${verdict.detail ? ` (${verdict.detail})` : ''}`);
    return { text: outcome.text, format: options.format ?? formatFromContentType(outcome.contentType) ?? sniffFormat(outcome.text, new URL(outcome.url).pathname) };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`cannot read ${source}: ${why}`);
  }
  if (bytes.includes(0)) throw new CliError(`${source} is a binary file, not a policy text`);
  const text = bytes.toString('utf8');
  return { text, format: options.format ?? sniffFormat(text, source) };
}

/** Reads, parses and segments one input; an input with no policy text is an error. */
export async function loadPolicy(source: string, options: InputOptions): Promise<PolicyVersion> {
  const { text, format } = await readSource(source, options);
  if (!text.trim()) throw new CliError(`${source} is empty`);
  let version: PolicyVersion;
  try {
    version = readPolicy(text, { format });
  } catch (error) {
    throw new CliError(`${source}: ${(error as Error).message}`);
  }
  if (!version.sections.some((s) => s.text.trim())) throw new CliError(`${source} contains no policy text`);
  return version;
}
