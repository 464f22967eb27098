// The one way the dashboard talks to the backend: same-origin fetch with the session cookie,
// the CSRF token on every change, and problem+json errors turned into ApiError with the
// backend's own `detail` (which says what to fix).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly body?: unknown,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
let onSessionLost: () => void = () => undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the backend answers 401 to a request made while logged in. */
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(body) });
}

/** Sends a body as it is (a CSV file, say) with its content type. */
export function sendText<T>(method: Method, path: string, text: string, type: string): Promise<T> {
  return send<T>(method, path, { type, text });
}

/** Uploads a file as the raw request body (a firmware image, say). */
export function sendFile<T>(method: Method, path: string, file: Blob): Promise<T> {
  return send<T>(method, path, { type: file.type || 'application/octet-stream', text: file });
}

async function send<T>(method: Method, path: string, body: { type: string; text: string | Blob } | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = body.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: body.text } : {}) });
  } catch {
    throw new ApiError(0, 'The backend does not answer. Check that it is running and the network is up.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/v1/auth/')) onSessionLost();
    const detail =
      parsed && typeof parsed === 'object' && 'detail' in parsed ? String((parsed as { detail: unknown }).detail) : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail, parsed);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A query string from the set values only, e.g. query({ a: 1, b: undefined }) → "?a=1". */
export function query(values: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
