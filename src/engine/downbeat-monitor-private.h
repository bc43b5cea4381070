/* downbeat-monitor-private.h: what the monitor's files share: its instance struct, and how
 * the monitor and its cycle hand over to each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-monitor.h"
#include "downbeat-verdict.h"

G_BEGIN_DECLS

typedef struct
{
  const DownbeatOfficialSource *source;
  DownbeatStatuspageSummary    *summary;
  /* An answer that would change the level, until the next one says the same (or not). */
  DownbeatStatuspageSummary    *candidate;
  gint64                        confirmed_us;  /* monotonic time of the last good answer */
  GDateTime                    *confirmed_at;
  char                         *etag;
  char                         *last_modified;
  char                         *error;
} OfficialState;

typedef struct _Cycle Cycle;

struct _DownbeatMonitor
{
  GObject               parent_instance;

  DownbeatService      *service;
  /* What the monitor uses of the service, taken once: it does not change. */
  GPtrArray            *specs;            /* the probes */
  GPtrArray            *sources;          /* the official pages */
  const DownbeatProbeSpec *control;       /* nullable */
  SoupSession          *session;
  GNetworkMonitor      *network_monitor;
  GCancellable         *cancellable;

  guint                 poll_interval;
  guint                 recheck_interval;
  guint                 confirmations;
  gboolean              watch_developers;

  DownbeatConfirmation *confirmation;     /* one per probe */
  gint64               *retry_until_us;   /* one per probe: asked to wait (429) until then */
  OfficialState        *official;         /* one per official source */
  DownbeatProblem       problem;          /* the one in progress, if open */
  DownbeatReport       *report;
  Cycle                *cycle;            /* the one in flight, or NULL */
  gboolean              again;            /* run another cycle as soon as this one ends */
  guint                 offline_cycles;
  gboolean              first_failure;    /* the last cycle saw a counted probe fail anew */
  guint                 next_delay;
  guint                 timer_id;
  guint                 settle_id;
  guint                 watchdog_id;
  guint                 request_id;       /* Check Now asked for too soon: a cycle then */
  gint64                ended_us;         /* monotonic time the last cycle ended, 0 before */
  guint                 stalls;
  gulong                network_changed_id;
};

/* downbeat-monitor.c */
void downbeat_monitor_cycle_started (DownbeatMonitor *self);
void downbeat_monitor_cycle_ended   (DownbeatMonitor *self,
                                     DownbeatReport  *report);

/* downbeat-monitor-cycle.c */
void downbeat_monitor_start_cycle   (DownbeatMonitor *self);
void downbeat_monitor_cycle_detach  (Cycle           *cycle);
void downbeat_monitor_arm_watchdog  (DownbeatMonitor *self);

G_END_DECLS
