import type { ArchiveReport } from '@/utils/archive/archive';
import { formatBytes } from './RestoreFormat';

export interface RestoreSummaryProps {
  report: ArchiveReport;
  /** Size of the zip. */
  bytes: number;
  /** Where it went: a file the user picked, or the browser's downloads. */
  kind: 'file' | 'download';
  fileName: string;
  /** One sentence naming what a problem lost, for people. */
  describeProblem: (problem: ArchiveReport['problems'][number]) => string;
  onAgain: () => void;
}

/** The finished restore: what is in the zip and exactly what could not be restored. */
export function RestoreSummary({
  report,
  bytes,
  kind,
  fileName,
  describeProblem,
  onAgain,
}: RestoreSummaryProps) {
  const lost = report.problems;
  return (
    <section
      className="card"
      aria-labelledby="summary-heading"
      data-testid="restore-summary"
      data-problems={lost.length}
    >
      <h2 id="summary-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        {lost.length === 0 ? 'Restore complete' : 'Restore finished, with losses'}
      </h2>
      <p style={{ margin: '0 0 0.25rem' }} data-testid="restore-summary-counts">
        {report.chats} chats, {report.messages} messages and {report.mediaFiles} media files (
        {formatBytes(report.mediaBytes)}) are in {kind === 'file' ? 'the file' : 'the download'} “{fileName}”
        ({formatBytes(bytes)}). Open its index.html in any browser to read them.
      </p>
      {lost.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          Everything in the backup was restored.
        </p>
      ) : (
        <>
          <p className="warn" style={{ margin: '0.25rem 0' }}>
            {lost.length === 1 ? 'One part' : `${lost.length} parts`} of the backup could not be restored:
          </p>
          <ul data-testid="restore-problems">
            {lost.map((problem, index) => (
              // Problems have no id of their own; the list never reorders.
              // biome-ignore lint/suspicious/noArrayIndexKey: static list
              <li key={index}>{describeProblem(problem)}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" onClick={onAgain} data-testid="restore-again">
        Restore something else
      </button>
    </section>
  );
}
