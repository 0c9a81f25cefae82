import type { Catalog } from '@/utils/catalog/catalog';
import { META_KEYS } from '@/utils/catalog/records';
import type { BackupSource } from '@/utils/repo/backup';
import { sortDataset } from '@/utils/schema/order';
import type { Account, Contact, Dataset, Jid } from '@/utils/schema/types';

/** The catalog as a backup source: the canonical dataset, media from the stored blobs. */
export async function catalogSource(catalog: Catalog, now: () => number = Date.now): Promise<BackupSource> {
  const [chats, messages, contacts, account] = await Promise.all([
    catalog.chats.toArray(),
    catalog.messages.toArray(),
    catalog.meta.get(META_KEYS.contacts),
    catalog.meta.get(META_KEYS.account),
  ]);
  const dataset: Dataset = sortDataset({
    format: 'chatvault-dataset',
    version: 1,
    exportedAt: Math.floor(now() / 1000),
    ...(account ? { account: account.value as Account } : {}),
    contacts: (contacts?.value ?? {}) as Record<Jid, Contact>,
    chats: chats.map((r) => r.chat),
    messages: messages.map((r) => r.message),
  });
  return {
    dataset,
    async mediaSize(filehash) {
      const media = await catalog.media.get(filehash);
      return media?.status === 'stored' && media.blob ? media.blob.size : undefined;
    },
    async openMedia(filehash) {
      const media = await catalog.media.get(filehash);
      if (!media?.blob) throw new Error(`media ${filehash} is not in the catalog`);
      return media.blob.stream();
    },
  };
}
