/* downbeat-check.h: `downbeat --check`, one confirmed cycle without any display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-history.h"
#include "downbeat-service.h"

G_BEGIN_DECLS

typedef enum
{
  DOWNBEAT_EXIT_OPERATIONAL = 0,
  DOWNBEAT_EXIT_DEGRADED = 1,
  DOWNBEAT_EXIT_OUTAGE = 2,
  DOWNBEAT_EXIT_UNKNOWN = 3,
  DOWNBEAT_EXIT_USAGE = 4,
} DownbeatExit;

int downbeat_check_run (DownbeatService *service,
                        guint            confirmations,
                        gboolean         watch_developers,
                        DownbeatHistory *history,
                        gboolean         json);

G_END_DECLS
