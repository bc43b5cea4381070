/* downbeat-verdict.h: the rules that turn evidence into a level, as one pure function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "downbeat-level.h"
#include "downbeat-probe.h"
#include "downbeat-statuspage.h"

G_BEGIN_DECLS

#define DOWNBEAT_RECOVERY_PASSES 2
/* A proven probe that alone answers otherwise than expected this long is outdated. */
#define DOWNBEAT_OUTDATED_AFTER_S (3 * 60 * 60)

/* What one probe did in this cycle. */
typedef struct
{
  const char *name;
  gboolean    ok;
  gboolean    slow;
  const char *error;       /* nullable: why it failed */
  gint64      latency_ms;
  DownbeatOutcome outcome;
  gboolean    waiting;     /* no result because the server asked to wait (429) */
  DownbeatRole role;
  gboolean    counted;     /* its audience is watched: it may move the level */
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
  gboolean mismatch;       /* the latest failed attempt was a mismatch, not the service failing */
  /* Trust, learnt on this computer and kept across runs. */
  gboolean proven;         /* has passed here since its definition last changed */
  gboolean outdated;       /* proven, but has alone mismatched for DOWNBEAT_OUTDATED_AFTER_S */
  gint64   alone_since;    /* unix time since when it has been the only thing wrong; 0 */
  gint64   alone_since_us; /* the same on the monotonic clock, in this run; 0 until known */
  /* Not remembered: what this cycle made of it. */
  gboolean counts;         /* it moved the level in this cycle */
} DownbeatConfirmation;

/* What was learnt of a probe on this computer, kept across runs while it is proven. */
typedef struct
{
  char     *probe;           /* its id */
  char     *fingerprint;     /* of its definition when it was proven */
  gboolean  outdated;
  gint64    alone_since;     /* unix time, 0 when not mismatching alone */
} DownbeatTrust;

void downbeat_trust_free (DownbeatTrust *trust);

/* An official page whose answer is still in force. */
typedef struct
{
  const char                *name;
  DownbeatStatuspageSummary *summary;
  gboolean                   counted;  /* its audience is watched */
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
  gint64                  now;            /* unix time */
  gint64                  monotonic_us;   /* g_get_monotonic_time(), for spans */
} DownbeatEvidence;

typedef struct
{
  DownbeatLevel  level;
  GPtrArray     *reasons;                 /* of char*, for people, most important first */
  GPtrArray     *advice;                  /* of char*: what a person can do meanwhile */
  gboolean       pending;                 /* some probe is between states: recheck soon */
  gboolean       first_failure;           /* a counted probe failed for the first time */
  gboolean       first_hand;              /* a counted probe confirms a problem */
  gboolean       acknowledged;            /* a counted official page says there is one */
} DownbeatVerdict;

/* The problem in progress, from cycle to cycle: when this computer first confirmed it and when
 * an official page first acknowledged it (unix time; 0 for not yet). */
typedef struct
{
  gboolean open;
  gint64   noticed;
  gint64   acknowledged;
} DownbeatProblem;

void downbeat_problem_follow (DownbeatProblem             *problem,
                              const DownbeatVerdict       *verdict,
                              gint64                       now);

void downbeat_verdict_decide (const DownbeatEvidence      *evidence,
                              guint                        confirmations,
                              const DownbeatConfirmation  *before,
                              DownbeatConfirmation        *after,
                              DownbeatVerdict             *verdict);
void downbeat_verdict_clear  (DownbeatVerdict             *verdict);
DownbeatLevel downbeat_verdict_official_level (DownbeatStatuspageSummary *summary);

G_END_DECLS
