/* downbeat-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-fetch"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-fetch.h"
#include "downbeat-text-private.h"
#include "downbeat-tls-database.h"

/* The task's source tag is the function that made it. ISO C has no conversion from a function
 * pointer to gpointer; through an integer it has. */
#define SOURCE_TAG ((gpointer) (guintptr) downbeat_fetch_async)

#define READ_CHUNK 16384

typedef struct
{
  SoupSession   *session;
  char          *method;
  char          *if_none_match;
  char          *if_modified_since;
  gboolean       headers_only;
  guint          timeout_s;
  gsize          max_bytes;
  GUri          *uri;
  SoupMessage   *message;
  GInputStream  *stream;
  GByteArray    *body;
  /* Cancelled by the deadline and by the caller's cancellable alike. */
  GCancellable  *cancellable;
  GCancellable  *caller_cancellable;
  gulong         caller_cancelled_id;
  gint64         deadline_us;     /* monotonic */
  GSequenceIter *deadline_iter;   /* in the session's Deadlines while it runs */
  /* The result has gone to the caller: whatever libsoup says after that is not heard. */
  gboolean       returned;
  gint64         started_us;
  DownbeatFetchResult *result;
} Fetch;

/* Every request of a session waits for its deadline on one source: a source each made a check
 * of thousands of probes quadratic, as GLib's main loop looks at every source on every
 * iteration. */
typedef struct
{
  GSource   *source;
  GSequence *tasks;      /* the running requests' GTasks, a reference each, by deadline */
} Deadlines;

static void send_message (GTask *task);
static void deadline_reached (GTask *task);
static void deadline_stop (Fetch *fetch);

static gint
compare_deadlines (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  Fetch *fa = g_task_get_task_data ((GTask *) a);
  Fetch *fb = g_task_get_task_data ((GTask *) b);

  return (fa->deadline_us > fb->deadline_us) - (fa->deadline_us < fb->deadline_us);
}

static void
deadlines_arm (Deadlines *deadlines)
{
  GSequenceIter *first = g_sequence_get_begin_iter (deadlines->tasks);

  if (g_sequence_iter_is_end (first))
    g_source_set_ready_time (deadlines->source, -1);
  else
    {
      Fetch *fetch = g_task_get_task_data (g_sequence_get (first));

      g_source_set_ready_time (deadlines->source, fetch->deadline_us);
    }
}

static gboolean
deadlines_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  Deadlines *deadlines = user_data;
  gint64 now = g_get_monotonic_time ();

  while (!g_sequence_is_empty (deadlines->tasks))
    {
      GSequenceIter *first = g_sequence_get_begin_iter (deadlines->tasks);
      g_autoptr(GTask) task = g_object_ref (g_sequence_get (first));
      Fetch *fetch = g_task_get_task_data (task);

      if (fetch->deadline_us > now)
        break;
      deadline_stop (fetch);
      deadline_reached (task);
    }

  deadlines_arm (deadlines);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs deadlines_funcs = { .dispatch = deadlines_dispatch };

static void
deadlines_free (Deadlines *deadlines)
{
  g_source_destroy (deadlines->source);
  g_source_unref (deadlines->source);
  g_sequence_free (deadlines->tasks);
  g_free (deadlines);
}

static void
deadline_start (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  Deadlines *deadlines = g_object_get_data (G_OBJECT (fetch->session), "downbeat-deadlines");

  if (deadlines == NULL)
    {
      deadlines = g_new0 (Deadlines, 1);
      deadlines->tasks = g_sequence_new (g_object_unref);
      deadlines->source = g_source_new (&deadlines_funcs, sizeof (GSource));
      g_source_set_callback (deadlines->source, NULL, deadlines, NULL);
      g_source_set_static_name (deadlines->source, "[downbeat] fetch deadlines");
      g_source_attach (deadlines->source, g_main_context_get_thread_default ());
      g_object_set_data_full (G_OBJECT (fetch->session), "downbeat-deadlines", deadlines,
                              (GDestroyNotify) deadlines_free);
    }

  fetch->deadline_us = fetch->started_us + (gint64) fetch->timeout_s * G_USEC_PER_SEC;
  fetch->deadline_iter = g_sequence_insert_sorted (deadlines->tasks, g_object_ref (task),
                                                   compare_deadlines, NULL);
  if (g_sequence_iter_is_begin (fetch->deadline_iter))
    deadlines_arm (deadlines);
}

