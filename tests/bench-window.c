/* bench-window.c: the detail window on screen, and what a check costs the main loop under it
 *
 * Usage: xvfb-run -a bench-window [CHANGES [CHECKS]]
 * Builds the window over 30 days of history and a live monitor, ten times, and prints how long
 * each took from creation to mapped and drawn. Goal: at most 150 ms.
 * Then, a status page of 10,000 components in trouble, and one of 5,000 incidents, answered
 * afresh to every check: the time a check takes, fetch to window shown, and the private memory.
 * Then, for a year of history with CHANGES level changes and a week of CHECKS checks (by default
 * 100,000 changes, 1,000,000 changes, and 1,000,000 checks: one every 0.6 s, as the shortest
 * poll interval, 1 s, nearly makes),
 * the window open, checks as the application makes them: prints the longest the main loop was
 * busy in each check (never waiting for the disk: goal at most 50 ms), how much of that was its
 * own processor time (the rest went to other threads and processes), how long the worker took
 * to read the history after it, and the private memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <time.h>

#include "downbeat-window-private.h"
#include "window-fixture.h"

#define RUNS 10
#define CHECKS 10

static gboolean
on_draw (GtkWidget *widget,
         cairo_t   *cr,
         gboolean  *drawn)
{
  *drawn = TRUE;
  return GDK_EVENT_PROPAGATE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
first_frame (GtkApplication  *app,
             MonitorFixture  *fixture,
             DownbeatHistory *history)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double times[RUNS];

  for (int day = 29; day >= 0; day--)
    {
      g_autoptr(GDateTime) end = g_date_time_add_days (now, -day);
      history_fixture_fill_day (history, end);
    }

  for (guint run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      gboolean drawn = FALSE;
      GtkWidget *window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));

      g_signal_connect_after (window, "draw", G_CALLBACK (on_draw), &drawn);
      gtk_window_present (GTK_WINDOW (window));
      while (!drawn)
        g_main_context_iteration (NULL, TRUE);
      times[run] = (g_get_monotonic_time () - start) / 1000.0;
      gtk_widget_destroy (window);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_print ("detail window, creation to first frame over 30 days of history:\n");
  g_print ("  first %.1f ms (templates parsed, icons loaded)\n", times[0]);
  qsort (times + 1, RUNS - 1, sizeof (double), compare_doubles);
  g_print ("  then median %.1f ms, slowest %.1f ms      goal <= 150 ms\n",
           times[1 + (RUNS - 1) / 2], times[RUNS - 1]);
}

/* A year of @changes level changes before the last two days, back and forth between operational and
 * an outage, each outage noticed here: written straight into the file, as a year would leave
 * it. */
static void
add_year_of_changes (const char *path,
                     guint       changes,
                     GDateTime  *now)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *change = NULL;
  sqlite3_stmt *sighting = NULL;
  gint64 end = g_date_time_to_unix (now) - 2 * 86400;
  gint64 start = end - 364 * 86400;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "INSERT INTO changes (at, level) VALUES (?, ?)", -1, &change, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO sightings (at, kind) VALUES (?, 'noticed')", -1,
                      &sighting, NULL);
  for (guint i = 0; i < changes; i++)
    {
      gint64 at = start + (end - start) * i / changes;

      sqlite3_bind_int64 (change, 1, at);
      sqlite3_bind_text (change, 2, i % 2 == 0 ? "outage" : "operational", -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (change), ==, SQLITE_DONE);
      sqlite3_reset (change);
      if (i % 2 == 0)
        {
          sqlite3_bind_int64 (sighting, 1, at);
          g_assert_cmpint (sqlite3_step (sighting), ==, SQLITE_DONE);
          sqlite3_reset (sighting);
        }
    }
  sqlite3_finalize (change);
  sqlite3_finalize (sighting);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A week of @checks checks up to now, every probe answering: written straight into the file. */
