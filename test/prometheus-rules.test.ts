import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACME_TOKEN, removeObserved, startObserved } from './support/observe-harness.js';

const RULES_DIR = join(import.meta.dirname, '..', 'deploy', 'prometheus');
const RULES_FILE = join(RULES_DIR, 'iocrelay-rules.yml');
/** promtool unit tests: each alert firing on its case and quiet on the nearest other. */
const RULES_TEST_FILE = join(RULES_DIR, 'iocrelay-rules.test.yml');

// Series Prometheus makes itself for every target; iocrelay does not expose them.
const PROMETHEUS_SERIES = new Set(['up']);
// PromQL words that read like names but are not metrics.
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const PROMQL_OPERATORS = new Set(['and', 'or', 'unless', 'bool', 'offset']);

interface Rule {
  readonly alert?: string;
  readonly expr?: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

const rules = (
  parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);

let exposed = new Set<string>();

// A real serve, synced and fetched once, so every metric has its series.
beforeAll(async () => {
  const observed = await startObserved();
  try {
    await observed.serve.syncNow();
    await observed.get('/feeds/acme/ip.txt', { authorization: `Bearer ${ACME_TOKEN}` });
    const text = (await observed.get('/metrics')).body;
    exposed = namesOf(text);
  } finally {
    await observed.stop();
    removeObserved(observed.dir);
  }
});

describe('deploy/prometheus/iocrelay-rules.yml', () => {
  it('covers the alerts the operations docs rely on', () => {
    expect(rules.map((rule) => rule.alert)).toEqual([
      'IocrelayTargetDown',
      'IocrelaySourceSyncFailing',
      'IocrelaySyncRunsFailing',
      'IocrelayNoSuccessfulSync',
      'IocrelayStaleDevices',
      'IocrelayListEmpty',
      'IocrelayListShrunk',
      'IocrelayListHeld',
      'IocrelayTimeToBlockSlow',
    ]);
  });

  it.each(rules.map((rule) => [rule.alert ?? '(no name)', rule] as const))(
    '%s names only metrics a real scrape exposes, with for, severity and annotations',
    (_name, rule) => {
      const names = metricNamesIn(rule.expr ?? '');

      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect(exposed.has(name) || PROMETHEUS_SERIES.has(name), `${name} is exposed`).toBe(true);
      }
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(['warning', 'critical']).toContain(rule.labels?.['severity']);
      expect(rule.annotations?.['summary']).toBeTruthy();
      expect(rule.annotations?.['description']).toBeTruthy();
    },
  );

  it('reads series names out of PromQL, leaving functions, labels and words out', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.9, sum by (tenant, le) (rate(a_bucket{x="y"}[5m]))) > 1 and up == 0',
      ),
    ).toEqual(['a_bucket', 'up']);
  });

  it('passes promtool check rules, when promtool is installed', (context) => {
    const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (found.error !== undefined) {
      context.skip('promtool is not installed; the rules were checked against a scrape only');
      return;
    }
    const output = execFileSync('promtool', ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('passes its promtool unit tests, each alert firing and not firing', (context) => {
    const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (found.error !== undefined) {
      context.skip('promtool is not installed; the rules unit tests were not run');
      return;
    }
    const tests = parse(readFileSync(RULES_TEST_FILE, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    const run = spawnSync('promtool', ['test', 'rules', RULES_TEST_FILE], { encoding: 'utf8' });

    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
    for (const rule of rules) {
      const own = cases.filter((test) => test.alertname === rule.alert);
      expect(
        own.some((test) => test.exp_alerts.length > 0),
        `${rule.alert} fires`,
      ).toBe(true);
      expect(
        own.some((test) => test.exp_alerts.length === 0),
        `${rule.alert} stays quiet`,
      ).toBe(true);
    }
  });
});

/** Metric names of a scrape: sample names, plus the series a histogram's TYPE implies. */
function namesOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      const [, name = '', kind] = type;
      names.add(name);
      if (kind === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1] !== undefined) names.add(sample[1]);
  }
  return names;
}

/** Identifiers of a PromQL expression that are series names: not functions, labels or words. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const next = bare.slice((match.index ?? 0) + name.length).trimStart();
    const isFunction = next.startsWith('(');
    if (isFunction || PROMQL_WORDS.has(name) || PROMQL_OPERATORS.has(name)) continue;
    names.push(name);
  }
  return names;
}
