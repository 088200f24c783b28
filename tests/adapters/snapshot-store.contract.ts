/**
 * The SnapshotStore contract: every implementation (S3, in-memory) runs this one suite.
 * `objectKeys` lists what the backing store holds, to prove that an unchanged put writes nothing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NormalizedSnapshot, SnapshotStore } from '../../functions/core/ports.ts';
import { StoreInputError } from '../../functions/adapters/store-errors.ts';

export interface SnapshotStoreFixture {
  store: SnapshotStore;
  /** Every object key the store holds, sorted. */
  objectKeys(): Promise<string[]>;
}

export type SnapshotStoreFactory = () => Promise<SnapshotStoreFixture>;

function sha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

const HTML = new TextEncoder().encode('<h1>Privacy</h1><p>We keep logs for 30 days.</p>');
const HTML_ID = sha256(HTML);

const NORMALIZED: NormalizedSnapshot = {
  document: {
    title: 'Privacy',
    effectiveDate: '2024-05-01',
    blocks: [
      { kind: 'heading', text: 'Privacy', level: 1 },
      { kind: 'paragraph', text: 'We keep logs for 30 days.' },
    ],
  },
  sections: [{ id: 'privacy', path: ['Privacy'], heading: 'Privacy', level: 1, text: 'We keep logs for 30 days.', hash: 'h1' }],
};

export function runSnapshotStoreContract(name: string, createFixture: SnapshotStoreFactory): void {
  describe(`${name} (SnapshotStore contract)`, () => {
    it('stores a raw body under raw/{policyId}/{sha256} and reads it back with its content type', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      // Act
      const put = await store.putRaw('imvu-privacy', HTML_ID, HTML, 'text/html; charset=utf-8');
      const read = await store.getRaw('imvu-privacy', HTML_ID);
      // Assess
      expect(put).toEqual({ key: `raw/imvu-privacy/${HTML_ID}`, written: true });
      expect(read).toEqual({ body: new Uint8Array(HTML), contentType: 'text/html; charset=utf-8' });
      expect(await objectKeys()).toEqual([`raw/imvu-privacy/${HTML_ID}`]);
    });

    it('writes nothing when the same raw body is put again', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      await store.putRaw('imvu-privacy', HTML_ID, HTML, 'text/html; charset=utf-8');
      // Act
      const again = await store.putRaw('imvu-privacy', HTML_ID, HTML, 'text/plain');
      // Assess
      expect(again).toEqual({ key: `raw/imvu-privacy/${HTML_ID}`, written: false });
      expect(await objectKeys()).toEqual([`raw/imvu-privacy/${HTML_ID}`]);
      expect((await store.getRaw('imvu-privacy', HTML_ID))?.contentType).toBe('text/html; charset=utf-8');
    });

    it('keeps the bytes of a binary body exactly', async () => {
      // Prepare
      const { store } = await createFixture();
      const body = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a, 0x80]);
      const id = sha256(body);
      // Act
      await store.putRaw('imvu-privacy', id, body, 'application/octet-stream');
      const read = await store.getRaw('imvu-privacy', id);
      // Assess
      expect(read?.body).toEqual(body);
    });

    it('stores a normalized snapshot under normalized/{policyId}/{sha256}.json and reads it back', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      // Act
      const put = await store.putNormalized('imvu-privacy', HTML_ID, NORMALIZED);
      const read = await store.getNormalized('imvu-privacy', HTML_ID);
      // Assess
      expect(put).toEqual({ key: `normalized/imvu-privacy/${HTML_ID}.json`, written: true });
      expect(read).toEqual(NORMALIZED);
      expect(await objectKeys()).toEqual([`normalized/imvu-privacy/${HTML_ID}.json`]);
    });

    it('writes nothing when the same normalized snapshot is put again', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      await store.putRaw('imvu-privacy', HTML_ID, HTML, 'text/html');
      await store.putNormalized('imvu-privacy', HTML_ID, NORMALIZED);
      // Act
      const again = await store.putNormalized('imvu-privacy', HTML_ID, NORMALIZED);
      // Assess
      expect(again).toEqual({ key: `normalized/imvu-privacy/${HTML_ID}.json`, written: false });
      expect(await objectKeys()).toEqual([`normalized/imvu-privacy/${HTML_ID}.json`, `raw/imvu-privacy/${HTML_ID}`]);
    });

    it('keeps the same content of two policies apart', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      // Act
      const first = await store.putRaw('imvu-privacy', HTML_ID, HTML, 'text/html');
      const second = await store.putRaw('tim-privacy', HTML_ID, HTML, 'text/html');
      // Assess
      expect([first.written, second.written]).toEqual([true, true]);
      expect(await objectKeys()).toEqual([`raw/imvu-privacy/${HTML_ID}`, `raw/tim-privacy/${HTML_ID}`]);
    });

    it('returns undefined for a snapshot it does not hold', async () => {
      // Prepare
      const { store } = await createFixture();
      // Act
      const raw = await store.getRaw('imvu-privacy', HTML_ID);
      const normalized = await store.getNormalized('imvu-privacy', HTML_ID);
      // Assess
      expect([raw, normalized]).toEqual([undefined, undefined]);
    });

    it('rejects a snapshotId that is not the sha256 of the body, and writes nothing', async () => {
      // Prepare
      const { store, objectKeys } = await createFixture();
      // Act
      const put = store.putRaw('imvu-privacy', 'f'.repeat(64), HTML, 'text/html');
      // Assess
      await expect(put).rejects.toThrow(StoreInputError);
      expect(await objectKeys()).toEqual([]);
    });

    it('rejects ids that would make ambiguous keys', async () => {
      // Prepare
      const { store } = await createFixture();
      // Act
      const slashInPolicy = store.putRaw('imvu/privacy', HTML_ID, HTML, 'text/html');
      const dotDotPolicy = store.getRaw('..', HTML_ID);
      const notASha = store.getNormalized('imvu-privacy', '../secrets');
      // Assess
      await expect(slashInPolicy).rejects.toThrow(StoreInputError);
      await expect(dotDotPolicy).rejects.toThrow(StoreInputError);
      await expect(notASha).rejects.toThrow(StoreInputError);
    });
  });
}
