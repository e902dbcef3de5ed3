/** Who decides, for `resolve` and `serve`: --by, else MODELFACTS_REVIEWER, else the login name. */
import { userInfo } from 'node:os';
import { UsageError } from './errors.js';

export function reviewerName(by: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const { MODELFACTS_REVIEWER, USER, LOGNAME } = env;
  const given = [by, MODELFACTS_REVIEWER, USER, LOGNAME].find((n) => n !== undefined && n.trim() !== '');
  if (given) return given.trim();
  // no name in the environment (a container, cron): the account's own name, if it has one
  let account: string;
  try {
    account = userInfo().username;
  } catch (cause) {
    throw new UsageError('who decides is unknown: pass --by <name> or set MODELFACTS_REVIEWER', { cause });
  }
  if (!account.trim()) throw new UsageError('who decides is unknown: pass --by <name> or set MODELFACTS_REVIEWER');
  return account.trim();
}

/** Terminal output of scraped or typed text: control characters (escape sequences) shown, never run. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
