/* downbeat-window-private.h: what tests and benchmarks need beyond the public API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-window.h"

G_BEGIN_DECLS

gboolean downbeat_window_is_reading_history (DownbeatWindow *self);
guint    downbeat_window_get_outage_reads   (DownbeatWindow *self);

G_END_DECLS
