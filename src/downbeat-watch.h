/* downbeat-watch.h: `downbeat --watch`, a line at once and one per change, for bars and scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-history.h"
#include "downbeat-service.h"

G_BEGIN_DECLS

typedef enum
{
  DOWNBEAT_WATCH_JSON,
  DOWNBEAT_WATCH_WAYBAR,
} DownbeatWatchFormat;

gboolean downbeat_watch_format_from_string (const char          *string,
                                            DownbeatWatchFormat *format);

int      downbeat_watch_run                (DownbeatService     *service,
                                            guint                interval,
                                            guint                confirmations,
                                            gboolean             watch_developers,
                                            DownbeatHistory     *history,
                                            DownbeatWatchFormat  format);
int      downbeat_wait_until_up            (DownbeatService     *service,
                                            guint                interval,
                                            guint                confirmations,
                                            gboolean             watch_developers,
                                            DownbeatHistory     *history,
                                            guint                timeout_s);

G_END_DECLS
