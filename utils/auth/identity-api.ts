/**
 * The part of the extension identity API sign-in uses, injected by the background (utils/ may not
 * touch browser APIs). Shapes follow Chrome's promise-returning MV3 API; Firefox has no
 * getAuthToken, and Edge, Brave and Opera have one that fails.
 */
export interface IdentityApi {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  /** Chrome resolves `{ token, grantedScopes }`; older versions gave the token string. */
  getAuthToken?(details: {
    interactive: boolean;
    scopes?: string[];
  }): Promise<string | { token?: string; grantedScopes?: string[] } | undefined>;
  removeCachedAuthToken?(details: { token: string }): Promise<void>;
  clearAllCachedAuthTokens?(): Promise<void>;
}

/** Where sign-in keeps its state: storage.session for tokens (memory only), storage.local for the rest. */
export interface AuthStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A store in memory, for Node and for browsers without storage.session. */
export function memoryAuthStore(): AuthStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => {
      const text = values.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    set: async (key, value) => {
      values.set(key, JSON.stringify(value));
    },
    remove: async (key) => {
      values.delete(key);
    },
  };
}