/* The request has ended: it waits for its deadline no more. The session's timer is not
 * re-armed for it: firing early for a deadline gone costs one wake-up. */
static void
deadline_stop (Fetch *fetch)
{
  GSequenceIter *iter = g_steal_pointer (&fetch->deadline_iter);

  if (iter != NULL)
    g_sequence_remove (iter);
}

const char *
downbeat_failure_to_string (DownbeatFailure failure)
{
  switch (failure)
    {
    case DOWNBEAT_FAILURE_NONE:
      return "none";
    case DOWNBEAT_FAILURE_DNS:
      return "dns";
    case DOWNBEAT_FAILURE_REFUSED:
      return "refused";
    case DOWNBEAT_FAILURE_TIMEOUT:
      return "timeout";
    case DOWNBEAT_FAILURE_TLS:
      return "tls";
    case DOWNBEAT_FAILURE_NETWORK:
      return "network";
    case DOWNBEAT_FAILURE_REDIRECTS:
      return "redirects";
    case DOWNBEAT_FAILURE_HTTP_STATUS:
      return "http-status";
    case DOWNBEAT_FAILURE_BODY:
      return "unexpected-body";
    case DOWNBEAT_FAILURE_EMPTY:
      return "empty-answer";
    case DOWNBEAT_FAILURE_TOO_LARGE:
      return "too-large";
    default:
      g_return_val_if_reached ("network");
    }
}

/**
 * downbeat_fetch_session_new:
 *
 * Returns: (transfer full): the one session an application uses for all its checks.
 *   TLS certificates are checked against the system's CAs, as libsoup does by default, and
 *   never accepted when bad; one trust list serves all connections (downbeat-tls-database.c).
 */
SoupSession *
downbeat_fetch_session_new (void)
{
  g_autoptr(GTlsDatabase) shared = downbeat_tls_database_new (NULL);

  /* No idle timeout of libsoup's own: its default, 60 s, equals the default poll interval,
   * and libsoup 3.2 can lose a request sent on a connection whose idle timer fires at that
   * moment. Any fixed value would meet some interval, so idle connections are kept until the
   * server closes them, which libsoup notices before reusing one. Nor an I/O timeout beyond
   * each request's own deadline (downbeat_fetch_async()), which bounds connecting, TLS,
   * headers and body alike; DOWNBEAT_FETCH_IO_TIMEOUT_S only bounds what outlives a request,
   * such as closing a redirect's unread body. */
  return soup_session_new_with_options ("user-agent", "Downbeat/" PACKAGE_VERSION,
                                        "max-conns-per-host", 4,
                                        "idle-timeout", 0,
                                        "timeout", DOWNBEAT_FETCH_IO_TIMEOUT_S,
                                        "tls-database", shared,
                                        NULL);
}

void
downbeat_fetch_result_free (DownbeatFetchResult *result)
{
  if (result == NULL)
    return;

  g_free (result->error);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result->etag);
  g_free (result->last_modified);
  g_free (result);
}

static void
fetch_free (Fetch *fetch)
{
  g_assert (fetch->deadline_iter == NULL);
  if (fetch->caller_cancellable != NULL)
    g_cancellable_disconnect (fetch->caller_cancellable, fetch->caller_cancelled_id);
  g_clear_object (&fetch->caller_cancellable);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->session);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_clear_pointer (&fetch->result, downbeat_fetch_result_free);
  g_free (fetch->method);
  g_free (fetch->if_none_match);
  g_free (fetch->if_modified_since);
  g_free (fetch);
}

