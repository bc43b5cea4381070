/* downbeat-verdict.h: the rules that turn evidence into a level, as one pure function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "downbeat-level.h"
#include "downbeat-statuspage.h"

G_BEGIN_DECLS

#define DOWNBEAT_RECOVERY_PASSES 2

/* What one probe did in this cycle. */
typedef struct
{
  const char *name;
  gboolean    ok;
  gboolean    slow;
  const char *error;       /* nullable: why it failed */
  gint64      latency_ms;
} DownbeatAttempt;

/* What is remembered of a probe from cycle to cycle. */
typedef struct
{
  guint    fails;          /* consecutive failed attempts */
  guint    slows;          /* consecutive slow attempts */
  guint    passes;         /* consecutive answered attempts */
  guint    fast_passes;    /* consecutive answered attempts that were not slow */
  gboolean failing;        /* confirmed */
  gboolean slow;           /* confirmed */
} DownbeatConfirmation;

/* An official page whose answer is still in force. */
typedef struct
{
  const char                *name;
  DownbeatStatuspageSummary *summary;
} DownbeatOfficial;

typedef struct
{
  const char             *service_name;   /* "Spotify", for the reasons */
  guint                   n_probes;
  const DownbeatAttempt  *attempts;       /* n_probes of them, in the service's order */
  gboolean                has_control;
  gboolean                control_ok;
  gboolean                network_limited; /* GNetworkMonitor: no network, or a portal */
  guint                   n_official;
  const DownbeatOfficial *official;
} DownbeatEvidence;

typedef struct
{
  DownbeatLevel  level;
  GPtrArray     *reasons;                 /* of char*, for people, most important first */
  gboolean       pending;                 /* some probe is between states: recheck soon */
} DownbeatVerdict;

void downbeat_verdict_decide (const DownbeatEvidence      *evidence,
                              guint                        confirmations,
                              const DownbeatConfirmation  *before,
                              DownbeatConfirmation        *after,
                              DownbeatVerdict             *verdict);
void downbeat_verdict_clear  (DownbeatVerdict             *verdict);

G_END_DECLS
