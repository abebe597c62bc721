import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Telemetry } from './services/telemetry.ts';

/** Everything Bridges measures, in one prom-client registry (scraped at /metrics). */
export class BridgesMetrics implements Telemetry {
  readonly registry = new Registry();
  private readonly interactions = new Counter({
    name: 'bridges_interactions_total',
    help: 'Interactions handled, by command and outcome (ok, refused with a reason, error)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly firstResponse = new Histogram({
    name: 'bridges_interaction_first_response_seconds',
    help: 'From receiving an interaction to Discord accepting its first response (Discord allows 3 s)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [this.registry],
  });
  private readonly prompts = new Counter({
    name: 'bridges_prompts_total',
    help: 'Daily and moderator prompts that reached an end, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly groups = new Counter({
    name: 'bridges_groups_total',
    help: 'Pairing groups that reached an end, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'bridges_scheduler_lag_seconds',
    help: 'How late scheduled work started after it was due',
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly store = new Histogram({
    name: 'bridges_store_operation_seconds',
    help: 'Store operations, by operation',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });

  constructor(gateway: { latency: () => Map<number, number>; guilds: () => Map<number, number> }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'bridges_process_' });
    new Gauge({
      name: 'bridges_gateway_latency_seconds',
      help: 'Heartbeat round trip of each gateway shard',
      labelNames: ['shard'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [shard, ms] of gateway.latency()) if (ms >= 0) this.set({ shard: String(shard) }, ms / 1000);
      },
    });
    new Gauge({
      name: 'bridges_guilds',
      help: 'Servers each shard of this process serves',
      labelNames: ['shard'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [shard, count] of gateway.guilds()) this.set({ shard: String(shard) }, count);
      },
    });
  }

  interaction(command: string, outcome: 'ok' | 'refused' | 'error'): void {
    this.interactions.inc({ command, outcome });
  }

  firstResponseSeconds(seconds: number): void {
    this.firstResponse.observe(seconds);
  }

  storeOperation(operation: string, seconds: number): void {
    this.store.observe({ operation }, seconds);
  }

  promptPosted(): void {
    this.prompts.inc({ outcome: 'posted' });
  }

  promptFailed(): void {
    this.prompts.inc({ outcome: 'failed' });
  }

  groupsEnded(outcome: 'delivered' | 'failed' | 'cancelled', count: number): void {
    if (count > 0) this.groups.inc({ outcome }, count);
  }

  schedulerLag(seconds: number): void {
    this.lag.observe(seconds);
  }
}

/**
 * /healthz (200 only when every shard of this process is connected and the store answers) and
 * /metrics (Prometheus text) on `port`.
 */
export async function serveMetrics(port: number, metrics: BridgesMetrics, healthy: () => Promise<string | undefined>): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(await metrics.registry.metrics());
        return;
      }
      if (request.url === '/healthz') {
        const problem = await healthy().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
        response.writeHead(problem === undefined ? 200 : 503, { 'content-type': 'text/plain' });
        response.end(problem === undefined ? 'ok\n' : `${problem}\n`);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
