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
#include "downbeat-memory.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SCHEMA_VERSION 5
#define RAW_SECONDS (7 * 24 * 60 * 60)
#define HOURLY_SECONDS (366 * 24 * 60 * 60)
#define PRUNE_EVERY (60 * 60)
/* How long a connection waits for another's lock: the reader serves the window on the main
 * loop, the writer has a thread of its own to wait on. */
#define READER_BUSY_MS 20
#define WRITER_BUSY_MS 2000
/* Creating or migrating the file: once, under the write lock, whoever else is at it (the app at
 * login and a bar's `downbeat --watch`). */
#define SETUP_BUSY_MS 10000
/* At the end, how long the changes not on disk yet may wait for a locked or slow disk
 * (docs/design.md, "The history"). */
#define CLOSE_WAIT_MS 5000

/* Each entry brings the schema from the version before it to its own number, and says so. */
static const char * const migrations[] = {
  [1] =
    "CREATE TABLE checks (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, level TEXT NOT NULL,"
    "                     indicator TEXT);"
    "CREATE INDEX checks_by_time ON checks (at);"
    "CREATE TABLE probe_results (check_id INTEGER NOT NULL, probe TEXT NOT NULL,"
    "                            ok INTEGER NOT NULL, http_status INTEGER, latency_ms INTEGER,"
    "                            error TEXT, PRIMARY KEY (check_id, probe)) WITHOUT ROWID;"
    "CREATE TABLE changes (at INTEGER NOT NULL, level TEXT NOT NULL);"
    "CREATE INDEX changes_by_time ON changes (at);"
    "PRAGMA user_version = 1;",
  [2] =
    "ALTER TABLE changes ADD COLUMN incident TEXT;"
    "CREATE TABLE hourly (hour INTEGER NOT NULL, probe TEXT NOT NULL, checks INTEGER NOT NULL,"
    "                     failures INTEGER NOT NULL, latency_sum INTEGER NOT NULL,"
    "                     latency_max INTEGER, PRIMARY KEY (hour, probe)) WITHOUT ROWID;"
    "INSERT INTO hourly SELECT c.at / 3600 * 3600, p.probe, count(*), sum(NOT p.ok),"
    "                          total(coalesce(p.latency_ms, 0)), max(p.latency_ms)"
    "  FROM checks c JOIN probe_results p ON p.check_id = c.id GROUP BY 1, 2;"
    "PRAGMA user_version = 2;",
  [3] =
    "CREATE TABLE trust (probe TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
    "                    outdated INTEGER NOT NULL, alone_since INTEGER NOT NULL) WITHOUT ROWID;"
    "PRAGMA user_version = 3;",
  [4] =
    "CREATE TABLE sightings (at INTEGER NOT NULL, kind TEXT NOT NULL);"
    "CREATE INDEX sightings_by_time ON sightings (at);"
    "PRAGMA user_version = 4;",
  [5] =
    "CREATE TABLE announcement (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "                           since INTEGER NOT NULL, level TEXT NOT NULL,"
    "                           worst TEXT NOT NULL, summary TEXT, body TEXT,"
    "                           urgency INTEGER NOT NULL, server_id INTEGER NOT NULL,"
    "                           when_back INTEGER NOT NULL);"
    "PRAGMA user_version = 5;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCHEMA_VERSION + 1);

/* Not SQLite's: the file is a newer Downbeat's, whose schema is not ours to read or change. */
#define NEWER_SCHEMA (SQLITE_CANTOPEN | (0x40 << 8))

/* What is synced with a level change: the change itself, or the moment a problem was first
 * confirmed here or first acknowledged by an official page (a sighting). */
typedef enum
{
  CHANGE_LEVEL,
  CHANGE_NOTICED,
  CHANGE_ACKNOWLEDGED,
} ChangeKind;

static const char * const downbeat_history_sighting_names[] = {
  [CHANGE_NOTICED] = "noticed",
  [CHANGE_ACKNOWLEDGED] = "acknowledged",
};

typedef struct
{
  ChangeKind     kind;
  gint64         at;
  DownbeatLevel  level;           /* of a CHANGE_LEVEL */
  char          *incident;        /* of a CHANGE_LEVEL */
} Change;

/* The writer's side: its own connection, used only on its thread. */
typedef struct _Store Store;

struct _Store
{
  char          *path;
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
  JOB_QUIT,
} JobKind;

/* One thing for the writer to do, and what came of it. */
typedef struct
{
  JobKind          kind;
  DownbeatReport  *report;        /* immutable once published: read on the writer's thread */
  gint64           at;
  GArray          *changes;       /* of Change: the level changes this check brings */
  DownbeatAnnouncement *announcement;  /* of a JOB_ANNOUNCE; nullable */
  guint            pages;
  gboolean         waited_for;    /* its caller applies the result itself */
  /* Filled in by the writer. */
  gboolean         done;
  int              code;
  char            *aside;         /* nullable: where a damaged file was moved */
  GWeakRef         history;       /* of a job not waited for: whom to tell */
} Job;

struct _DownbeatHistory
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;              /* the reader's connection, on the main thread */
  char          *problem;         /* nullable: why the history is not what it should be */

  DownbeatLevel  last_level;      /* of the last change, written or pending */
  gint64         last_change_at;
  gint64         last_noticed;    /* unix time of the last sightings written or pending */
  gint64         last_acknowledged;
  gboolean       has_level;
  gint64         last_check_at;   /* unix time; 0 before the first */
  guint          poll_interval;
  gboolean       recovered;       /* a damaged file was moved aside once already */
  gboolean       closed;

  GThread       *writer;          /* NULL once closed */
  GAsyncQueue   *jobs;
  Store         *store;           /* the writer's, touched only on its thread */
  GMainContext  *context;         /* where results are handed back */
  GMutex         lock;            /* for Job.done and give_up_at */
  gint64         give_up_at;      /* monotonic: when the writer stops waiting for the disk */
  GCond          done;
};

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_POLL_INTERVAL,
  N_PROPS
};

