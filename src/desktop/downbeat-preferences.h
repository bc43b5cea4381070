/* downbeat-preferences.h: the settings a person may want to change, bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "downbeat-autostart.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_PREFERENCES (downbeat_preferences_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatPreferences, downbeat_preferences, DOWNBEAT, PREFERENCES,
                      GtkApplicationWindow)

DownbeatPreferences *downbeat_preferences_new (GtkApplication    *application,
                                               GSettings         *settings,
                                               DownbeatAutostart *autostart);

G_END_DECLS
