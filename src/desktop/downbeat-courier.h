/* downbeat-courier.h: the notification server's side of the notifier, on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "downbeat-notifier-private.h"

G_BEGIN_DECLS

typedef struct _DownbeatCourier DownbeatCourier;

/* What to deliver: a decision of the notifier's, and how to dress it. */
typedef struct
{
  DownbeatNotice  notice;
  DownbeatLevel   level;
  guint32         adopt_id;        /* a notification of an earlier run to take over, or 0 */
  gboolean        adopt_critical;  /* …which was critical */
  gboolean        resume;          /* "Spotify is back", and the music it stopped can be resumed */
  char           *follow;          /* "Follow @SpotifyStatus on X", on an outage's; or NULL */
} DownbeatDelivery;

/* What the courier tells the main thread: what the user did, or what became of a delivery. */
typedef struct
{
  char     *action;     /* what the user clicked; NULL for a result */
  guint     incident;
  gboolean  shown;      /* a result: taken by the server */
  gboolean  closed;     /* the user closed it, or it expired */
  gboolean  dismissed;  /* …the user closed it */
  guint32   server_id;
} DownbeatCourierNews;

typedef void (*DownbeatCourierFunc) (GObject                   *owner,
                                     const DownbeatCourierNews *news);

DownbeatCourier *downbeat_courier_new     (GObject             *owner,
                                           DownbeatCourierFunc  func);
void             downbeat_courier_deliver (DownbeatCourier     *self,
                                           DownbeatDelivery    *delivery);
void             downbeat_courier_stop    (DownbeatCourier     *self);

G_END_DECLS
