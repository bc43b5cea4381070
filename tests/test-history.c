/* test-history.c: the history on disk, its questions, and what it survives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "downbeat-history-private.h"

#define BASE 1794999600   /* 2026-11-18 13:00 UTC, on the hour */

typedef struct
{
  char *directory;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->directory = g_dir_make_tmp ("downbeat-history-XXXXXX", NULL);
  g_assert_nonnull (fixture->directory);
  fixture->path = g_build_filename (fixture->directory, "state", "history.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->directory);

  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->path);
  g_free (fixture->directory);
}

/* A check at BASE + @seconds; "login" answers in @latency_ms, or fails when the level is a
 * problem. */
static DownbeatReport *
report_at (DownbeatLevel  level,
           gint64         seconds,
           gint64         latency_ms,
           const char    *incident)
{
  DownbeatReport *report = downbeat_report_new ();
  DownbeatProbeSpec spec = { .id = "login", .name = "Login" };
  DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);

  report->level = level;
  report->service_name = g_strdup ("Spotify");
  report->checked_at = g_date_time_new_from_unix_utc (BASE + seconds);

  status->result = g_new0 (DownbeatProbeResult, 1);
  status->result->ok = level != DOWNBEAT_LEVEL_DEGRADED && level != DOWNBEAT_LEVEL_OUTAGE;
  status->result->http_status = status->result->ok ? 200 : 503;
  status->result->latency_ms = latency_ms;
  g_ptr_array_add (report->probes, status);

  if (incident != NULL)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"status\":{\"indicator\":\"major\"},\"components\":[],\"scheduled_maintenances\":[],"
        "\"incidents\":[{\"id\":\"i\",\"name\":\"%s\",\"status\":\"investigating\"}]}", incident);
      DownbeatOfficialStatus *official = downbeat_official_status_new ("Spotify", NULL);
      g_autoptr(GError) error = NULL;

      official->summary = downbeat_statuspage_parse (json, strlen (json), &error);
      g_assert_no_error (error);
      g_ptr_array_add (report->official, official);
    }

  return report;
}

static void
record (DownbeatHistory *history,
        DownbeatLevel    level,
        gint64           seconds)
{
  g_autoptr(DownbeatReport) report = report_at (level, seconds, 100, NULL);

  g_assert_true (downbeat_history_record (history, report));
}

static GDateTime *
at (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (BASE + seconds);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return count;
}

static void
test_uptime_with_offline_gaps (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (3600);
  g_autoptr(GDateTime) before = at (-3600);
  DownbeatUptime uptime;

  g_assert_null (downbeat_history_get_problem (history));

  /* 0–600 up, 600–900 outage, 900–1200 offline, 1200–1500 outage, 1500–2400 degraded,
   * then up to the end of the hour; a check every 60 s. */
  for (gint64 t = 0; t < 3600; t += 60)
    {
      DownbeatLevel level = t < 600 ? DOWNBEAT_LEVEL_OPERATIONAL
                            : t < 900 ? DOWNBEAT_LEVEL_OUTAGE
                            : t < 1200 ? DOWNBEAT_LEVEL_OFFLINE
                            : t < 1500 ? DOWNBEAT_LEVEL_OUTAGE
                            : t < 2400 ? DOWNBEAT_LEVEL_DEGRADED
                            : DOWNBEAT_LEVEL_OPERATIONAL;
      record (history, level, t);
    }

  uptime = downbeat_history_uptime (history, from, to);
  g_assert_cmpint (uptime.operational, ==, 600 + 1200);
  g_assert_cmpint (uptime.outage, ==, 600);
  g_assert_cmpint (uptime.degraded, ==, 900);
  g_assert_cmpint (uptime.unknown, ==, 300);
  g_assert_cmpfloat_with_epsilon (downbeat_uptime_ratio (&uptime), 2700.0 / 3300.0, 1e-9);

  /* Before the first check nothing is known. */
  uptime = downbeat_history_uptime (history, before, from);
  g_assert_cmpint (uptime.unknown, ==, 3600);
  g_assert_cmpfloat (downbeat_uptime_ratio (&uptime), ==, -1);
}

