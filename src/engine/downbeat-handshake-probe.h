/* downbeat-handshake-probe.h: asking Spotify's access points to prove themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-handshake.h"
#include "downbeat-probe.h"

G_BEGIN_DECLS

/* The port the Spotify app streams from: the one access points answer a handshake on. */
#define DOWNBEAT_HANDSHAKE_PORT 4070
/* Access points tried in one run, one after the other, before the service is said to fail. */
#define DOWNBEAT_HANDSHAKE_TRIES 3
/* The port that tells a network blocking the handshake's from Spotify failing, and how long
 * that is given after the run's own deadline. */
#define DOWNBEAT_HANDSHAKE_FALLBACK_PORT 443
#define DOWNBEAT_HANDSHAKE_FALLBACK_S 3

void                 downbeat_handshake_probe_run_async  (const char * const   *access_points,
                                                          DownbeatHandshakeKey *key,
                                                          guint                 timeout_s,
                                                          guint16               fallback_port,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
DownbeatProbeResult *downbeat_handshake_probe_run_finish (GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
