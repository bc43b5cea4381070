/* downbeat-mute.h: how long "Mute Notifications" lasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *downbeat_mute_tomorrow_morning (GDateTime  *now);
GDateTime *downbeat_mute_until            (const char *choice,
                                           GDateTime  *now);

G_END_DECLS
