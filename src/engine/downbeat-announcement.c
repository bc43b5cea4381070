/* downbeat-announcement.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-announcement"

#include "config.h"

#include "downbeat-announcement.h"

DownbeatAnnouncement *
downbeat_announcement_copy (const DownbeatAnnouncement *announcement)
{
  DownbeatAnnouncement *copy;

  g_return_val_if_fail (announcement != NULL, NULL);

  copy = g_memdup2 (announcement, sizeof *announcement);
  copy->summary = g_strdup (announcement->summary);
  copy->body = g_strdup (announcement->body);
  return copy;
}

/* Either may be %NULL: nothing announced. */
gboolean
downbeat_announcement_equal (const DownbeatAnnouncement *a,
                             const DownbeatAnnouncement *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->since == b->since && a->level == b->level && a->worst == b->worst
         && g_strcmp0 (a->summary, b->summary) == 0 && g_strcmp0 (a->body, b->body) == 0
         && a->urgency == b->urgency && a->server_id == b->server_id
         && a->when_back == b->when_back;
}

void
downbeat_announcement_free (DownbeatAnnouncement *announcement)
{
  if (announcement == NULL)
    return;
  g_free (announcement->summary);
  g_free (announcement->body);
  g_free (announcement);
}
