/* downbeat-tray-indicator.h: the tray as a StatusNotifierItem, through libayatana-appindicator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "downbeat-tray.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_TRAY_INDICATOR (downbeat_tray_indicator_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatTrayIndicator, downbeat_tray_indicator,
                      DOWNBEAT, TRAY_INDICATOR, GObject)

DownbeatTray *downbeat_tray_indicator_new (GActionGroup *actions,
                                           const char   *service_name);

G_END_DECLS
