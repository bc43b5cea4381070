/* bench-floor.c: the least a tray app on this stack can cost
 *
 * Links what downbeat links, shows one AppIndicator with a one-item menu and, given an address,
 * asks it every 2 s (a tray app that checks something), then idles. bench-desktop.py compares
 * downbeat's memory with this program's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libnotify/notify.h>
#include <libsoup/soup.h>

typedef struct
{
  SoupSession *session;
  const char  *url;
} Floor;

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_bytes_unref (soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL));
}

static gboolean
on_tick (gpointer user_data)
{
  Floor *floor = user_data;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", floor->url);

  soup_session_send_and_read_async (floor->session, msg, G_PRIORITY_DEFAULT, NULL, on_answer,
                                    NULL);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonParser) parser = NULL;
  Floor floor = { 0 };
  AppIndicator *indicator;
  GtkWidget *menu;

  gtk_init (&argc, &argv);
  notify_init ("bench-floor");
  session = soup_session_new ();
  parser = json_parser_new ();

  indicator = app_indicator_new ("bench-floor", "dialog-information",
                                 APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  menu = gtk_menu_new ();
  gtk_menu_shell_append (GTK_MENU_SHELL (menu), gtk_menu_item_new_with_label ("Quit"));
  gtk_widget_show_all (menu);
  app_indicator_set_menu (indicator, GTK_MENU (menu));
  app_indicator_set_status (indicator, APP_INDICATOR_STATUS_ACTIVE);

  if (argc > 1)
    {
      floor.session = session;
      floor.url = argv[1];
      g_timeout_add_seconds (2, on_tick, &floor);
    }

  gtk_main ();
  return 0;
}
