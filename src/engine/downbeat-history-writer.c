/* downbeat-history-writer.c: the writer thread: its queue, and what it writes when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-history"

#include "config.h"

#include "downbeat-history-internal.h"
#include "downbeat-memory.h"

#define RAW_SECONDS (7 * 24 * 60 * 60)
#define HOURLY_SECONDS (366 * 24 * 60 * 60)
#define PRUNE_EVERY (60 * 60)
/* At the end, how long the changes not on disk yet may wait for a locked or slow disk
 * (docs/design.md, "The history"). */
#define CLOSE_WAIT_MS 5000
/* …and how much longer the end waits for the writer's last attempt to return. */
#define CLOSE_GRACE_MS 1000

typedef struct
{
  ChangeKind     kind;
  gint64         at;
  DownbeatLevel  level;           /* of a CHANGE_LEVEL */
  char          *incident;        /* of a CHANGE_LEVEL */
} Change;

struct _Store
{
  char          *path;
  DownbeatWorker *writer;         /* whose thread this is used on */
  sqlite3       *db;              /* NULL while the history cannot be kept */
  sqlite3_stmt  *insert_check;
  sqlite3_stmt  *insert_probe;
  sqlite3_stmt  *upsert_hourly;
  sqlite3_stmt  *insert_change;
  sqlite3_stmt  *insert_sighting;
  sqlite3_stmt  *upsert_trust;
  sqlite3_stmt  *delete_trust;
  sqlite3_stmt  *insert_announcement;
  sqlite3_stmt  *delete_announcement;
  sqlite3_stmt  *prune_results;
  sqlite3_stmt  *prune_checks;
  sqlite3_stmt  *prune_hourly;
  GHashTable    *trust_written;   /* probe id → what its trust row says, to write only changes */
  GArray        *pending;         /* of Change: level changes not on disk yet */
  gboolean       announce;        /* the announcement below is not on disk yet */
  DownbeatAnnouncement *announcement;  /* nullable: none */
  gint64         last_prune_at;
  gint64         give_up_at;      /* monotonic, once the history is closing; else 0 */
  gboolean       recovered;       /* a damaged file was moved aside once already */
};

typedef enum
{
  JOB_RECORD,
  JOB_MAX_PAGES,
  JOB_ANNOUNCE,
} JobKind;

/* One thing for the writer to do, and what came of it. */
typedef struct
{
  JobKind          kind;
  Store           *store;
  DownbeatReport  *report;        /* immutable once published: read on the writer's thread */
  gint64           at;
  gint64           keep_checks;   /* how many checks RAW_SECONDS hold at the poll interval */
  GArray          *changes;       /* of Change: the level changes this check brings */
  DownbeatAnnouncement *announcement;  /* of a JOB_ANNOUNCE; nullable */
  guint            pages;
  gboolean         waited_for;    /* its caller applies the result itself */
  /* Filled in by the writer. */
  int              code;
  char            *aside;         /* nullable: where a damaged file was moved */
  GWeakRef         history;       /* of a job not waited for: whom to tell */
} Job;

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->incident, g_free);
}

static GArray *
changes_new (void)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_array_set_clear_func (changes, (GDestroyNotify) change_clear);
  return changes;
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->report, downbeat_report_unref);
  g_clear_pointer (&job->changes, g_array_unref);
  g_clear_pointer (&job->announcement, downbeat_announcement_free);
  g_free (job->aside);
  g_weak_ref_clear (&job->history);
  g_free (job);
}

/* The writer's thread. */

static void
store_close (Store *store)
{
  g_clear_pointer (&store->insert_check, sqlite3_finalize);
  g_clear_pointer (&store->insert_probe, sqlite3_finalize);
  g_clear_pointer (&store->upsert_hourly, sqlite3_finalize);
  g_clear_pointer (&store->insert_change, sqlite3_finalize);
  g_clear_pointer (&store->insert_sighting, sqlite3_finalize);
  g_clear_pointer (&store->upsert_trust, sqlite3_finalize);
  g_clear_pointer (&store->delete_trust, sqlite3_finalize);
  g_clear_pointer (&store->insert_announcement, sqlite3_finalize);
  g_clear_pointer (&store->delete_announcement, sqlite3_finalize);
  g_clear_pointer (&store->prune_results, sqlite3_finalize);
  g_clear_pointer (&store->prune_checks, sqlite3_finalize);
  g_clear_pointer (&store->prune_hourly, sqlite3_finalize);
  g_hash_table_remove_all (store->trust_written);
  g_clear_pointer (&store->db, sqlite3_close);
}