enum {
  WRITTEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DownbeatHistory, downbeat_history, G_TYPE_OBJECT)

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

static void
downbeat_history_set_problem (DownbeatHistory *self,
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

static void
downbeat_history_emit_written (DownbeatHistory *self)
{
  g_signal_emit (self, signals[WRITTEN], 0);
}

static gboolean
is_damage (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

static int
exec (sqlite3    *db,
      const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static int
read_version (sqlite3 *db,
              int     *version)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int code;

  code = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL);
  if (code != SQLITE_OK || (code = sqlite3_step (statement)) != SQLITE_ROW)
    return code;
  *version = sqlite3_column_int (statement, 0);
  return SQLITE_OK;
}

/* The version is read again under the write lock: another process may have created or
 * migrated the file meanwhile, and a migration must run once. */
static int
migrate (sqlite3 *db)
{
  int version = 0;
  int code;

  if ((code = read_version (db, &version)) != SQLITE_OK || version == SCHEMA_VERSION)
    return code;
  if (version > SCHEMA_VERSION)
    return NEWER_SCHEMA;

  if ((code = exec (db, "BEGIN IMMEDIATE")) != SQLITE_OK)
    return code;
  if ((code = read_version (db, &version)) == SQLITE_OK)
    for (int step = version + 1; step <= SCHEMA_VERSION && code == SQLITE_OK; step++)
      {
        g_debug ("Migrating the history to schema %d", step);
        code = exec (db, migrations[step]);
      }
  if (code == SQLITE_OK && version > SCHEMA_VERSION)
    code = NEWER_SCHEMA;

  if (code != SQLITE_OK)
    {
      exec (db, "ROLLBACK");
      return code;
    }
  return exec (db, "COMMIT");
}

/* A new file is switched to WAL under an exclusive lock, and SQLite answers SQLITE_BUSY at
 * once, without waiting its busy timeout, while another connection holds a shared lock (a
 * deadlock it will not wait out): several processes opening a fresh file together saw "database
 * is locked". Asked again until @setup_ms have passed. */
static int
enter_wal (sqlite3 *db,
           int      setup_ms)
{
  gint64 deadline = g_get_monotonic_time () + setup_ms * G_TIME_SPAN_MILLISECOND;
  int code;

  while ((code = exec (db, "PRAGMA journal_mode = WAL")) != SQLITE_OK
         && (code & 0xff) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  return code;
}

/* Opens @path, creating and migrating it as needed, waiting @setup_ms for that; then @busy_ms
 * for a lock: the reader waits little, on the main loop; the writer longer, on its thread. */
static int
downbeat_history_open_connection (const char  *path,
                                  int          setup_ms,
                                  int          busy_ms,
                                  sqlite3    **db)
{
  g_autofree char *directory = g_path_get_dirname (path);
  int code;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    return SQLITE_CANTOPEN;

  code = sqlite3_open_v2 (path, db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                          NULL);
  if (code != SQLITE_OK)
    return code;

  sqlite3_extended_result_codes (*db, TRUE);
  sqlite3_busy_timeout (*db, setup_ms);

  if ((code = enter_wal (*db, setup_ms)) != SQLITE_OK
      || (code = exec (*db, "PRAGMA synchronous = NORMAL")) != SQLITE_OK
      /* A tray app's budget, kept all day: appending a check touches a few pages of each
       * table and index; the window reads on a connection of its own. */
      || (code = exec (*db, "PRAGMA cache_size = -64")) != SQLITE_OK
      || (code = migrate (*db)) != SQLITE_OK)
    return code;

  sqlite3_busy_timeout (*db, busy_ms);
  return SQLITE_OK;
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

static char *
newer_schema (void)
{
  return g_strdup (_("The history was written by a newer version of Downbeat. It is left as it "
                     "is, and nothing is saved to it."));
}

/* The reader's: the writer may well be saving meanwhile. */
static char *
cannot_read (int code)
{
  if (code == NEWER_SCHEMA)
    return newer_schema ();
  /* Translators: %s says why, "database is locked" */
  return g_strdup_printf (_("The history cannot be read: %s"), sqlite3_errstr (code));
}

static char *
downbeat_history_cannot_keep (int code)
{
  if (code == NEWER_SCHEMA)
    return newer_schema ();
  /* Translators: %s says why, "database or disk is full" */
  return g_strdup_printf (_("History is not being saved: %s"), sqlite3_errstr (code));
}

/* A damaged file is kept for whoever wants to look at it, and a new one started.
 * Returns: (transfer full): where it went */
static char *
downbeat_history_move_aside (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  if (g_rename (path, aside) != 0)
    g_message ("Cannot move %s aside: %s", path, g_strerror (errno));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      g_rename (from, to);
    }

  return aside;
}

static void
downbeat_history_close_reader (DownbeatHistory *self)
{
  g_clear_pointer (&self->db, sqlite3_close);
}

/* What the main thread learns when a damaged file was moved aside, here or by the writer. */
static void
downbeat_history_note_moved_aside (DownbeatHistory *self,
                                   const char      *aside)
{
  downbeat_history_close_reader (self);
  self->recovered = TRUE;
  self->has_level = FALSE;
  self->last_check_at = 0;
  /* Translators: %s is a file name */
  downbeat_history_set_problem (self, g_strdup_printf (_("The history was damaged. It was kept "
                                                         "as %s and a new one started."), aside));
}

/* Opens the reader's connection. Only at the start may it move a damaged file aside: later,
 * the writer may have the file open, and that is the writer's to do. */
static gboolean
downbeat_history_ensure_open (DownbeatHistory *self)
{
  int code;

  if (self->db != NULL)
    return TRUE;
  if (self->closed)
    return FALSE;

  code = downbeat_history_open_connection (self->path, SETUP_BUSY_MS, READER_BUSY_MS,
                                           &self->db);
  if (code == SQLITE_OK)
    code = load_last (self);
  if (is_damage (code) && !self->recovered && self->writer == NULL)
    {
      g_autofree char *aside = NULL;

      downbeat_history_close_reader (self);
      aside = downbeat_history_move_aside (self->path);
      downbeat_history_note_moved_aside (self, aside);
      code = downbeat_history_open_connection (self->path, SETUP_BUSY_MS, READER_BUSY_MS,
                                               &self->db);
    }

  if (code != SQLITE_OK)
    {
      downbeat_history_close_reader (self);
      downbeat_history_set_problem (self, cannot_read (code));
      return FALSE;
    }

  return TRUE;
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
                                 " (SELECT id FROM checks WHERE at < ?)",
                          &store->prune_results)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM checks WHERE at < ?",
                          &store->prune_checks)) != SQLITE_OK
      || (code = prepare (store, "DELETE FROM hourly WHERE hour < ?",
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
      if (report->level != DOWNBEAT_LEVEL_OFFLINE && (code = write_trust (store, status)) != SQLITE_OK)
        return code;
    }

  return SQLITE_OK;
}

