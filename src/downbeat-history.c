/* downbeat-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "downbeat-history-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SCHEMA_VERSION 3
#define RAW_SECONDS (7 * 24 * 60 * 60)
#define HOURLY_SECONDS (366 * 24 * 60 * 60)
#define PRUNE_EVERY (60 * 60)

/* Each entry brings the schema from the version before it to its own number. */
static const char * const migrations[] = {
  [1] =
    "CREATE TABLE checks (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, level TEXT NOT NULL,"
    "                     indicator TEXT);"
    "CREATE INDEX checks_by_time ON checks (at);"
    "CREATE TABLE probe_results (check_id INTEGER NOT NULL, probe TEXT NOT NULL,"
    "                            ok INTEGER NOT NULL, http_status INTEGER, latency_ms INTEGER,"
    "                            error TEXT, PRIMARY KEY (check_id, probe)) WITHOUT ROWID;"
    "CREATE TABLE changes (at INTEGER NOT NULL, level TEXT NOT NULL);"
    "CREATE INDEX changes_by_time ON changes (at);",
  [2] =
    "ALTER TABLE changes ADD COLUMN incident TEXT;"
    "CREATE TABLE hourly (hour INTEGER NOT NULL, probe TEXT NOT NULL, checks INTEGER NOT NULL,"
    "                     failures INTEGER NOT NULL, latency_sum INTEGER NOT NULL,"
    "                     latency_max INTEGER, PRIMARY KEY (hour, probe)) WITHOUT ROWID;"
    "INSERT INTO hourly SELECT c.at / 3600 * 3600, p.probe, count(*), sum(NOT p.ok),"
    "                          total(coalesce(p.latency_ms, 0)), max(p.latency_ms)"
    "  FROM checks c JOIN probe_results p ON p.check_id = c.id GROUP BY 1, 2;",
  [3] =
    "CREATE TABLE trust (probe TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
    "                    outdated INTEGER NOT NULL, alone_since INTEGER NOT NULL) WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCHEMA_VERSION + 1);

typedef struct
{
  gint64         at;
  DownbeatLevel  level;
  char          *incident;
} Change;

struct _DownbeatHistory
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;              /* NULL while the history cannot be kept */
  sqlite3_stmt  *insert_check;
  sqlite3_stmt  *insert_probe;
  sqlite3_stmt  *upsert_hourly;
  sqlite3_stmt  *insert_change;
  sqlite3_stmt  *upsert_trust;
  sqlite3_stmt  *delete_trust;
  GHashTable    *trust_written;   /* probe id → what its trust row says, to write only changes */
  char          *problem;         /* nullable: why the history is not what it should be */

  DownbeatLevel  last_level;      /* of the last change, written or pending */
  gint64         last_change_at;
  gboolean       has_level;
  gint64         last_check_at;   /* unix time; 0 before the first */
  gint64         last_prune_at;
  guint          poll_interval;
  GArray        *pending;         /* of Change: level changes not on disk yet */
  gboolean       recovered;       /* a damaged file was moved aside once already */
};

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatHistory, downbeat_history, G_TYPE_OBJECT)

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->incident, g_free);
}

