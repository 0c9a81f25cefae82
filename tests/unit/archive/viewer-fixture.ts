/**
 * The archive the viewer's end-to-end test and benchmark open: a 100 000-message group chat
 * plus a handful of ordinary chats, one message of the big chat carrying a text only search
 * can find. Run as a script it writes the archive and prints what the caller needs as JSON:
 *
 *   node --import tsx tests/unit/archive/viewer-fixture.ts OUT_DIR
 *
 * (The e2e project has no `@/` alias, so the e2e test runs this under tsx instead of importing it.)
 */
import { fileURLToPath } from 'node:url';
import { createArchive } from '@/utils/archive/archive';
import { writeArchiveToFolder } from '@/utils/archive/folder-writer.node.ts';
import type { Dataset } from '@/utils/schema/types';
import { generateDataset } from '../../fixtures/dataset/generate';
import { generatedSource, mergeDatasets } from './helpers';

export const NEEDLE = 'the-needle-7f3a: meet at the old lighthouse';
export const BIG_CHAT_MESSAGES = 100_000;

export interface ViewerFixture {
  chats: number;
  bigChatNumber: number;
  needleIndex: number;
  /** UTC `YYYY-MM-DD` of message 60 000 of the big chat, and the index of that day's first message. */
  jumpDay: string;
  jumpIndex: number;
}

export async function viewerDataset(): Promise<{ dataset: Dataset; fixture: ViewerFixture }> {
  const big = await generateDataset({
    seed: 'viewer-100k',
    individualChats: 0,
    groupChats: 1,
    messages: BIG_CHAT_MESSAGES,
    mediaFraction: 0.02,
    mediaSizeScale: 0.001,
  });
  const small = await generateDataset({ seed: 'viewer-small', messages: 400, mediaSizeScale: 0.01 });
  const dataset = mergeDatasets(big, small);
  const bigChat = big.chats[0]!.id;
  const bigMessages = dataset.messages.filter((m) => m.chatId === bigChat);
  const needleIndex = bigMessages.findIndex((m, i) => i > 40_000 && m.type === 'chat');
  const needle = bigMessages[needleIndex]!;
  dataset.messages[dataset.messages.indexOf(needle)] = { ...needle, text: NEEDLE };
  const dayOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  const jumpDay = dayOf(bigMessages[60_000]!.timestamp);
  return {
    dataset,
    fixture: {
      chats: dataset.chats.length,
      bigChatNumber: dataset.chats.findIndex((c) => c.id === bigChat) + 1,
      needleIndex,
      jumpDay,
      jumpIndex: bigMessages.findIndex((m) => dayOf(m.timestamp) >= jumpDay),
    },
  };
}

export async function writeViewerFixture(dir: string): Promise<ViewerFixture> {
  const { dataset, fixture } = await viewerDataset();
  await writeArchiveToFolder(createArchive(generatedSource(dataset)), dir);
  return fixture;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: viewer-fixture.ts OUT_DIR');
  console.log(JSON.stringify(await writeViewerFixture(dir)));
}