static int
prune (Store  *store,
       gint64  now)
{
  int code;

  if (now - store->last_prune_at < PRUNE_EVERY)
    return SQLITE_OK;
  store->last_prune_at = now;

  sqlite3_bind_int64 (store->prune_results, 1, now - RAW_SECONDS);
  sqlite3_bind_int64 (store->prune_checks, 1, now - RAW_SECONDS);
  sqlite3_bind_int64 (store->prune_hourly, 1, now - HOURLY_SECONDS);
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
  code = step_reset (store->insert_announcement);
  sqlite3_clear_bindings (store->insert_announcement);
  return code;
}

/* One transaction: the pending level changes, then the check if there is one. A transaction
 * with a level change in it is synced before the writer goes on. */
static int
write_all (Store          *store,
           DownbeatReport *report,
           gint64          at)
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
          || (code = prune (store, at)) != SQLITE_OK))
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
    job->code = write_all (store, job->report, job->at);

  if (is_damage (job->code) && !store->recovered)
    {
      store_close (store);
      job->aside = downbeat_history_move_aside (store->path);
      store->recovered = TRUE;
      if ((job->code = store_open (store)) == SQLITE_OK)
        job->code = write_all (store, job->report, job->at);
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
        code = write_all (store, NULL, 0);
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

static gpointer
writer_run (gpointer user_data)
{
  DownbeatHistory *self = user_data;
  Store *store = self->store;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->jobs);
      JobKind kind = job->kind;

      g_mutex_lock (&self->lock);
      store->give_up_at = self->give_up_at;
      g_mutex_unlock (&self->lock);

      if (kind == JOB_RECORD || kind == JOB_ANNOUNCE)
        write_record (store, job);
      else if (kind == JOB_MAX_PAGES)
        set_max_pages (store, job->pages);
      else if (kind == JOB_QUIT)
        flush_pending (store);

      /* The check is written: the app is about to idle until the next one. */
      if (kind == JOB_RECORD && g_async_queue_length (self->jobs) == 0)
        downbeat_memory_give_back ();

      g_mutex_lock (&self->lock);
      job->done = TRUE;
      g_cond_broadcast (&self->done);
      if (!job->waited_for)
        g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, hand_back, job,
                                    (GDestroyNotify) job_free);
      g_mutex_unlock (&self->lock);

      if (kind == JOB_QUIT)
        break;
    }

  return NULL;
}

