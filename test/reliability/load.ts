/**
 * A small local load generator: `requests` GETs over `paths` in turn, at most `concurrency` in
 * flight, counting status codes and failed connections (undici's fetch, keep-alive).
 */
export interface BurstResult {
  total: number;
  statuses: Record<string, number>;
  failed: number;
  ms: number;
}

export async function burst(base: string, opts: { requests: number; concurrency: number; paths: readonly string[] }): Promise<BurstResult> {
  const statuses: Record<string, number> = {};
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= opts.requests) return;
      try {
        const res = await fetch(base + opts.paths[i % opts.paths.length]!);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { total: Object.values(statuses).reduce((a, b) => a + b, 0) + failed, statuses, failed, ms: performance.now() - t0 };
}
