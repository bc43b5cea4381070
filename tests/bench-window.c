/* bench-window.c: from "Show Details" to the detail window on screen
 *
 * Usage: xvfb-run -a bench-window
 * Builds the window over 30 days of history and a live monitor, ten times, and prints how long
 * each took from creation to mapped and drawn. Goal: at most 150 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "downbeat-window.h"
#include "window-fixture.h"

#define RUNS 10

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MonitorFixture) fixture = NULL;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-bench-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GtkApplication) app = NULL;
  double times[RUNS];

  gtk_init (&argc, &argv);

  fixture = monitor_fixture_new (1);
  history = downbeat_history_new (path);
  for (int day = 29; day >= 0; day--)
    {
      g_autoptr(GDateTime) end = g_date_time_add_days (now, -day);
      history_fixture_fill_day (history, end);
    }

  monitor_fixture_next_check (fixture);

  app = gtk_application_new ("io.github.downbeat.DownbeatBench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

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

  g_clear_object (&history);
  return system (command) == 0 ? 0 : 1;
}
