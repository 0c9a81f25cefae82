import type { Jid } from '@/utils/schema/types';
import type { ArchiveProblem } from './problems';

/**
 * One sentence per thing the restore could not bring back, naming the chat, the month and the
 * file, for the page's summary (problems.txt in the zip says the same at more length).
 */
export function describeRestoreProblem(
  problem: ArchiveProblem,
  titleOf: (chatId: Jid) => string | undefined,
): string {
  if (problem === null || typeof problem !== 'object' || typeof problem.kind !== 'string') {
    throw new TypeError('problem must be an ArchiveProblem');
  }
  const chat = problem.chatId ? `“${titleOf(problem.chatId) ?? problem.chatId}”` : 'a chat';
  switch (problem.kind) {
    case 'segment':
      return `Chat ${chat}: ${problem.messages ?? 'some'} messages of ${problem.month ?? 'one month'} could not be restored (${problem.error}).`;
    case 'chat':
      return `Chat ${chat}: its name, members and settings could not be restored (${problem.error}).`;
    case 'contacts':
      return `Contact names could not be restored; people are shown by phone number (${problem.error}).`;
    case 'media': {
      const file = problem.path ?? `media file ${problem.filehash ?? ''}`.trim();
      return problem.partialBytes !== undefined && problem.partialBytes > 0
        ? `${file} is damaged after ${problem.partialBytes} bytes and is incomplete in the zip: delete it (${problem.error}).`
        : `${file} could not be restored (${problem.error}).`;
    }
    default:
      return `Something could not be restored: ${String((problem as { error?: unknown }).error)}`;
  }
}
