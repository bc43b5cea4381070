/* downbeat-handshake-probe.c: asking Spotify's access points to prove themselves
 *
 * One run: connect to an access point on the port the Spotify app streams from, send a hello,
 * read the challenge, judge its signature, close. Access points that refuse, reset, close or
 * turn the hello away are left for the next, up to DOWNBEAT_HANDSHAKE_TRIES; one deadline bounds
 * the whole run. The outcome speaks the evidence model (docs/design.md, "Evidence"): a
 * challenge Spotify signed passes; no answer from any access point is failing; an answer that
 * is not Spotify's signed one is a mismatch, which alone never makes an outage. Nothing but the
 * hello is ever sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-handshake-probe"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-handshake-probe.h"

typedef struct
{
  GStrv                 access_points;
  guint                 next;
  DownbeatHandshakeKey *key;
  GSocketClient        *client;
  GSocketConnection    *connection;
  GCancellable         *cancellable;    /* cancelled at the deadline, or with the caller's */
  guint16               fallback_port;
  guint16               blocked_port;   /* the first access point's, which the fallback tries */
  GCancellable         *fallback;       /* the fallback port's connection, with its own deadline */
  guint                 fallback_id;
  GCancellable         *caller;
  gulong                caller_handler;
  GSource              *deadline;
  gboolean              timed_out;
  GBytes               *hello;
  guint8                header[4];
  guint8               *answer;
  gsize                 answer_length;
  guint                 turned_away;
  gint64                started_us;
  DownbeatProbeResult  *result;
} Run;

static void try_next     (GTask *task);
static void try_fallback (GTask *task);

static void
run_free (Run *run)
{
  if (run->deadline != NULL)
    g_source_destroy (run->deadline);
  g_clear_pointer (&run->deadline, g_source_unref);
  g_cancellable_disconnect (run->caller, run->caller_handler);
  g_clear_handle_id (&run->fallback_id, g_source_remove);
  g_clear_object (&run->fallback);
  g_clear_object (&run->caller);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->connection);
  g_clear_object (&run->client);
  g_clear_pointer (&run->key, downbeat_handshake_key_unref);
  g_clear_pointer (&run->access_points, g_strfreev);
  g_clear_pointer (&run->hello, g_bytes_unref);
  g_clear_pointer (&run->answer, g_free);
  g_clear_pointer (&run->result, downbeat_probe_result_free);
  g_free (run);
}

static void
finish (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  DownbeatProbeResult *result = g_steal_pointer (&run->result);

  result->ok = result->failure == DOWNBEAT_FAILURE_NONE;
  /* A blocked port says nothing about Spotify. */
  result->outcome = result->port_blocked ? DOWNBEAT_OUTCOME_NO_RESULT
                                         : downbeat_probe_outcome (result->failure, 0);
  result->latency_ms = (g_get_monotonic_time () - run->started_us) / 1000;
  if (run->deadline != NULL)
    g_source_destroy (run->deadline);
  g_clear_object (&run->connection);

  g_task_return_pointer (task, result, (GDestroyNotify) downbeat_probe_result_free);
}

static void
set_failure (Run             *run,
             DownbeatFailure  failure,
             char            *error)
{
  run->result->failure = failure;
  g_free (run->result->error);
  run->result->error = error;
}

/* The access point now being tried, to name it in what went wrong there. */
static const char *
current (Run *run)
{
  return run->access_points[run->next - 1];
}

/* What ended the exchange with the current access point: the caller, the deadline, or the
 * access point itself, in which case the next one is tried. */
static void
end_exchange (GTask        *task,
              const GError *error)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  DownbeatFailure failure;

  if (g_cancellable_is_cancelled (run->caller))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  if (run->timed_out)
    {
      set_failure (run, DOWNBEAT_FAILURE_TIMEOUT, g_strdup (_("timed out")));
      try_fallback (task);
      return;
    }

  if (error != NULL)
    failure = downbeat_failure_from_error (error, &text);
  else
    {
      failure = DOWNBEAT_FAILURE_NETWORK;
      text = g_strdup (_("closed the connection without answering"));
    }
  set_failure (run, failure, g_strdup_printf ("%s: %s", current (run), text));
  try_next (task);
}