static void
test_silence_is_not_known (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (10000);
  DownbeatUptime uptime;

  record (history, DOWNBEAT_LEVEL_OUTAGE, 0);
  record (history, DOWNBEAT_LEVEL_OUTAGE, 60);
  /* Downbeat was not running, or the computer slept: 60–5000 is not known. */
  record (history, DOWNBEAT_LEVEL_OUTAGE, 5000);

  uptime = downbeat_history_uptime (history, from, to);
  g_assert_cmpint (uptime.outage, ==, 60 + 5000);
  g_assert_cmpint (uptime.unknown, ==, 4940);
}

static void
test_outages (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) since = at (0);
  g_autoptr(GDateTime) later = at (2000);
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  const DownbeatOutage *first;
  const DownbeatOutage *second;
  g_autoptr(DownbeatReport) titled = report_at (DOWNBEAT_LEVEL_OUTAGE, 240, 100,
                                                "Playback & login down");

  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  record (history, DOWNBEAT_LEVEL_DEGRADED, 120);
  g_assert_true (downbeat_history_record (history, titled));
  record (history, DOWNBEAT_LEVEL_OFFLINE, 300);
  record (history, DOWNBEAT_LEVEL_DEGRADED, 360);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 480);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 2400);
  record (history, DOWNBEAT_LEVEL_DEGRADED, 2460);

  outages = downbeat_history_outages (history, since);
  g_assert_cmpuint (outages->len, ==, 2);
  first = g_ptr_array_index (outages, 0);
  g_assert_cmpint (g_date_time_to_unix (first->start), ==, BASE + 120);
  g_assert_cmpint (g_date_time_to_unix (first->end), ==, BASE + 480);
  g_assert_cmpint (first->worst, ==, DOWNBEAT_LEVEL_OUTAGE);
  g_assert_cmpstr (first->incident, ==, "Playback & login down");
  second = g_ptr_array_index (outages, 1);
  g_assert_null (second->end);
  g_assert_cmpint (second->worst, ==, DOWNBEAT_LEVEL_DEGRADED);

  recent = downbeat_history_outages (history, later);
  g_assert_cmpuint (recent->len, ==, 1);
}

/* When each outage was noticed here and acknowledged by Spotify's page: kept as each report
 * first carries it, across a restart, and given to the outage whose span holds it. */
static void
test_outages_keep_the_lead (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(DownbeatHistory) again = NULL;
  g_autoptr(GDateTime) since = at (0);
  g_autoptr(GPtrArray) outages = NULL;
  const DownbeatOutage *first;
  const DownbeatOutage *second;
  struct { DownbeatLevel level; gint64 seconds, noticed, acknowledged; } checks[] = {
    { DOWNBEAT_LEVEL_OPERATIONAL, 0, 0, 0 },
    { DOWNBEAT_LEVEL_OUTAGE, 120, 120, 0 },
    { DOWNBEAT_LEVEL_OUTAGE, 180, 120, 0 },
    { DOWNBEAT_LEVEL_OUTAGE, 960, 120, 960 },
    { DOWNBEAT_LEVEL_OUTAGE, 1020, 120, 960 },
    { DOWNBEAT_LEVEL_OPERATIONAL, 1200, 0, 0 },
    { DOWNBEAT_LEVEL_DEGRADED, 1500, 1500, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(DownbeatReport) report = report_at (checks[i].level, checks[i].seconds, 100, NULL);

      if (checks[i].noticed != 0)
        report->noticed_at = at (checks[i].noticed);
      if (checks[i].acknowledged != 0)
        report->acknowledged_at = at (checks[i].acknowledged);
      g_assert_true (downbeat_history_record (history, report));
    }
  /* Written once each, as they first appeared. */
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM sightings"), ==, 3);

  g_clear_object (&history);
  again = downbeat_history_new (fixture->path);
  outages = downbeat_history_outages (again, since);
  g_assert_cmpuint (outages->len, ==, 2);
  first = g_ptr_array_index (outages, 0);
  g_assert_cmpint (g_date_time_to_unix (first->noticed), ==, BASE + 120);
  g_assert_cmpint (g_date_time_to_unix (first->acknowledged), ==, BASE + 960);
  second = g_ptr_array_index (outages, 1);
  g_assert_cmpint (g_date_time_to_unix (second->noticed), ==, BASE + 1500);
  g_assert_null (second->acknowledged);
}

static void
test_retention_and_aggregates (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) day_ago = at (10 * 86400 - 86400);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GArray) points = NULL;

  /* Ten days, a check every 5 minutes, latency rising by 1 ms a check. */
  g_object_set (history, "poll-interval", 300, NULL);
  for (gint64 t = 0; t < 10 * 86400; t += 300)
    {
      g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, t, t / 300, NULL);
      g_assert_true (downbeat_history_record (history, report));
    }
  g_clear_object (&history);

  /* Raw checks: the last 7 days only (pruned at most once an hour). */
  g_assert_cmpint (count_rows (fixture->path, "SELECT min(at) FROM checks"), >=,
                   BASE + 10 * 86400 - 7 * 86400 - 3600);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM probe_results"), ==,
                   count_rows (fixture->path, "SELECT count(*) FROM checks"));
  /* Hourly aggregates: all ten days, 12 checks an hour. */
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM hourly"), ==, 240);
  g_assert_cmpint (count_rows (fixture->path, "SELECT min(checks) FROM hourly"), ==, 12);
  g_assert_cmpint (count_rows (fixture->path,
                               "SELECT latency_max FROM hourly ORDER BY hour LIMIT 1"), ==, 11);
  g_assert_cmpint (count_rows (fixture->path,
                               "SELECT latency_sum FROM hourly ORDER BY hour LIMIT 1"), ==, 66);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM changes"), ==, 1);

  history = downbeat_history_new (fixture->path);
  points = downbeat_history_latency (history, day_ago, &ids);
  g_assert_cmpstrv (ids, ((const char * const []) { "login", NULL }));
  g_assert_cmpuint (points->len, ==, 288);
  g_assert_cmpint (g_array_index (points, DownbeatLatencyPoint, 0).latency_ms, ==, 9 * 288);
  g_assert_true (g_array_index (points, DownbeatLatencyPoint, 0).ok);
}

