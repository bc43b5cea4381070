/* downbeat-window-private.h: what tests, benchmarks and the window's other files need beyond
 * the public API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-window.h"

G_BEGIN_DECLS

gboolean downbeat_window_is_reading_history (DownbeatWindow *self);
guint    downbeat_window_get_outage_reads   (DownbeatWindow *self);

/* downbeat-window-actions.c */
void     downbeat_window_actions_class_init (GtkWidgetClass *widget_class);
void     downbeat_window_actions_init       (DownbeatWindow *self);

G_END_DECLS
