/* downbeat-announcement.h: the incident whose notification is up, kept across runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "downbeat-level.h"

G_BEGIN_DECLS

/* What a later run needs to end, or take up, an incident this run told the user of: the
 * history keeps it (docs/design.md, "Notifications"). */
typedef struct
{
  gint64         since;      /* unix time the incident began */
  DownbeatLevel  level;      /* the last informative level */
  DownbeatLevel  worst;
  char          *summary;    /* what its notification says */
  char          *body;
  int            urgency;
  guint32        server_id;  /* the notification server's id for it; 0 if none took it */
  gboolean       when_back;  /* "Notify Me When It's Back" was asked */
} DownbeatAnnouncement;

DownbeatAnnouncement *downbeat_announcement_copy  (const DownbeatAnnouncement *announcement);
gboolean              downbeat_announcement_equal (const DownbeatAnnouncement *a,
                                                   const DownbeatAnnouncement *b);
void                  downbeat_announcement_free  (DownbeatAnnouncement       *announcement);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatAnnouncement, downbeat_announcement_free)

G_END_DECLS