/* The clock put 8 days ahead for a check, then 2 years, then back: the 6 days of checks before
 * and their hourly aggregates are all still there (#22: a jump of 8 days pruned them all). */
static void
test_clock_jumps_prune_nothing (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  const gint64 days = 6 * 86400;

  g_object_set (history, "poll-interval", 300, NULL);
  for (gint64 t = 0; t < days; t += 300)
    record (history, DOWNBEAT_LEVEL_OPERATIONAL, t);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, days + 8 * 86400);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, days + 2 * 366 * 86400);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, days);
  g_clear_object (&history);

  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM checks"), ==,
                   days / 300 + 3);
  g_assert_cmpint (count_rows (fixture->path, "SELECT min(at) FROM checks"), ==, BASE);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM probe_results"), ==,
                   days / 300 + 3);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(DISTINCT hour) FROM hourly"), ==,
                   days / 3600 + 3);
}

/* The writer's and the main thread's connections live as long as the app: their page caches
 * are kept to what appending a check and the start's reads need, whatever the file's size. */
static void
test_page_caches_are_small (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (30 * 86400);
  DownbeatUptime uptime;
  sqlite3_int64 used;

  /* A month of checks every 5 minutes, then its uptime read on the main thread. */
  g_object_set (history, "poll-interval", 300, NULL);
  for (gint64 t = 0; t < 30 * 86400; t += 300)
    record (history, t % 86400 < 600 ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL, t);
  uptime = downbeat_history_uptime (history, from, to);
  g_assert_cmpint (uptime.outage, >, 0);

  used = sqlite3_memory_used ();
  g_test_message ("SQLite holds %" G_GINT64_FORMAT " bytes", (gint64) used);
  g_assert_cmpint (used, <, 288 * 1024);
}

