/* downbeat-notifier-private.h: the notifier's decisions, apart from any notification server
 *
 * The incident's notification state has one owner, the notifier on the main thread: it decides
 * (downbeat_notice_decide()) and is told what the server did (downbeat_notice_taken(),
 * downbeat_notice_closed()). The delivery side only delivers, and reports; what it may send of
 * a recovery depends on what the server took, which only it knows: downbeat_notice_admit().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-announcement.h"
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
  DownbeatLevel  last;       /* the last informative level; UNKNOWN before the first */
  guint          incidents;  /* how many have opened in this process */
  guint          incident;   /* the open one's number (incidents, then); 0 outside one */
  GDateTime     *since;      /* when the incident began; NULL outside one */
  DownbeatLevel  worst;      /* the worst level of the incident */
  gboolean       shown;      /* the incident's notification was sent, and the server took it
                              * or has not said no yet */
  gboolean       withdrawn;  /* the user closed it (or it expired): evidence alone does not
                              * raise it again, a change of level does */
  gboolean       when_back;  /* "Notify Me When It's Back": one "back", whatever the rules */
  guint32        server_id;  /* the server's id for it, once taken; 0 before */
  gboolean       resumed;    /* taken up from a run before this one */
  char          *summary;    /* what it says, to update it when only the evidence changes */
  char          *body;
  int            urgency;    /* a DownbeatUrgency */
  GDateTime     *noticed;    /* the incident's, as its last report had them: the lead */
  GDateTime     *acknowledged;
  gboolean       held;       /* kept back by quiet hours: summary and body are what to tell at
                              * their end */
  gboolean       dismissed;  /* withdrawn by the user, not expired: no reminders */
  gint64         reminded;   /* how far into the incident, in seconds, reminders are done */
  char          *service;    /* its name, as the last report had it */
} DownbeatNoticeState;

typedef struct
{
  gboolean notify_degraded;
  gboolean notify_recovery;
  gboolean notify_maintenance;
  gboolean muted;
  guint    remind_every_hours;  /* 0: no reminders */
  gboolean quiet_hours;
  guint    quiet_from;          /* minutes after local midnight */
  guint    quiet_until;
} DownbeatNoticeRules;

typedef struct
{
  DownbeatNoticeAction  action;
  DownbeatUrgency       urgency;
  char                 *summary;
  char                 *body;      /* plain text, never markup */
  guint                 incident;  /* whose */
  gboolean              recovery;  /* "Spotify is back" */
  gboolean              asked;     /* …asked for with "Notify Me When It's Back" */
} DownbeatNotice;

void     downbeat_notice_decide       (DownbeatNoticeState       *state,
                                       const DownbeatNoticeRules *rules,
                                       DownbeatReport            *report,
                                       DownbeatNotice            *notice);
void     downbeat_notice_tick         (DownbeatNoticeState       *state,
                                       const DownbeatNoticeRules *rules,
                                       GDateTime                 *now,
                                       DownbeatNotice            *notice);
gint64   downbeat_notice_next_tick    (const DownbeatNoticeState *state,
                                       const DownbeatNoticeRules *rules,
                                       GDateTime                 *now);
gboolean downbeat_notice_is_quiet     (const DownbeatNoticeRules *rules,
                                       GDateTime                 *now);
void     downbeat_notice_taken        (DownbeatNoticeState       *state,
                                       guint                      incident,
                                       gboolean                   shown,
                                       guint32                    server_id);
void     downbeat_notice_closed       (DownbeatNoticeState       *state,
                                       guint                      incident);
void     downbeat_notice_dismissed    (DownbeatNoticeState       *state,
                                       guint                      incident);
gboolean downbeat_notice_ask_when_back (DownbeatNoticeState      *state);
DownbeatAnnouncement *downbeat_notice_announcement (const DownbeatNoticeState *state);
guint    downbeat_notice_resume       (DownbeatNoticeState        *state,
                                       const DownbeatAnnouncement *announcement);
gboolean downbeat_notice_admit        (const DownbeatNotice      *notice,
                                       guint                      shown_incident);
char    *downbeat_notice_format_body  (const DownbeatNotice      *notice,
                                       gboolean                   markup);
void     downbeat_notice_clear        (DownbeatNotice            *notice);
void     downbeat_notice_state_clear  (DownbeatNoticeState       *state);

G_END_DECLS