/* Hands @job to the writer. A job waited for is the caller's to free; one not waited for is
 * handed back to whom its weak reference names. Returns: whether there is a writer to take it */
static gboolean
post (DownbeatHistory *self,
      Job             *job)
{
  if (self->writer == NULL)
    return FALSE;
  g_async_queue_push (self->jobs, job);
  return TRUE;
}

static void
downbeat_history_writer_start (DownbeatHistory *self)
{
  self->store = g_new0 (Store, 1);
  self->store->path = g_strdup (self->path);
  self->store->trust_written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->store->pending = changes_new ();
  self->store->recovered = self->recovered;
  self->writer = g_thread_new ("downbeat-history", writer_run, self);
}

static void
downbeat_history_writer_stop (DownbeatHistory *self)
{
  Job *quit;

  /* What is already queued waits no longer than that either. */
  g_mutex_lock (&self->lock);
  self->give_up_at = g_get_monotonic_time () + CLOSE_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_unlock (&self->lock);

  quit = g_new0 (Job, 1);
  quit->kind = JOB_QUIT;
  quit->waited_for = TRUE;
  post (self, quit);
  g_thread_join (g_steal_pointer (&self->writer));
  job_free (quit);
  g_clear_pointer (&self->store, store_free);
}

static void
wait_for (DownbeatHistory *self,
          Job             *job)
{
  g_mutex_lock (&self->lock);
  while (!job->done)
    g_cond_wait (&self->done, &self->lock);
  g_mutex_unlock (&self->lock);
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
  if (post (self, job))
    {
      wait_for (self, job);
      apply_result (self, job);
    }
  written = job->done && job->code == SQLITE_OK;
  job_free (job);

  return written;
}

/* The seconds of [@start, @end) in each level, summed by SQLite: a few rows come back, however
 * many changes the span holds. */
