import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '@sneakpipe/test-support/cli';

// Static checks of docker-compose.yml and the Dockerfile: they keep them
// consistent with the code they start. The stack also runs for real in the live
// deployment test (`npm run test:deploy`, deploy/), with locally built
// images; the opt-in profiles (airflow, console) use upstream images that
// cannot be pulled here, so they are checked only here.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  profiles?: string[];
  depends_on?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  build?: string;
}
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const testOverride = parseYaml(read('deploy/compose.test.yml'), { merge: true }) as { services: Record<string, Service> };
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
      // The scheduler is opt-in (Snowflake); with DuckDB the consumer runs the reports.
      expect(s.profiles).toEqual(service === 'scheduler' ? ['scheduler'] : undefined);
      const { flags, envs } = await helpOf(command);
      for (const arg of s.command!.slice(1).filter((a) => a.startsWith('--'))) expect(flags.has(arg.slice(2)), arg).toBe(true);
      for (const name of Object.keys(s.environment ?? {})) expect(envs.has(name), `${service}: ${name}`).toBe(true);
      expect(s.environment?.SNEAKPIPE_METRICS_PORT).toBe(String(port));
      expect(s.environment?.SNEAKPIPE_METRICS_HOST).toBe('0.0.0.0');
      expect(s.ports).toContain(`${port}:${port}`);
      const job = prometheus.scrape_configs.find((j) => j.job_name === `sneakpipe-${service}`);
      if (service !== 'producer') {
        // Consumers scale out: every replica is a target, found by the compose service name (one A record per
        // replica). The scheduler too: no target at all when its profile is off.
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
    // The image starts node with the V8 flags the bin's shebang gives it, so both run the CLI alike.
    const flags = /^#!\/usr\/bin\/env -S node (.*)$/m.exec(read('packages/runners/bin/sneakpipe.js'))![1]!.split(' ');
    const entrypoint = ['node', ...flags, 'packages/runners/dist/cli.js'].map((part) => `"${part}"`).join(', ');
    expect(dockerfile).toContain(`ENTRYPOINT [${entrypoint}]`);
    expect(existsSync(join(root, 'packages/runners/dist/cli.js'))).toBe(true);
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) expect(existsSync(join(root, from!)), from).toBe(true);
    expect(dockerfile).toMatch(/EXPOSE 8001 8002/);
  });

  it('passes every Snowflake setting of the CLI to the consumer and the scheduler', async () => {
    const { envs } = await helpOf('consume');
    const snowflake = [...envs].filter((e) => e.startsWith('SNOWFLAKE_'));
    expect(snowflake).toEqual(expect.arrayContaining(['SNOWFLAKE_PRIVATE_KEY_PATH', 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', 'SNOWFLAKE_ROLE']));
    for (const service of ['consumer', 'scheduler']) {
      const environment = compose.services[service]!.environment!;
      for (const name of snowflake) expect(environment[name], `${service}: ${name}`).toMatch(new RegExp(`^\\$\\{${name}:-`));
    }
  });

  it('DuckDB: only the consumer opens the warehouse file, and it runs the report schedule', () => {
    const consumer = compose.services.consumer!;
    expect(consumer.environment?.SNEAKPIPE_SCHEDULE_REPORTS).toBe('duckdb');
    expect(consumer.volumes).toEqual(expect.arrayContaining(['warehouse:/app/data', 'reports:/app/reports']));
    const defaults = Object.entries(compose.services).filter(([, s]) => !s.profiles);
    expect(defaults.filter(([, s]) => s.volumes?.some((v) => v.startsWith('warehouse:'))).map(([name]) => name)).toEqual(['consumer']);
    expect(compose.services.scheduler!.volumes?.some((v) => v.startsWith('warehouse:'))).toBe(false);
  });

  it('Kafka: the HOST listener is published and advertised on the same host port; its data is a volume', () => {
    const kafka = compose.services.kafka!;
    expect(kafka.ports).toEqual(['${KAFKA_HOST_PORT:-9094}:9094']);
    expect(String(kafka.environment?.KAFKA_LISTENERS)).toContain('HOST://:9094');
    expect(String(kafka.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain(
      'HOST://${KAFKA_HOST_NAME:-localhost}:${KAFKA_HOST_PORT:-9094}',
    );
    expect(kafka.volumes).toEqual([`kafka:${kafka.environment?.KAFKA_LOG_DIRS}`]);
  });

  it('builds a non-root image on a Node 24 base that a build argument can replace, with the folders it writes', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(dockerfile).toMatch(/mkdir -p \/app\/data \/app\/reports && chown node:node \/app\/data \/app\/reports/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('opt-in profiles: Airflow (UI on 8081, the repo DAGs, the reports volume) and Redpanda Console (8080), on the same Kafka', () => {
    const byProfile = (profile: string) => Object.entries(compose.services).filter(([, s]) => s.profiles?.includes(profile));
    const airflow = Object.fromEntries(byProfile('airflow'));
    expect(Object.keys(airflow).sort()).toEqual([
      'airflow-dag-processor',
      'airflow-db',
      'airflow-init',
      'airflow-scheduler',
      'airflow-webserver',
    ]);
    expect(airflow['airflow-webserver']!.ports).toEqual(['8081:8080']);
    expect(airflow['airflow-webserver']!.command?.[0]).toBe('api-server');
    expect(airflow['airflow-scheduler']!.command).toEqual(['scheduler']);
    // The image's default is the Airflow release the DAG tests install (airflow-dags.test.ts).
    const tested = /^apache-airflow==(\S+)$/m.exec(read('infra/airflow/requirements.txt'))?.[1];
    expect(tested).toBeDefined();
    for (const name of ['airflow-init', 'airflow-webserver', 'airflow-scheduler', 'airflow-dag-processor'])
      expect(airflow[name]!.image, name).toBe(`\${AIRFLOW_IMAGE:-apache/airflow:${tested}}`);
    for (const name of ['airflow-webserver', 'airflow-scheduler', 'airflow-dag-processor']) {
      const s = airflow[name]!;
      expect(s.volumes).toEqual(expect.arrayContaining(['./airflow/dags:/opt/airflow/dags:ro', 'reports:/opt/airflow/reports']));
      expect(s.environment?.KAFKA_BOOTSTRAP).toBe('kafka:9092');
      expect(s.environment?.SNEAKPIPE_REPORTS_DIR).toBe('/opt/airflow/reports');
      expect(s.depends_on).toContain('airflow-init');
    }
    expect(existsSync(join(root, 'airflow/dags'))).toBe(true);
    const console = Object.fromEntries(byProfile('console'));
    expect(Object.keys(console)).toEqual(['console']);
    expect(console.console!.ports).toEqual(['8080:8080']);
    expect(console.console!.environment?.KAFKA_BROKERS).toBe('kafka:9092');
    // Nothing opt-in starts by default.
    for (const [name, s] of Object.entries(compose.services))
      if (s.profiles) expect(['scheduler', 'airflow', 'console']).toContain(s.profiles[0]);
    for (const profile of ['airflow', 'console'])
      for (const [name] of byProfile(profile)) expect(compose.services[name]!.profiles).toEqual([profile]);
  });

  it('has no password in the file: every secret comes from the environment, with no default', () => {
    const secret = /PASSWORD|PASSPHRASE|SECRET|TOKEN|_KEY$/;
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (secret.test(key)) expect(String(value), `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+(:-|:\?[^}]*)\}$/);
        // Connection strings: a password part only from a variable without default.
        const userinfo = /:\/\/[^:/@\s]+:([^@]+)@/.exec(String(value));
        if (userinfo) expect(userinfo[1], `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+:-\}$/);
      }
    }
    expect(read('docker-compose.yml')).not.toMatch(/^\s*[A-Z_]*(PASSWORD|PASSPHRASE):\s*['"]?(?!\$\{)\S/m);
  });

  it('the live test override swaps images and host ports only, for services the compose file has', () => {
    for (const [name, s] of Object.entries(testOverride.services)) {
      expect(compose.services[name], name).toBeDefined();
      if (s.image) expect(s.image).toMatch(/^localhost\/sneakpipe-deploy\//);
      for (const port of s.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    expect(testOverride.services.grafana!.profiles).toBeDefined(); // no Debian package for Grafana
  });
});
