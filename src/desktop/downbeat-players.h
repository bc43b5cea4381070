/* downbeat-players.h: the Spotify players of the session, through MPRIS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "downbeat-level.h"

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_PLAYERS (downbeat_players_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatPlayers, downbeat_players, DOWNBEAT, PLAYERS, GObject)

DownbeatPlayers *downbeat_players_new            (GDBusConnection *bus);
void             downbeat_players_set_level      (DownbeatPlayers *self,
                                                  DownbeatLevel    level);
gboolean         downbeat_players_get_can_resume (DownbeatPlayers *self);
void             downbeat_players_resume         (DownbeatPlayers *self);

G_END_DECLS
