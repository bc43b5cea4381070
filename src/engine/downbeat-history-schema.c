/* downbeat-history-schema.c: the schema and its migrations, opening a connection, damaged files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "downbeat-history-internal.h"

#define SCHEMA_VERSION 5

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

const char * const downbeat_history_sighting_names[] = {
  [CHANGE_NOTICED] = "noticed",
  [CHANGE_ACKNOWLEDGED] = "acknowledged",
};

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
int
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

char *
downbeat_history_cannot_keep (int code)
{
  if (code == NEWER_SCHEMA)
    return newer_schema ();
  /* Translators: %s says why, "database or disk is full" */
  return g_strdup_printf (_("History is not being saved: %s"), sqlite3_errstr (code));
}

/* A damaged file is kept for whoever wants to look at it, and a new one started.
 * Returns: (transfer full): where it went */
char *
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

void
downbeat_history_close_reader (DownbeatHistory *self)
{
  g_clear_pointer (&self->db, sqlite3_close);
}

/* What the main thread learns when a damaged file was moved aside, here or by the writer. */
void
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
gboolean
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