static void
set_problem (DownbeatHistory *self,
             char            *problem)
{
  g_autofree char *owned = problem;

  if (g_strcmp0 (self->problem, owned) == 0)
    return;

  if (owned != NULL)
    g_message ("%s", owned);
  g_free (self->problem);
  self->problem = g_steal_pointer (&owned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static gboolean
is_damage (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

static void
close_database (DownbeatHistory *self)
{
  g_clear_pointer (&self->insert_check, sqlite3_finalize);
  g_clear_pointer (&self->insert_probe, sqlite3_finalize);
  g_clear_pointer (&self->upsert_hourly, sqlite3_finalize);
  g_clear_pointer (&self->insert_change, sqlite3_finalize);
  g_clear_pointer (&self->upsert_trust, sqlite3_finalize);
  g_clear_pointer (&self->delete_trust, sqlite3_finalize);
  g_hash_table_remove_all (self->trust_written);
  g_clear_pointer (&self->db, sqlite3_close);
}

static int
exec (DownbeatHistory *self,
      const char      *sql)
{
  return sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

static int
migrate (DownbeatHistory *self)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int version;
  int code;

  code = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &statement, NULL);
  if (code != SQLITE_OK || (code = sqlite3_step (statement)) != SQLITE_ROW)
    return code;
  version = sqlite3_column_int (statement, 0);

  if (version == SCHEMA_VERSION)
    return SQLITE_OK;
  if (version > SCHEMA_VERSION)
    return SQLITE_NOTADB;   /* a newer Downbeat's file: not ours to change */

  if ((code = exec (self, "BEGIN IMMEDIATE")) != SQLITE_OK)
    return code;
  for (int step = version + 1; step <= SCHEMA_VERSION; step++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", step);

      g_debug ("Migrating the history to schema %d", step);
      if ((code = exec (self, migrations[step])) != SQLITE_OK
          || (code = exec (self, set_version)) != SQLITE_OK)
        {
          exec (self, "ROLLBACK");
          return code;
        }
    }
  return exec (self, "COMMIT");
}

static int
prepare (DownbeatHistory  *self,
         const char       *sql,
         sqlite3_stmt    **statement)
{
  return sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, NULL);
}

static int
load_last (DownbeatHistory *self)
{
  g_autoptr(sqlite3_stmt) level = NULL;
  g_autoptr(sqlite3_stmt) check = NULL;
  int code;

  code = sqlite3_prepare_v2 (self->db,
                             "SELECT level, at FROM changes ORDER BY at DESC, rowid DESC LIMIT 1",
                             -1, &level, NULL);
  if (code != SQLITE_OK)
    return code;
  code = sqlite3_step (level);
  if (code == SQLITE_ROW)
    {
      self->has_level = downbeat_level_from_string ((const char *) sqlite3_column_text (level, 0),
                                                    &self->last_level);
      self->last_change_at = sqlite3_column_int64 (level, 1);
    }
  else if (code != SQLITE_DONE)
    return code;

  code = sqlite3_prepare_v2 (self->db, "SELECT max(at) FROM checks", -1, &check, NULL);
  if (code != SQLITE_OK)
    return code;
  if ((code = sqlite3_step (check)) != SQLITE_ROW)
    return code;
  self->last_check_at = sqlite3_column_int64 (check, 0);

  return SQLITE_OK;
}

static int
open_database (DownbeatHistory *self)
{
  g_autofree char *directory = g_path_get_dirname (self->path);
  int code;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    return SQLITE_CANTOPEN;

  code = sqlite3_open_v2 (self->path, &self->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                          NULL);
  if (code != SQLITE_OK)
    return code;

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 2000);

  if ((code = exec (self, "PRAGMA journal_mode = WAL")) != SQLITE_OK
      || (code = exec (self, "PRAGMA synchronous = NORMAL")) != SQLITE_OK
      /* A tray app's budget: the file is a few MiB a year, the window reads a day of it. */
      || (code = exec (self, "PRAGMA cache_size = -256")) != SQLITE_OK
      || (code = migrate (self)) != SQLITE_OK
      || (code = load_last (self)) != SQLITE_OK)
    return code;

  if ((code = prepare (self, "INSERT INTO checks (at, level, indicator) VALUES (?, ?, ?)",
                       &self->insert_check)) != SQLITE_OK
      || (code = prepare (self, "INSERT INTO probe_results VALUES (?, ?, ?, ?, ?, ?)",
                          &self->insert_probe)) != SQLITE_OK
      || (code = prepare (self,
                          "INSERT INTO hourly VALUES (?1 / 3600 * 3600, ?2, 1, ?3, ?4, ?5)"
                          " ON CONFLICT (hour, probe) DO UPDATE SET"
                          " checks = checks + 1, failures = failures + excluded.failures,"
                          " latency_sum = latency_sum + excluded.latency_sum,"
                          " latency_max = max(coalesce(latency_max, excluded.latency_max),"
                          "                   coalesce(excluded.latency_max, latency_max))",
                          &self->upsert_hourly)) != SQLITE_OK
      || (code = prepare (self, "INSERT INTO changes (at, level, incident) VALUES (?, ?, ?)",
                          &self->insert_change)) != SQLITE_OK
      || (code = prepare (self, "INSERT OR REPLACE INTO trust VALUES (?, ?, ?, ?)",
                          &self->upsert_trust)) != SQLITE_OK
      || (code = prepare (self, "DELETE FROM trust WHERE probe = ?",
                          &self->delete_trust)) != SQLITE_OK)
    return code;

  return SQLITE_OK;
}

