import type { AppInfo, AuditChainStateReply } from '../contract/entities.js';
import { problemKindWords } from '../store/auditChain.js';

type Problem = AuditChainStateReply['problems'][number];

const when = (at: string) => at.replace('T', ' ').slice(0, 19);

/** One problem: "row 6 (2026-01-01 00:00:00, patient.update): content changed: its content no longer ..." */
export function formatAuditProblem(problem: Problem): string {
  return `row ${problem.id} (${when(problem.at)}, ${problem.action}): ${problemKindWords(problem.kind)}: ${problem.detail}`;
}

/** The verdict of `walkscope audit verify` in words. */
export function formatAuditChain(state: AuditChainStateReply): string {
  const lines: string[] = [];
  if (state.intact) {
    lines.push(
      state.rows === 0
        ? 'The audit log is empty; its hash chain starts with the first entry.'
        : `The audit log's hash chain is intact: ${state.rows} entries, rows 1 to ${state.head!.id}.`,
    );
    if (state.head) lines.push(`Head: row ${state.head.id}, ${state.head.hash}. Note it outside this computer: a later check that no longer reaches this row and hash means the newest entries were removed.`);
  } else {
    lines.push(`The audit log's hash chain is BROKEN: ${state.problemCount} problem${state.problemCount === 1 ? '' : 's'} in ${state.rows} entries.`);
    lines.push(`First broken row: ${formatAuditProblem(state.problems[0]!)}`);
    const more = state.problems.slice(1, 10);
    if (more.length > 0) lines.push('Then:', ...more.map((p) => `  ${formatAuditProblem(p)}`));
    if (state.problemCount > 1 + more.length) lines.push(`  ... and ${state.problemCount - 1 - more.length} more (--json lists the first ${state.problems.length}).`);
    lines.push('WalkScope keeps working; the entries stay as they are for investigation.');
  }
  if (state.chainStarted) {
    lines.push(`Rows 1 to ${state.chainStarted.lastRowHashed} were written before the chain existed and were hashed when it was introduced (${when(state.chainStarted.at)}); changes made to them before then cannot be detected.`);
  }
  return lines.join('\n');
}

/** The audit line of `walkscope info`, and the warning every command prints when the chain is broken. */
export function auditLine(chain: AppInfo['auditChain']): string {
  if (chain.intact) return `${chain.rows} entries, hash chain intact (checked ${when(chain.checkedAt)})`;
  return `hash chain BROKEN (${chain.problemCount} problem${chain.problemCount === 1 ? '' : 's'}), first at ${formatAuditProblem(chain.firstProblem!)}. Run walkscope audit verify.`;
}
