/* downbeat-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_APPLICATION (downbeat_application_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatApplication, downbeat_application, DOWNBEAT, APPLICATION,
                      GtkApplication)

DownbeatApplication *downbeat_application_new (void);

G_END_DECLS
