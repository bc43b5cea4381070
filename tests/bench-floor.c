/* bench-floor.c: the least a tray app on this stack can cost
 *
 * Links what downbeat links and shows one AppIndicator with a one-item menu, then idles.
 * bench-desktop.py compares downbeat's private memory with this program's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libnotify/notify.h>
#include <libsoup/soup.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonParser) parser = NULL;
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

  gtk_main ();
  return 0;
}