static DownbeatUptime
query_uptime (sqlite3 *db,
              gint64   start,
              gint64   end)
{
  DownbeatUptime uptime = { 0 };
  g_autoptr(sqlite3_stmt) statement = NULL;

  uptime.unknown = end - start;
  if (sqlite3_prepare_v2 (db,
                          /* The level in force at the start, then every change in the span,
                           * each lasting until the next. */
                          "SELECT level, total(next - at) FROM"
                          " (SELECT level, at, lead(at, 1, ?2) OVER (ORDER BY at, id) AS next FROM"
                          "   (SELECT level, ?1 AS at, id FROM"
                          "     (SELECT level, rowid AS id FROM changes WHERE at <= ?1"
                          "      ORDER BY at DESC, rowid DESC LIMIT 1)"
                          "    UNION ALL"
                          "    SELECT level, at, rowid FROM changes WHERE at > ?1 AND at < ?2))"
                          " GROUP BY level",
                          -1, &statement, NULL) != SQLITE_OK)
    return uptime;

  sqlite3_bind_int64 (statement, 1, start);
  sqlite3_bind_int64 (statement, 2, end);

  /* Offline, unknown, and the time before the first change: not known. */
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      gint64 span = sqlite3_column_int64 (statement, 1);
      DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN;
      gint64 *bucket;

      downbeat_level_from_string ((const char *) sqlite3_column_text (statement, 0), &level);
      switch (level)
        {
        case DOWNBEAT_LEVEL_OPERATIONAL: bucket = &uptime.operational; break;
        case DOWNBEAT_LEVEL_MAINTENANCE: bucket = &uptime.maintenance; break;
        case DOWNBEAT_LEVEL_DEGRADED: bucket = &uptime.degraded; break;
        case DOWNBEAT_LEVEL_OUTAGE: bucket = &uptime.outage; break;
        case DOWNBEAT_LEVEL_OFFLINE:
        case DOWNBEAT_LEVEL_UNKNOWN:
        default: continue;
        }
      *bucket += span;
      uptime.unknown -= span;
    }

  return uptime;
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
  gint64 start = g_date_time_to_unix (from);
  gint64 end = g_date_time_to_unix (to);
  DownbeatUptime unknown = { .unknown = end - start };

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), unknown);

  if (!downbeat_history_ensure_open (self))
    return unknown;
  return query_uptime (self->db, start, end);
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
  g_clear_pointer (&outage->noticed, g_date_time_unref);
  g_clear_pointer (&outage->acknowledged, g_date_time_unref);
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

  if (!downbeat_history_ensure_open (self)
      || sqlite3_prepare_v2 (self->db, "SELECT probe, fingerprint, outdated, alone_since FROM trust",
                             -1, &statement, NULL) != SQLITE_OK)
    return trusts;

  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      DownbeatTrust *trust;
      gboolean whole = TRUE;

      /* The schema says NOT NULL; a file edited or mended by hand may not. */
      for (int column = 0; column < 4; column++)
        whole &= sqlite3_column_type (statement, column) != SQLITE_NULL;
      if (!whole)
        {
          g_message ("A row of the history's trust table has an empty field: left out");
          continue;
        }

      trust = g_new0 (DownbeatTrust, 1);
      trust->probe = g_strdup ((const char *) sqlite3_column_text (statement, 0));
      trust->fingerprint = g_strdup ((const char *) sqlite3_column_text (statement, 1));
      trust->outdated = sqlite3_column_int (statement, 2);
      trust->alone_since = sqlite3_column_int64 (statement, 3);
      g_ptr_array_add (trusts, trust);
    }

  return trusts;
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

/**
 * downbeat_history_announcement:
 *
 * Returns: (transfer full) (nullable): what an earlier run kept with
 *   downbeat_history_announce(), if it is whole
 */
