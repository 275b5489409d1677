import { prepareScenario, runScenario } from './engine';
import { nodeFiles } from './extension/shared/nodeFiles';
import { explainData, explanationText, explanationMermaid, toChromeTrace } from './engine/run/timeline';
(async () => {
  const p = await prepareScenario(process.argv[2]!, nodeFiles);
  if (!p.ok) throw new Error('prep');
  const r = runScenario(p.prepared);
  const t = r.timelineModel();
  console.log(t.lanes.map((l) => `${l.id} ${l.name} ${l.role} irql=${JSON.stringify(l.irql.map((c) => [c.seq, c.irql]))}`).join('\n'));
  console.log(t.spans.map((s) => `${s.lane} ${s.kind} ${s.label} [${s.start},${s.end}] d${s.depth}`).join('\n'));
  console.log(t.flows);
  console.log(t.lives.map((l) => `${l.label} ${l.issued}-${l.done} ${l.summary} => ${l.outcome} lanes ${l.lanes}`).join('\n'));
  const x = explainData(t, Number(process.argv[3] ?? 2));
  if (x.ok) { console.log(explanationText(x.explanation)); console.log(explanationMermaid(x.explanation)); }
  console.log(JSON.stringify(toChromeTrace(t)).length);
})();
