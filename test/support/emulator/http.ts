import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError, Errors } from './errors.ts';
import { RateLimitError, RateLimiter, type RateLimitOptions } from './rateLimits.ts';
import { realNow } from './util.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
  contentType: string;
  /** The bytes, so tests can read what the bot uploaded. */
  data?: Buffer;
}

export interface RestRequest {
  method: string;
  path: string;
  /** Route template, e.g. `/channels/:channel_id/messages`. */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  headers: IncomingMessage['headers'];
}

export interface RestResponse {
  status: number;
  body?: unknown;
}

export type RouteHandler = (req: RestRequest) => RestResponse | Promise<RestResponse>;

export interface RouteOptions {
  /** Interaction callbacks and webhook-token routes are called without a bot token. */
  auth?: boolean;
  /** Interaction endpoints are exempt from the global rate limit on Discord. */
  globalLimit?: boolean;
  /** Interaction callbacks have no route bucket either (each token is answered once). */
  routeLimit?: boolean;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  handler: RouteHandler;
  auth: boolean;
  globalLimit: boolean;
  routeLimit: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** Path below /api/v10, with real ids. */
  path: string;
  /** Route template, e.g. `/channels/:channel_id/messages` (or null if no route matched). */
  route: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  /** Date.now() when the request arrived. */
  time: number;
  durationMs: number;
}

export interface FailRule {
  method?: string;
  /** `'POST /channels/:channel_id/messages'`, `'/channels/:channel_id/messages'`, or a RegExp tested on the path. */
  route?: string | RegExp;
  status: number;
  /** seconds (429 only) */
  retryAfter?: number;
  global?: boolean;
  /** How many matching requests fail (default 1). */
  times?: number;
  code?: number;
  message?: string;
  /**
   * Carry out the request, then answer with the failure anyway, as when Discord did the work but
   * the response was lost (a 5xx from a proxy, a dropped connection).
   */
  afterHandling?: boolean;
}

export interface StopAfterRule {
  route: string | RegExp;
  method?: string;
  count: number;
  then: (entry: RequestLogEntry) => void;
}