static void
test_migration_from_schema_1 (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (600);
  sqlite3 *db = NULL;
  DownbeatUptime uptime;

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE checks (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, level TEXT NOT NULL,"
    "                     indicator TEXT);"
    "CREATE INDEX checks_by_time ON checks (at);"
    "CREATE TABLE probe_results (check_id INTEGER NOT NULL, probe TEXT NOT NULL,"
    "                            ok INTEGER NOT NULL, http_status INTEGER, latency_ms INTEGER,"
    "                            error TEXT, PRIMARY KEY (check_id, probe)) WITHOUT ROWID;"
    "CREATE TABLE changes (at INTEGER NOT NULL, level TEXT NOT NULL);"
    "CREATE INDEX changes_by_time ON changes (at);"
    "INSERT INTO checks VALUES (1, 1794999600, 'outage', 'major');"
    "INSERT INTO probe_results VALUES (1, 'login', 0, 503, 40, 'HTTP 503');"
    "INSERT INTO checks VALUES (2, 1794999660, 'outage', 'major');"
    "INSERT INTO probe_results VALUES (2, 'login', 0, 503, 60, 'HTTP 503');"
    "INSERT INTO changes VALUES (1794999600, 'outage');"
    "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = downbeat_history_new (fixture->path);
  g_assert_null (downbeat_history_get_problem (history));
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 120);

  g_assert_cmpint (count_rows (fixture->path, "PRAGMA user_version"), ==, 5);
  /* The aggregates were built from the old raw checks. */
  g_assert_cmpint (count_rows (fixture->path, "SELECT checks FROM hourly"), ==, 3);
  g_assert_cmpint (count_rows (fixture->path, "SELECT failures FROM hourly"), ==, 2);
  uptime = downbeat_history_uptime (history, from, to);
  g_assert_cmpint (uptime.outage, ==, 120);
  g_assert_cmpint (uptime.operational, ==, 480);
}

/* What a probe proved here is kept, written only when it changes, and forgotten once it is
 * no longer proven (its definition changed). */
static void
test_trust_is_kept (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GPtrArray) trusts = NULL;
  DownbeatProbeStatus *status;
  const DownbeatTrust *trust;

  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, 0, 80, NULL);

    status = g_ptr_array_index (report->probes, 0);
    status->fingerprint = g_strdup ("fp1");
    status->confirmation.proven = TRUE;
    status->confirmation.alone_since = BASE;
    g_assert_true (downbeat_history_record (history, report));
  }
  g_clear_object (&history);

  history = downbeat_history_new (fixture->path);
  trusts = downbeat_history_trust (history);
  g_assert_cmpuint (trusts->len, ==, 1);
  trust = g_ptr_array_index (trusts, 0);
  g_assert_cmpstr (trust->probe, ==, "login");
  g_assert_cmpstr (trust->fingerprint, ==, "fp1");
  g_assert_false (trust->outdated);
  g_assert_cmpint (trust->alone_since, ==, BASE);
  g_clear_pointer (&trusts, g_ptr_array_unref);

  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, 60, 80, NULL);

    status = g_ptr_array_index (report->probes, 0);
    status->fingerprint = g_strdup ("fp2");
    g_assert_true (downbeat_history_record (history, report));
  }
  trusts = downbeat_history_trust (history);
  g_assert_cmpuint (trusts->len, ==, 0);
}

/* A trust table with empty fields (edited by hand, or by another tool) gives what is whole and
 * leaves the rest out, with a message: the monitor must never see a NULL probe id. */
static void
test_trust_with_empty_fields (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GPtrArray) trusts = NULL;
  const DownbeatTrust *trust;
  sqlite3 *db = NULL;

  g_clear_object (&history);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "DROP TABLE trust;"
    "CREATE TABLE trust (probe TEXT, fingerprint TEXT, outdated INTEGER, alone_since INTEGER);"
    "INSERT INTO trust VALUES ('login', 'fp1', 0, 1794999600);"
    "INSERT INTO trust VALUES (NULL, 'fp2', 0, 0);"
    "INSERT INTO trust VALUES ('web', NULL, 0, 0);"
    "INSERT INTO trust VALUES ('api', 'fp3', NULL, 0);"
    "INSERT INTO trust VALUES ('apresolve', 'fp4', 0, NULL);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = downbeat_history_new (fixture->path);
  for (guint i = 0; i < 4; i++)
    g_test_expect_message ("downbeat-history", G_LOG_LEVEL_MESSAGE, "*trust table*left out*");
  trusts = downbeat_history_trust (history);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (trusts->len, ==, 1);
  trust = g_ptr_array_index (trusts, 0);
  g_assert_cmpstr (trust->probe, ==, "login");
  g_assert_cmpstr (trust->fingerprint, ==, "fp1");
  g_assert_cmpint (trust->alone_since, ==, BASE);
}

static guint
count_damaged (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;
  guint count = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "history.db.damaged-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      count++;
  return count;
}

