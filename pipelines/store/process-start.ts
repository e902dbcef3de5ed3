/**
 * When a process started, to tell a live lock holder from an unrelated
 * process that got the same pid after the holder died. Linux: field 22 of
 * /proc/<pid>/stat (clock ticks since boot). Elsewhere: unknown, and the
 * caller falls back to the pid alone.
 */
import { readFileSync } from 'node:fs';

export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // no such process, or no /proc on this system: the start time is unknown
    return undefined;
  }
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}