function compile(template: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}/?$`), keys };
}

export function parseRouteSpec(spec: string): { method?: string; route: string } {
  const match = /^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)$/i.exec(spec.trim());
  return match?.[1] && match[2] ? { method: match[1].toUpperCase(), route: match[2] } : { route: spec.trim() };
}

function matchesRule(rule: { method?: string; route?: string | RegExp }, method: string, path: string, template: string | null): boolean {
  if (rule.route === undefined) return rule.method === undefined || rule.method.toUpperCase() === method;
  if (rule.route instanceof RegExp) {
    return (rule.method === undefined || rule.method.toUpperCase() === method) && rule.route.test(path);
  }
  const spec = parseRouteSpec(rule.route);
  const wantMethod = (rule.method ?? spec.method)?.toUpperCase();
  if (wantMethod && wantMethod !== method) return false;
  return spec.route === template || spec.route === path;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

async function parseBody(req: IncomingMessage, raw: Buffer): Promise<{ body: unknown; files: UploadedFile[] }> {
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value) as unknown;
      } else {
        files.push({
          field,
          filename: value.name,
          size: value.size,
          contentType: value.type,
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

/** A tiny Discord-flavoured HTTP router with request logging, auth, fault injection and rate-limit headers. */
export class RestServer {
  private readonly routes: Route[] = [];
  private readonly failRules: (FailRule & { remaining: number })[] = [];
  private readonly stopRules: (StopAfterRule & { seen: number })[] = [];
  readonly log: RequestLogEntry[] = [];
  readonly server: Server;
  readonly rateLimiter: RateLimiter;
  private tokenReset = false;

  constructor(
    private readonly token: string,
    private readonly onLog: (entry: RequestLogEntry) => void,
    rateLimits: RateLimitOptions,
  ) {
    this.rateLimiter = new RateLimiter(rateLimits);
    this.server = createServer((req, res) => {
      if (this.serveFile(req, res)) return;
      void this.handle(req, res);
    });
  }

  /** Files served as they are (attachments on the emulator's own CDN), outside the API and its rate limits. */
  private readonly filePrefixes: { prefix: string; lookup: (path: string) => { data: Buffer; contentType: string } | undefined }[] = [];

  serveFiles(prefix: string, lookup: (path: string) => { data: Buffer; contentType: string } | undefined): void {
    this.filePrefixes.push({ prefix, lookup });
  }

  private serveFile(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const entry = this.filePrefixes.find((candidate) => path.startsWith(candidate.prefix));
    if (!entry || (req.method ?? 'GET').toUpperCase() !== 'GET') return false;
    const file = entry.lookup(path.slice(entry.prefix.length));
    if (file) {
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.length) });
      res.end(file.data);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    }
    return true;
  }

  /** The token no longer authenticates (Discord reset it): every bot request gets 401. */
  resetToken(): void {
    this.tokenReset = true;
  }

  add(method: string, template: string, handler: RouteHandler, options: RouteOptions = {}): void {
    const { regex, keys } = compile(template);
    this.routes.push({
      method: method.toUpperCase(),
      template,
      regex,
      keys,
      handler,
      auth: options.auth ?? true,
      globalLimit: options.globalLimit ?? true,
      routeLimit: options.routeLimit ?? true,
    });
  }

  failNext(rule: FailRule): void {
    this.failRules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  stopAfter(rule: StopAfterRule): void {
    this.stopRules.push({ ...rule, seen: 0 });
  }

  clearFaults(): void {
    this.failRules.length = 0;
    this.stopRules.length = 0;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return { methodMismatch };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = realNow();
    const time = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefix = '/api/v10';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    let template: string | null = null;
    let body: unknown;
    let status = 500;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      if (!url.pathname.startsWith(prefix)) throw Errors.notFound();
      const found = this.match(method, path);
      const withBotToken = !this.tokenReset && req.headers.authorization === `Bot ${this.token}`;
      // Discord counts every request a token makes, unknown routes included; interaction endpoints are exempt.
      if (withBotToken && (!('route' in found) || found.route.globalLimit)) this.rateLimiter.takeGlobal();
      if (!('route' in found)) throw found.methodMismatch ? Errors.methodNotAllowed() : Errors.notFound();
      template = found.route.template;
      const parsed = await parseBody(req, raw);
      body = parsed.body;
      if (found.route.auth && !withBotToken) throw Errors.unauthorized();
      if (found.route.routeLimit) headers = this.rateLimiter.takeRoute(method, template, found.params);
      const lateFault = this.injectFault(method, path, template);
      const result = await found.route.handler({
        method,
        path,
        route: template,
        params: found.params,
        query: url.searchParams,
        body,
        files: parsed.files,
        headers: req.headers,
      });
      status = result.status;
      payload = result.body;
      if (lateFault) throw lateFault;
    } catch (error) {
      if (error instanceof ApiError) {
        status = error.status;
        payload = error.body();
        // A global 429 carries only the global headers, as in Discord's example.
        headers = error instanceof RateLimitError && error.scope === 'global' ? error.headers : { ...headers, ...error.headers };
      } else {
        status = 500;
        payload = { message: '500: Internal Server Error', code: 0 };
        console.error('[discord-emulator] handler crashed', error);
      }
    }
    if (payload !== undefined && status !== 204) headers['content-type'] = 'application/json';
    res.writeHead(status, headers);
    res.end(payload !== undefined && status !== 204 ? JSON.stringify(payload) : undefined);

    const entry: RequestLogEntry = {
      method,
      path,
      route: template,
      query: Object.fromEntries(url.searchParams.entries()),
      body,
      status,
      response: payload,
      time,
      durationMs: realNow() - started,
    };
    this.log.push(entry);
    this.onLog(entry);
    if (status >= 200 && status < 300) {
      for (const rule of this.stopRules) {
        if (rule.seen >= rule.count || !matchesRule(rule, method, path, template)) continue;
        rule.seen++;
        if (rule.seen === rule.count) setImmediate(() => rule.then(entry));
      }
    }
  }

  /** Throws the fault a rule asks for, or returns it when the rule lets the request happen first. */
  private injectFault(method: string, path: string, template: string): ApiError | undefined {
    const index = this.failRules.findIndex((rule) => rule.remaining > 0 && matchesRule(rule, method, path, template));
    const rule = index >= 0 ? this.failRules[index] : undefined;
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.failRules.splice(index, 1);
    if (rule.status === 429) this.rateLimiter.stats.injected++;
    const fault = faultFor(rule);
    if (rule.afterHandling) return fault;
    throw fault;
  }
}

function faultFor(rule: FailRule): ApiError {
  if (rule.status === 429) {
    const retryAfter = rule.retryAfter ?? 0.1;
    const global = rule.global ?? false;
    return new ApiError(
      429,
      rule.code ?? 0,
      rule.message ?? 'You are being rate limited.',
      undefined,
      {
        'retry-after': String(retryAfter),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfter),
      },
      { retry_after: retryAfter, global },
    );
  }
  return new ApiError(
    rule.status,
    rule.code ?? 0,
    rule.message ?? `${rule.status}: ${rule.status >= 500 ? 'Internal Server Error' : 'Error'}`,
  );
}
