// `npm run eval [-- ARGS]`: score the four dev sets in ../shared/eval with the GeoNames files in
// ../shared/gazetteer/geonames imported into a data directory of its own (.sitrep-eval), so that
// villages and second-level units resolve as they would for a user who imported them; then measure
// merging on MUC-4 (`sitrep eval --merge`), which gets the same --floors, --ratchet, --limit and --json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/sitrep.js');
const env = { ...process.env, SITREP_DATA: process.env.SITREP_EVAL_DATA ?? resolve(root, '.sitrep-eval') };
const geonames = resolve(root, '../shared/gazetteer/geonames');

const run = (args) => spawnSync('node', [bin, ...args], { stdio: 'inherit', env, cwd: root }).status ?? 1;

if (existsSync(geonames)) {
  const files = readdirSync(geonames).filter((f) => f.endsWith('.txt') && !/readme/i.test(f)).map((f) => join(geonames, f));
  const status = run(['gazetteer', 'import', ...files]);
  if (status !== 0) process.exit(status);
} else {
  console.error('eval: ../shared/gazetteer/geonames not found; scoring with the built-in gazetteer only');
}
const args = process.argv.slice(2);
const extraction = run(['eval', '--all', ...args]);
// The merge measure takes the arguments it knows: --floors FILE, --ratchet, --limit N, --json.
const mergeArgs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--floors' || args[i] === '--limit') mergeArgs.push(args[i], args[++i]);
  else if (args[i] === '--ratchet' || args[i] === '--json') mergeArgs.push(args[i]);
  else if (/^--(?:floors|limit)=/.test(args[i])) mergeArgs.push(args[i]);
}
const merging = run(['eval', '--merge', ...mergeArgs]);
process.exit(Math.max(extraction, merging));