static void
test_damaged_file_is_moved_aside (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7919 % 251);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_file_set_contents (fixture->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);

  history = downbeat_history_new (fixture->path);
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "was damaged"));
  g_assert_cmpuint (count_damaged (directory), ==, 1);

  /* The new file works, and the line about the damage stays for the window. */
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM checks"), ==, 1);
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "was damaged"));
}

/* A history written by a newer Downbeat: not ours to change. Nothing is written to it, it is not
 * moved aside, and the window says why. */
static void
test_newer_schema_is_left_alone (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (60);
  sqlite3 *db = NULL;

  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  downbeat_history_close (history);
  g_clear_object (&history);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 9", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = downbeat_history_new (fixture->path);
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "newer version"));
  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OUTAGE, 60, 1, NULL);
    g_assert_false (downbeat_history_record (history, report));
  }
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "newer version"));
  g_assert_cmpint (downbeat_history_uptime (history, from, to).unknown, ==, 60);
  g_clear_object (&history);

  g_assert_cmpuint (count_damaged (directory), ==, 0);
  g_assert_cmpint (count_rows (fixture->path, "PRAGMA user_version"), ==, 9);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM checks"), ==, 1);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM changes"), ==, 1);
}

static void
test_cannot_open (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *blocker = g_build_filename (fixture->directory, "state", NULL);
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, 0, 1, NULL);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GDateTime) to = at (60);
  DownbeatUptime uptime;

  /* A file where the folder should be: nothing can be created there, even by root. */
  g_file_set_contents (blocker, "", 0, &error);
  g_assert_no_error (error);

  history = downbeat_history_new (fixture->path);
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "cannot be read"));
  g_assert_false (downbeat_history_record (history, report));
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "not being saved"));
  uptime = downbeat_history_uptime (history, from, to);
  g_assert_cmpint (uptime.unknown, ==, 60);
}

static void
test_full_disk_keeps_changes (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GPtrArray) outages = NULL;
  gint64 t = 0;
  gboolean full = FALSE;

  record (history, DOWNBEAT_LEVEL_OPERATIONAL, t);
  downbeat_history_set_max_pages (history, 15);

  /* Fill the "disk". */
  for (t = 60; !full && t < 86400; t += 60)
    {
      g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, t, t, NULL);
      full = !downbeat_history_record (history, report);
    }
  g_assert_true (full);
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "full"));

  /* An outage begins while the disk is still full: not saved yet, not lost. (A failed write
   * closes the file, to open it again next time; the limit goes with the connection.) */
  downbeat_history_set_max_pages (history, 15);
  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OUTAGE, t + 60, 1, NULL);
    g_assert_false (downbeat_history_record (history, report));
  }

  /* Room again (a new connection has no page limit): the change is written. */
  record (history, DOWNBEAT_LEVEL_OUTAGE, t + 120);
  g_assert_null (downbeat_history_get_problem (history));
  outages = downbeat_history_outages (history, from);
  g_assert_cmpuint (outages->len, ==, 1);
  g_assert_cmpint (g_date_time_to_unix (((DownbeatOutage *) g_ptr_array_index (outages, 0))->start),
                   ==, BASE + t + 60);
}

static void
test_locked_by_another (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  g_autoptr(GDateTime) from = at (0);
  g_autoptr(GPtrArray) outages = NULL;
  sqlite3 *other = NULL;

  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);

  /* Another process holds the write lock past the busy timeout. */
  g_assert_cmpint (sqlite3_open (fixture->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OUTAGE, 60, 1, NULL);
    g_assert_false (downbeat_history_record (history, report));
  }
  g_assert_nonnull (strstr (downbeat_history_get_problem (history), "locked"));
  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);

  /* The lock gone, the outage that began meanwhile is written with the next check. */
  record (history, DOWNBEAT_LEVEL_OUTAGE, 120);
  g_assert_null (downbeat_history_get_problem (history));
  outages = downbeat_history_outages (history, from);
  g_assert_cmpuint (outages->len, ==, 1);
  g_assert_cmpint (g_date_time_to_unix (((DownbeatOutage *) g_ptr_array_index (outages, 0))->start),
                   ==, BASE + 60);
}

typedef struct
{
  const char *path;
  gulong      hold_ms;
  gint        held;
} Holder;

