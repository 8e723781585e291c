import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// One firing alert per rule and group across every replica (docs/decisions/0020): each replica evaluates the
// rules over its own traffic, and the one whose insert wins notifies; the others adopt the stored alert. A
// unique partial index is the arbiter, so two replicas firing in the same instant still store (and announce)
// one. Replicas of earlier versions may have stored duplicates: all but the newest of each rule and group are
// resolved first, at the newest one's firing time, or the index could not be built.
export const alertFiresOnceMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await sql`
      update alert_history set state = 'resolved', resolved_at = (
        select max(newer.fired_at) from alert_history as newer
        where newer.rule_id = alert_history.rule_id and newer.group_key = alert_history.group_key and newer.state = 'firing'
      )
      where state = 'firing' and exists (
        select 1 from alert_history as newer
        where newer.rule_id = alert_history.rule_id and newer.group_key = alert_history.group_key and newer.state = 'firing'
          and (newer.fired_at > alert_history.fired_at or (newer.fired_at = alert_history.fired_at and newer.id > alert_history.id))
      )`.execute(database);
    await database.schema
      .createIndex('alert_history_firing_once')
      .unique()
      .on('alert_history')
      .columns(['rule_id', 'group_key'])
      .where(sql.ref('state'), '=', 'firing')
      .execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropIndex('alert_history_firing_once').execute();
  },
};
