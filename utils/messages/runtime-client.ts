import { fail, type Result } from './result';
import type { RuntimeMessageType, RuntimeRequest, RuntimeResponse } from './runtime-protocol';

/**
 * Sends a declared runtime message and returns the background's Result. The transport is
 * injected (`browser.runtime.sendMessage` in the extension) so this file stays free of
 * browser APIs; a transport failure (no background, extension reloaded) becomes a failure
 * Result too.
 */
export type RuntimeTransport = (message: unknown) => Promise<unknown>;

export async function sendRuntimeMessage<K extends RuntimeMessageType>(
  transport: RuntimeTransport,
  type: K,
  request: RuntimeRequest<K>,
): Promise<Result<RuntimeResponse<K>>> {
  try {
    const answer = (await transport({ type, request })) as Result<RuntimeResponse<K>> | undefined;
    if (!answer || typeof answer !== 'object' || typeof answer.ok !== 'boolean') {
      return fail('no-answer', `The extension's background did not answer ${type}.`);
    }
    return answer;
  } catch (error) {
    return fail('transport', `Could not reach the extension's background: ${String(error)}`);
  }
}