static void
add_week_of_checks (const char *path,
                    guint       checks,
                    GDateTime  *now)
{
  static const char * const probes[] = { "access-points", "web-api", "login", "web-player" };
  sqlite3 *db = NULL;
  sqlite3_stmt *check = NULL;
  sqlite3_stmt *result = NULL;
  gint64 end = g_date_time_to_unix (now) - 120;
  gint64 start = end - 7 * 86400 + 3600;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "INSERT INTO checks (at, level) VALUES (?, 'operational')", -1, &check,
                      NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO probe_results VALUES (?, ?, 1, 200, ?, NULL)", -1, &result,
                      NULL);
  for (guint i = 0; i < checks; i++)
    {
      gint64 id;

      sqlite3_bind_int64 (check, 1, start + (end - start) * i / checks);
      g_assert_cmpint (sqlite3_step (check), ==, SQLITE_DONE);
      sqlite3_reset (check);
      id = sqlite3_last_insert_rowid (db);
      for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
        {
          sqlite3_bind_int64 (result, 1, id);
          sqlite3_bind_text (result, 2, probes[p], -1, SQLITE_STATIC);
          sqlite3_bind_int (result, 3, 80 + (i * 7 + p * 13) % 200);
          g_assert_cmpint (sqlite3_step (result), ==, SQLITE_DONE);
          sqlite3_reset (result);
        }
    }
  sqlite3_finalize (check);
  sqlite3_finalize (result);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Time spent in poll(): what the main loop waited for events, not what kept it busy. */
static gint64 polled_us;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 start = g_get_monotonic_time ();
  gint result = g_poll (fds, n_fds, timeout);

  polled_us += g_get_monotonic_time () - start;
  return result;
}

static void
add_to_history (DownbeatMonitor *monitor,
                DownbeatReport  *report,
                DownbeatHistory *history)
{
  downbeat_history_add (history, report);
}

static gint64 written_at;

static void
count (guint *written)
{
  (*written)++;
  written_at = g_get_monotonic_time ();
}

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

typedef struct
{
  double busy_ms;   /* the longest the main loop did not poll, from start to end */
  double cpu_ms;    /* the main thread's own processor time in it: the rest went to others */
  double read_ms;   /* from the check written to the window showing the history read after it */
} CheckCost;

static gint64
private_kib (void)
{
  g_autofree char *smaps = NULL;
  gint64 kib = 0;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &smaps, NULL, NULL))
    return 0;
  for (char *line = smaps; line != NULL && *line != '\0'; line = strchr (line, '\n'))
    {
      while (*line == '\n')
        line++;
      if (g_str_has_prefix (line, "Private_Dirty:"))
        kib += g_ascii_strtoll (line + strlen ("Private_Dirty:"), NULL, 10);
    }
  return kib;
}

/* What a check costs the main loop, from its start until the window shows what the history
 * says after it. */
static CheckCost
one_check (MonitorFixture  *fixture,
           DownbeatWindow  *window,
           guint           *written)
{
  guint before = *written;
  CheckCost cost = { 0 };

  downbeat_monitor_check_now (fixture->monitor);
  while (*written == before || downbeat_window_is_reading_history (window))
    {
      gint64 start = g_get_monotonic_time ();
      gint64 cpu = thread_cpu_us ();
      gint64 polled = polled_us;
      double busy_ms;

      g_main_context_iteration (NULL, TRUE);
      busy_ms = (g_get_monotonic_time () - start - (polled_us - polled)) / 1000.0;
      if (busy_ms > cost.busy_ms)
        {
          cost.busy_ms = busy_ms;
          cost.cpu_ms = (thread_cpu_us () - cpu) / 1000.0;
        }
    }
  cost.read_ms = (g_get_monotonic_time () - written_at) / 1000.0;

  return cost;
}

