import type { EditVersion, Message } from '@/utils/schema/types';

/**
 * How a message read again (the look-back window of an incremental run, or a run resumed after
 * a restart) combines with what the catalog already holds. The backup keeps what the user had
 * (docs/SCHEMA.md §5.1):
 *
 * - deleted for everyone since we stored it: the web client now shows it `revoked`, but we keep
 *   the original type and content and add the `deletion` record;
 * - edited since we stored it: the new text wins and the stored text becomes the newest of the
 *   `previousVersions` (the web client itself keeps only the latest version);
 * - media whose bytes we stored stays `stored` even if the server has expired it since;
 * - anything else (reactions, stars, delivery, votes) is taken as the page shows it now.
 */
export function mergeMessage(existing: Message | undefined, incoming: Message): Message {
  if (!existing || existing.id !== incoming.id) return incoming;

  if (incoming.type === 'revoked' && existing.type !== 'revoked') {
    return { ...existing, deletion: { ...existing.deletion, ...incoming.deletion! } };
  }
  const merged: Message = { ...incoming };
  if (existing.deletion && !merged.deletion) merged.deletion = existing.deletion;

  const edit = mergedEdit(existing, incoming);
  if (edit) merged.edit = edit;

  if (
    existing.media?.status === 'stored' &&
    merged.media &&
    merged.media.status !== 'stored' &&
    existing.media.filehash !== undefined &&
    merged.media.filehash === existing.media.filehash
  ) {
    merged.media = { ...merged.media, status: 'stored' };
    delete merged.media.reason;
  }
  return merged;
}

function mergedEdit(existing: Message, incoming: Message): Message['edit'] {
  const before = existing.edit;
  const now = incoming.edit;
  if (!now) return before;
  if (existing.text === undefined || existing.text === incoming.text) {
    // Same version as stored: keep the history we built earlier.
    return before?.previousVersions && !now.previousVersions
      ? { ...now, previousVersions: before.previousVersions }
      : now;
  }
  if (before && before.editedAtMs >= now.editedAtMs) return now;
  const stored: EditVersion = { text: existing.text, ...(before ? { editedAtMs: before.editedAtMs } : {}) };
  return { ...now, previousVersions: [...(before?.previousVersions ?? []), stored] };
}