static void
on_answer (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), res, &got, &error)
      || got < run->answer_length - 4)
    {
      end_exchange (task, error);
      return;
    }

  run->result->wire_bytes += run->answer_length;
  switch (downbeat_handshake_check_answer (run->key, run->answer, run->answer_length, &detail))
    {
    case DOWNBEAT_HANDSHAKE_VERIFIED:
      set_failure (run, DOWNBEAT_FAILURE_NONE, NULL);
      finish (task);
      break;
    case DOWNBEAT_HANDSHAKE_TURNED_AWAY:
      run->turned_away++;
      set_failure (run, DOWNBEAT_FAILURE_BODY, g_strdup_printf ("%s: %s", current (run), detail));
      try_next (task);
      break;
    case DOWNBEAT_HANDSHAKE_NOT_SIGNED:
    case DOWNBEAT_HANDSHAKE_GARBAGE:
    default:
      set_failure (run, DOWNBEAT_FAILURE_BODY, g_strdup_printf ("%s: %s", current (run), detail));
      finish (task);
      break;
    }
}

static void
on_header (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize got = 0;
  gssize length;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), res, &got, &error)
      || got < sizeof run->header)
    {
      end_exchange (task, error);
      return;
    }

  /* Whatever answers with a length no challenge has is not an access point: nothing more of
   * it is read. */
  length = downbeat_handshake_answer_length (run->header, sizeof run->header);
  if (length < 0)
    {
      run->result->wire_bytes += sizeof run->header;
      set_failure (run, DOWNBEAT_FAILURE_BODY,
                   g_strdup_printf ("%s: %s", current (run), _("not an access point's answer")));
      finish (task);
      return;
    }

  g_free (run->answer);
  run->answer_length = length;
  run->answer = g_malloc (length);
  memcpy (run->answer, run->header, sizeof run->header);
  g_input_stream_read_all_async (G_INPUT_STREAM (object), run->answer + sizeof run->header,
                                 length - sizeof run->header, G_PRIORITY_DEFAULT,
                                 run->cancellable, on_answer, g_steal_pointer (&task));
}

static void
on_hello_sent (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GInputStream *input;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), res, NULL, &error))
    {
      end_exchange (task, error);
      return;
    }

  run->result->wire_bytes += g_bytes_get_size (run->hello);
  input = g_io_stream_get_input_stream (G_IO_STREAM (run->connection));
  g_input_stream_read_all_async (input, run->header, sizeof run->header, G_PRIORITY_DEFAULT,
                                 run->cancellable, on_header, g_steal_pointer (&task));
}

static void
on_connected (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GOutputStream *output;

  run->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), res,
                                                            &error);
  if (run->connection == NULL)
    {
      end_exchange (task, error);
      return;
    }

  output = g_io_stream_get_output_stream (G_IO_STREAM (run->connection));
  g_output_stream_write_all_async (output, g_bytes_get_data (run->hello, NULL),
                                   g_bytes_get_size (run->hello), G_PRIORITY_DEFAULT,
                                   run->cancellable, on_hello_sent, g_steal_pointer (&task));
}

static void
try_next (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_clear_object (&run->connection);

  if (run->access_points[run->next] == NULL || run->next >= DOWNBEAT_HANDSHAKE_TRIES)
    {
      /* Spotify's own refusals, every one: an answer, if not the one wanted. */
      if (run->turned_away > 0)
        {
          run->result->failure = DOWNBEAT_FAILURE_BODY;
          finish (task);
        }
      else
        try_fallback (task);
      return;
    }

  run->next++;
  g_socket_client_connect_to_host_async (run->client, current (run), DOWNBEAT_HANDSHAKE_PORT,
                                         run->cancellable, on_connected, g_object_ref (task));
}

