import type { Catalog } from '@/utils/catalog/catalog';
import { type BackupJob, isActive } from './job-state';

/** Backup jobs in the catalog, where the popup observes them (dexie liveQuery). */
export async function saveJob(catalog: Catalog, job: BackupJob): Promise<void> {
  await catalog.jobs.put({ id: job.id, state: job.state, updatedAt: job.updatedAt, data: { ...job } });
}

export async function latestJob(catalog: Catalog): Promise<BackupJob | undefined> {
  const record = await catalog.jobs.orderBy('updatedAt').last();
  return record?.data as BackupJob | undefined;
}

export async function activeJob(catalog: Catalog): Promise<BackupJob | undefined> {
  const job = await latestJob(catalog);
  return isActive(job) ? job : undefined;
}