DownbeatAnnouncement *
downbeat_history_announcement (DownbeatHistory *self)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(DownbeatAnnouncement) announcement = NULL;
  const char *level, *worst;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!downbeat_history_ensure_open (self)
      || sqlite3_prepare_v2 (self->db,
                             "SELECT since, level, worst, summary, body, urgency, server_id,"
                             " when_back FROM announcement", -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    return NULL;

  announcement = g_new0 (DownbeatAnnouncement, 1);
  level = (const char *) sqlite3_column_text (statement, 1);
  worst = (const char *) sqlite3_column_text (statement, 2);
  /* The schema says NOT NULL; a file edited or mended by hand may not. */
  if (sqlite3_column_type (statement, 0) != SQLITE_INTEGER
      || !downbeat_level_from_string (level, &announcement->level)
      || !downbeat_level_from_string (worst, &announcement->worst))
    {
      g_message ("The history's announcement is not whole: left out");
      return NULL;
    }
  announcement->since = sqlite3_column_int64 (statement, 0);
  announcement->summary = g_strdup ((const char *) sqlite3_column_text (statement, 3));
  announcement->body = g_strdup ((const char *) sqlite3_column_text (statement, 4));
  announcement->urgency = sqlite3_column_int (statement, 5);
  announcement->server_id = (guint32) sqlite3_column_int64 (statement, 6);
  announcement->when_back = sqlite3_column_int (statement, 7) != 0;
  return g_steal_pointer (&announcement);
}

/* When each of @outages was first confirmed here and first acknowledged: the first of each
 * sighting from its start to its end. */
static void
add_sightings (sqlite3   *db,
               GPtrArray *outages)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (outages->len == 0
      || sqlite3_prepare_v2 (db,
                             "SELECT kind, min(at) FROM sightings WHERE at BETWEEN ?1 AND ?2"
                             " GROUP BY kind",
                             -1, &statement, NULL) != SQLITE_OK)
    return;

  for (guint i = 0; i < outages->len; i++)
    {
      DownbeatOutage *outage = g_ptr_array_index (outages, i);

      sqlite3_bind_int64 (statement, 1, g_date_time_to_unix (outage->start));
      sqlite3_bind_int64 (statement, 2, outage->end != NULL ? g_date_time_to_unix (outage->end)
                                                            : G_MAXINT64);
      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          const char *kind = (const char *) sqlite3_column_text (statement, 0);
          GDateTime *at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (statement, 1));

          if (g_strcmp0 (kind, downbeat_history_sighting_names[CHANGE_NOTICED]) == 0)
            outage->noticed = at;
          else if (g_strcmp0 (kind, downbeat_history_sighting_names[CHANGE_ACKNOWLEDGED]) == 0)
            outage->acknowledged = at;
          else
            g_date_time_unref (at);
        }
      sqlite3_reset (statement);
    }
}

/* The outages that end at @since or later, or go on still, and at least the last @at_least of
 * those that end after @floor; oldest first. Read from the newest change back, only as far as
 * they go: not every change of the year. */
static GPtrArray *
query_outages (sqlite3 *db,
               gint64   since,
               gint64   floor,
               guint    at_least)
{
  GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  g_autoptr(sqlite3_stmt) statement = NULL;
  DownbeatOutage *current = NULL;
  gint64 end = -1;   /* of the outage before the changes read so far; -1: none, it goes on */

  /* Down to the last end of a problem at or before @floor: whatever ends after @floor began
   * after it. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT at, level, incident FROM changes"
                          " WHERE at >= coalesce((SELECT max(at) FROM changes WHERE at <= ?1"
                          "                        AND level IN ('operational', 'maintenance')), 0)"
                          " ORDER BY at DESC, rowid DESC",
                          -1, &statement, NULL) != SQLITE_OK)
    return outages;

  sqlite3_bind_int64 (statement, 1, floor);

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
              /* Older ones end before @since: wanted only until there are @at_least. */
              if (end >= 0 && (end < floor || (end < since && outages->len >= at_least)))
                break;
              current = g_new0 (DownbeatOutage, 1);
              current->end = end >= 0 ? g_date_time_new_from_unix_utc (end) : NULL;
              g_ptr_array_add (outages, current);
            }
          /* Going back: the earliest change of the outage is its start, and its title the
           * earliest one given. */
          g_clear_pointer (&current->start, g_date_time_unref);
          current->start = g_date_time_new_from_unix_utc (at);
          current->worst = MAX (current->worst, level);
          if (incident != NULL)
            {
              g_free (current->incident);
              current->incident = g_strdup (incident);
            }
        }
      else if (downbeat_level_is_informative (level))
        {
          current = NULL;
          end = at;
        }
    }

  /* Read newest first; oldest first is how they are handed over. */
  for (guint i = 0; i < outages->len / 2; i++)
    {
      gpointer *pdata = outages->pdata;
      gpointer swap = pdata[i];

      pdata[i] = pdata[outages->len - 1 - i];
      pdata[outages->len - 1 - i] = swap;
    }
  add_sightings (db, outages);
  return outages;
}

