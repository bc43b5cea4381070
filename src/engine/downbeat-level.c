/* downbeat-level.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-level"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-level.h"

static const GEnumValue level_values[] = {
  { DOWNBEAT_LEVEL_UNKNOWN, "DOWNBEAT_LEVEL_UNKNOWN", "unknown" },
  { DOWNBEAT_LEVEL_OFFLINE, "DOWNBEAT_LEVEL_OFFLINE", "offline" },
  { DOWNBEAT_LEVEL_OPERATIONAL, "DOWNBEAT_LEVEL_OPERATIONAL", "operational" },
  { DOWNBEAT_LEVEL_MAINTENANCE, "DOWNBEAT_LEVEL_MAINTENANCE", "maintenance" },
  { DOWNBEAT_LEVEL_DEGRADED, "DOWNBEAT_LEVEL_DEGRADED", "degraded" },
  { DOWNBEAT_LEVEL_OUTAGE, "DOWNBEAT_LEVEL_OUTAGE", "outage" },
  { 0, NULL, NULL },
};

GType
downbeat_level_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("DownbeatLevel", level_values));

  return type_id;
}

static gboolean
level_is_valid (DownbeatLevel level)
{
  return level >= DOWNBEAT_LEVEL_UNKNOWN && level <= DOWNBEAT_LEVEL_OUTAGE;
}

const char *
downbeat_level_to_string (DownbeatLevel level)
{
  g_return_val_if_fail (level_is_valid (level), "unknown");

  return level_values[level].value_nick;
}

gboolean
downbeat_level_from_string (const char    *string,
                            DownbeatLevel *level)
{
  g_return_val_if_fail (string != NULL, FALSE);
  g_return_val_if_fail (level != NULL, FALSE);

  for (guint i = 0; level_values[i].value_nick != NULL; i++)
    {
      if (g_str_equal (string, level_values[i].value_nick))
        {
          *level = level_values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
downbeat_level_icon_name (DownbeatLevel level)
{
  static const char * const icon_names[] = {
    [DOWNBEAT_LEVEL_UNKNOWN] = APPLICATION_ID "-unknown",
    [DOWNBEAT_LEVEL_OFFLINE] = APPLICATION_ID "-offline",
    [DOWNBEAT_LEVEL_OPERATIONAL] = APPLICATION_ID "-operational",
    [DOWNBEAT_LEVEL_MAINTENANCE] = APPLICATION_ID "-maintenance",
    [DOWNBEAT_LEVEL_DEGRADED] = APPLICATION_ID "-degraded",
    [DOWNBEAT_LEVEL_OUTAGE] = APPLICATION_ID "-outage",
  };

  g_return_val_if_fail (level_is_valid (level), icon_names[DOWNBEAT_LEVEL_UNKNOWN]);

  return icon_names[level];
}

/**
 * downbeat_level_icon_file:
 *
 * Returns: (transfer full) (nullable): the installed file of the level's icon, found in the
 *   data folders as the icon theme finds it (`meson devenv` adds the build tree's): for what
 *   cannot look an icon name up in our theme, a tray host or a notification server
 */
char *
downbeat_level_icon_file (DownbeatLevel level)
{
  g_autofree char *name = g_strconcat (downbeat_level_icon_name (level), ".svg", NULL);
  const char * const *dirs = g_get_system_data_dirs ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *file = g_build_filename (dirs[i], "icons", "hicolor", "scalable",
                                                "status", name, NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&file);
    }

  return NULL;
}

/* The same colours as the status icons, from the GNOME palette. */
const char *
downbeat_level_color (DownbeatLevel level)
{
  static const char * const colors[] = {
    [DOWNBEAT_LEVEL_UNKNOWN] = "#77767b",
    [DOWNBEAT_LEVEL_OFFLINE] = "#77767b",
    [DOWNBEAT_LEVEL_OPERATIONAL] = "#26a269",
    [DOWNBEAT_LEVEL_MAINTENANCE] = "#1c71d8",
    [DOWNBEAT_LEVEL_DEGRADED] = "#e5a50a",
    [DOWNBEAT_LEVEL_OUTAGE] = "#c01c28",
  };

  g_return_val_if_fail (level_is_valid (level), colors[DOWNBEAT_LEVEL_UNKNOWN]);

  return colors[level];
}

/**
 * downbeat_level_sentence:
 * @service_name: the name of what is checked, "Spotify"
 *
 * Returns: (transfer full): the level as a short sentence without a final stop,
 *   "Spotify is down"
 */
char *
downbeat_level_sentence (DownbeatLevel  level,
                         const char    *service_name)
{
  g_return_val_if_fail (service_name != NULL, NULL);

  switch (level)
    {
    case DOWNBEAT_LEVEL_OPERATIONAL:
      /* Translators: %s is the name of the service, "Spotify" */
      return g_strdup_printf (_("%s is up"), service_name);
    case DOWNBEAT_LEVEL_DEGRADED:
      return g_strdup_printf (_("%s is having problems"), service_name);
    case DOWNBEAT_LEVEL_OUTAGE:
      return g_strdup_printf (_("%s is down"), service_name);
    case DOWNBEAT_LEVEL_MAINTENANCE:
      return g_strdup_printf (_("%s maintenance in progress"), service_name);
    case DOWNBEAT_LEVEL_OFFLINE:
      return g_strdup (_("You are offline"));
    case DOWNBEAT_LEVEL_UNKNOWN:
    default:
      return g_strdup_printf (_("%s status unknown"), service_name);
    }
}

/* Offline and unknown say nothing about the service itself. */
gboolean
downbeat_level_is_informative (DownbeatLevel level)
{
  return level != DOWNBEAT_LEVEL_OFFLINE && level != DOWNBEAT_LEVEL_UNKNOWN;
}
