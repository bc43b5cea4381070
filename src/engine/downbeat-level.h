/* downbeat-level.h: how Spotify is doing, in one word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The order is the order of severity shown to people, least alarming first. */
typedef enum
{
  DOWNBEAT_LEVEL_UNKNOWN,
  DOWNBEAT_LEVEL_OFFLINE,
  DOWNBEAT_LEVEL_OPERATIONAL,
  DOWNBEAT_LEVEL_MAINTENANCE,
  DOWNBEAT_LEVEL_DEGRADED,
  DOWNBEAT_LEVEL_OUTAGE,
} DownbeatLevel;

#define DOWNBEAT_TYPE_LEVEL (downbeat_level_get_type ())
GType downbeat_level_get_type (void);

const char *downbeat_level_to_string   (DownbeatLevel  level);
gboolean    downbeat_level_from_string (const char    *string,
                                        DownbeatLevel *level);
const char *downbeat_level_icon_name   (DownbeatLevel  level);
char       *downbeat_level_icon_file   (DownbeatLevel  level);
const char *downbeat_level_color       (DownbeatLevel  level);
char       *downbeat_level_sentence    (DownbeatLevel  level,
                                        const char    *service_name);
gboolean    downbeat_level_is_informative (DownbeatLevel level);

G_END_DECLS
