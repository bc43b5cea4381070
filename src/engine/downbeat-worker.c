/* downbeat-worker.c: a thread of its own that runs what it is posted, in order
 *
 * What the history's writer and the notifications' courier share: one named thread with its own
 * GMainContext (its thread-default, so that what a job creates there, a D-Bus proxy of
 * libnotify's, delivers its signals there too), running the functions posted to it one at a
 * time in the order posted, and handing results back to the context its owner had when it made
 * the worker. g_task_run_in_thread() does not fit: its threads are a shared pool that keeps no
 * order between tasks, while the writer's jobs must reach its one SQLite connection in the
 * order of the checks, and libnotify's objects must stay on one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-worker"

#include "config.h"

#include "downbeat-worker.h"

struct _DownbeatWorker
{
  GThread      *thread;
  GMainContext *context;      /* the thread's */
  GMainLoop    *loop;
  GMainContext *owner;        /* where results are handed back */
  guint         queued;       /* atomic: posted, not started yet */
  GMutex        lock;         /* for what follows, and every call's done */
  GCond         changed;
  gint64        deadline;     /* monotonic; 0 until set */
  gboolean      ended;        /* the thread returned */
};

typedef struct
{
  DownbeatWorker     *worker;
  DownbeatWorkerFunc  func;
  gpointer            data;
  GDestroyNotify      destroy;
} Post;

typedef struct
{
  DownbeatWorker     *worker;
  DownbeatWorkerFunc  func;
  gpointer            data;
  gboolean            done;
} Call;

static void
worker_free (DownbeatWorker *self)
{
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_main_context_unref (self->owner);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
}

static void
worker_unref (DownbeatWorker *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) worker_free);
}

static gpointer
worker_run (gpointer user_data)
{
  DownbeatWorker *self = user_data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);

  g_mutex_lock (&self->lock);
  self->ended = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  worker_unref (self);

  return NULL;
}

/**
 * downbeat_worker_new:
 * @name: the thread's, as debuggers and `top -H` show it
 *
 * Starts the thread. Results are handed back to the thread-default main context of the caller.
 */
DownbeatWorker *
downbeat_worker_new (const char *name)
{
  DownbeatWorker *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_atomic_rc_box_new0 (DownbeatWorker);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->owner = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  /* The thread's reference: it may outlive downbeat_worker_stop(). */
  self->thread = g_thread_new (name, worker_run, g_atomic_rc_box_acquire (self));

  return self;
}

/* Always queued, never run in place, unlike g_main_context_invoke(): sources of one priority
 * are dispatched in the order they were attached. */
static void
attach (GMainContext   *context,
        GSourceFunc     func,
        gpointer        data,
        GDestroyNotify  destroy)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[downbeat] worker");
  g_source_attach (source, context);
}

static gboolean
run_post (gpointer user_data)
{
  Post *post = user_data;

  g_atomic_int_add (&post->worker->queued, -1);
  post->func (post->data);
  return G_SOURCE_REMOVE;
}

static void
post_free (Post *post)
{
  if (post->destroy != NULL)
    post->destroy (post->data);
  g_free (post);
}

/**
 * downbeat_worker_post:
 * @func: run on the worker's thread, after everything posted before
 * @destroy: (nullable): frees @data once @func has run (on the worker's thread), or once the
 *   worker is gone without running it
 */
void
downbeat_worker_post (DownbeatWorker     *self,
                      DownbeatWorkerFunc  func,
                      gpointer            data,
                      GDestroyNotify      destroy)
{
  Post *post;

  g_return_if_fail (self != NULL && func != NULL);

  post = g_new (Post, 1);
  *post = (Post) { self, func, data, destroy };
  g_atomic_int_inc (&self->queued);
  attach (self->context, run_post, post, (GDestroyNotify) post_free);
}

static void
run_call (gpointer user_data)
{
  Call *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->worker->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->worker->changed);
  g_mutex_unlock (&call->worker->lock);
}

/**
 * downbeat_worker_call:
 * @func: run on the worker's thread, after everything posted before
 *
 * As downbeat_worker_post(), and waits until @func has returned: never from the worker's own
 * thread, nor on a main loop that must not wait.
 */
void
downbeat_worker_call (DownbeatWorker     *self,
                      DownbeatWorkerFunc  func,
                      gpointer            data)
{
  Call call = { self, func, data, FALSE };

  g_return_if_fail (self != NULL && func != NULL);
  g_return_if_fail (g_thread_self () != self->thread);

  downbeat_worker_post (self, run_call, &call, NULL);
  g_mutex_lock (&self->lock);
  while (!call.done)
    g_cond_wait (&self->changed, &self->lock);
  g_mutex_unlock (&self->lock);
}

/**
 * downbeat_worker_hand_back:
 * @func: run once on the owner's context
 *
 * From the worker's thread: gives @data to its owner.
 */
void
downbeat_worker_hand_back (DownbeatWorker *self,
                           GSourceFunc     func,
                           gpointer        data,
                           GDestroyNotify  destroy)
{
  g_return_if_fail (self != NULL && func != NULL);

  attach (self->owner, func, data, destroy);
}

/**
 * downbeat_worker_get_queued:
 *
 * Returns: how many functions were posted and have not started yet
 */
guint
downbeat_worker_get_queued (DownbeatWorker *self)
{
  return g_atomic_int_get (&self->queued);
}

/**
 * downbeat_worker_set_deadline:
 * @deadline: monotonic time
 *
 * When what runs on the worker should stop waiting (for a disk, a server): it reads it with
 * downbeat_worker_get_deadline().
 */
void
downbeat_worker_set_deadline (DownbeatWorker *self,
                              gint64          deadline)
{
  g_mutex_lock (&self->lock);
  self->deadline = deadline;
  g_mutex_unlock (&self->lock);
}

/**
 * downbeat_worker_get_deadline:
 *
 * Returns: the monotonic time set by downbeat_worker_set_deadline(), or 0
 */
gint64
downbeat_worker_get_deadline (DownbeatWorker *self)
{
  gint64 deadline;

  g_mutex_lock (&self->lock);
  deadline = self->deadline;
  g_mutex_unlock (&self->lock);
  return deadline;
}

static gboolean
quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * downbeat_worker_stop:
 * @wait_until: monotonic time; the past for not waiting at all
 *
 * Frees the worker once what is posted has run: nothing may be posted afterwards, and only
 * functions still to run on its thread may use it. Waits for that until @wait_until at most,
 * and joins the thread if it ended; else lets it end on its own (a job that hangs on a server
 * that never answers must not hold the caller).
 *
 * Returns: whether the thread ended in time
 */
gboolean
downbeat_worker_stop (DownbeatWorker *self,
                      gint64          wait_until)
{
  gboolean ended;

  g_return_val_if_fail (self != NULL, FALSE);

  attach (self->context, quit, g_main_loop_ref (self->loop), (GDestroyNotify) g_main_loop_unref);

  g_mutex_lock (&self->lock);
  while (!self->ended && g_cond_wait_until (&self->changed, &self->lock, wait_until))
    ;
  ended = self->ended;
  g_mutex_unlock (&self->lock);

  if (ended)
    g_thread_join (self->thread);
  else
    g_thread_unref (self->thread);
  worker_unref (self);

  return ended;
}
