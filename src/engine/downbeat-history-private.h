/* downbeat-history-private.h: what tests need beyond the public API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-history.h"

G_BEGIN_DECLS

void downbeat_history_set_max_pages (DownbeatHistory *self,
                                     guint            pages);

G_END_DECLS