static void
store_free (Store *store)
{
  store_close (store);
  g_hash_table_unref (store->trust_written);
  g_array_unref (store->pending);
  g_clear_pointer (&store->announcement, downbeat_announcement_free);
  g_free (store->path);
  g_free (store);
}

static int
prepare (Store         *store,
         const char    *sql,
         sqlite3_stmt **statement)
{
  return sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, NULL);
}

/* How long the writer may wait for a lock now: at the end, only what is left until it gives
 * up. */
static int
store_busy_ms (Store *store,
               int    wanted_ms)
{
  if (store->give_up_at == 0)
    return wanted_ms;
  return CLAMP ((store->give_up_at - g_get_monotonic_time ()) / 1000, 0, wanted_ms);
}

static int
store_open (Store *store)
{
  int code;

  if (store->db != NULL)
    {
      sqlite3_busy_timeout (store->db, store_busy_ms (store, WRITER_BUSY_MS));
      return SQLITE_OK;
    }

  if ((code = downbeat_history_open_connection (store->path,
                                                store_busy_ms (store, SETUP_BUSY_MS),
                                                store_busy_ms (store, WRITER_BUSY_MS),
                                                &store->db)) != SQLITE_OK
      || (code = prepare (store, "INSERT INTO checks (at, level, indicator) VALUES (?, ?, ?)",
                          &store->insert_check)) != SQLITE_OK
      || (code = prepare (store, "INSERT INTO probe_results VALUES (?, ?, ?, ?, ?, ?)",
                          &store->insert_probe)) != SQLITE_OK
      || (code = prepare (store,
                          "INSERT INTO hourly VALUES (?1 / 3600 * 3600, ?2, 1, ?3, ?4, ?5)"
                          " ON CONFLICT (hour, probe) DO UPDATE SET"
                          " checks = checks + 1, failures = failures + excluded.failures,"
                          " latency_sum = latency_sum + excluded.latency_sum,"
                          " latency_max = max(coalesce(latency_max, excluded.latency_max),"
                          "                   coalesce(excluded.latency_max, latency_max))",
                          &store->upsert_hourly)) != SQLITE_OK
      || (code = prepare (store, "INSERT INTO changes (at, level, incident) VALUES (?, ?, ?)",
                          &store->insert_change)) != SQLITE_OK
      || (code = prepare (store, "INSERT INTO sightings (at, kind) VALUES (?, ?)",
                          &store->insert_sighting)) != SQLITE_OK
      || (code = prepare (store, "INSERT OR REPLACE INTO trust VALUES (?, ?, ?, ?)",
                          &store->upsert_trust)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM trust WHERE probe = ?",
                          &store->delete_trust)) != SQLITE_OK
      || (code = prepare (store, "INSERT INTO announcement VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                          &store->insert_announcement)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM announcement",
                          &store->delete_announcement)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM probe_results WHERE check_id IN"
                                 " (SELECT id FROM checks WHERE at < ?1"
                                 "  AND id <= (SELECT max(id) FROM checks) - ?2)",
                          &store->prune_results)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM checks WHERE at < ?1"
                                 " AND id <= (SELECT max(id) FROM checks) - ?2",
                          &store->prune_checks)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM hourly WHERE hour < ?1"
                                 " AND hour < (SELECT min(hour) FROM (SELECT DISTINCT hour"
                                 "  FROM hourly ORDER BY hour DESC LIMIT ?2))",
                          &store->prune_hourly)) != SQLITE_OK)
    store_close (store);

  return code;
}

/* For tests: a limit on the connection open now; the next one has none. The one SQL text with
 * a value printed in: SQLite takes no parameters in a PRAGMA, and an unsigned number carries no
 * SQL. */