static char *
cannot_keep (int code)
{
  /* Translators: %s says why, "database or disk is full" */
  return g_strdup_printf (_("History is not being saved: %s"), sqlite3_errstr (code));
}

/* A damaged file is kept for whoever wants to look at it, and a new one started. */
static void
move_aside (DownbeatHistory *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", self->path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  close_database (self);

  if (g_rename (self->path, aside) != 0)
    g_message ("Cannot move %s aside: %s", self->path, g_strerror (errno));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      g_rename (from, to);
    }

  self->recovered = TRUE;
  self->has_level = FALSE;
  self->last_check_at = 0;
  /* Translators: %s is a file name */
  set_problem (self, g_strdup_printf (_("The history was damaged. It was kept as %s and a new "
                                        "one started."), aside));
}

/* Opens the file; a damaged one is moved aside once, never in a loop. */
static gboolean
ensure_open (DownbeatHistory *self)
{
  int code;

  if (self->db != NULL)
    return TRUE;

  code = open_database (self);
  if (is_damage (code) && !self->recovered)
    {
      move_aside (self);
      code = open_database (self);
    }

  if (code != SQLITE_OK)
    {
      close_database (self);
      set_problem (self, cannot_keep (code));
      return FALSE;
    }

  return TRUE;
}

static int
step_reset (sqlite3_stmt *statement)
{
  int code = sqlite3_step (statement);

  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  return code == SQLITE_DONE ? SQLITE_OK : code;
}

