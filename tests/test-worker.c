/* test-worker.c: the thread the history's writer and the notifications' courier run on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-worker.h"
#include "test-support.h"

#define JOBS 200

typedef struct
{
  GArray *order;     /* touched on the worker's thread only, until it is joined */
  guint   index;
} Step;

static void
append_index (gpointer user_data)
{
  Step *step = user_data;

  g_array_append_val (step->order, step->index);
}

static void
test_order (void)
{
  DownbeatWorker *worker = downbeat_worker_new ("test-worker");
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  Step last = { order, JOBS };

  for (guint i = 0; i < JOBS; i++)
    {
      Step *step = g_new (Step, 1);

      *step = (Step) { order, i };
      downbeat_worker_post (worker, append_index, step, g_free);
    }
  /* A call waited for comes after what was posted before it. */
  downbeat_worker_call (worker, append_index, &last);
  g_assert_cmpuint (order->len, ==, JOBS + 1);
  g_assert_true (downbeat_worker_stop (worker, g_get_monotonic_time () + 5 * G_USEC_PER_SEC));

  for (guint i = 0; i <= JOBS; i++)
    g_assert_cmpuint (g_array_index (order, guint, i), ==, i);
}

typedef struct
{
  DownbeatWorker *worker;
  GThread        *ran_on;
  gboolean        handed_back;
} Handback;

static gboolean
take_result (gpointer user_data)
{
  Handback *handback = user_data;

  handback->ran_on = g_thread_self ();
  handback->handed_back = TRUE;
  return G_SOURCE_REMOVE;
}

static void
hand_result_back (gpointer user_data)
{
  Handback *handback = user_data;

  downbeat_worker_hand_back (handback->worker, take_result, handback, NULL);
}

static void
test_hand_back (void)
{
  Handback handback = { downbeat_worker_new ("test-worker"), NULL, FALSE };

  downbeat_worker_call (handback.worker, hand_result_back, &handback);
  /* Not in the worker's thread, nor in the call: once the owner's context runs. */
  g_assert_false (handback.handed_back);
  test_wait_until (test_flag_is_set, &handback.handed_back, 5, "the result");
  g_assert_true (handback.ran_on == g_thread_self ());
  g_assert_true (downbeat_worker_stop (handback.worker, g_get_monotonic_time ()
                                                        + 5 * G_USEC_PER_SEC));
}

typedef struct
{
  DownbeatWorker *worker;
  guint           count;     /* touched on the worker's thread only, until it is joined */
} Counter;

static void
busy (gint64 us)
{
  gint64 until = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < until)
    ;
}

/* The first holds the thread from the moment the stop is on its way, so that it finds the rest
 * still queued. */
static void
count_slowly (gpointer user_data)
{
  Counter *counter = user_data;

  if (counter->count == 0)
    {
      gint64 give_up = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      while (downbeat_worker_get_deadline (counter->worker) == 0
             && g_get_monotonic_time () < give_up)
        busy (G_TIME_SPAN_MILLISECOND);
      busy (50 * G_TIME_SPAN_MILLISECOND);
    }
  counter->count++;
}

static void
test_stop_drains (void)
{
  Counter counter = { downbeat_worker_new ("test-worker"), 0 };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (guint i = 0; i < 50; i++)
    downbeat_worker_post (counter.worker, count_slowly, &counter, NULL);
  downbeat_worker_set_deadline (counter.worker, deadline);
  g_assert_true (downbeat_worker_stop (counter.worker, deadline));
  /* Joined: what the thread wrote is seen here. */
  g_assert_cmpuint (counter.count, ==, 50);
}

typedef struct
{
  DownbeatWorker *worker;
  GMutex          lock;
  GCond           cond;
  gboolean        started;
  gboolean        open;
  gint64          deadline;    /* as the job read it */
  gboolean        handed_back;
} Gate;

/* A job that hangs, as one on a server that never answers, until the test lets it go. */
static void
hang (gpointer user_data)
{
  Gate *gate = user_data;

  g_mutex_lock (&gate->lock);
  gate->started = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  gate->deadline = downbeat_worker_get_deadline (gate->worker);
  g_mutex_unlock (&gate->lock);
}

static gboolean
take_gate (gpointer user_data)
{
  Gate *gate = user_data;

  gate->handed_back = TRUE;
  return G_SOURCE_REMOVE;
}

static void
hand_gate_back (gpointer user_data)
{
  Gate *gate = user_data;

  downbeat_worker_hand_back (gate->worker, take_gate, gate, NULL);
}

static void
test_stop_gives_up (void)
{
  Gate gate = { downbeat_worker_new ("test-worker"), };
  gint64 deadline, start, stopped;

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  downbeat_worker_post (gate.worker, hang, &gate, NULL);
  downbeat_worker_post (gate.worker, hand_gate_back, &gate, NULL);
  g_mutex_lock (&gate.lock);
  start = g_get_monotonic_time ();
  while (!gate.started)
    g_assert_true (g_cond_wait_until (&gate.cond, &gate.lock, start + 5 * G_USEC_PER_SEC));
  g_mutex_unlock (&gate.lock);
  g_assert_cmpuint (downbeat_worker_get_queued (gate.worker), ==, 1);

  start = g_get_monotonic_time ();
  deadline = start + 300 * G_TIME_SPAN_MILLISECOND;
  downbeat_worker_set_deadline (gate.worker, deadline);
  g_assert_false (downbeat_worker_stop (gate.worker, deadline));
  stopped = g_get_monotonic_time ();
  g_assert_cmpint (stopped, >=, deadline);
  g_assert_cmpint (stopped - start, <, 3 * G_USEC_PER_SEC);

  /* Let go, the thread still runs what was posted, hands it back and ends by itself. */
  g_mutex_lock (&gate.lock);
  gate.open = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  test_wait_until (test_flag_is_set, &gate.handed_back, 5, "the job after the hung one");
  g_mutex_lock (&gate.lock);
  g_assert_cmpint (gate.deadline, ==, deadline);
  g_mutex_unlock (&gate.lock);

  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/worker/order", test_order);
  g_test_add_func ("/worker/hand-back", test_hand_back);
  g_test_add_func ("/worker/stop-drains", test_stop_drains);
  g_test_add_func ("/worker/stop-gives-up", test_stop_gives_up);

  return g_test_run ();
}
