import type { Command } from 'commander';
import type { z } from 'zod';
import type { auditRecordSchema, auditVerificationSchema } from '../governance/admin/audit-admin.js';
import { adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { formatTime, integerParser } from './command-values.js';
import { formatList, type TableColumn } from './table.js';

type AuditRecordView = z.output<typeof auditRecordSchema>;
/** The answer of `POST /admin/v1/audit/verify`. */
export type AuditVerificationView = z.output<typeof auditVerificationSchema>;

/** One line for people: `OK: ...` when the chain is intact, `FAILED: ...` naming the first bad record. */
export function formatVerification(verification: AuditVerificationView): string {
  if (verification.ok) return `OK: the audit log's hash chain is intact (${verification.records} records, head ${verification.headHash.slice(0, 16)})\n`;
  return `FAILED: the audit log's hash chain is broken at record ${verification.firstBadSequence} (${verification.reason}); ${verification.records} records checked\n`;
}

const auditColumns: Array<TableColumn<AuditRecordView>> = [
  { header: 'seq', cell: (record) => record.sequence, alignRight: true },
  { header: 'time', cell: (record) => formatTime(record.at) },
  { header: 'actor', cell: (record) => `${record.actor.kind}:${record.actor.id}` },
  { header: 'action', cell: (record) => record.action },
  { header: 'target', cell: (record) => `${record.target.kind}:${record.target.id}` },
  { header: 'outcome', cell: (record) => record.outcome },
];

/** `switchyard audit verify|list`: the hash-chained audit log. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log of admin changes and policy decisions (admin API)');

  withAdminOptions(audit.command('verify').description('check that no audit record was altered, removed or reordered (exit 1 if one was)')).action(
    adminAction(async (session) => {
      const verification = await adminPost<AuditVerificationView>(session.connection, '/admin/v1/audit/verify');
      session.print(verification, () => formatVerification(verification));
      // A broken chain is what this command exists to detect: scripts see it in the exit code.
      if (!verification.ok) process.exitCode = 1;
    }),
  );

  withAdminOptions(
    audit
      .command('list')
      .description('audit records, newest first')
      .option('-w, --workspace <name>', 'only the records of this workspace')
      .option('--action <action>', 'only this action, e.g. keys.create')
      .option('--before <sequence>', 'only records older than this sequence number (paging)', integerParser(1))
      .option('-n, --limit <count>', 'how many records (1-1000, default 50)', integerParser(1), 50),
  ).action(
    adminAction<{ workspace?: string; action?: string; before?: number; limit: number }>(async (session, options) => {
      const organisationId = await session.organisationId();
      const workspaceId = options.workspace === undefined ? undefined : (await session.workspace(options.workspace)).id;
      const records = await adminList<AuditRecordView>(session.connection, '/admin/v1/audit', { organisationId, workspaceId, action: options.action, before: options.before, limit: options.limit });
      session.print(records, () => formatList(auditColumns, records, 'No audit records.'));
    }),
  );
}
