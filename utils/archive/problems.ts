import type { Filehash, Jid, Message } from '@/utils/schema/types';
import type { ChatPlan } from './chat-plan';

/**
 * Something the archive could not bring back, precise enough for the user to know what is
 * missing. The first four fields are exactly utils/repo's RestoreProblem, so problems from a
 * snapshot restore pass through unchanged; `path` says where in the archive the gap shows.
 */
export interface ArchiveProblem {
  kind: 'contacts' | 'chat' | 'segment' | 'media';
  chatId?: Jid;
  /** `YYYY-MM` of a lost segment. */
  month?: string;
  /** Messages lost with a damaged segment. */
  messages?: number;
  filehash?: Filehash;
  /** The archive path the problem concerns: a missing media file, or a chat folder. */
  path?: string;
  /** A media file that failed part-way: how many verified bytes a zip archive kept of it. */
  partialBytes?: number;
  error: string;
}

export const PROBLEMS_FILE = 'problems.txt';

/** Human notes on what a chat's collection could not get (never in the backup at all). */
export function completenessNotes(plan: Pick<ChatPlan, 'chat' | 'messages'>): string[] {
  const notes: string[] = [];
  const count = (status: string) => plan.messages.filter((m: Message) => m.media?.status === status).length;
  const expired = count('expired');
  const failed = count('failed');
  const skipped = count('skipped');
  if (expired > 0)
    notes.push(
      `${files(expired)} had expired on WhatsApp's server before the backup and could not be saved.`,
    );
  if (failed > 0)
    notes.push(`${files(failed)} could not be downloaded from WhatsApp when the backup was made.`);
  if (skipped > 0)
    notes.push(
      `${files(skipped)} ${skipped === 1 ? 'was' : 'were'} skipped on purpose (view-once media or a size limit).`,
    );
  if (plan.chat.completeness.moreHistoryOnPhone)
    notes.push('Older messages of this chat exist only on the phone; WhatsApp Web never received them.');
  if (plan.chat.completeness.source !== 'modules')
    notes.push('Parts of this chat were read from the visible page only, so some details may be missing.');
  return notes;
}

function files(n: number): string {
  return n === 1 ? '1 media file' : `${n} media files`;
}

export interface ProblemsTextInput {
  problems: readonly ArchiveProblem[];
  plans: readonly ChatPlan[];
  /** Chat id → its title, for problems about chats that have no plan (details lost). */
  titleOf(chatId: Jid): string;
}

/** problems.txt: first what the restore lost, then what was never in the backup. */
export function problemsText(input: ProblemsTextInput): string {
  const lines: string[] = ['What could not be restored', '==========================', ''];
  const folderOf = new Map(input.plans.map((plan) => [plan.chat.id, plan.folder]));
  if (input.problems.length === 0) {
    lines.push('Nothing was lost: every chat, message and media file in the backup was restored.');
  } else {
    lines.push(
      `${input.problems.length === 1 ? 'One part' : `${input.problems.length} parts`} of this backup could not be restored. Everything else is in this archive.`,
      '',
    );
    for (const problem of input.problems) lines.push(...describeProblem(problem, input, folderOf), '');
  }
  const notes = input.plans
    .map((plan) => ({ plan, notes: completenessNotes(plan) }))
    .filter((entry) => entry.notes.length > 0);
  if (notes.length > 0) {
    lines.push(
      '',
      'Not in the backup to begin with',
      '-------------------------------',
      'WhatsApp Web could not give everything; these were never backed up:',
      '',
    );
    for (const { plan, notes: list } of notes) {
      lines.push(`${plan.title} (${plan.folder}):`, ...list.map((note) => `  - ${note}`), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function describeProblem(
  problem: ArchiveProblem,
  input: ProblemsTextInput,
  folderOf: Map<Jid, string>,
): string[] {
  const chat = problem.chatId
    ? `"${input.titleOf(problem.chatId)}" (${folderOf.get(problem.chatId) ?? problem.chatId})`
    : '';
  const reason = `  Reason: ${problem.error}`;
  switch (problem.kind) {
    case 'segment':
      return [
        `- Chat ${chat}: ${problem.messages ?? 'some'} messages of ${problem.month ?? 'one month'} are missing.`,
        reason,
      ];
    case 'chat':
      return [`- The details of chat ${chat} (its name, group members and settings) are missing.`, reason];
    case 'contacts':
      return ['- The contact names are missing; people are shown by their phone numbers.', reason];
    case 'media': {
      const where = problem.path ?? `media file ${problem.filehash ?? ''}`;
      const head =
        problem.partialBytes !== undefined && problem.partialBytes > 0
          ? `- ${where} is damaged after its first ${problem.partialBytes} bytes. If it is in this archive it is incomplete: delete it (a zip archive cannot take back bytes already written).`
          : `- ${where} is missing.`;
      return [head, '  The chat says <Media omitted> where it was.', reason];
    }
  }
}