static int
write_change (DownbeatHistory *self,
              const Change    *change)
{
  sqlite3_bind_int64 (self->insert_change, 1, change->at);
  sqlite3_bind_text (self->insert_change, 2, downbeat_level_to_string (change->level), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (self->insert_change, 3, change->incident, -1, SQLITE_TRANSIENT);
  return step_reset (self->insert_change);
}

static int
write_probe (DownbeatHistory           *self,
             gint64                     check_id,
             gint64                     at,
             const DownbeatProbeStatus *status)
{
  const DownbeatProbeResult *result = status->result;
  gboolean answered = result->http_status != 0;
  int code;

  sqlite3_bind_int64 (self->insert_probe, 1, check_id);
  sqlite3_bind_text (self->insert_probe, 2, status->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (self->insert_probe, 3, result->ok);
  if (answered)
    {
      sqlite3_bind_int (self->insert_probe, 4, result->http_status);
      sqlite3_bind_int64 (self->insert_probe, 5, result->latency_ms);
    }
  sqlite3_bind_text (self->insert_probe, 6, result->error, -1, SQLITE_STATIC);
  if ((code = step_reset (self->insert_probe)) != SQLITE_OK)
    return code;

  sqlite3_bind_int64 (self->upsert_hourly, 1, at);
  sqlite3_bind_text (self->upsert_hourly, 2, status->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (self->upsert_hourly, 3, !result->ok);
  sqlite3_bind_int64 (self->upsert_hourly, 4, answered ? result->latency_ms : 0);
  if (answered)
    sqlite3_bind_int64 (self->upsert_hourly, 5, result->latency_ms);
  return step_reset (self->upsert_hourly);
}

/* Only what changed is written: trust changes a few times in a probe's life. */
static int
write_trust (DownbeatHistory           *self,
             const DownbeatProbeStatus *status)
{
  const DownbeatConfirmation *trust = &status->confirmation;
  g_autofree char *row = NULL;
  const char *written;
  int code;

  if (trust->proven)
    row = g_strdup_printf ("%s %d %" G_GINT64_FORMAT, status->fingerprint, trust->outdated,
                           trust->alone_since);
  written = g_hash_table_lookup (self->trust_written, status->id);
  if (g_strcmp0 (row, written) == 0 && g_hash_table_contains (self->trust_written, status->id))
    return SQLITE_OK;

  if (trust->proven)
    {
      sqlite3_bind_text (self->upsert_trust, 1, status->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->upsert_trust, 2, status->fingerprint, -1, SQLITE_STATIC);
      sqlite3_bind_int (self->upsert_trust, 3, trust->outdated);
      sqlite3_bind_int64 (self->upsert_trust, 4, trust->alone_since);
      code = step_reset (self->upsert_trust);
    }
  else
    {
      sqlite3_bind_text (self->delete_trust, 1, status->id, -1, SQLITE_STATIC);
      code = step_reset (self->delete_trust);
    }

  if (code == SQLITE_OK)
    g_hash_table_insert (self->trust_written, g_strdup (status->id), g_steal_pointer (&row));
  return code;
}

static const char *
first_indicator (DownbeatReport *report)
{
  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *official = g_ptr_array_index (report->official, i);

      if (official->summary != NULL)
        return official->summary->indicator_text;
    }
  return NULL;
}

static int
write_check (DownbeatHistory *self,
             DownbeatReport  *report,
             gint64           at)
{
  gint64 check_id;
  int code;

  sqlite3_bind_int64 (self->insert_check, 1, at);
  sqlite3_bind_text (self->insert_check, 2, downbeat_level_to_string (report->level), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (self->insert_check, 3, first_indicator (report), -1, SQLITE_STATIC);
  if ((code = step_reset (self->insert_check)) != SQLITE_OK)
    return code;
  check_id = sqlite3_last_insert_rowid (self->db);

  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);

      if (status->result != NULL && (code = write_probe (self, check_id, at, status)) != SQLITE_OK)
        return code;
      if (report->level != DOWNBEAT_LEVEL_OFFLINE && (code = write_trust (self, status)) != SQLITE_OK)
        return code;
    }

  return SQLITE_OK;
}

static int
prune (DownbeatHistory *self,
       gint64           now)
{
  g_autofree char *sql = NULL;

  if (now - self->last_prune_at < PRUNE_EVERY)
    return SQLITE_OK;
  self->last_prune_at = now;

  sql = g_strdup_printf ("DELETE FROM probe_results WHERE check_id IN"
                         "  (SELECT id FROM checks WHERE at < %1$" G_GINT64_FORMAT ");"
                         "DELETE FROM checks WHERE at < %1$" G_GINT64_FORMAT ";"
                         "DELETE FROM hourly WHERE hour < %2$" G_GINT64_FORMAT ";",
                         now - RAW_SECONDS, now - HOURLY_SECONDS);
  return exec (self, sql);
}

/* One transaction: the pending level changes, then the check. A change is on disk, synced,
 * before record() returns, and so before anyone is told of it. */
static int
write_all (DownbeatHistory *self,
           DownbeatReport  *report,
           gint64           at)
{
  gboolean changes = self->pending->len > 0;
  int code;

  if (changes)
    exec (self, "PRAGMA synchronous = FULL");

  if ((code = exec (self, "BEGIN IMMEDIATE")) != SQLITE_OK)
    goto out;

  for (guint i = 0; i < self->pending->len; i++)
    if ((code = write_change (self, &g_array_index (self->pending, Change, i))) != SQLITE_OK)
      goto rollback;

  if ((code = write_check (self, report, at)) != SQLITE_OK
      || (code = prune (self, at)) != SQLITE_OK
      || (code = exec (self, "COMMIT")) != SQLITE_OK)
    goto rollback;

  g_array_set_size (self->pending, 0);
  goto out;

rollback:
  exec (self, "ROLLBACK");
out:
  if (changes)
    exec (self, "PRAGMA synchronous = NORMAL");
  return code;
}

static char *
incident_title (DownbeatReport *report)
{
  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *official = g_ptr_array_index (report->official, i);

      if (official->summary != NULL && official->summary->incidents->len > 0)
        {
          const DownbeatIncident *incident = g_ptr_array_index (official->summary->incidents, 0);
          return g_strdup (incident->name);
        }
    }
  return NULL;
}

