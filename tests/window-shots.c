/* window-shots.c: the detail window, photographed, for the README and the metainfo
 *
 * Usage: GTK_THEME=Adwaita[:dark] window-shots operational|degraded|outage OUTPUT.png
 * Runs under Xvfb against the fake Spotify, with a day of made-up history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "downbeat-window.h"
#include "fake-spotify.h"
#include "history-fixture.h"

static void
record (DownbeatMonitor *monitor,
        DownbeatReport  *report,
        DownbeatHistory *history)
{
  downbeat_history_record (history, report);
}

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            guint           *checked)
{
  (*checked)++;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FakeSpotify) fake = NULL;
  g_autofree char *json = NULL;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-shots-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GdkPixbuf) shot = NULL;
  GtkWidget *window;
  guint checked = 0;
  int width, height;

  gtk_init (&argc, &argv);
  if (argc != 3)
    {
      g_printerr ("Usage: window-shots operational|degraded|outage OUTPUT.png\n");
      return 2;
    }

  fake = fake_spotify_new ();
  json = fake_spotify_service_json (fake);
  if (g_str_equal (argv[1], "degraded"))
    fake_spotify_set (fake, "login", FAKE_FAIL);
  else if (g_str_equal (argv[1], "outage"))
    {
      fake_spotify_set (fake, "api", FAKE_FAIL);
      fake_spotify_set (fake, "login", FAKE_FAIL);
      fake_spotify_set (fake, "summary", FAKE_MAJOR);
    }

  gtk_css_provider_load_from_resource (css, "/io/github/downbeat/Downbeat/downbeat-style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  now = g_date_time_new_now_utc ();
  history = downbeat_history_new (path);
  history_fixture_fill_day (history, now);

  service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  session = downbeat_fetch_session_new ();
  monitor = downbeat_monitor_new (service, session, NULL);
  g_object_set (monitor, "confirmations", 1, NULL);
  g_signal_connect (monitor, "checked", G_CALLBACK (record), history);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);

  app = gtk_application_new ("io.github.downbeat.DownbeatShots", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = GTK_WIDGET (downbeat_window_new (app, monitor, history));
  gtk_window_set_default_size (GTK_WINDOW (window), 620, 1240);
  gtk_widget_show (window);
  downbeat_monitor_start (monitor);
  while (checked == 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  width = gtk_widget_get_allocated_width (window);
  height = gtk_widget_get_allocated_height (window);
  shot = gdk_pixbuf_get_from_window (gtk_widget_get_window (window), 0, 0, width, height);
  if (shot == NULL || !gdk_pixbuf_save (shot, argv[2], "png", &error, NULL))
    {
      g_printerr ("Cannot save %s: %s\n", argv[2], error != NULL ? error->message : "no image");
      return 1;
    }

  gtk_widget_destroy (window);
  g_clear_object (&history);
  return system (command) == 0 ? 0 : 1;
}