static void
set_max_pages (Store *store,
               guint  pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", pages);

  if (store_open (store) == SQLITE_OK)
    exec (store->db, sql);
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
write_change (Store        *store,
              const Change *change)
{
  if (change->kind != CHANGE_LEVEL)
    {
      sqlite3_bind_int64 (store->insert_sighting, 1, change->at);
      sqlite3_bind_text (store->insert_sighting, 2,
                         downbeat_history_sighting_names[change->kind], -1, SQLITE_STATIC);
      return step_reset (store->insert_sighting);
    }

  sqlite3_bind_int64 (store->insert_change, 1, change->at);
  sqlite3_bind_text (store->insert_change, 2, downbeat_level_to_string (change->level), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (store->insert_change, 3, change->incident, -1, SQLITE_TRANSIENT);
  return step_reset (store->insert_change);
}

static int
write_probe (Store                     *store,
             gint64                     check_id,
             gint64                     at,
             const DownbeatProbeStatus *status)
{
  const DownbeatProbeResult *result = status->result;
  gboolean answered = result->http_status != 0;
  int code;

  sqlite3_bind_int64 (store->insert_probe, 1, check_id);
  sqlite3_bind_text (store->insert_probe, 2, status->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (store->insert_probe, 3, result->ok);
  if (answered)
    {
      sqlite3_bind_int (store->insert_probe, 4, result->http_status);
      sqlite3_bind_int64 (store->insert_probe, 5, result->latency_ms);
    }
  sqlite3_bind_text (store->insert_probe, 6, result->error, -1, SQLITE_STATIC);
  if ((code = step_reset (store->insert_probe)) != SQLITE_OK)
    return code;

  sqlite3_bind_int64 (store->upsert_hourly, 1, at);
  sqlite3_bind_text (store->upsert_hourly, 2, status->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (store->upsert_hourly, 3, !result->ok);
  sqlite3_bind_int64 (store->upsert_hourly, 4, answered ? result->latency_ms : 0);
  if (answered)
    sqlite3_bind_int64 (store->upsert_hourly, 5, result->latency_ms);
  return step_reset (store->upsert_hourly);
}

/* Only what changed is written: trust changes a few times in a probe's life. */
static int
write_trust (Store                     *store,
             const DownbeatProbeStatus *status)
{
  const DownbeatConfirmation *trust = &status->confirmation;
  g_autofree char *row = NULL;
  const char *written;
  int code;

  if (trust->proven)
    row = g_strdup_printf ("%s %d %" G_GINT64_FORMAT, status->fingerprint, trust->outdated,
                           trust->alone_since);
  written = g_hash_table_lookup (store->trust_written, status->id);
  if (g_strcmp0 (row, written) == 0 && g_hash_table_contains (store->trust_written, status->id))
    return SQLITE_OK;

  if (trust->proven)
    {
      sqlite3_bind_text (store->upsert_trust, 1, status->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (store->upsert_trust, 2, status->fingerprint, -1, SQLITE_STATIC);
      sqlite3_bind_int (store->upsert_trust, 3, trust->outdated);
      sqlite3_bind_int64 (store->upsert_trust, 4, trust->alone_since);
      code = step_reset (store->upsert_trust);
    }
  else
    {
      sqlite3_bind_text (store->delete_trust, 1, status->id, -1, SQLITE_STATIC);
      code = step_reset (store->delete_trust);
    }

  if (code == SQLITE_OK)
    g_hash_table_insert (store->trust_written, g_strdup (status->id), g_steal_pointer (&row));
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
write_check (Store          *store,
             DownbeatReport *report,
             gint64          at)
{
  gint64 check_id;
  int code;

  sqlite3_bind_int64 (store->insert_check, 1, at);
  sqlite3_bind_text (store->insert_check, 2, downbeat_level_to_string (report->level), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (store->insert_check, 3, first_indicator (report), -1, SQLITE_STATIC);
  if ((code = step_reset (store->insert_check)) != SQLITE_OK)
    return code;
  check_id = sqlite3_last_insert_rowid (store->db);

  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);

      if (status->result != NULL && (code = write_probe (store, check_id, at, status)) != SQLITE_OK)
        return code;
      if (report->level != DOWNBEAT_LEVEL_OFFLINE
          && (code = write_trust (store, status)) != SQLITE_OK)
        return code;
    }

  return SQLITE_OK;
}

/* What is older than its time by the clock, and beyond as many checks (or hours) as that time
 * holds: a clock put days ahead, then back, takes nothing away (docs/design.md, "The
 * history"). @keep_checks: how many checks RAW_SECONDS hold at the poll interval. */
static int
prune (Store  *store,
       gint64  now,
       gint64  keep_checks)
{
  int code;

  if (now - store->last_prune_at < PRUNE_EVERY)
    return SQLITE_OK;
  store->last_prune_at = now;

  sqlite3_bind_int64 (store->prune_results, 1, now - RAW_SECONDS);
  sqlite3_bind_int64 (store->prune_results, 2, keep_checks);
  sqlite3_bind_int64 (store->prune_checks, 1, now - RAW_SECONDS);
  sqlite3_bind_int64 (store->prune_checks, 2, keep_checks);
  sqlite3_bind_int64 (store->prune_hourly, 1, now - HOURLY_SECONDS);
  sqlite3_bind_int64 (store->prune_hourly, 2, HOURLY_SECONDS / 3600);
  if ((code = step_reset (store->prune_results)) != SQLITE_OK
      || (code = step_reset (store->prune_checks)) != SQLITE_OK)
    return code;
  return step_reset (store->prune_hourly);
}

/* The incident a notification was shown for, or none: one row at most. */
static int
write_announcement (Store *store)
{
  const DownbeatAnnouncement *announcement = store->announcement;
  int code;

  if ((code = step_reset (store->delete_announcement)) != SQLITE_OK || announcement == NULL)
    return code;

  sqlite3_bind_int64 (store->insert_announcement, 1, announcement->since);
  sqlite3_bind_text (store->insert_announcement, 2, downbeat_level_to_string (announcement->level),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (store->insert_announcement, 3, downbeat_level_to_string (announcement->worst),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (store->insert_announcement, 4, announcement->summary, -1, SQLITE_STATIC);
  sqlite3_bind_text (store->insert_announcement, 5, announcement->body, -1, SQLITE_STATIC);
  sqlite3_bind_int (store->insert_announcement, 6, announcement->urgency);
  sqlite3_bind_int64 (store->insert_announcement, 7, announcement->server_id);
  sqlite3_bind_int (store->insert_announcement, 8, announcement->when_back);
  return step_reset (store->insert_announcement);
}

/* One transaction: the pending level changes, then the check if there is one. A transaction
 * with a level change in it is synced before the writer goes on. */
static int
write_all (Store          *store,
           DownbeatReport *report,
           gint64          at,
           gint64          keep_checks)
{
  gboolean changes = store->pending->len > 0 || store->announce;
  int code;

  if (changes)
    exec (store->db, "PRAGMA synchronous = FULL");

  if ((code = exec (store->db, "BEGIN IMMEDIATE")) != SQLITE_OK)
    goto out;

  for (guint i = 0; i < store->pending->len; i++)
    if ((code = write_change (store, &g_array_index (store->pending, Change, i))) != SQLITE_OK)
      goto rollback;
  if (store->announce && (code = write_announcement (store)) != SQLITE_OK)
    goto rollback;

  if (report != NULL
      && ((code = write_check (store, report, at)) != SQLITE_OK
          || (code = prune (store, at, keep_checks)) != SQLITE_OK))
    goto rollback;
  if ((code = exec (store->db, "COMMIT")) != SQLITE_OK)
    goto rollback;

  g_array_set_size (store->pending, 0);
  store->announce = FALSE;
  goto out;

rollback:
  exec (store->db, "ROLLBACK");
out:
  if (changes)
    exec (store->db, "PRAGMA synchronous = NORMAL");
  return code;
}

/* A check and the changes it brings, or the announcement; when the disk cannot take them,
 * they wait for the next job that can be written, and the writer opens the file again then. */
static void
write_record (Store *store,
              Job   *job)
{
  if (job->kind == JOB_ANNOUNCE)
    {
      g_clear_pointer (&store->announcement, downbeat_announcement_free);
      store->announcement = g_steal_pointer (&job->announcement);
      store->announce = TRUE;
    }
  else
    {
      g_array_append_vals (store->pending, job->changes->data, job->changes->len);
      /* The strings now belong to the store's copies. */
      g_array_set_clear_func (job->changes, NULL);
    }

  if ((job->code = store_open (store)) == SQLITE_OK)
    job->code = write_all (store, job->report, job->at, job->keep_checks);

  if (is_damage (job->code) && !store->recovered)
    {
      store_close (store);
      job->aside = downbeat_history_move_aside (store->path);
      store->recovered = TRUE;
      if ((job->code = store_open (store)) == SQLITE_OK)
        job->code = write_all (store, job->report, job->at, job->keep_checks);
    }

  if (job->code != SQLITE_OK)
    store_close (store);
}

/* The last job: the changes the disk has refused so far are tried again until the writer gives
 * up; then its connection is closed. */
static void
flush_pending (Store *store)
{
  int code = SQLITE_OK;

  while (store->pending->len > 0 || store->announce)
    {
      if (g_get_monotonic_time () >= store->give_up_at)
        {
          g_message ("%u level changes were not written before the end: %s",
                     store->pending->len, sqlite3_errstr (code));
          break;
        }
      if ((code = store_open (store)) == SQLITE_OK)
        code = write_all (store, NULL, 0, 0);
      if (code != SQLITE_OK)
        {
          store_close (store);
          g_usleep (50 * G_TIME_SPAN_MILLISECOND);
        }
    }

  store_close (store);
}

/* On the main thread: the history learns what came of a job. */
static void
apply_result (DownbeatHistory *self,
              Job             *job)
{
  if (job->kind != JOB_RECORD && job->kind != JOB_ANNOUNCE)
    return;

  if (job->aside != NULL)
    downbeat_history_note_moved_aside (self, job->aside);

  if (job->code != SQLITE_OK)
    downbeat_history_set_problem (self, downbeat_history_cannot_keep (job->code));
  else
    {
      if (!self->recovered)
        downbeat_history_set_problem (self, NULL);
      if (job->kind == JOB_RECORD)
        downbeat_history_emit_written (self);
    }
}

static gboolean
hand_back (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(DownbeatHistory) self = g_weak_ref_get (&job->history);

  if (self != NULL)
    apply_result (self, job);
  return G_SOURCE_REMOVE;
}

/* On the writer's thread, in the order posted. What is queued at the end waits no longer than
 * the end does (downbeat_worker_set_deadline()). */
static void
run_job (gpointer user_data)
{
  Job *job = user_data;
  Store *store = job->store;

  store->give_up_at = downbeat_worker_get_deadline (store->writer);
  if (job->kind == JOB_MAX_PAGES)
    set_max_pages (store, job->pages);
  else
    write_record (store, job);

  /* The check is written: the app is about to idle until the next one. */
  if (job->kind == JOB_RECORD && downbeat_worker_get_queued (store->writer) == 0)
    downbeat_memory_give_back ();

  if (!job->waited_for)
    downbeat_worker_hand_back (store->writer, hand_back, job, (GDestroyNotify) job_free);
}

/* The writer's last job: it lets go of the store. */
static void
finish (gpointer user_data)
{
  Store *store = user_data;

  store->give_up_at = downbeat_worker_get_deadline (store->writer);
  flush_pending (store);
  store_free (store);
}

/* Hands @job to the writer. A job waited for is the caller's to free once this returns; one
 * not waited for is handed back to whom its weak reference names. Returns: whether there is a
 * writer to take it */
static gboolean
post (DownbeatHistory *self,
      Job             *job)
{
  if (self->writer == NULL)
    return FALSE;
  job->store = self->store;
  if (job->waited_for)
    downbeat_worker_call (self->writer, run_job, job);
  else
    downbeat_worker_post (self->writer, run_job, job, NULL);
  return TRUE;
}

void
downbeat_history_writer_start (DownbeatHistory *self)
{
  self->store = g_new0 (Store, 1);
  self->store->path = g_strdup (self->path);
  self->store->trust_written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->store->pending = changes_new ();
  self->store->recovered = self->recovered;
  self->writer = self->store->writer = downbeat_worker_new ("downbeat-history");
}

void
downbeat_history_writer_stop (DownbeatHistory *self)
{
  DownbeatWorker *writer = g_steal_pointer (&self->writer);
  gint64 give_up_at = g_get_monotonic_time () + CLOSE_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  downbeat_worker_set_deadline (writer, give_up_at);
  downbeat_worker_post (writer, finish, g_steal_pointer (&self->store), NULL);
  /* Only a disk that holds a single write for seconds (a hung network share) gets here. */
  if (!downbeat_worker_stop (writer, give_up_at + CLOSE_GRACE_MS * G_TIME_SPAN_MILLISECOND))
    g_message ("The history's writer is still at the disk: Downbeat ends without it");
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
            GArray          *changes,
            gint64           at,
            DownbeatLevel    level,
            char            *incident)
{
  Change change = { CHANGE_LEVEL, at, level, incident };

  g_array_append_val (changes, change);
  self->last_level = level;
  self->last_change_at = at;
  self->has_level = TRUE;
}

/* A problem's first confirmation here, or its first acknowledgement, is written with the first
 * check that carries it. */
static void
add_sighting (GArray     *changes,
              ChangeKind  kind,
              GDateTime  *seen,
              gint64     *last)
{
  Change change = { kind, 0, DOWNBEAT_LEVEL_UNKNOWN, NULL };

  if (seen == NULL || g_date_time_to_unix (seen) == *last)
    return;
  change.at = *last = g_date_time_to_unix (seen);
  g_array_append_val (changes, change);
}

/* Longer than this between two checks, and nobody was looking: Downbeat was not running, or
 * the computer slept. That time is not known. */
static gint64
max_gap (DownbeatHistory *self)
{
  return 2 * (gint64) self->poll_interval + 60;
}

/* The job that records @report: the level change it is, if it is one, decided here, in the
 * order of the checks. */
static Job *
record_job (DownbeatHistory *self,
            DownbeatReport  *report)
{
  Job *job = g_new0 (Job, 1);
  gint64 at = g_date_time_to_unix (report->checked_at);

  job->kind = JOB_RECORD;
  job->report = downbeat_report_ref (report);
  job->at = at;
  job->keep_checks = RAW_SECONDS / self->poll_interval;
  job->changes = changes_new ();

  if (self->has_level && self->last_level != DOWNBEAT_LEVEL_UNKNOWN
      && self->last_check_at != 0 && at - self->last_check_at > max_gap (self))
    add_change (self, job->changes, self->last_check_at, DOWNBEAT_LEVEL_UNKNOWN, NULL);
  if (!self->has_level || self->last_level != report->level)
    add_change (self, job->changes, at, report->level, incident_title (report));
  add_sighting (job->changes, CHANGE_NOTICED, report->noticed_at, &self->last_noticed);
  add_sighting (job->changes, CHANGE_ACKNOWLEDGED, report->acknowledged_at,
                &self->last_acknowledged);
  self->last_check_at = at;

  return job;
}

/**
 * downbeat_history_add:
 * @report: a check cycle's report
 *
 * Hands the check, and the level change if it is one, to the history's writer thread, and
 * returns at once: the main loop never waits for the disk. The writer writes in the order of
 * the checks, and syncs a level change before it writes anything after it. A change the disk
 * cannot take (locked, full) is kept and written with the next check that can be; what came of
 * it is #DownbeatHistory:problem, and #DownbeatHistory::written is emitted once it is on disk.
 */
void
downbeat_history_add (DownbeatHistory *self,
                      DownbeatReport  *report)
{
  Job *job;

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));
  g_return_if_fail (report != NULL && report->checked_at != NULL);

  job = record_job (self, report);
  g_weak_ref_init (&job->history, self);
  if (!post (self, job))
    job_free (job);
}

/**
 * downbeat_history_record:
 * @report: a check cycle's report
 *
 * As downbeat_history_add(), and waits for the writer: for `--check`, tests and benchmarks,
 * never the main loop of the application.
 *
 * Returns: whether everything is on disk
 */
gboolean
downbeat_history_record (DownbeatHistory *self,
                         DownbeatReport  *report)
{
  Job *job;
  gboolean written;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (report != NULL && report->checked_at != NULL, FALSE);

  job = record_job (self, report);
  job->waited_for = TRUE;
  written = post (self, job);
  if (written)
    {
      apply_result (self, job);
      written = job->code == SQLITE_OK;
    }
  job_free (job);

  return written;
}

/**
 * downbeat_history_announce:
 * @announcement: (nullable): the incident whose notification is up, or %NULL for none
 *
 * Keeps it for a later run, synced like a level change (docs/design.md, "Notifications").
 */
void
downbeat_history_announce (DownbeatHistory            *self,
                           const DownbeatAnnouncement *announcement)
{
  Job *job;

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  job = g_new0 (Job, 1);
  job->kind = JOB_ANNOUNCE;
  job->announcement = announcement != NULL ? downbeat_announcement_copy (announcement) : NULL;
  g_weak_ref_init (&job->history, self);
  if (!post (self, job))
    job_free (job);
}

/* For tests: how a full disk looks to SQLite, without filling one. */
void
downbeat_history_set_max_pages (DownbeatHistory *self,
                                 guint            pages)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  job->kind = JOB_MAX_PAGES;
  job->pages = pages;
  job->waited_for = TRUE;
  post (self, job);
  job_free (job);
}