/* Another connection takes the write lock, says so, and keeps it @hold_ms. */
static gpointer
hold_lock (gpointer user_data)
{
  Holder *holder = user_data;
  sqlite3 *other = NULL;

  g_assert_cmpint (sqlite3_open (holder->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_atomic_int_set (&holder->held, TRUE);
  g_usleep (holder->hold_ms * 1000);
  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  return NULL;
}

static void
wait_until_held (Holder *holder)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&holder->held))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* Closing writes the change the disk refused, waiting for a lock let go 1.5 s later; a lock
 * that stays is waited for 5 s in all, however many checks are queued, not for ever. */
static void
test_close_writes_what_is_queued (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  Holder holder = { fixture->path, 0, FALSE };
  GThread *thread;
  gint64 start;

  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);

  /* Held past the writer's 2 s: the outage is refused, then the app quits. */
  holder.hold_ms = 3500;
  thread = g_thread_new ("holder", hold_lock, &holder);
  wait_until_held (&holder);
  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OUTAGE, 60, 1, NULL);
    g_assert_false (downbeat_history_record (history, report));
  }
  downbeat_history_close (history);
  g_thread_join (thread);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM changes WHERE level = 'outage'"),
                   ==, 1);

  /* After the close, nothing more is taken. */
  {
    g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, 120, 1, NULL);
    g_assert_false (downbeat_history_record (history, report));
  }
  g_clear_object (&history);

  /* A lock that outlasts the wait: the end comes 5 s later, without the change. */
  history = downbeat_history_new (fixture->path);
  holder = (Holder) { fixture->path, 8000, FALSE };
  thread = g_thread_new ("holder", hold_lock, &holder);
  wait_until_held (&holder);
  for (gint64 t = 180; t <= 360; t += 60)
    {
      g_autoptr(DownbeatReport) report = report_at (t % 120 ? DOWNBEAT_LEVEL_OPERATIONAL
                                                            : DOWNBEAT_LEVEL_OUTAGE, t, 1, NULL);
      downbeat_history_add (history, report);
    }
  start = g_get_monotonic_time ();
  downbeat_history_close (history);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 8 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM changes"), ==, 2);
}

/* The incident a notification was shown for is kept for the next run, written at the end even
 * when the disk refused it until then; none is kept once it ended; a damaged row is not
 * taken up. */
static void
test_announcement_is_kept (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);
  DownbeatAnnouncement announcement = {
    .since = BASE, .level = DOWNBEAT_LEVEL_DEGRADED, .worst = DOWNBEAT_LEVEL_OUTAGE,
    .summary = "Spotify is partly back", .body = "Login is not answering\n<b>&amp;</b>",
    .urgency = 1, .server_id = 4000000000u, .when_back = TRUE,
  };
  g_autoptr(DownbeatAnnouncement) read = NULL;
  Holder holder = { fixture->path, 3000, FALSE };
  GThread *thread;
  sqlite3 *db = NULL;

  g_assert_null (downbeat_history_announcement (history));
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);

  /* Refused by a lock held past the writer's wait, then written at the end. */
  thread = g_thread_new ("holder", hold_lock, &holder);
  wait_until_held (&holder);
  downbeat_history_announce (history, &announcement);
  downbeat_history_close (history);
  g_thread_join (thread);
  g_clear_object (&history);

  history = downbeat_history_new (fixture->path);
  read = downbeat_history_announcement (history);
  g_assert_true (downbeat_announcement_equal (read, &announcement));
  g_clear_pointer (&read, downbeat_announcement_free);

  downbeat_history_announce (history, NULL);
  downbeat_history_close (history);
  g_clear_object (&history);
  history = downbeat_history_new (fixture->path);
  g_assert_null (downbeat_history_announcement (history));
  g_clear_object (&history);

  /* A row mended by hand with a level nobody knows. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO announcement VALUES (1, 0, 'down', 'outage',"
                                 " NULL, NULL, 2, 0, 0)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  history = downbeat_history_new (fixture->path);
  g_assert_null (downbeat_history_announcement (history));
}

/* In a child: once its standard input closes, opens @path, as the app at login and a bar's
 * `downbeat --watch` do, reads and records a check. */