static void
add_change (DownbeatHistory *self,
            gint64           at,
            DownbeatLevel    level,
            char            *incident)
{
  Change change = { at, level, incident };

  g_array_append_val (self->pending, change);
  self->last_level = level;
  self->last_change_at = at;
  self->has_level = TRUE;
}

/* Longer than this between two checks, and nobody was looking: Downbeat was not running, or
 * the computer slept. That time is not known. */
static gint64
max_gap (DownbeatHistory *self)
{
  return 2 * (gint64) self->poll_interval + 60;
}

/**
 * downbeat_history_record:
 * @report: a check cycle's report
 *
 * Records the check, and the level change if it is one. The change is committed to disk
 * before this returns. When the disk cannot take it, the change is kept and written with the
 * next check that can be.
 *
 * Returns: whether everything is on disk
 */
gboolean
downbeat_history_record (DownbeatHistory *self,
                         DownbeatReport  *report)
{
  gint64 at;
  int code;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (report != NULL && report->checked_at != NULL, FALSE);

  at = g_date_time_to_unix (report->checked_at);

  if (self->has_level && self->last_level != DOWNBEAT_LEVEL_UNKNOWN
      && self->last_check_at != 0 && at - self->last_check_at > max_gap (self))
    add_change (self, self->last_check_at, DOWNBEAT_LEVEL_UNKNOWN, NULL);
  if (!self->has_level || self->last_level != report->level)
    add_change (self, at, report->level, incident_title (report));
  self->last_check_at = at;

  if (!ensure_open (self))
    return FALSE;

  code = write_all (self, report, at);
  if (is_damage (code) && !self->recovered)
    {
      move_aside (self);
      if (!ensure_open (self))
        return FALSE;
      code = write_all (self, report, at);
    }

  if (code != SQLITE_OK)
    {
      set_problem (self, cannot_keep (code));
      /* Opened again next time: the disk may have room by then. */
      close_database (self);
      return FALSE;
    }

  if (!self->recovered)
    set_problem (self, NULL);
  return TRUE;
}

/**
 * downbeat_history_uptime:
 * @from: the start of the span
 * @to: its end, usually now
 *
 * Returns: the seconds of the span spent in each level, from the recorded level changes
 */
DownbeatUptime
downbeat_history_uptime (DownbeatHistory *self,
                         GDateTime       *from,
                         GDateTime       *to)
{
  DownbeatUptime uptime = { 0 };
  g_autoptr(sqlite3_stmt) statement = NULL;
  gint64 start = g_date_time_to_unix (from);
  gint64 end = g_date_time_to_unix (to);
  DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN;
  gint64 since = start;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), uptime);

  if (!ensure_open (self)
      || sqlite3_prepare_v2 (self->db,
                             /* The level in force at the start, then every change in the span. */
                             "SELECT * FROM (SELECT at, level FROM changes WHERE at <= ?1"
                             "                ORDER BY at DESC, rowid DESC LIMIT 1)"
                             " UNION ALL"
                             " SELECT * FROM (SELECT at, level FROM changes"
                             "                WHERE at > ?1 AND at < ?2 ORDER BY at, rowid)",
                             -1, &statement, NULL) != SQLITE_OK)
    {
      uptime.unknown = end - start;
      return uptime;
    }

  sqlite3_bind_int64 (statement, 1, start);
  sqlite3_bind_int64 (statement, 2, end);

  for (;;)
    {
      gboolean row = sqlite3_step (statement) == SQLITE_ROW;
      gint64 at = row ? MAX (sqlite3_column_int64 (statement, 0), start) : end;
      DownbeatLevel next = DOWNBEAT_LEVEL_UNKNOWN;
      gint64 span = at - since;

      switch (level)
        {
        case DOWNBEAT_LEVEL_OPERATIONAL: uptime.operational += span; break;
        case DOWNBEAT_LEVEL_MAINTENANCE: uptime.maintenance += span; break;
        case DOWNBEAT_LEVEL_DEGRADED: uptime.degraded += span; break;
        case DOWNBEAT_LEVEL_OUTAGE: uptime.outage += span; break;
        case DOWNBEAT_LEVEL_OFFLINE:
        case DOWNBEAT_LEVEL_UNKNOWN:
        default: uptime.unknown += span; break;
        }

      if (!row)
        break;
      if (downbeat_level_from_string ((const char *) sqlite3_column_text (statement, 1), &next))
        level = next;
      since = at;
    }

  return uptime;
}

