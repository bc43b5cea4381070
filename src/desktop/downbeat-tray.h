/* downbeat-tray.h: what the application needs from any tray
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_TRAY (downbeat_tray_get_type ())

G_DECLARE_INTERFACE (DownbeatTray, downbeat_tray, DOWNBEAT, TRAY, GObject)

/* How much the icon asks to be seen (a StatusNotifierItem's Status). */
typedef enum
{
  DOWNBEAT_TRAY_ACTIVE,
  DOWNBEAT_TRAY_PASSIVE,      /* nothing to see: a host may hide it */
  DOWNBEAT_TRAY_ATTENTION,    /* something is wrong: a host shows it, out of any overflow */
} DownbeatTrayStatus;

struct _DownbeatTrayInterface
{
  GTypeInterface parent_iface;

  void (*set_icon)        (DownbeatTray *self,
                           const char   *icon_name,
                           const char   *description);
  void (*set_title)       (DownbeatTray *self,
                           const char   *title);
  void (*set_status_line) (DownbeatTray *self,
                           const char   *status_line);
  void (*set_muted_until) (DownbeatTray *self,
                           GDateTime    *until);
  void (*set_status)      (DownbeatTray       *self,
                           DownbeatTrayStatus  status);
};

void     downbeat_tray_set_icon        (DownbeatTray *self,
                                        const char   *icon_name,
                                        const char   *description);
void     downbeat_tray_set_title       (DownbeatTray *self,
                                        const char   *title);
void     downbeat_tray_set_status_line (DownbeatTray *self,
                                        const char   *status_line);
void     downbeat_tray_set_muted_until (DownbeatTray *self,
                                        GDateTime    *until);
void     downbeat_tray_set_status      (DownbeatTray       *self,
                                        DownbeatTrayStatus  status);
gboolean downbeat_tray_get_available   (DownbeatTray *self);

G_END_DECLS
