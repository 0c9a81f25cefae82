import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '@/utils/storage/memory';
import { describeStorageContract } from './contract';
import { rejectionOf, streamOf, trackedStream } from './helpers';

describeStorageContract('MemoryStorage', async () => ({ storage: new MemoryStorage() }));

describe('MemoryStorage', () => {
  it('cancels a stream it refuses, so the producer stops waiting', async () => {
    const source = trackedStream([new Uint8Array(1)]);
    const error = await rejectionOf(new MemoryStorage().put('bad name', source.stream));
    expect(source.state).toEqual({ cancelled: true, reason: error });
  });

  it('rejects a stream chunk that is not bytes', async () => {
    const storage = new MemoryStorage();
    const error = await rejectionOf(storage.put('x', streamOf(['text' as unknown as Uint8Array])));
    expect(error).toMatchObject({ name: 'StorageError', code: 'internal' });
    expect(await storage.stat('x')).toBeUndefined();
  });

  it('names itself after the given description', () => {
    expect(new MemoryStorage('memory for demo').description).toBe('memory for demo');
    expect(() => new MemoryStorage('')).toThrow(TypeError);
  });
});
