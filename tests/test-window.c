/* test-window.c: the status window, built from a real monitor, under a real X server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "downbeat-preferences.h"
#include "downbeat-window.h"
#include "fake-spotify.h"
#include "history-fixture.h"

static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkLabel *found = find_label_containing (l->data, text);
          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            guint           *checked)
{
  (*checked)++;
}

static void
test_shows_level_and_reasons (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(FakeSpotify) fake = fake_spotify_new ();
  g_autofree char *json = fake_spotify_service_json (fake);
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  GtkWidget *window;
  guint checked = 0;

  service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);
  g_object_set (monitor, "confirmations", 1, NULL);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);

  fake_spotify_set (fake, "ap", FAKE_FAIL);
  fake_spotify_set (fake, "api", FAKE_FAIL);

  window = GTK_WIDGET (downbeat_window_new (app, monitor, NULL));
  g_assert_nonnull (find_label_containing (window, "first check is running"));
  gtk_widget_show (window);

  downbeat_monitor_start (monitor);
  while (checked == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  g_assert_nonnull (find_label_containing (window, "Access points is not answering as it should: "
                                                   "HTTP 503 Service Unavailable"));
  g_assert_nonnull (find_label_containing (window, "Web API is not answering"));
  g_assert_nonnull (find_label_containing (window, "Last checked at"));

  gtk_widget_destroy (window);
}

static gboolean
find_link (GtkWidget  *widget,
           const char *uri)
{
  if (GTK_IS_LINK_BUTTON (widget))
    return g_strcmp0 (gtk_link_button_get_uri (GTK_LINK_BUTTON (widget)), uri) == 0;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        if (find_link (l->data, uri))
          return TRUE;
    }

  return FALSE;
}

static void
record (DownbeatMonitor *monitor,
        DownbeatReport  *report,
        DownbeatHistory *history)
{
  downbeat_history_record (history, report);
}

static void
test_detail_shows_everything (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(FakeSpotify) fake = fake_spotify_new ();
  g_autofree char *json = fake_spotify_service_json (fake);
  g_autofree char *directory = g_dir_make_tmp ("downbeat-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(DownbeatHistory) history = downbeat_history_new (path);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  GtkWidget *window;
  GtkLabel *incident;
  guint checked = 0;

  history_fixture_fill_day (history, now);
  service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);
  g_object_set (monitor, "confirmations", 1, NULL);
  /* As the application does: the history first. */
  g_signal_connect (monitor, "checked", G_CALLBACK (record), history);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);

  fake_spotify_set (fake, "api", FAKE_FAIL);
  fake_spotify_set (fake, "login", FAKE_FAIL);
  fake_spotify_set (fake, "summary", FAKE_MAJOR);

  window = GTK_WIDGET (downbeat_window_new (app, monitor, history));
  gtk_widget_show (window);
  downbeat_monitor_start (monitor);
  while (checked == 0)
    g_main_context_iteration (NULL, TRUE);

  /* The level, and what fails. */
  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  g_assert_nonnull (find_label_containing (window, "Since "));
  g_assert_nonnull (find_label_containing (window, "a neutral site answered"));
  g_assert_nonnull (find_label_containing (window, "Web API"));
  g_assert_nonnull (find_label_containing (window, "Login"));
  g_assert_nonnull (find_label_containing (window, "HTTP 503 Service Unavailable"));
  g_assert_nonnull (find_label_containing (window, "Answered in "));

  /* What Spotify says, as text: never markup. */
  g_assert_nonnull (find_label_containing (window, "Spotify: Major System Outage"));
  g_assert_nonnull (find_label_containing (window, "Login — Major outage"));
  incident = find_label_containing (window, "<b>Playback</b> & login down");
  g_assert_nonnull (incident);
  g_assert_false (gtk_label_get_use_markup (incident));
  g_assert_nonnull (find_label_containing (window, "We are <i>looking</i> into it."));
  g_assert_true (find_link (window, "https://stspg.example/i1"));

  /* The history: uptime, the graph, the outage six hours ago, and the one going on. */
  /* 40 minutes down in the day recorded: 97.2% up. */
  g_assert_nonnull (find_label_containing (window, "97.2%"));
  g_assert_nonnull (find_label_containing (window, "Median "));
  g_assert_nonnull (find_label_containing (window, "for 40 minutes: down"));
  g_assert_nonnull (find_label_containing (window, "still going on: down"));
  g_assert_nonnull (find_label_containing (window, "Spotify said: <b>Playback</b> & login down"));
  g_assert_nonnull (find_label_containing (window, "None listed for this service."));
  g_assert_null (find_label_containing (window, "not being saved"));

  gtk_widget_destroy (window);
  g_clear_object (&history);
  g_assert_cmpint (system (command), ==, 0);
}

