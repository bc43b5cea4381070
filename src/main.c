/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "downbeat-application.h"
#include "downbeat-memory.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DownbeatApplication) app = NULL;

  downbeat_memory_one_arena ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = downbeat_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
