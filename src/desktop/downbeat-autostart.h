/* downbeat-autostart.h: start at login, through a file or the Background portal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_AUTOSTART (downbeat_autostart_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatAutostart, downbeat_autostart, DOWNBEAT, AUTOSTART, GObject)

DownbeatAutostart *downbeat_autostart_new         (gboolean           sandboxed);
gboolean           downbeat_autostart_is_sandboxed (void);
void               downbeat_autostart_set_enabled (DownbeatAutostart *self,
                                                   gboolean           enabled);
const char        *downbeat_autostart_get_status  (DownbeatAutostart *self);

G_END_DECLS