static void
open_and_record (const char *path)
{
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GPtrArray) trusts = NULL;
  g_autoptr(DownbeatReport) report = report_at (DOWNBEAT_LEVEL_OPERATIONAL, 0, 10, NULL);
  char byte;

  g_assert_cmpint (read (STDIN_FILENO, &byte, 1), ==, 0);
  history = downbeat_history_new (path);
  trusts = downbeat_history_trust (history);
  if (downbeat_history_get_problem (history) != NULL)
    {
      printf ("%s\n", downbeat_history_get_problem (history));
      exit (1);
    }
  if (!downbeat_history_record (history, report))
    {
      printf ("%s\n", downbeat_history_get_problem (history));
      exit (2);
    }
  exit (0);
}

/* A fresh history opened by many processes at once: created and migrated once, under a lock
 * that each waits for; none fails, none says it is not saving. */
static void
test_fresh_file_opened_at_once (Fixture       *fixture,
                                gconstpointer  user_data)
{
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-history", NULL),
                         "--open-and-record", fixture->path, NULL };
  GSubprocess *children[16];

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autoptr(GError) error = NULL;

      children[i] = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                             | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
    }
  /* All at once. */
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    g_output_stream_close (g_subprocess_get_stdin_pipe (children[i]), NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autoptr(GError) error = NULL;
      char said[256] = "";

      g_input_stream_read_all (g_subprocess_get_stdout_pipe (children[i]), said, sizeof said - 1,
                               NULL, NULL, &error);
      g_assert_no_error (error);
      g_subprocess_wait (children[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (said, ==, "");
      g_assert_cmpint (g_subprocess_get_exit_status (children[i]), ==, 0);
      g_object_unref (children[i]);
    }
  g_assert_cmpint (count_rows (fixture->path, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (count_rows (fixture->path, "SELECT count(*) FROM checks"), ==,
                   G_N_ELEMENTS (children));
}

/* In a child: records forever, a level change every 3 checks, and says each one is committed. */
static void
write_until_killed (const char *path)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (path);

  for (gint64 i = 0; ; i++)
    {
      DownbeatLevel level = (i / 3) % 2 ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL;
      g_autoptr(DownbeatReport) report = report_at (level, i * 60, 10, NULL);

      if (!downbeat_history_record (history, report))
        exit (1);
      if (i % 3 == 0)
        {
          printf ("%" G_GINT64_FORMAT "\n", BASE + i * 60);
          fflush (stdout);
        }
    }
}

/* What SIGKILL cannot show: whether a level change reaches the disk, not just the page cache.
 * A VFS over the default one counts the syncs SQLite asks of the files. */
typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
} CountedFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs counting_vfs;
static sqlite3_io_methods counted_methods;
static gint syncs;

#define REAL(file) (((CountedFile *) (file))->real)

static int
counted_close (sqlite3_file *file)
{
  int code = REAL (file)->pMethods->xClose (REAL (file));

  sqlite3_free (REAL (file));
  return code;
}

static int
counted_read (sqlite3_file *file, void *data, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), data, amount, offset);
}

static int
counted_write (sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xWrite (REAL (file), data, amount, offset);
}

static int
counted_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
counted_sync (sqlite3_file *file, int flags)
{
  g_atomic_int_inc (&syncs);
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
counted_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
counted_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
counted_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
counted_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
counted_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
counted_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
counted_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
counted_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, out);
}

static int
counted_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
counted_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
counted_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
counted_open (sqlite3_vfs  *vfs,
              const char   *name,
              sqlite3_file *file,
              int           flags,
              int          *out_flags)
{
  CountedFile *counted = (CountedFile *) file;
  int code;

  counted->real = sqlite3_malloc (real_vfs->szOsFile);
  memset (counted->real, 0, real_vfs->szOsFile);
  code = real_vfs->xOpen (real_vfs, name, counted->real, flags, out_flags);
  if (code != SQLITE_OK || counted->real->pMethods == NULL)
    {
      sqlite3_free (counted->real);
      file->pMethods = NULL;
      return code;
    }
  file->pMethods = &counted_methods;
  return SQLITE_OK;
}

