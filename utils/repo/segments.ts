import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { monthOf } from '@/utils/schema/month';
import { compareMessages } from '@/utils/schema/order';
import type { Jid, Message } from '@/utils/schema/types';

/** One chat × one calendar month of messages (FORMAT §13). */
export interface Segment {
  version: 1;
  chatId: Jid;
  month: string;
  messages: Message[];
}

/** Cuts one chat's messages into segments, ascending by month, messages sorted within. */
export function segmentChat(chatId: Jid, messages: readonly Message[]): Segment[] {
  const byMonth = new Map<string, Message[]>();
  for (const message of messages) {
    const month = monthOf(message.timestamp);
    const list = byMonth.get(month);
    if (list) list.push(message);
    else byMonth.set(month, [message]);
  }
  return [...byMonth.keys()].sort().map((month) => ({
    version: 1 as const,
    chatId,
    month,
    messages: byMonth.get(month)!.sort(compareMessages),
  }));
}

export function encodeSegment(segment: Segment): Uint8Array {
  return canonicalJsonBytes(segment);
}