/**
 * downbeat_history_outages:
 * @since: the earliest start wanted
 *
 * A problem runs from the first change to degraded or outage until the next change to
 * operational or maintenance; offline and unknown spells inside it do not end it.
 *
 * Returns: (transfer container) (element-type DownbeatOutage): those that end at @since or
 *   later, or go on still; oldest first
 */
GPtrArray *
downbeat_history_outages (DownbeatHistory *self,
                          GDateTime       *since)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!downbeat_history_ensure_open (self))
    return g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  return query_outages (self->db, g_date_time_to_unix (since), g_date_time_to_unix (since), 0);
}

static GArray *
query_latency (sqlite3 *db,
               gint64   from,
               GStrv   *probe_ids)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (db != NULL
      && sqlite3_prepare_v2 (db,
                             "SELECT c.at, p.probe, p.latency_ms, p.ok"
                             "  FROM checks c JOIN probe_results p ON p.check_id = c.id"
                             "  WHERE c.at >= ? ORDER BY c.at",
                             -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, from);

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
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);
  g_return_val_if_fail (probe_ids != NULL, NULL);

  return query_latency (downbeat_history_ensure_open (self) ? self->db : NULL,
                        g_date_time_to_unix (from), probe_ids);
}

/* Reading for the window, on a worker. */

#define READ_TAG ((gpointer) (guintptr) downbeat_history_read_async)

typedef struct
{
  char   *path;
  gint64  now;
  guint   outages;
  gint64  last_change;      /* as known to the caller; -1: nothing known */
  gint64  last_sighting;
} ReadRequest;

static void
read_request_free (ReadRequest *request)
{
  g_free (request->path);
  g_free (request);
}

void
downbeat_history_view_free (DownbeatHistoryView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->latency, g_array_unref);
  g_clear_pointer (&view->probe_ids, g_strfreev);
  g_clear_pointer (&view->outages, g_ptr_array_unref);
  g_free (view);
}

static int
compare_ms (gconstpointer a,
            gconstpointer b)
{
  return *(const gint *) a - *(const gint *) b;
}

/* What the graph draws of @points, and what its caption says of them: at most a point a probe
 * a minute (the slowest answer of that minute), however often the checks ran. */
static void
view_set_latency (DownbeatHistoryView *view,
                  GArray              *points)
{
  g_autoptr(GArray) answered = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GArray) last = g_array_new (FALSE, TRUE, sizeof (guint));   /* a probe's last point */
  GArray *drawn = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));

  for (guint i = 0; i < points->len; i++)
    {
      const DownbeatLatencyPoint *point = &g_array_index (points, DownbeatLatencyPoint, i);
      DownbeatLatencyPoint *same = NULL;

      if (point->latency_ms >= 0)
        g_array_append_val (answered, point->latency_ms);

      if (point->probe >= last->len)
        g_array_set_size (last, point->probe + 1);
      if (g_array_index (last, guint, point->probe) > 0)
        same = &g_array_index (drawn, DownbeatLatencyPoint,
                               g_array_index (last, guint, point->probe) - 1);
      if (same != NULL && same->at / 60 == point->at / 60)
        {
          same->latency_ms = MAX (same->latency_ms, point->latency_ms);
          same->ok = same->ok && point->ok;
          continue;
        }
      g_array_append_val (drawn, *point);
      g_array_index (last, guint, point->probe) = drawn->len;
    }

  view->latency = drawn;
  view->answers = answered->len;
  if (answered->len > 0)
    {
      g_array_sort (answered, compare_ms);
      view->median_ms = g_array_index (answered, gint, answered->len / 2);
      view->slowest_ms = g_array_index (answered, gint, answered->len - 1);
    }
}

static gint64
max_rowid (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (statement, 0);
}

