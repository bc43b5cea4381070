/* downbeat-report.h: the outcome of one check cycle, immutable once published
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "downbeat-level.h"
#include "downbeat-probe.h"
#include "downbeat-statuspage.h"
#include "downbeat-verdict.h"

G_BEGIN_DECLS

typedef struct
{
  char                 *id;
  char                 *name;
  char                 *evidence;     /* nullable: where its expectation is shown to hold */
  char                 *fingerprint;  /* of its definition: what trust in it is tied to */
  DownbeatAudience      audience;
  gboolean              counted;      /* its audience is watched: it may move the level */
  DownbeatProbeResult  *result;       /* this cycle's attempt */
  DownbeatConfirmation  confirmation; /* failing, slow and trust as they stand after it */
} DownbeatProbeStatus;

typedef struct
{
  char                      *name;
  char                      *page_url;     /* nullable */
  DownbeatStatuspageSummary *summary;      /* nullable: none in force */
  GDateTime                 *fetched_at;   /* nullable: when summary was last confirmed */
  char                      *error;        /* nullable: why the last fetch failed */
  gboolean                   counted;      /* its audience is watched */
} DownbeatOfficialStatus;

typedef struct
{
  DownbeatLevel          level;
  char                  *service_name;
  char                  *summary;          /* one sentence */
  GStrv                  reasons;
  GStrv                  advice;           /* what a person can do meanwhile; may be empty */
  GDateTime             *checked_at;
  gboolean               pending;          /* a failure is being confirmed */
  gboolean               network_limited;
  GPtrArray             *probes;           /* of DownbeatProbeStatus, the service's order */
  DownbeatProbeStatus   *control;          /* nullable */
  GPtrArray             *official;         /* of DownbeatOfficialStatus */
  guint64                wire_bytes;       /* all requests of the cycle */
  /* The problem in progress, if any (docs/design.md, "The lead over the official page"). */
  GDateTime             *noticed_at;       /* nullable: first confirmed from this computer */
  GDateTime             *acknowledged_at;  /* nullable: first acknowledged by an official page */
} DownbeatReport;

#define DOWNBEAT_TYPE_REPORT (downbeat_report_get_type ())

GType           downbeat_report_get_type  (void);
DownbeatReport *downbeat_report_new       (void);
DownbeatReport *downbeat_report_ref       (DownbeatReport *report);
void            downbeat_report_unref     (DownbeatReport *report);
gboolean        downbeat_report_same_evidence (DownbeatReport *report,
                                               DownbeatReport *other);
JsonNode       *downbeat_report_to_json   (DownbeatReport *report);
JsonNode       *downbeat_report_to_json_with_lead (DownbeatReport *report,
                                                  GDateTime      *noticed,
                                                  GDateTime      *acknowledged);

DownbeatProbeStatus    *downbeat_probe_status_new    (const DownbeatProbeSpec *spec);
DownbeatOfficialStatus *downbeat_official_status_new (const char *name,
                                                      const char *page_url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatReport, downbeat_report_unref)

G_END_DECLS