static void
on_fallback (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;

  g_clear_handle_id (&run->fallback_id, g_source_remove);
  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), res, NULL);
  if (g_cancellable_is_cancelled (run->caller))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  if (connection != NULL)
    {
      run->result->port_blocked = TRUE;
      set_failure (run, run->result->failure,
                   g_strdup_printf (_("no answer on port %u while port %u answers: this network "
                                      "blocks the port"),
                                    run->blocked_port, run->fallback_port));
    }
  finish (task);
}

static gboolean
on_fallback_deadline (gpointer user_data)
{
  Run *run = user_data;

  run->fallback_id = 0;
  g_cancellable_cancel (run->fallback);
  return G_SOURCE_REMOVE;
}

/* No access point answered: whether the first takes a connection on the fallback port tells a
 * network that blocks the handshake's port from Spotify failing. Only a connection, no byte. */
static void
try_fallback (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GSocketConnectable) address = NULL;
  DownbeatFailure failure = run->result->failure;

  address = g_network_address_parse (run->access_points[0], DOWNBEAT_HANDSHAKE_PORT, NULL);
  if (run->fallback_port == 0 || address == NULL
      || (failure != DOWNBEAT_FAILURE_REFUSED && failure != DOWNBEAT_FAILURE_TIMEOUT
          && failure != DOWNBEAT_FAILURE_NETWORK))
    {
      finish (task);
      return;
    }

  run->blocked_port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  run->fallback = g_cancellable_new ();
  run->fallback_id = g_timeout_add_seconds (DOWNBEAT_HANDSHAKE_FALLBACK_S, on_fallback_deadline,
                                            run);
  g_socket_client_connect_to_host_async (run->client,
                                         g_network_address_get_hostname (
                                           G_NETWORK_ADDRESS (address)),
                                         run->fallback_port, run->fallback, on_fallback,
                                         g_object_ref (task));
}

static gboolean
on_deadline (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  if (run->fallback != NULL)
    g_cancellable_cancel (run->fallback);
}

/**
 * downbeat_handshake_probe_run_async:
 * @access_points: (array zero-terminated=1): "host" or "host:port", in order of preference
 * @key: the server key
 * @timeout_s: the deadline for the whole run
 * @fallback_port: where to try a connection when no access point answers, 0 for nowhere
 * @cancellable: (nullable): to give up
 * @callback: called with the outcome
 * @user_data: for @callback
 *
 * Runs the handshake against the first access points of @access_points until one answers.
 */
void
downbeat_handshake_probe_run_async (const char * const   *access_points,
                                    DownbeatHandshakeKey *key,
                                    guint                 timeout_s,
                                    guint16               fallback_port,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (access_points != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (timeout_s > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) (guintptr) downbeat_handshake_probe_run_async);

  run = g_new0 (Run, 1);
  run->access_points = g_strdupv ((char **) access_points);
  run->key = downbeat_handshake_key_ref (key);
  run->client = g_socket_client_new ();
  run->cancellable = g_cancellable_new ();
  run->fallback_port = fallback_port;
  run->hello = downbeat_handshake_hello_new ();
  run->started_us = g_get_monotonic_time ();
  run->result = g_new0 (DownbeatProbeResult, 1);
  run->result->failure = DOWNBEAT_FAILURE_DNS;
  run->result->error = g_strdup (_("no access point to try"));
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  run->deadline = g_timeout_source_new_seconds (timeout_s);
  g_source_set_callback (run->deadline, on_deadline, run, NULL);
  g_source_attach (run->deadline, g_main_context_get_thread_default ());

  if (cancellable != NULL)
    {
      run->caller = g_object_ref (cancellable);
      run->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                   run, NULL);
    }

  try_next (task);
}

/**
 * downbeat_handshake_probe_run_finish:
 * @result: the run's result
 * @error: set only when the run was cancelled
 *
 * Returns: (transfer full): the outcome, as a probe's
 */
DownbeatProbeResult *
downbeat_handshake_probe_run_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