static void
account_message (Fetch *fetch)
{
  SoupMessageMetrics *metrics;

  if (fetch->message == NULL)
    return;

  metrics = soup_message_get_metrics (fetch->message);
  if (metrics != NULL)
    fetch->result->wire_bytes += soup_message_metrics_get_request_header_bytes_sent (metrics)
                                 + soup_message_metrics_get_request_body_bytes_sent (metrics)
                                 + soup_message_metrics_get_response_header_bytes_received (metrics)
                                 + soup_message_metrics_get_response_body_bytes_received (metrics);
}

static void
complete (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  DownbeatFetchResult *result = fetch->result;

  g_assert (!fetch->returned);

  deadline_stop (fetch);
  account_message (fetch);
  fetch->returned = TRUE;

  result->latency_ms = (g_get_monotonic_time () - fetch->started_us) / 1000;
  if (result->failure == DOWNBEAT_FAILURE_NONE && fetch->body != NULL && fetch->body->len > 0)
    result->body = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body));
  /* What was read of a refused answer (up to the cap) goes now, not when the task does: the
   * caller may end its whole check in the callback. */
  g_clear_pointer (&fetch->body, g_byte_array_unref);

  g_task_return_pointer (task, g_steal_pointer (&fetch->result),
                         (GDestroyNotify) downbeat_fetch_result_free);
}

static void
fail (GTask           *task,
      DownbeatFailure  failure,
      char            *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_assert (failure != DOWNBEAT_FAILURE_NONE);

  fetch->result->failure = failure;
  g_free (fetch->result->error);
  fetch->result->error = error;

  /* Whatever of the answer is still unread stays unread: dropping the message's I/O
   * closes its connection. */
  if (fetch->stream != NULL && !g_input_stream_is_closed (fetch->stream))
    g_cancellable_cancel (fetch->cancellable);

  complete (task);
}

/**
 * downbeat_failure_from_error:
 * @error: why a connection or an exchange ended
 * @text: (out) (transfer full): the same, for people
 *
 * Returns: the kind of failure @error is, as the evidence model counts it
 */
