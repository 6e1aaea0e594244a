/**
 * node scripts/shard-plan.ts N — the shards of an N-shard build as JSON, for a GitHub Actions
 * matrix (.github/workflows/sharded-build.yml): `["shared/4","1/4","2/4","3/4","4/4"]`.
 * N is checked as `npm run build -- --shard` checks it (src/lib/shard/shard-rule.ts).
 */
import { allShardNames, parseShardSpec } from '../src/lib/shard/shard-rule.ts';

const n = process.argv[2] ?? '';
try {
  console.log(JSON.stringify(allShardNames(parseShardSpec(`1/${n}`).count)));
} catch {
  console.error(`分片数“${n}”无效：应为 1 到 256 之间的整数（用法：node scripts/shard-plan.ts 4）`);
  process.exit(2);
}
