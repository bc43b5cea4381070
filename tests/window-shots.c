/* window-shots.c: the detail window, photographed, for the README and the metainfo
 *
 * Usage: GTK_THEME=Adwaita[:dark] window-shots [--no-tray] [--locale-dir DIR]
 *          operational|degraded|outage OUTPUT.png [WxH]
 * Runs under Xvfb against the fake Spotify, with a day of made-up history. WxH is the window's
 * size, 620x1300 (all of it) unless given; the metainfo's are 1000x700 at most (Flathub).
 * --no-tray shows the notice of a desktop without a tray; --locale-dir takes the translations
 * from a build's po/ (LANGUAGE picks one).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "downbeat-window.h"
#include "window-fixture.h"

static const GActionEntry shown_actions[] = {
  { "check-now" }, { "mute-for", NULL, "s" }, { "unmute" }, { "open-status-page" },
  { "preferences" }, { "about" }, { "quit" },
  { "notify-when-back", NULL, NULL, "false" },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MonitorFixture) fixture = NULL;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-shots-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatHistory) history = NULL;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("LEVEL OUTPUT.png [WIDTHxHEIGHT]");
  g_autofree char *locale_dir = NULL;
  gboolean no_tray = FALSE;
  const GOptionEntry entries[] = {
    { "no-tray", 0, 0, G_OPTION_ARG_NONE, &no_tray, "Show the notice of a desktop without a tray",
      NULL },
    { "locale-dir", 0, 0, G_OPTION_ARG_FILENAME, &locale_dir, "Where the translations are", "DIR" },
    { NULL }
  };
  GtkWidget *window;
  int width = 620, height = 1300;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gtk_get_option_group (TRUE));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if ((argc != 3 && argc != 4)
      || (argc == 4
          && (sscanf (argv[3], "%dx%d", &width, &height) != 2 || width < 1 || height < 1)))
    {
      g_printerr ("Usage: window-shots [--no-tray] [--locale-dir DIR] "
                  "operational|degraded|outage OUTPUT.png [WIDTHxHEIGHT]\n");
      return 2;
    }

  fixture = monitor_fixture_new (1);
  if (g_str_equal (argv[1], "degraded"))
    fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  else if (g_str_equal (argv[1], "outage"))
    {
      fake_spotify_set (fixture->fake, "api", FAKE_FAIL);
      fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
      fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);
    }

  gtk_css_provider_load_from_resource (css, "/io/github/downbeat/Downbeat/downbeat-style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  now = g_date_time_new_now_utc ();
  history = downbeat_history_new (path);
  history_fixture_fill_day (history, now);
  monitor_fixture_record_to (fixture, history);

  app = gtk_application_new ("io.github.downbeat.DownbeatShots", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* The application's actions, doing nothing: the window's buttons drawn as a user sees them,
   * not greyed out. */
  g_action_map_add_action_entries (G_ACTION_MAP (app), shown_actions,
                                   G_N_ELEMENTS (shown_actions), NULL);

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  downbeat_window_set_tray_missing (DOWNBEAT_WINDOW (window), no_tray);
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);
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