DownbeatFailure
downbeat_failure_from_error (const GError  *error,
                             char         **text)
{
  g_return_val_if_fail (error != NULL, DOWNBEAT_FAILURE_NETWORK);
  g_return_val_if_fail (text != NULL, DOWNBEAT_FAILURE_NETWORK);

  if (error->domain == G_RESOLVER_ERROR)
    {
      *text = g_strdup (_("host name not found"));
      return DOWNBEAT_FAILURE_DNS;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      *text = g_strdup (_("connection refused"));
      return DOWNBEAT_FAILURE_REFUSED;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *text = g_strdup (_("timed out"));
      return DOWNBEAT_FAILURE_TIMEOUT;
    }
  if (error->domain == G_TLS_ERROR)
    {
      *text = g_strdup_printf (_("secure connection failed: %s"), error->message);
      return DOWNBEAT_FAILURE_TLS;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    {
      *text = g_strdup (_("network unreachable"));
      return DOWNBEAT_FAILURE_NETWORK;
    }
  *text = g_strdup (error->message);
  return DOWNBEAT_FAILURE_NETWORK;
}

static void
fail_with_error (GTask        *task,
                 const GError *error)
{
  char *text = NULL;
  DownbeatFailure failure = downbeat_failure_from_error (error, &text);

  fail (task, failure, text);
}

static void
fail_too_large (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *limit = g_format_size_full (fetch->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

  fail (task, DOWNBEAT_FAILURE_TOO_LARGE,
        /* Translators: %s is a size, "1.0 MiB" */
        g_strdup_printf (_("answer too large (over %s)"), limit));
}

/* The length of the body to come, as its headers declare it, or -1 when they do not: a
 * chunked answer, a compressed one (whose length says little of what it unpacks to), and
 * answers without a body, HEAD's and 304's, whose length is that of a body not sent. */
static goffset
declared_length (Fetch              *fetch,
                 SoupMessageHeaders *headers)
{
  if (g_str_equal (fetch->method, SOUP_METHOD_HEAD)
      || fetch->result->status == SOUP_STATUS_NOT_MODIFIED
      || soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH
      || soup_message_headers_get_one (headers, "Content-Encoding") != NULL)
    return -1;

  return soup_message_headers_get_content_length (headers);
}

static gboolean
caller_cancelled (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  return fetch->caller_cancellable != NULL
         && g_cancellable_is_cancelled (fetch->caller_cancellable);
}

/* What libsoup reports once the result has gone (the deadline answered first) is not heard. */
static gboolean
already_returned (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  return fetch->returned;
}

static void
return_cancelled (GTask  *task,
                  GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  deadline_stop (fetch);
  fetch->returned = TRUE;
  g_task_return_error (task, error);
}

static void
on_closed (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  g_input_stream_close_finish (G_INPUT_STREAM (object), res, &error);
  if (already_returned (task))
    return;

  if (error != NULL && caller_cancelled (task))
    return_cancelled (task, g_steal_pointer (&error));
  else
    complete (task);
}

/* The whole answer has arrived: let libsoup finish the message so the connection can be kept. */
static void
close_and_complete (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, fetch->cancellable,
                              on_closed, g_object_ref (task));
}

static void
on_read (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), res, &error);
  if (already_returned (task))
    return;

  if (chunk == NULL)
    {
      if (caller_cancelled (task))
        return_cancelled (task, g_steal_pointer (&error));
      else
        fail_with_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      close_and_complete (task);
      return;
    }

  if (fetch->body->len + g_bytes_get_size (chunk) > fetch->max_bytes)
    {
      fail_too_large (task);
      return;
    }

  g_byte_array_append (fetch->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, on_read, g_steal_pointer (&task));
}

static gboolean
is_followed_redirect (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND
         || status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT
         || status == SOUP_STATUS_PERMANENT_REDIRECT;
}

static void
follow_redirect (GTask      *task,
                 const char *location)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GUri) target = NULL;

  if (fetch->result->redirects >= DOWNBEAT_FETCH_MAX_REDIRECTS)
    {
      fail (task, DOWNBEAT_FAILURE_REDIRECTS,
            g_strdup_printf (_("more than %d redirects"), DOWNBEAT_FETCH_MAX_REDIRECTS));
      return;
    }

  target = g_uri_parse_relative (fetch->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (!downbeat_uri_is_web (target))
    {
      fail (task, DOWNBEAT_FAILURE_REDIRECTS, g_strdup (_("redirected to an address that is not a web address")));
      return;
    }

  /* The redirect's own body is not wanted; closing it now frees the connection for reuse. */
  account_message (fetch);
  g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  fetch->uri = g_steal_pointer (&target);
  fetch->result->redirects++;

  send_message (task);
}

/* Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); an hour at most is honoured. */
static guint
retry_after (const char *value)
{
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return MIN (seconds, 3600);

  at = soup_date_time_new_from_http_string (value);
  if (at == NULL)
    return 0;

  now = g_date_time_new_now_utc ();
  return CLAMP (g_date_time_difference (at, now) / G_TIME_SPAN_SECOND, 0, 3600);
}

