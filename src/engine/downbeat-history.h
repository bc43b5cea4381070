/* downbeat-history.h: every check and every level change, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "downbeat-announcement.h"
#include "downbeat-report.h"

G_BEGIN_DECLS

/* Seconds spent in each level over a span; offline and unknown are "not known". */
typedef struct
{
  gint64 operational;
  gint64 maintenance;
  gint64 degraded;
  gint64 outage;
  gint64 unknown;
} DownbeatUptime;

/* A problem recorded here: from leaving operational until coming back. */
typedef struct
{
  GDateTime     *start;
  GDateTime     *end;        /* nullable: still going on */
  DownbeatLevel  worst;
  char          *incident;   /* nullable: Spotify's own title for it */
  GDateTime     *noticed;      /* nullable: first confirmed from this computer */
  GDateTime     *acknowledged; /* nullable: first acknowledged by an official page */
} DownbeatOutage;

typedef struct
{
  gint64  at;                /* unix time, seconds */
  guint   probe;             /* index into the probe ids of downbeat_history_latency() */
  gint    latency_ms;        /* -1 when the probe got no answer */
  gboolean ok;
} DownbeatLatencyPoint;

/* What the detail window shows of the history, read off the main loop. */
typedef struct
{
  gint64          now;           /* unix time: where the spans end */
  DownbeatUptime  day;           /* the last 24 hours */
  DownbeatUptime  week;
  DownbeatUptime  month;         /* 30 days */
  GArray         *latency;       /* of DownbeatLatencyPoint: the last 24 hours, a point a probe
                                  * a minute at most */
  GStrv           probe_ids;     /* that the points' probe field indexes */
  guint           answers;       /* of every check of the last 24 hours */
  gint            median_ms;
  gint            slowest_ms;
  GPtrArray      *outages;       /* nullable: of DownbeatOutage, oldest first */
  gint64          last_change;   /* what was written when it was read */
  gint64          last_sighting;
} DownbeatHistoryView;

#define DOWNBEAT_TYPE_HISTORY (downbeat_history_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatHistory, downbeat_history, DOWNBEAT, HISTORY, GObject)

DownbeatHistory *downbeat_history_new          (const char       *path);
char            *downbeat_history_default_path (void);
void             downbeat_history_close        (DownbeatHistory  *self);
const char      *downbeat_history_get_problem  (DownbeatHistory  *self);
GDateTime       *downbeat_history_get_since    (DownbeatHistory  *self);
void             downbeat_history_add          (DownbeatHistory  *self,
                                                DownbeatReport   *report);
gboolean         downbeat_history_record       (DownbeatHistory  *self,
                                                DownbeatReport   *report);
DownbeatUptime   downbeat_history_uptime       (DownbeatHistory  *self,
                                                GDateTime        *from,
                                                GDateTime        *to);
GPtrArray       *downbeat_history_outages      (DownbeatHistory  *self,
                                                GDateTime        *since);
GArray          *downbeat_history_latency      (DownbeatHistory  *self,
                                                GDateTime        *from,
                                                GStrv            *probe_ids);

void             downbeat_history_read_async   (DownbeatHistory           *self,
                                                GDateTime                 *now,
                                                guint                      outages,
                                                const DownbeatHistoryView *known,
                                                GCancellable              *cancellable,
                                                GAsyncReadyCallback        callback,
                                                gpointer                   user_data);
DownbeatHistoryView *downbeat_history_read_finish (GAsyncResult  *result,
                                                   GError       **error);

GPtrArray       *downbeat_history_trust        (DownbeatHistory  *self);
void             downbeat_history_announce     (DownbeatHistory            *self,
                                                const DownbeatAnnouncement *announcement);
DownbeatAnnouncement *downbeat_history_announcement (DownbeatHistory *self);

double           downbeat_uptime_ratio         (const DownbeatUptime *uptime);
void             downbeat_outage_free          (DownbeatOutage   *outage);
void             downbeat_history_view_free    (DownbeatHistoryView *view);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatOutage, downbeat_outage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatHistoryView, downbeat_history_view_free)

G_END_DECLS
