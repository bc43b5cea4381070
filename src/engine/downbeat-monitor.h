/* downbeat-monitor.h: the check cycle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "downbeat-report.h"
#include "downbeat-service.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_MONITOR (downbeat_monitor_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatMonitor, downbeat_monitor, DOWNBEAT, MONITOR, GObject)

DownbeatMonitor *downbeat_monitor_new          (DownbeatService *service,
                                                SoupSession     *session,
                                                GNetworkMonitor *network_monitor);
void             downbeat_monitor_start        (DownbeatMonitor *self);
void             downbeat_monitor_check_now    (DownbeatMonitor *self);
void             downbeat_monitor_request_check (DownbeatMonitor *self);
DownbeatService *downbeat_monitor_get_service  (DownbeatMonitor *self);
DownbeatReport  *downbeat_monitor_get_report   (DownbeatMonitor *self);
DownbeatLevel    downbeat_monitor_get_level    (DownbeatMonitor *self);
gboolean         downbeat_monitor_get_checking (DownbeatMonitor *self);
guint            downbeat_monitor_get_next_delay (DownbeatMonitor *self);
guint            downbeat_monitor_get_stalls   (DownbeatMonitor *self);
void             downbeat_monitor_restore_trust (DownbeatMonitor *self,
                                                 GPtrArray       *trusts);

G_END_DECLS