/**
 * downbeat_uptime_ratio:
 *
 * Returns: the share of the known time that was not an outage, from 0 to 1; -1 when nothing
 *   of the span is known
 */
double
downbeat_uptime_ratio (const DownbeatUptime *uptime)
{
  gint64 known = uptime->operational + uptime->maintenance + uptime->degraded + uptime->outage;

  if (known <= 0)
    return -1;
  return (double) (known - uptime->outage) / known;
}

void
downbeat_outage_free (DownbeatOutage *outage)
{
  if (outage == NULL)
    return;
  g_clear_pointer (&outage->start, g_date_time_unref);
  g_clear_pointer (&outage->end, g_date_time_unref);
  g_free (outage->incident);
  g_free (outage);
}

/**
 * downbeat_history_trust:
 *
 * Returns: (transfer container) (element-type DownbeatTrust): what was learnt here of each
 *   probe proven so far, to give back to the monitor when it starts
 */
GPtrArray *
downbeat_history_trust (DownbeatHistory *self)
{
  GPtrArray *trusts = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_trust_free);
  g_autoptr(sqlite3_stmt) statement = NULL;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), trusts);

  if (!ensure_open (self)
      || sqlite3_prepare_v2 (self->db, "SELECT probe, fingerprint, outdated, alone_since FROM trust",
                             -1, &statement, NULL) != SQLITE_OK)
    return trusts;

  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      DownbeatTrust *trust = g_new0 (DownbeatTrust, 1);

      trust->probe = g_strdup ((const char *) sqlite3_column_text (statement, 0));
      trust->fingerprint = g_strdup ((const char *) sqlite3_column_text (statement, 1));
      trust->outdated = sqlite3_column_int (statement, 2);
      trust->alone_since = sqlite3_column_int64 (statement, 3);
      g_ptr_array_add (trusts, trust);
    }

  return trusts;
}

/**
 * downbeat_history_outages:
 * @since: the earliest start wanted
 *
 * A problem runs from the first change to degraded or outage until the next change to
 * operational or maintenance; offline and unknown spells inside it do not end it.
 *
 * Returns: (transfer container) (element-type DownbeatOutage): oldest first
 */
GPtrArray *
downbeat_history_outages (DownbeatHistory *self,
                          GDateTime       *since)
{
  GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  g_autoptr(sqlite3_stmt) statement = NULL;
  DownbeatOutage *current = NULL;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), outages);

  if (!ensure_open (self)
      || sqlite3_prepare_v2 (self->db,
                             "SELECT at, level, incident FROM changes ORDER BY at, rowid",
                             -1, &statement, NULL) != SQLITE_OK)
    return outages;

  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (statement, 0);
      const char *incident = (const char *) sqlite3_column_text (statement, 2);
      DownbeatLevel level;

      if (!downbeat_level_from_string ((const char *) sqlite3_column_text (statement, 1), &level))
        continue;

      if (level == DOWNBEAT_LEVEL_DEGRADED || level == DOWNBEAT_LEVEL_OUTAGE)
        {
          if (current == NULL)
            {
              current = g_new0 (DownbeatOutage, 1);
              current->start = g_date_time_new_from_unix_utc (at);
              g_ptr_array_add (outages, current);
            }
          current->worst = MAX (current->worst, level);
          if (current->incident == NULL)
            current->incident = g_strdup (incident);
        }
      else if (current != NULL && downbeat_level_is_informative (level))
        {
          current->end = g_date_time_new_from_unix_utc (at);
          current = NULL;
        }
    }

  /* Those that ended before @since are not wanted. */
  for (guint i = outages->len; i > 0; i--)
    {
      DownbeatOutage *outage = g_ptr_array_index (outages, i - 1);

      if (outage->end != NULL && g_date_time_compare (outage->end, since) < 0)
        g_ptr_array_remove_index (outages, i - 1);
    }

  return outages;
}

