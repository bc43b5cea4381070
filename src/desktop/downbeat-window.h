/* downbeat-window.h: the detail window: what fails, what Spotify says, how long, how often
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "downbeat-history.h"
#include "downbeat-monitor.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_WINDOW (downbeat_window_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatWindow, downbeat_window, DOWNBEAT, WINDOW, GtkApplicationWindow)

DownbeatWindow *downbeat_window_new (gpointer         application,
                                     DownbeatMonitor *monitor,
                                     DownbeatHistory *history);
void            downbeat_window_set_tray_missing (DownbeatWindow *self,
                                                  gboolean        missing);

G_END_DECLS