static gboolean
has_link_with_scheme (GtkWidget  *widget,
                      const char *scheme)
{
  if (GTK_IS_LINK_BUTTON (widget))
    return g_str_has_prefix (gtk_link_button_get_uri (GTK_LINK_BUTTON (widget)), scheme);

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        if (has_link_with_scheme (l->data, scheme))
          return TRUE;
    }

  return FALSE;
}

static void
test_hostile_incident (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(FakeSpotify) fake = fake_spotify_new ();
  g_autofree char *json = fake_spotify_service_json (fake);
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  GtkWidget *window;
  GtkLabel *title;
  guint checked = 0;

  service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);
  fake_spotify_set (fake, "summary", FAKE_HOSTILE);

  window = GTK_WIDGET (downbeat_window_new (app, monitor, NULL));
  gtk_widget_show (window);
  downbeat_monitor_start (monitor);
  while (checked == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  /* Markup shown as text; escape sequences, bidi overrides and NULs gone. */
  title = find_label_containing (window, "<a href='file:///etc/passwd'>Click</a>");
  g_assert_nonnull (title);
  g_assert_false (gtk_label_get_use_markup (title));
  g_assert_null (strchr (gtk_label_get_text (title), '\033'));
  g_assert_null (strstr (gtk_label_get_text (title), "\u202e"));
  /* The javascript: shortlink is never offered. */
  g_assert_false (has_link_with_scheme (window, "javascript:"));
  g_assert_false (has_link_with_scheme (window, "file:"));

  gtk_widget_destroy (window);
}

static GtkWidget *
find_by_accessible_name (GtkWidget  *widget,
                         const char *name)
{
  AtkObject *accessible = gtk_widget_get_accessible (widget);

  if (g_strcmp0 (atk_object_get_name (accessible), name) == 0)
    return widget;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_by_accessible_name (l->data, name);
          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

static void
test_preferences_change_settings (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart_helper = downbeat_autostart_new (FALSE);
  GtkWidget *window;
  GtkWidget *degraded;
  GtkWidget *maintenance;
  GtkWidget *interval;
  GtkWidget *autostart;

  g_settings_set_uint (settings, "poll-interval", 120);

  window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));
  degraded = find_by_accessible_name (window, "When Spotify has problems");
  maintenance = find_by_accessible_name (window, "During planned maintenance");
  interval = find_by_accessible_name (window, "Check every");
  g_assert_true (GTK_IS_SWITCH (degraded));
  g_assert_true (GTK_IS_SWITCH (maintenance));
  g_assert_true (GTK_IS_SPIN_BUTTON (interval));

  g_assert_true (gtk_switch_get_active (GTK_SWITCH (degraded)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (maintenance)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (interval)), ==, 120);

  gtk_switch_set_active (GTK_SWITCH (degraded), FALSE);
  gtk_switch_set_active (GTK_SWITCH (maintenance), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (interval), 300);
  g_assert_false (g_settings_get_boolean (settings, "notify-degraded"));
  g_assert_true (g_settings_get_boolean (settings, "notify-maintenance"));
  g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval"), ==, 300);

  autostart = find_by_accessible_name (window, "Start at login");
  g_assert_true (GTK_IS_SWITCH (autostart));
  gtk_switch_set_active (GTK_SWITCH (autostart), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "autostart"));

  gtk_widget_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  gtk_test_init (&argc, &argv, NULL);

  app = gtk_application_new ("io.github.downbeat.DownbeatTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/window/shows-level-and-reasons", app, test_shows_level_and_reasons);
  g_test_add_data_func ("/window/detail-shows-everything", app, test_detail_shows_everything);
  g_test_add_data_func ("/window/hostile-incident", app, test_hostile_incident);
  g_test_add_data_func ("/preferences/change-settings", app, test_preferences_change_settings);

  return g_test_run ();
}