static void
stall_per_check (GtkApplication *app,
                 guint           changes,
                 guint           checks)
{
  g_autofree char *directory = g_dir_make_tmp ("downbeat-bench-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_autoptr(DownbeatHistory) history = downbeat_history_new (path);
  GtkWidget *window;
  gboolean drawn = FALSE;
  guint written = 0;
  double busy[CHECKS], cpu[CHECKS], read[CHECKS];

  history_fixture_fill_day (history, now);
  g_clear_object (&history);
  add_year_of_changes (path, changes, now);
  add_week_of_checks (path, checks, now);
  history = downbeat_history_new (path);
  g_signal_connect (fixture->monitor, "checked", G_CALLBACK (add_to_history), history);
  g_signal_connect_swapped (history, "written", G_CALLBACK (count), &written);

  monitor_fixture_next_check (fixture);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  g_signal_connect_after (window, "draw", G_CALLBACK (on_draw), &drawn);
  gtk_window_present (GTK_WINDOW (window));
  while (!drawn || downbeat_window_is_reading_history (DOWNBEAT_WINDOW (window)))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < CHECKS; i++)
    {
      CheckCost cost = one_check (fixture, DOWNBEAT_WINDOW (window), &written);

      busy[i] = cost.busy_ms;
      cpu[i] = cost.cpu_ms;
      read[i] = cost.read_ms;
    }

  qsort (busy, CHECKS, sizeof (double), compare_doubles);
  qsort (cpu, CHECKS, sizeof (double), compare_doubles);
  qsort (read, CHECKS, sizeof (double), compare_doubles);
  g_print ("a year of %u level changes, a week of %u checks; the window open, %u checks:\n",
           changes, checks, CHECKS);
  g_print ("  main loop busy at most %.1f ms a check (median %.1f ms)   goal <= 50 ms\n",
           busy[CHECKS - 1], busy[CHECKS / 2]);
  g_print ("  of which its own processor time at most %.1f ms (median %.1f ms)\n",
           cpu[CHECKS - 1], cpu[CHECKS / 2]);
  g_print ("  the history read on the worker: median %.1f ms, slowest %.1f ms\n",
           read[CHECKS / 2], read[CHECKS - 1]);
  g_print ("  private dirty memory %.1f MiB\n", private_kib () / 1024.0);

  gtk_widget_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&history);
  g_assert_cmpint (system (command), ==, 0);
}

/* Spotify's page in deep trouble, the window open: what a check costs, fetch and all, and what
 * stays in memory. */
static void
huge_page (GtkApplication *app,
           guint           components,
           guint           incidents)
{
  g_autoptr(GBytes) page = page_fixture_summary (components, incidents);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new_page (1, page);
  GtkWidget *window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  double times[CHECKS / 2];

  gtk_widget_show (window);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();

      monitor_fixture_next_check (fixture);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_doubles);
  g_print ("a status page of %u components in trouble and %u incidents (%.0f KiB), fetched "
           "afresh, %u checks:\n", components, incidents, g_bytes_get_size (page) / 1024.0,
           (guint) G_N_ELEMENTS (times));
  g_print ("  a check, fetch to window shown: median %.0f ms, slowest %.0f ms\n",
           times[G_N_ELEMENTS (times) / 2], times[G_N_ELEMENTS (times) - 1]);
  g_print ("  private dirty memory %.1f MiB\n", private_kib () / 1024.0);

  gtk_widget_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MonitorFixture) fixture = NULL;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-bench-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GtkApplication) app = NULL;
  static const guint default_changes[] = { 100000, 1000000 };

  gtk_init (&argc, &argv);
  g_main_context_set_poll_func (NULL, timed_poll);

  app = gtk_application_new ("io.github.downbeat.DownbeatBench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  fixture = monitor_fixture_new (1);
  history = downbeat_history_new (path);
  monitor_fixture_next_check (fixture);
  first_frame (app, fixture, history);
  g_clear_object (&history);
  g_assert_cmpint (system (command), ==, 0);

  if (argc > 1)
    stall_per_check (app, g_ascii_strtoull (argv[1], NULL, 10),
                     argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 0);
  else
    {
      huge_page (app, 10000, 0);
      huge_page (app, 0, 5000);
      for (guint i = 0; i < G_N_ELEMENTS (default_changes); i++)
        stall_per_check (app, default_changes[i], 0);
      stall_per_check (app, 0, 1000000);
    }

  return 0;
}