static void
read_view (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  ReadRequest *request = task_data;
  g_autoptr(DownbeatHistoryView) view = g_new0 (DownbeatHistoryView, 1);
  sqlite3 *db = NULL;
  int code;

  /* A connection of its own, on this thread only, that writes nothing: the writer's and the
   * main thread's stay where they are. */
  code = sqlite3_open_v2 (request->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (code == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, WRITER_BUSY_MS);
      code = exec (db, "PRAGMA cache_size = -256");
    }
  if (code != SQLITE_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errstr (code));
      sqlite3_close (db);
      return;
    }

  view->now = request->now;
  view->day = query_uptime (db, request->now - 86400, request->now);
  view->week = query_uptime (db, request->now - 7 * 86400, request->now);
  view->month = query_uptime (db, request->now - 30 * 86400, request->now);
  {
    g_autoptr(GArray) points = query_latency (db, request->now - 86400, &view->probe_ids);

    view_set_latency (view, points);
  }

  /* The outages change only with a level change or a sighting: most checks bring neither. */
  view->last_change = max_rowid (db, "SELECT coalesce(max(rowid), 0) FROM changes");
  view->last_sighting = max_rowid (db, "SELECT coalesce(max(rowid), 0) FROM sightings");
  if (view->last_change < 0 || view->last_change != request->last_change
      || view->last_sighting != request->last_sighting)
    view->outages = query_outages (db, request->now - 86400, request->now - 366 * 86400,
                                   request->outages);

  sqlite3_close (db);
  g_task_return_pointer (task, g_steal_pointer (&view),
                         (GDestroyNotify) downbeat_history_view_free);
}

/**
 * downbeat_history_read_async:
 * @now: the end of the spans read
 * @outages: how many of the last outages of the year are wanted at least
 * @known: (nullable): the view read last, whose outages the caller keeps
 *
 * Reads what the detail window shows, on a worker with a read-only connection of its own: the
 * main loop never waits for the disk. Uptime over the day, 7 days and 30 days before @now, the
 * answer times of its last 24 hours, and the outages: those of the last 24 hours and at least
 * the last @outages of the year, unless no level change nor sighting was written since @known.
 */
void
downbeat_history_read_async (DownbeatHistory           *self,
                             GDateTime                 *now,
                             guint                      outages,
                             const DownbeatHistoryView *known,
                             GCancellable              *cancellable,
                             GAsyncReadyCallback        callback,
                             gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadRequest *request;

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));
  g_return_if_fail (now != NULL);

  request = g_new0 (ReadRequest, 1);
  request->path = g_strdup (self->path);
  request->now = g_date_time_to_unix (now);
  request->outages = outages;
  request->last_change = known != NULL ? known->last_change : -1;
  request->last_sighting = known != NULL ? known->last_sighting : -1;

  /* The task holds the path, not the history: a worker never drops its last reference. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, READ_TAG);
  g_task_set_task_data (task, request, (GDestroyNotify) read_request_free);
  g_task_run_in_thread (task, read_view);
}

/**
 * downbeat_history_read_finish:
 *
 * Returns: (transfer full): what downbeat_history_read_async() read; its outages are %NULL when
 *   they are the known view's
 */
DownbeatHistoryView *
downbeat_history_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == READ_TAG, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  job->kind = JOB_MAX_PAGES;
  job->pages = pages;
  job->waited_for = TRUE;
  if (post (self, job))
    wait_for (self, job);
  job_free (job);
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

/**
 * downbeat_history_close:
 *
 * Writes what is queued, level changes the disk refused so far included, waiting for a locked
 * or slow disk at most 5 seconds, and stops the writer: for the owner to call at its end (the
 * application's shutdown), not to rely on finalization. Afterwards the history takes nothing
 * more and answers nothing. Emits nothing and takes no reference: safe from a dispose.
 */
void
downbeat_history_close (DownbeatHistory *self)
{
  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  self->closed = TRUE;
  downbeat_history_close_reader (self);
  if (self->writer != NULL)
    downbeat_history_writer_stop (self);
}

static void
downbeat_history_finalize (GObject *object)
{
  DownbeatHistory *self = (DownbeatHistory *)object;

  /* For an owner that did not close it: downbeat_history_close() takes no reference. */
  downbeat_history_close (self);
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->done);
  downbeat_history_close_reader (self);
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

  /**
   * DownbeatHistory::written:
   *
   * A check handed over with downbeat_history_add() is on disk: what the history answers
   * may have changed.
   */
  signals[WRITTEN] =
    g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
downbeat_history_init (DownbeatHistory *self)
{
  self->poll_interval = 60;
  self->jobs = g_async_queue_new ();
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->done);
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
  downbeat_history_ensure_open (self);
  downbeat_history_writer_start (self);

  return self;
}