static void
install_counting_vfs (void)
{
  if (real_vfs != NULL)
    return;

  real_vfs = sqlite3_vfs_find (NULL);
  counting_vfs = *real_vfs;
  counting_vfs.szOsFile = sizeof (CountedFile);
  counting_vfs.zName = "downbeat-counting";
  counting_vfs.xOpen = counted_open;
  counted_methods = (sqlite3_io_methods) {
    .iVersion = 2,
    .xClose = counted_close, .xRead = counted_read, .xWrite = counted_write,
    .xTruncate = counted_truncate, .xSync = counted_sync, .xFileSize = counted_file_size,
    .xLock = counted_lock, .xUnlock = counted_unlock,
    .xCheckReservedLock = counted_check_reserved_lock, .xFileControl = counted_file_control,
    .xSectorSize = counted_sector_size, .xDeviceCharacteristics = counted_device_characteristics,
    .xShmMap = counted_shm_map, .xShmLock = counted_shm_lock, .xShmBarrier = counted_shm_barrier,
    .xShmUnmap = counted_shm_unmap,
  };
  g_assert_cmpint (sqlite3_vfs_register (&counting_vfs, TRUE), ==, SQLITE_OK);
}

/* A level change is synced before the writer goes on; a check that changes nothing is not
 * (WAL, synchronous=NORMAL: a check a minute should not cost a sync each). */
static void
test_level_change_is_synced (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(DownbeatHistory) history = NULL;
  gint before;

  install_counting_vfs ();
  history = downbeat_history_new (fixture->path);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 0);

  before = g_atomic_int_get (&syncs);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 60);
  record (history, DOWNBEAT_LEVEL_OPERATIONAL, 120);
  g_assert_cmpint (g_atomic_int_get (&syncs), ==, before);

  record (history, DOWNBEAT_LEVEL_OUTAGE, 180);
  g_assert_cmpint (g_atomic_int_get (&syncs), >, before);
}

static void
test_sigkill_loses_no_change (Fixture       *fixture,
                              gconstpointer  user_data)
{
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-history", NULL),
                         "--write-until-killed", fixture->path, NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) committed = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  /* Let it write a while, then kill it wherever it is. */
  while (committed->len < (guint) g_test_rand_int_range (200, 400))
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      gint64 change;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      change = g_ascii_strtoll (line, NULL, 10);
      g_array_append_val (committed, change);
    }
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM changes WHERE at = ?", -1,
                                       &statement, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < committed->len; i++)
    {
      sqlite3_bind_int64 (statement, 1, g_array_index (committed, gint64, i));
      g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 1);
      sqlite3_reset (statement);
    }
  sqlite3_finalize (statement);
  sqlite3_close (db);

  /* And the file opens and takes more. */
  {
    g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->path);

    g_assert_null (downbeat_history_get_problem (history));
    record (history, DOWNBEAT_LEVEL_OPERATIONAL, 100000000);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--write-until-killed"))
    write_until_killed (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--open-and-record"))
    open_and_record (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/history/uptime-with-offline-gaps", test_uptime_with_offline_gaps);
  ADD ("/history/silence-is-not-known", test_silence_is_not_known);
  ADD ("/history/outages", test_outages);
  ADD ("/history/outages-keep-the-lead", test_outages_keep_the_lead);
  ADD ("/history/retention-and-aggregates", test_retention_and_aggregates);
  ADD ("/history/clock-jumps-prune-nothing", test_clock_jumps_prune_nothing);
  ADD ("/history/page-caches-are-small", test_page_caches_are_small);
  ADD ("/history/migration-from-schema-1", test_migration_from_schema_1);
  ADD ("/history/trust-is-kept", test_trust_is_kept);
  ADD ("/history/trust-with-empty-fields", test_trust_with_empty_fields);
  ADD ("/history/damaged-file-is-moved-aside", test_damaged_file_is_moved_aside);
  ADD ("/history/cannot-open", test_cannot_open);
  ADD ("/history/newer-schema-is-left-alone", test_newer_schema_is_left_alone);
  ADD ("/history/full-disk-keeps-changes", test_full_disk_keeps_changes);
  ADD ("/history/locked-by-another", test_locked_by_another);
  ADD ("/history/sigkill-loses-no-change", test_sigkill_loses_no_change);
  ADD ("/history/level-change-is-synced", test_level_change_is_synced);
  ADD ("/history/close-writes-what-is-queued", test_close_writes_what_is_queued);
  ADD ("/history/fresh-file-opened-at-once", test_fresh_file_opened_at_once);
  ADD ("/history/announcement-is-kept", test_announcement_is_kept);

  return g_test_run ();
}
