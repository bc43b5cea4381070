/* test-window.c: the status window, built from a real monitor, under a real X server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-window.h"
#include "fake-spotify.h"

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
test_shows_level_and_reasons (void)
{
  g_autoptr(FakeSpotify) fake = fake_spotify_new ();
  g_autofree char *json = fake_spotify_service_json (fake);
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.downbeat.DownbeatTest",
                                                        G_APPLICATION_NON_UNIQUE);
  GtkWidget *window;
  guint checked = 0;

  service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);
  g_object_set (monitor, "confirmations", 1, NULL);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &checked);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  fake_spotify_set (fake, "ap", FAKE_FAIL);
  fake_spotify_set (fake, "api", FAKE_FAIL);

  window = GTK_WIDGET (downbeat_window_new (app, monitor));
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

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/shows-level-and-reasons", test_shows_level_and_reasons);

  return g_test_run ();
}
