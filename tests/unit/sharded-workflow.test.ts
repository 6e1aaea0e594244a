/**
 * The sharded build's GitHub Actions workflow (issue 34): a matrix of the shards planned by
 * scripts/shard-plan.ts, each built with --shard and uploaded, merged by `--merge` in a final
 * job whose checks (the privacy gate among them, inside the merge) come before the site is
 * uploaded, and published only after that job.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown> };
type Job = { needs?: string | string[]; steps: Step[]; strategy?: { matrix: Record<string, unknown> }; outputs?: Record<string, string> };
const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/sharded-build.yml'), 'utf8')) as { jobs: Record<string, Job> };

describe('sharded build workflow', () => {
  it('plans shared/N and 1/N…N/N, and refuses a bad N in Chinese', () => {
    const plan = (n: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/shard-plan.ts'), n], { encoding: 'utf8' });
    expect(JSON.parse(plan('3').stdout)).toEqual(['shared/3', '1/3', '2/3', '3/3']);
    const bad = plan('0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('分片数“0”无效');
  });

  it('runs the planned shards as a matrix, each built with --shard and uploaded', () => {
    const { plan, shard } = workflow.jobs;
    expect(plan!.steps.some((s) => s.run?.includes('scripts/shard-plan.ts'))).toBe(true);
    expect(shard!.needs).toBe('plan');
    expect(shard!.strategy!.matrix.shard).toBe('${{ fromJSON(needs.plan.outputs.shards) }}');
    const runs = shard!.steps.map((s) => s.run ?? s.uses ?? '');
    const build = runs.findIndex((r) => r.includes('npm run build -- --shard "$SHARD"'));
    const upload = runs.findIndex((r) => r.startsWith('actions/upload-artifact'));
    expect(build).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(build);
  });

  it('merges after every shard, uploads the site only after the merge and its checks, and publishes after that', () => {
    const { merge, publish } = workflow.jobs;
    expect(merge!.needs).toContain('shard');
    const runs = merge!.steps.map((s) => s.run ?? s.uses ?? '');
    const merged = runs.findIndex((r) => r.includes('npm run build -- --merge'));
    const upload = runs.findIndex((r) => r.startsWith('actions/upload-artifact'));
    expect(merged).toBeGreaterThan(runs.findIndex((r) => r.startsWith('actions/download-artifact')));
    expect(upload).toBeGreaterThan(merged);
    // the site's artifact keeps dist/.build-ok.json, which npm run publish requires
    expect(merge!.steps[upload]!.with!['include-hidden-files']).toBe(true);
    expect(publish!.needs).toBe('merge');
    // the merge ends with the steps npm run build ends with (scripts/build.ts finishSite), the privacy gate among them
    const build = readFileSync(path.join(ROOT, 'scripts/build.ts'), 'utf8');
    const finishSite = build.slice(build.indexOf('async function finishSite('));
    expect(finishSite).toContain("'scripts/privacy-check.ts'");
    expect(build).toMatch(/if \(mergeDirs\) \{\n\s+await mergeShardsStep\([^\n]*\n\s+await finishSite\(\);/);
  });
});
