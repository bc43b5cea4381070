/* downbeat-notifier-private.h: the notifier's decisions, apart from any notification server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-notifier.h"

G_BEGIN_DECLS

typedef enum
{
  DOWNBEAT_NOTICE_NONE,
  DOWNBEAT_NOTICE_SHOW,    /* show the incident's notification, or update it in place */
  DOWNBEAT_NOTICE_CLOSE,   /* withdraw it: the incident ended with nothing worth saying */
} DownbeatNoticeAction;

typedef enum
{
  DOWNBEAT_URGENCY_LOW,
  DOWNBEAT_URGENCY_NORMAL,
  DOWNBEAT_URGENCY_CRITICAL,
} DownbeatUrgency;

/* What the notifier remembers between reports. */
typedef struct
{
  DownbeatLevel  last;     /* the last informative level; UNKNOWN before the first */
  GDateTime     *since;    /* when the incident began; NULL outside one */
  DownbeatLevel  worst;    /* the worst level of the incident */
  gboolean       shown;    /* the incident has a notification up */
  char          *summary;  /* what it says, to update it when only the evidence changes */
  char          *body;
  int            urgency;  /* a DownbeatUrgency */
  GDateTime     *noticed;       /* the incident's, as its last report had them: the lead */
  GDateTime     *acknowledged;
} DownbeatNoticeState;

typedef struct
{
  gboolean notify_degraded;
  gboolean notify_recovery;
  gboolean notify_maintenance;
  gboolean muted;
  gboolean when_back;      /* asked for: one "back", whatever the settings and the mute */
} DownbeatNoticeRules;

typedef struct
{
  DownbeatNoticeAction  action;
  DownbeatUrgency       urgency;
  char                 *summary;
  char                 *body;     /* plain text, never markup */
} DownbeatNotice;

void downbeat_notice_decide      (DownbeatNoticeState       *state,
                                  const DownbeatNoticeRules *rules,
                                  DownbeatReport            *report,
                                  DownbeatNotice            *notice);
char *downbeat_notice_format_body (const DownbeatNotice     *notice,
                                   gboolean                  markup);
void downbeat_notice_clear       (DownbeatNotice            *notice);
void downbeat_notice_state_clear (DownbeatNoticeState       *state);

G_END_DECLS
