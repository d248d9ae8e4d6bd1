import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../../test-support/cli.js';

// docker-compose.yml and the Dockerfile cannot run here (no Docker engine);
// these checks keep them consistent with the code they start.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  build?: string;
}
const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, Service> };
const prometheus = parseYaml(read('monitoring/prometheus.yml')) as {
  rule_files: string[];
  scrape_configs: {
    job_name: string;
    static_configs?: { targets: string[] }[];
    dns_sd_configs?: { names: string[]; type: string; port: number }[];
  }[];
};

async function helpOf(command: string) {
  const help = await runCli([command, '--help']);
  expect(help.code).toBe(0);
  return {
    flags: new Set([...help.stdout.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!)),
    envs: new Set([...help.stdout.matchAll(/env\s+([A-Z0-9_]+)/g)].map((m) => m[1]!)),
  };
}

describe('docker-compose.yml and Dockerfile match the code', () => {
  for (const [service, command, port] of [
    ['producer', 'produce', 8001],
    ['consumer', 'consume', 8002],
    ['scheduler', 'schedule', 8003],
  ] as const) {
    it(`${service}: runs \`sneakpipe ${command}\` with flags and environment variables it knows, metrics on :${port}, scraped by Prometheus`, async () => {
      const s = compose.services[service]!;
      expect(s.build).toBe('.');
      expect(s.command?.[0]).toBe(command);
      const { flags, envs } = await helpOf(command);
      for (const arg of s.command!.slice(1).filter((a) => a.startsWith('--'))) expect(flags.has(arg.slice(2)), arg).toBe(true);
      for (const name of Object.keys(s.environment ?? {})) expect(envs.has(name), `${service}: ${name}`).toBe(true);
      expect(s.environment?.SNEAKPIPE_METRICS_PORT).toBe(String(port));
      expect(s.environment?.SNEAKPIPE_METRICS_HOST).toBe('0.0.0.0');
      expect(s.ports).toContain(`${port}:${port}`);
      const job = prometheus.scrape_configs.find((j) => j.job_name === `sneakpipe-${service}`);
      if (service === 'consumer') {
        // Consumers scale out: every replica is a target, found by the compose service name (one A record per replica).
        expect(job?.dns_sd_configs).toEqual([expect.objectContaining({ names: [service], type: 'A', port })]);
        expect(job?.static_configs).toBeUndefined();
      } else expect(job?.static_configs?.[0]?.targets).toEqual([`${service}:${port}`]);
      if (service !== 'scheduler') expect(s.environment?.KAFKA_BOOTSTRAP).toBe('kafka:9092');
    });
  }

  it('mounts monitoring files that exist, where Prometheus and Grafana look for them', () => {
    for (const service of ['prometheus', 'grafana']) {
      for (const volume of compose.services[service]!.volumes ?? []) {
        const [from] = volume.split(':');
        if (from!.startsWith('./')) expect(existsSync(join(root, from!)), volume).toBe(true);
      }
    }
    const promVolumes = compose.services.prometheus!.volumes!.join('\n');
    for (const rules of prometheus.rule_files) expect(promVolumes).toContain(`/etc/prometheus/${rules}`);
    const provider = parseYaml(read('monitoring/grafana/provisioning/dashboards/sneakpipe.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(compose.services.grafana!.volumes!.some((v) => v.endsWith(`:${provider.providers[0]!.options.path}:ro`))).toBe(true);
    expect(compose.services.grafana!.environment!.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });

  it('builds an image whose entrypoint is the built CLI, from files that exist', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "packages\/runners\/dist\/cli\.js"\]/);
    expect(existsSync(join(root, 'packages/runners/dist/cli.js'))).toBe(true);
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) expect(existsSync(join(root, from!)), from).toBe(true);
    expect(dockerfile).toMatch(/EXPOSE 8001 8002/);
  });
});
