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

/* downbeat-window-builders.c */
void      downbeat_window_clear_box      (GtkBox     *box);
GtkLabel *downbeat_window_add_label      (GtkBox     *box,
                                          const char *text,
                                          const char *style_class);
void      downbeat_window_add_bold_label (GtkBox     *box,
                                          const char *text);
void      downbeat_window_add_link       (GtkBox     *box,
                                          const char *uri,
                                          const char *label);
GtkBox   *downbeat_window_add_item_box   (GtkBox     *box);

/* downbeat-window-official.c */
void      downbeat_window_show_official  (GtkBox          *box,
                                          char           **shown_key,
                                          DownbeatReport  *report);

/* downbeat-window-actions.c */
void     downbeat_window_actions_class_init (GtkWidgetClass *widget_class);
void     downbeat_window_actions_init       (DownbeatWindow *self);

G_END_DECLS
