/* downbeat-memory.h: how much memory the process holds in live allocations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gsize downbeat_memory_in_use       (void);
gsize downbeat_memory_in_sqlite    (void);
void  downbeat_memory_one_arena    (void);
void  downbeat_memory_give_back    (void);

G_END_DECLS
