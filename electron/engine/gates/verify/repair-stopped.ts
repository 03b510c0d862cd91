import type { AppError } from '../../../../shared/errors/app-error';
import { withFix } from '../../../../shared/report/step-findings';

/**
 * A repair step's detail when one of its statements failed: why (with PostgreSQL's own words
 * when the error is not one the tool explains itself), what still differs, and the remedy.
 */
export function repairStoppedDetail(error: AppError, stillDiffers: string): string {
  const said = error.code === 'sql-failed' && error.detail ? ` PostgreSQL said: ${error.detail.replace(/\.?$/, '.')}` : '';
  return withFix(`${error.message}${said} What still differs: ${stillDiffers}`, error.remediation);
}
