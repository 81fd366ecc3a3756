// Preloaded into each CLI process of the campaign (`node --import`): on exit, writes the peak RSS (KiB) and the
// CPU time (ms) the process used, so budgets hold on a loaded machine too (wall time also counts waiting).
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.CLAIMC_RSS_OUT;
  if (!out) return;
  const usage = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
});
