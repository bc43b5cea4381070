/* downbeat-statuspage.h: an Atlassian Statuspage v2 summary.json, as plain structs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DOWNBEAT_INDICATOR_UNKNOWN,
  DOWNBEAT_INDICATOR_NONE,
  DOWNBEAT_INDICATOR_MINOR,
  DOWNBEAT_INDICATOR_MAJOR,
  DOWNBEAT_INDICATOR_CRITICAL,
  DOWNBEAT_INDICATOR_MAINTENANCE,
} DownbeatIndicator;

typedef enum
{
  DOWNBEAT_COMPONENT_UNKNOWN,
  DOWNBEAT_COMPONENT_OPERATIONAL,
  DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE,
  DOWNBEAT_COMPONENT_PARTIAL_OUTAGE,
  DOWNBEAT_COMPONENT_MAJOR_OUTAGE,
  DOWNBEAT_COMPONENT_UNDER_MAINTENANCE,
} DownbeatComponentStatus;

typedef struct
{
  char                    *id;
  char                    *name;
  DownbeatComponentStatus  status;
  char                    *status_text;   /* as the page said it, for unknown values */
  gboolean                 group;
  char                    *group_id;      /* nullable */
  gboolean                 only_show_if_degraded;
} DownbeatComponent;

typedef struct
{
  char      *id;
  char      *name;
  char      *status;                 /* "investigating", "in_progress", … as the page said it */
  char      *impact;                 /* "none", "minor", "major", "critical", "maintenance" */
  char      *shortlink;              /* nullable, unchecked: open only http and https */
  GDateTime *created_at;             /* nullable, as every date here */
  GDateTime *updated_at;
  GDateTime *scheduled_for;
  GDateTime *scheduled_until;
  char      *latest_update_body;     /* nullable */
  char      *latest_update_status;   /* nullable */
  GDateTime *latest_update_at;
} DownbeatIncident;

typedef struct
{
  char              *page_name;      /* nullable */
  char              *page_url;       /* nullable */
  GDateTime         *updated_at;     /* nullable */
  DownbeatIndicator  indicator;
  char              *indicator_text; /* as the page said it */
  char              *description;    /* nullable */
  GPtrArray         *components;     /* of DownbeatComponent */
  GPtrArray         *incidents;      /* of DownbeatIncident */
  GPtrArray         *scheduled_maintenances; /* of DownbeatIncident */
} DownbeatStatuspageSummary;

DownbeatStatuspageSummary *downbeat_statuspage_parse         (const char                *data,
                                                              gsize                      length,
                                                              GError                   **error);
DownbeatStatuspageSummary *downbeat_statuspage_summary_ref   (DownbeatStatuspageSummary *summary);
void                       downbeat_statuspage_summary_unref (DownbeatStatuspageSummary *summary);
gboolean                   downbeat_statuspage_summary_maintenance_in_progress
                                                             (DownbeatStatuspageSummary *summary);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatStatuspageSummary, downbeat_statuspage_summary_unref)

G_END_DECLS
