// Independent facts from a .cpuprofile (not TraceQuery's reader): per function name, sampled self and total time,
// the heaviest leaf-to-root stacks. Sample i is charged timeDeltas[i+1] (DevTools' convention; the last sample 0).
// Frame name = callFrame.functionName, "(anonymous)" when empty; the (root) node is not a frame; "(idle)" is not CPU.
// Usage: node facts.js profile.cpuprofile > profile.facts.json
const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(), parent = new Map();
for (const n of p.nodes) {
  byId.set(n.id, n);
  for (const c of n.children || []) parent.set(c, n.id);
}
const name = (n) => n.callFrame.functionName || '(anonymous)';
const self = new Map(), total = new Map(), stacks = new Map();
let cpuUs = 0, idleUs = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = Math.max(0, i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1] : 0);
  const leaf = byId.get(p.samples[i]);
  if (name(leaf) === '(idle)') { idleUs += dt; continue; }
  cpuUs += dt;
  const frames = [];
  for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id);
    if (name(n) === '(root)' && parent.get(id) === undefined) break;
    frames.unshift(name(n));
  }
  if (frames.length) self.set(frames[frames.length - 1], (self.get(frames[frames.length - 1]) || 0) + dt);
  for (const f of new Set(frames)) total.set(f, (total.get(f) || 0) + dt);
  const key = frames.join(';');
  stacks.set(key, (stacks.get(key) || 0) + dt);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([n, us]) => [n, Math.round(us) / 1000]);
console.log(JSON.stringify({
  samples: p.samples.length,
  cpu_ms: Math.round(cpuUs) / 1000,
  idle_ms: Math.round(idleUs) / 1000,
  top_self_ms: top(self, 5),
  top_total_ms: top(total, 5),
  top_stacks_ms: top(stacks, 3),
}, null, 1));
