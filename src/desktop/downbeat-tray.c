/* downbeat-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-tray"

#include "config.h"

#include "downbeat-tray.h"

G_DEFINE_INTERFACE (DownbeatTray, downbeat_tray, G_TYPE_OBJECT)

static void
downbeat_tray_default_init (DownbeatTrayInterface *iface)
{
  /**
   * DownbeatTray:available:
   *
   * Whether a tray host shows the icon. Without one, the application shows its window
   * rather than run invisibly.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_boolean ("available", NULL, NULL, FALSE,
                                                             (G_PARAM_READABLE |
                                                              G_PARAM_STATIC_STRINGS |
                                                              G_PARAM_EXPLICIT_NOTIFY)));
}

/**
 * downbeat_tray_set_icon:
 * @icon_name: a themed icon name, one of docs/design.md's levels
 * @description: the icon in words, for screen readers
 */
void
downbeat_tray_set_icon (DownbeatTray *self,
                        const char   *icon_name,
                        const char   *description)
{
  g_return_if_fail (DOWNBEAT_IS_TRAY (self));
  g_return_if_fail (icon_name != NULL);

  DOWNBEAT_TRAY_GET_IFACE (self)->set_icon (self, icon_name, description);
}

/**
 * downbeat_tray_set_title:
 * @title: "Spotify is up", the tooltip on most hosts
 */
void
downbeat_tray_set_title (DownbeatTray *self,
                         const char   *title)
{
  g_return_if_fail (DOWNBEAT_IS_TRAY (self));
  g_return_if_fail (title != NULL);

  DOWNBEAT_TRAY_GET_IFACE (self)->set_title (self, title);
}

/**
 * downbeat_tray_set_status_line:
 * @status_line: the first line of the menu, "Spotify is up · checked 2 minutes ago"
 */
void
downbeat_tray_set_status_line (DownbeatTray *self,
                               const char   *status_line)
{
  g_return_if_fail (DOWNBEAT_IS_TRAY (self));
  g_return_if_fail (status_line != NULL);

  DOWNBEAT_TRAY_GET_IFACE (self)->set_status_line (self, status_line);
}

/**
 * downbeat_tray_set_muted_until:
 * @until: (nullable): when muted notifications speak again, %NULL when they are not muted
 */
void
downbeat_tray_set_muted_until (DownbeatTray *self,
                               GDateTime    *until)
{
  g_return_if_fail (DOWNBEAT_IS_TRAY (self));

  DOWNBEAT_TRAY_GET_IFACE (self)->set_muted_until (self, until);
}

void
downbeat_tray_set_status (DownbeatTray       *self,
                          DownbeatTrayStatus  status)
{
  g_return_if_fail (DOWNBEAT_IS_TRAY (self));

  DOWNBEAT_TRAY_GET_IFACE (self)->set_status (self, status);
}

gboolean
downbeat_tray_get_available (DownbeatTray *self)
{
  gboolean available = FALSE;

  g_return_val_if_fail (DOWNBEAT_IS_TRAY (self), FALSE);

  g_object_get (self, "available", &available, NULL);
  return available;
}
