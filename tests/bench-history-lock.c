/* bench-history-lock.c: how long the main loop stalls while another process holds the history
 *
 * Usage: bench-history-lock [SECONDS]   (default 10)
 * Another process takes the database with BEGIN EXCLUSIVE and holds it SECONDS; meanwhile a
 * check is handed to the history every 200 ms, with a level change each time (each one a
 * synced transaction), and a 5 ms timer measures how late the main loop runs. Printed: the
 * longest stall as the application writes (downbeat_history_add(), the writer thread), and as
 * it wrote before (downbeat_history_record() on the main loop). Goal: under 20 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <unistd.h>

#include "downbeat-history.h"

#define TICK_MS 5
#define CHECK_MS 200

typedef struct
{
  DownbeatHistory *history;
  gboolean         on_main_loop;
  gint64           next_tick;
  gint64           worst_us;
  gint64           at;
  guint            checks;
} Run;

static gboolean
on_tick (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->worst_us = MAX (run->worst_us, now - run->next_tick);
  run->next_tick = now + TICK_MS * 1000;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_check (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(DownbeatReport) report = downbeat_report_new ();

  report->level = run->checks++ % 2 == 0 ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL;
  report->service_name = g_strdup ("Spotify");
  report->checked_at = g_date_time_new_from_unix_utc (run->at += 60);

  if (run->on_main_loop)
    downbeat_history_record (run->history, report);
  else
    downbeat_history_add (run->history, report);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_done (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The other process: takes the file, says so on stdout, holds it. */
static int
hold (const char *path,
      guint       seconds)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK)
    return 1;
  if (write (STDOUT_FILENO, "held\n", 5) != 5)
    return 1;
  g_usleep ((gulong) seconds * G_USEC_PER_SEC);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return 0;
}

static gint64
measure (const char *self_path,
         const char *path,
         guint       seconds,
         gboolean    on_main_loop)
{
  g_autoptr(DownbeatHistory) history = downbeat_history_new (path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *seconds_text = g_strdup_printf ("%u", seconds);
  const char *argv[] = { self_path, "--hold", path, seconds_text, NULL };
  g_autoptr(GError) error = NULL;
  char said[8] = { 0 };
  Run run = { history, on_main_loop, 0, 0, 1794999600, 0 };
  GPid pid;
  int out;
  guint tick_id, check_id;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pid,
                                 NULL, &out, NULL, &error))
    g_error ("%s", error->message);
  if (read (out, said, 5) != 5)
    g_error ("The other process did not take the file");
  close (out);

  run.next_tick = g_get_monotonic_time () + TICK_MS * 1000;
  tick_id = g_timeout_add (TICK_MS, on_tick, &run);
  check_id = g_timeout_add (CHECK_MS, on_check, &run);
  g_timeout_add_seconds (seconds + 2, on_done, loop);
  g_main_loop_run (loop);
  g_source_remove (tick_id);
  g_source_remove (check_id);
  g_spawn_close_pid (pid);

  return run.worst_us;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  guint seconds = 10;
  gint64 threaded, blocking;

  if (argc == 4 && g_str_equal (argv[1], "--hold"))
    return hold (argv[2], g_ascii_strtoull (argv[3], NULL, 10));
  if (argc > 1)
    seconds = g_ascii_strtoull (argv[1], NULL, 10);

  directory = g_dir_make_tmp ("downbeat-bench-lock-XXXXXX", NULL);
  path = g_build_filename (directory, "history.db", NULL);

  threaded = measure (argv[0], path, seconds, FALSE);
  blocking = measure (argv[0], path, seconds, TRUE);

  g_print ("%-58s %8.1f ms   (goal < 20 ms)\n",
           "longest main-loop stall, history on its writer thread", threaded / 1000.0);
  g_print ("%-58s %8.1f ms\n",
           "the same, written on the main loop (as before)", blocking / 1000.0);

  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  return system (command) == 0 ? 0 : 1;
}
