// The CLI's way to the HTTP API: OCPP_API_URL and OCPP_API_KEY from the environment, JSON in
// and out, problem+json errors turned into one readable line.

export class CliError extends Error {
  constructor(
    message: string,
    /** 1: the request failed; 2: the command line or the environment is wrong. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface ApiClient {
  readonly baseUrl: string;
  request<T = unknown>(method: string, path: string, body?: unknown, options?: { raw?: Uint8Array; query?: Record<string, string | undefined> }): Promise<T>;
}

export function apiClientFromEnv(env: Record<string, string | undefined>): ApiClient {
  const key = env['OCPP_API_KEY']?.trim();
  if (!key) throw new CliError('OCPP_API_KEY is not set: export the API key to use, e.g. OCPP_API_KEY=... npm run cli -- stations', 2);
  const baseUrl = (env['OCPP_API_URL']?.trim() || 'http://127.0.0.1:8180').replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(`OCPP_API_URL is not a URL: "${baseUrl}"`, 2);
  }
  return {
    baseUrl,
    async request(method, path, body, options = {}) {
      const url = new URL(`${baseUrl}/api/v1${path}`);
      for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      let payload: string | Uint8Array | undefined;
      if (options.raw) {
        headers['content-type'] = 'application/octet-stream';
        payload = options.raw;
      } else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      let response: Response;
      try {
        response = await fetch(url, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliError(`Cannot reach the API at ${baseUrl}: ${cause?.code ?? cause?.message ?? String(error)} (is OCPP_API_URL right and the server running?)`);
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      if (!response.ok) {
        const problem = parsed as { detail?: string; title?: string } | undefined;
        const detail = typeof problem === 'object' && problem ? (problem.detail ?? problem.title) : text;
        const hint = response.status === 401 ? ' (check OCPP_API_KEY)' : '';
        throw new CliError(`${method} ${url.pathname} failed with ${response.status}: ${detail || response.statusText}${hint}`);
      }
      return parsed as never;
    },
  };
}
