/**
 * One cause, one finding: findings a rule marked as sharing a cause (RawFinding.group) are merged
 * after suppressions, so a wrong `_IRQL_requires_max_` reported at 17 calls reads as one finding at
 * the first call with the other 16 as related locations. Suppressions still act per line before
 * the merge (a `#pragma warning(suppress: 28121)` silences its call only), and a group left with
 * one member is reported exactly as the rule wrote it.
 */
import type { FindingGroup } from './rule';
import type { Finding } from './types';

export class FindingGroups {
  private readonly groups = new Map<string, { finding: Finding; group: FindingGroup }[]>();

  add(ruleId: string, finding: Finding, group: FindingGroup): void {
    const key = `${ruleId}\u0000${group.key}`;
    const list = this.groups.get(key);
    if (list) list.push({ finding, group });
    else this.groups.set(key, [{ finding, group }]);
  }

  /** The merged findings, one per group. */
  merged(): Finding[] {
    const out: Finding[] = [];
    for (const list of this.groups.values()) {
      list.sort((a, b) => a.finding.range.start.line - b.finding.range.start.line || a.finding.range.start.column - b.finding.range.start.column);
      const first = list[0];
      if (list.length === 1) { out.push(first.finding); continue; }
      out.push({
        ...first.finding,
        message: first.group.summary(list.map((m) => m.group.member)),
        related: [
          ...first.finding.related,
          ...list.slice(1).map((m) => ({ range: m.finding.range, message: m.group.member })),
        ],
      });
    }
    return out;
  }
}