/**
 * downbeat_history_latency:
 * @from: the earliest check wanted
 * @probe_ids: (out) (transfer full): the probes, which the points' probe field indexes
 *
 * Returns: (transfer full) (element-type DownbeatLatencyPoint): every probe's answer time
 *   since @from, oldest first, from the raw checks (kept 7 days)
 */
GArray *
downbeat_history_latency (DownbeatHistory *self,
                          GDateTime       *from,
                          GStrv           *probe_ids)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) statement = NULL;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), points);
  g_return_val_if_fail (probe_ids != NULL, points);

  if (ensure_open (self)
      && sqlite3_prepare_v2 (self->db,
                             "SELECT c.at, p.probe, p.latency_ms, p.ok"
                             "  FROM checks c JOIN probe_results p ON p.check_id = c.id"
                             "  WHERE c.at >= ? ORDER BY c.at",
                             -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, g_date_time_to_unix (from));

      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          const char *probe = (const char *) sqlite3_column_text (statement, 1);
          gpointer found;
          DownbeatLatencyPoint point;

          if (probe == NULL)
            continue;
          if (!g_hash_table_lookup_extended (index, probe, NULL, &found))
            {
              found = GUINT_TO_POINTER (g_hash_table_size (index));
              g_hash_table_insert (index, g_strdup (probe), found);
              g_strv_builder_add (ids, probe);
            }

          point.at = sqlite3_column_int64 (statement, 0);
          point.probe = GPOINTER_TO_UINT (found);
          point.latency_ms = sqlite3_column_type (statement, 2) == SQLITE_NULL
                             ? -1 : sqlite3_column_int (statement, 2);
          point.ok = sqlite3_column_int (statement, 3);
          g_array_append_val (points, point);
        }
    }

  *probe_ids = g_strv_builder_end (ids);
  return points;
}

/**
 * downbeat_history_get_since:
 *
 * Returns: (transfer full) (nullable): when the level last changed to what it is now
 */
GDateTime *
downbeat_history_get_since (DownbeatHistory *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!self->has_level)
    return NULL;
  return g_date_time_new_from_unix_utc (self->last_change_at);
}

const char *
downbeat_history_get_problem (DownbeatHistory *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  return self->problem;
}

/* For tests: how a full disk looks to SQLite, without filling one. */
void
downbeat_history_set_max_pages (DownbeatHistory *self,
                                 guint            pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", pages);

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  if (ensure_open (self))
    exec (self, sql);
}

/**
 * downbeat_history_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/downbeat/history.db`
 */
char *
downbeat_history_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "downbeat", "history.db", NULL);
}

static void
downbeat_history_finalize (GObject *object)
{
  DownbeatHistory *self = (DownbeatHistory *)object;

  close_database (self);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->trust_written, g_hash_table_unref);
  g_free (self->problem);
  g_free (self->path);

  G_OBJECT_CLASS (downbeat_history_parent_class)->finalize (object);
}

static void
downbeat_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DownbeatHistory *self = DOWNBEAT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_history_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DownbeatHistory *self = DOWNBEAT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_POLL_INTERVAL:
      if (self->poll_interval != g_value_get_uint (value))
        {
          self->poll_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_history_class_init (DownbeatHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = downbeat_history_finalize;
  object_class->get_property = downbeat_history_get_property;
  object_class->set_property = downbeat_history_set_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  /**
   * DownbeatHistory:poll-interval:
   *
   * The seconds between checks: a longer silence is recorded as a time not known.
   */
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 1, G_MAXUINT, 60,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
downbeat_history_init (DownbeatHistory *self)
{
  self->poll_interval = 60;
  self->pending = g_array_new (FALSE, FALSE, sizeof (Change));
  self->trust_written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_array_set_clear_func (self->pending, (GDestroyNotify) change_clear);
}

/**
 * downbeat_history_new:
 * @path: the database file, usually downbeat_history_default_path()
 *
 * Never fails: a history that cannot be kept says why in #DownbeatHistory:problem, and the
 * application goes on without it.
 */
DownbeatHistory *
downbeat_history_new (const char *path)
{
  DownbeatHistory *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  ensure_open (self);

  return self;
}