static void
on_sent (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  goffset length;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (already_returned (task))
    return;

  fetch->stream = g_steal_pointer (&stream);
  if (fetch->stream == NULL)
    {
      if (caller_cancelled (task))
        return_cancelled (task, g_steal_pointer (&error));
      else
        fail_with_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  headers = soup_message_get_response_headers (fetch->message);
  fetch->result->status = status;

  if (is_followed_redirect (status))
    {
      const char *location = soup_message_headers_get_one (headers, "Location");

      if (location != NULL)
        {
          follow_redirect (task, location);
          return;
        }
    }

  g_free (fetch->result->etag);
  fetch->result->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  g_free (fetch->result->last_modified);
  fetch->result->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  fetch->result->retry_after_s = retry_after (soup_message_headers_get_one (headers, "Retry-After"));

  /* The status is all that is wanted: the rest is not read (which costs the connection, far
   * less than a web page every minute). */
  if (fetch->headers_only)
    {
      g_cancellable_cancel (fetch->cancellable);
      complete (task);
      return;
    }

  /* An answer that declares itself too large is not read at all; one that declares its
   * length gets a buffer of that size at once rather than one grown by copies. */
  length = declared_length (fetch, headers);
  if (length > (goffset) fetch->max_bytes)
    {
      fail_too_large (task);
      return;
    }

  /* Even an answer without a body (HEAD, 304) is read to its end: closing it earlier would
   * cost the connection. */
  fetch->body = g_byte_array_sized_new (MAX (length, 0));
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, on_read, g_steal_pointer (&task));
}

static void
send_message (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  fetch->message = soup_message_new_from_uri (fetch->method, fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);

  headers = soup_message_get_request_headers (fetch->message);
  if (fetch->if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", fetch->if_none_match);
  if (fetch->if_modified_since != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", fetch->if_modified_since);

  soup_session_send_async (fetch->session, fetch->message, G_PRIORITY_DEFAULT,
                           fetch->cancellable, on_sent, g_object_ref (task));
}

/* The result is given at the deadline whether or not libsoup has called back: a request it
 * never completes (it can lose one) must not hold up whoever waits for it. */
static void
deadline_reached (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  if (caller_cancelled (task))
    return_cancelled (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled"));
  else
    fail (task, DOWNBEAT_FAILURE_TIMEOUT,
          g_strdup_printf (ngettext ("no answer within %u second",
                                     "no answer within %u seconds", fetch->timeout_s),
                           fetch->timeout_s));
  g_cancellable_cancel (fetch->cancellable);
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/**
 * downbeat_fetch_async:
 *
 * Requests @request->url on @session, following up to %DOWNBEAT_FETCH_MAX_REDIRECTS
 * redirects to web addresses, and reads at most @request->max_bytes of the decoded body.
 * Every way the exchange can go wrong ends in a result with its failure classified;
 * only the caller's cancellation ends in an error.
 */
void
downbeat_fetch_async (SoupSession                *session,
                      const DownbeatFetchRequest *request,
                      GCancellable               *cancellable,
                      GAsyncReadyCallback         callback,
                      gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (request != NULL && request->url != NULL);
  g_return_if_fail (request->timeout_s > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, SOURCE_TAG);

  fetch = g_new0 (Fetch, 1);
  fetch->session = g_object_ref (session);
  fetch->method = g_strdup (request->method != NULL ? request->method : SOUP_METHOD_GET);
  fetch->if_none_match = g_strdup (request->if_none_match);
  fetch->if_modified_since = g_strdup (request->if_modified_since);
  fetch->headers_only = request->headers_only;
  fetch->timeout_s = request->timeout_s;
  fetch->max_bytes = request->max_bytes > 0 ? request->max_bytes : DOWNBEAT_FETCH_MAX_BYTES;
  fetch->cancellable = g_cancellable_new ();
  fetch->result = g_new0 (DownbeatFetchResult, 1);
  fetch->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  fetch->uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (!downbeat_uri_is_web (fetch->uri))
    {
      fail (task, DOWNBEAT_FAILURE_NETWORK, g_strdup (_("not a web address")));
      return;
    }

  if (cancellable != NULL)
    {
      fetch->caller_cancellable = g_object_ref (cancellable);
      fetch->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                          G_CALLBACK (on_caller_cancelled),
                                                          g_object_ref (fetch->cancellable),
                                                          g_object_unref);
    }

  deadline_start (task);
  send_message (task);
}

/**
 * downbeat_fetch_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set only when cancelled
 */
DownbeatFetchResult *
downbeat_fetch_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == SOURCE_TAG, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
