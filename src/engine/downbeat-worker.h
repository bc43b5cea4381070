/* downbeat-worker.h: a thread of its own that runs what it is posted, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DownbeatWorker DownbeatWorker;

typedef void (*DownbeatWorkerFunc) (gpointer data);

DownbeatWorker *downbeat_worker_new          (const char         *name);
void            downbeat_worker_post         (DownbeatWorker     *self,
                                              DownbeatWorkerFunc  func,
                                              gpointer            data,
                                              GDestroyNotify      destroy);
void            downbeat_worker_call         (DownbeatWorker     *self,
                                              DownbeatWorkerFunc  func,
                                              gpointer            data);
void            downbeat_worker_hand_back    (DownbeatWorker     *self,
                                              GSourceFunc         func,
                                              gpointer            data,
                                              GDestroyNotify      destroy);
guint           downbeat_worker_get_queued   (DownbeatWorker     *self);
void            downbeat_worker_set_deadline (DownbeatWorker     *self,
                                              gint64              deadline);
gint64          downbeat_worker_get_deadline (DownbeatWorker     *self);
gboolean        downbeat_worker_stop         (DownbeatWorker     *self,
                                              gint64              wait_until);

G_END_DECLS
