/* test-probe.c: probes and fetches against a real HTTP server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-memory.h"
#include "downbeat-probe.h"
#include "test-support.h"

#define BIG_BODY (20 * 1024 * 1024)

typedef struct
{
  SoupServer  *server;
  GUri        *base;
  SoupSession *session;
  GPtrArray   *paused;
  guint64      big_written;
  GPtrArray   *client_ports;
  char        *last_if_none_match;
} Fixture;

static void assert_rest_unsent (Fixture *fixture);

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              chunk_size,
                    Fixture           *fixture)
{
  fixture->big_written += chunk_size;
}

static gboolean
unpause_later (gpointer user_data)
{
  soup_server_message_unpause (user_data);
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

static void
set_body (SoupServerMessage *msg,
          guint              status,
          const char        *type,
          const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  g_ptr_array_add (fixture->client_ports, GUINT_TO_POINTER (
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)))));

  if (g_str_equal (path, "/ok"))
    set_body (msg, 200, "application/json", "{\"accesspoint\":[\"ap.example:4070\"]}");
  else if (g_str_equal (path, "/listing"))
    set_body (msg, 200, "application/json",
              "{\"accesspoint\":[\"ap-a.example:4070\",\"ap-b.example:443\",\"evil host:4070\","
              "\"x;rm -rf:4070\",7,\":4070\",\"ap-c.example:40700\",\"ap-d.example:4070\","
              "\"1:4070\",\"2:4070\",\"3:4070\",\"4:4070\",\"5:4070\",\"6:4070\",\"7:4070\"]}");
  else if (g_str_equal (path, "/empty"))
    set_body (msg, 200, "application/json", "{\"accesspoint\":[]}");
  else if (g_str_equal (path, "/unauthorized"))
    set_body (msg, 401, "application/json",
              "{\"error\":{\"status\":401,\"message\":\"No token provided\"}}");
  else if (g_str_equal (path, "/unavailable"))
    set_body (msg, 503, "text/plain", "Service Unavailable");
  else if (g_str_equal (path, "/forbidden"))
    set_body (msg, 403, "text/html", "<html><body>Forbidden</body></html>");
  else if (g_str_equal (path, "/busy"))
    {
      set_body (msg, 429, "text/plain", "Too Many Requests");
      soup_message_headers_replace (response, "Retry-After", "120");
    }
  else if (g_str_equal (path, "/odd"))
    set_body (msg, 999, "text/plain", "What?");
  else if (g_str_equal (path, "/portal"))
    set_body (msg, 200, "text/html", "<html><body>Log in to the hotel WiFi</body></html>");
  else if (g_str_equal (path, "/hang"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
    }
  else if (g_str_equal (path, "/slow"))
    {
      set_body (msg, 200, "application/json", "{\"accesspoint\":[\"ap.example:4070\"]}");
      soup_server_message_pause (msg);
      g_timeout_add (600, unpause_later, g_object_ref (msg));
    }
  else if (g_str_equal (path, "/big"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_malloc0 (BIG_BODY), BIG_BODY);
      g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), fixture);
    }
  else if (g_str_equal (path, "/big-chunked"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response, "application/json", NULL);
      soup_message_body_append_take (body, g_malloc0 (BIG_BODY), BIG_BODY);
      soup_message_body_complete (body);
      g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), fixture);
    }
  else if (g_str_equal (path, "/big-static"))
    {
      static char zeros[BIG_BODY];
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response, "application/json", NULL);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, zeros, BIG_BODY);
      soup_message_body_complete (body);
    }
  else if (g_str_equal (path, "/loop"))
    {
      soup_server_message_set_status (msg, 302, NULL);
      soup_message_headers_replace (response, "Location", "/loop");
    }
  else if (g_str_equal (path, "/hop"))
    {
      soup_server_message_set_status (msg, 301, NULL);
      soup_message_headers_replace (response, "Location", "/ok");
    }
  else if (g_str_equal (path, "/to-file"))
    {
      soup_server_message_set_status (msg, 302, NULL);
      soup_message_headers_replace (response, "Location", "file:///etc/passwd");
    }
  else if (g_str_equal (path, "/summary"))
    {
      g_free (fixture->last_if_none_match);
      fixture->last_if_none_match = g_strdup (soup_message_headers_get_one (request,
                                                                           "If-None-Match"));
      soup_message_headers_replace (response, "ETag", "\"v1\"");
      soup_message_headers_replace (response, "Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT");
      if (g_strcmp0 (fixture->last_if_none_match, "\"v1\"") == 0)
        soup_server_message_set_status (msg, 304, NULL);
      else
        set_body (msg, 200, "application/json", "{\"status\":{\"indicator\":\"none\"}}");
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->server = soup_server_new (NULL, NULL);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->client_ports = g_ptr_array_new ();
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fixture->session = downbeat_fetch_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fixture->paused, i));
  g_ptr_array_unref (fixture->paused);
  g_ptr_array_unref (fixture->client_ports);
  g_object_unref (fixture->session);
  soup_server_disconnect (fixture->server);
  g_object_unref (fixture->server);
  g_uri_unref (fixture->base);
  g_free (fixture->last_if_none_match);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (fixture->base, path, G_URI_FLAGS_NONE, NULL);

  return g_uri_to_string (uri);
}

static void
on_result (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static void
wait_for (GAsyncResult **res)
{
  test_wait_until (test_result_arrived, res, 30, "the request to end");
}

static DownbeatProbeResult *
run_probe (Fixture           *fixture,
           DownbeatProbeSpec *spec)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  DownbeatProbeResult *result;

  downbeat_probe_run_async (fixture->session, spec, NULL, on_result, &res);
  wait_for (&res);

  result = downbeat_probe_run_finish (res, &error);
  g_assert_no_error (error);
  return result;
}

static DownbeatProbeSpec *
spec_new (Fixture    *fixture,
          const char *path,
          guint       expected_status,
          const char *json_key)
{
  DownbeatProbeSpec *spec = downbeat_probe_spec_new ();

  spec->id = g_strdup ("test");
  spec->name = g_strdup ("Test");
  spec->url = url_for (fixture, path);
  if (expected_status != 0)
    {
      spec->expect_status = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (spec->expect_status, expected_status);
    }
  spec->expect_json_key = g_strdup (json_key);
  return spec;
}

static void
test_ok (Fixture       *fixture,
         gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/ok", 200, "accesspoint");
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_true (result->ok);
  g_assert_false (result->slow);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_NONE);
  g_assert_null (result->error);
  g_assert_cmpint (result->latency_ms, <, 2000);
  g_assert_cmpuint (result->wire_bytes, >, 50);
}

static void
test_unauthorized_is_alive (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/unauthorized", 401, "error");
  g_autoptr(DownbeatProbeSpec) default_spec = spec_new (fixture, "/unauthorized", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);
  g_autoptr(DownbeatProbeResult) default_result = run_probe (fixture, default_spec);

  g_assert_true (result->ok);
  g_assert_cmpuint (result->http_status, ==, 401);
  /* Without expect_status, only 2xx and 3xx pass. */
  g_assert_false (default_result->ok);
  g_assert_cmpint (default_result->failure, ==, DOWNBEAT_FAILURE_HTTP_STATUS);
}

static void
test_unavailable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/unavailable", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpuint (result->http_status, ==, 503);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_HTTP_STATUS);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_FAILING);
  g_assert_cmpstr (result->error, ==, "HTTP 503 Service Unavailable");
}

/* Another 4xx is a well-formed answer that is not what the check expects: a mismatch, which
 * says more about the check than about the service. */
static void
test_forbidden_is_a_mismatch (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/forbidden", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpuint (result->http_status, ==, 403);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
  g_assert_cmpstr (result->error, ==, "HTTP 403 Forbidden");
}

/* 429 is no result either way, and Retry-After is read. */
static void
test_too_many_requests_is_no_result (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/busy", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpuint (result->http_status, ==, 429);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_NO_RESULT);
  g_assert_cmpuint (result->retry_after_s, ==, 120);
  g_assert_cmpstr (result->error, ==, "HTTP 429 Too Many Requests");
}

/* Only 500–599 is the server failing: a code HTTP does not have is an odd answer, a mismatch,
 * and is not given libsoup's "Unknown Error" for a phrase. */
static void
test_status_outside_http_is_a_mismatch (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/odd", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpuint (result->http_status, ==, 999);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
  g_assert_cmpstr (result->error, ==, "HTTP 999");
  g_assert_cmpint (downbeat_probe_outcome (DOWNBEAT_FAILURE_HTTP_STATUS, 599), ==,
                   DOWNBEAT_OUTCOME_FAILING);
  g_assert_cmpint (downbeat_probe_outcome (DOWNBEAT_FAILURE_HTTP_STATUS, 600), ==,
                   DOWNBEAT_OUTCOME_MISMATCH);
}

/* A GET with nothing to check in the body reads the status and no further: a web page is not
 * pulled every minute. */
static void
test_status_only_reads_no_body (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/big", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_true (result->ok);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_cmpuint (result->wire_bytes, <, 256 * 1024);
  assert_rest_unsent (fixture);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/hang", 0, NULL);
  g_autoptr(DownbeatProbeResult) result = NULL;
  gint64 started = g_get_monotonic_time ();

  spec->timeout_s = 1;
  result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_TIMEOUT);
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_cmpstr (result->error, ==, "no answer within 1 second");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 900 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

/* A request that libsoup never completes, even once cancelled, ends at its deadline all the
 * same: nothing waiting for it is held up for good. */
static void
test_lost_request_ends_at_deadline (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/ok", 200, NULL);
  g_autoptr(GProxyResolver) resolver = test_lost_request_resolver_new ();
  g_autoptr(DownbeatProbeResult) result = NULL;
  gint64 started = g_get_monotonic_time ();

  g_object_set (fixture->session, "proxy-resolver", resolver, NULL);
  spec->timeout_s = 1;
  result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_TIMEOUT);
  g_assert_cmpstr (result->error, ==, "no answer within 1 second");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static void
test_slow (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/slow", 200, "accesspoint");
  g_autoptr(DownbeatProbeResult) result = NULL;

  spec->slow_ms = 300;
  result = run_probe (fixture, spec);

  g_assert_true (result->ok);
  g_assert_true (result->slow);
  g_assert_cmpint (result->latency_ms, >=, 500);
}

/* Asked to keep the access points its answer lists: those on the port, with a host name's
 * characters only, eight at most. */
static void
test_lists_access_points (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/listing", 200, "accesspoint");
  g_autoptr(DownbeatProbeResult) result = NULL;
  g_autofree char *listed = NULL;

  spec->lists_port = 4070;
  result = run_probe (fixture, spec);
  g_assert_true (result->ok);
  listed = g_strjoinv (" ", result->listed);
  g_assert_cmpstr (listed, ==,
                   "ap-a.example:4070 ap-d.example:4070 1:4070 2:4070 3:4070 4:4070 5:4070 6:4070");
}

/* A probe of @path, whose answer is over the cap: it fails as too large. */
static DownbeatProbeResult *
run_too_large (Fixture    *fixture,
               const char *path)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, path, 200, "accesspoint");
  DownbeatProbeResult *result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_TOO_LARGE);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
  g_assert_true (g_str_has_prefix (result->error, "answer too large (over 1.0"));
  return result;
}

/* And the rest stays unread: the server cannot send what nobody reads. */
static void
assert_rest_unsent (Fixture *fixture)
{
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->big_written, <, BIG_BODY);
}

/* An answer that declares its length is refused on its headers, before its body is read. */
static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DownbeatProbeResult) result = run_too_large (fixture, "/big");

  g_assert_cmpuint (result->wire_bytes, <, DOWNBEAT_FETCH_MAX_BYTES / 8);
  assert_rest_unsent (fixture);
}

/* The megabyte read of a refused answer is let go of before its caller hears of it: a check
 * that ends in that callback does not end holding it. The body is sent from static memory, so
 * the server's side allocates nothing of it. */
static void
on_result_memory (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  gsize *in_use = user_data;

  downbeat_probe_result_free (downbeat_probe_run_finish (res, NULL));
  *in_use = downbeat_memory_in_use ();
}

static gboolean
memory_measured (gpointer user_data)
{
  return *(gsize *) user_data != 0;
}

static void
test_too_large_let_go (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/big-static", 200, "accesspoint");
  gsize before;
  gsize in_use = 0;

  /* What the session makes once, at its first request (connections, resolver, threads), is
   * made before the figure is taken. */
  downbeat_probe_result_free (run_too_large (fixture, "/big-static"));
  before = downbeat_memory_in_use ();
  downbeat_probe_run_async (fixture->session, spec, NULL, on_result_memory, &in_use);
  test_wait_until (memory_measured, &in_use, 30, "the request to end");

  g_assert_cmpuint (in_use, <, before + DOWNBEAT_FETCH_MAX_BYTES / 4);
}

/* One that does not is read up to the cap, and no further. */
static void
test_too_large_chunked (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DownbeatProbeResult) result = run_too_large (fixture, "/big-chunked");

  /* The client took little more than the cap off the wire. */
  g_assert_cmpuint (result->wire_bytes, >, DOWNBEAT_FETCH_MAX_BYTES);
  g_assert_cmpuint (result->wire_bytes, <, 2 * DOWNBEAT_FETCH_MAX_BYTES);
  assert_rest_unsent (fixture);
}

static void
test_captive_portal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/portal", 200, "accesspoint");
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_BODY);
  g_assert_true (g_str_has_prefix (result->error, "unexpected answer: not JSON"));
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
}

static void
test_empty_list (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/empty", 200, "accesspoint");
  g_autoptr(DownbeatProbeResult) result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_EMPTY);
  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_FAILING);
  g_assert_cmpstr (result->error, ==, "empty answer: “accesspoint” has nothing in it");
}

static void
test_body_contains (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/portal", 200, NULL);
  g_autoptr(DownbeatProbeSpec) other = spec_new (fixture, "/portal", 200, NULL);
  g_autoptr(DownbeatProbeResult) result = NULL;
  g_autoptr(DownbeatProbeResult) other_result = NULL;

  spec->expect_body_contains = g_strdup ("hotel WiFi");
  other->expect_body_contains = g_strdup ("NetworkManager is online");
  result = run_probe (fixture, spec);
  other_result = run_probe (fixture, other);

  g_assert_true (result->ok);
  g_assert_false (other_result->ok);
  g_assert_cmpint (other_result->failure, ==, DOWNBEAT_FAILURE_BODY);
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) loop = spec_new (fixture, "/loop", 0, NULL);
  g_autoptr(DownbeatProbeSpec) hop = spec_new (fixture, "/hop", 200, "accesspoint");
  g_autoptr(DownbeatProbeSpec) to_file = spec_new (fixture, "/to-file", 0, NULL);
  g_autoptr(DownbeatProbeResult) loop_result = run_probe (fixture, loop);
  g_autoptr(DownbeatProbeResult) hop_result = run_probe (fixture, hop);
  g_autoptr(DownbeatProbeResult) file_result = run_probe (fixture, to_file);

  g_assert_false (loop_result->ok);
  g_assert_cmpint (loop_result->failure, ==, DOWNBEAT_FAILURE_REDIRECTS);
  g_assert_cmpstr (loop_result->error, ==, "more than 5 redirects");

  g_assert_true (hop_result->ok);
  g_assert_cmpuint (hop_result->http_status, ==, 200);

  g_assert_false (file_result->ok);
  g_assert_cmpint (file_result->failure, ==, DOWNBEAT_FAILURE_REDIRECTS);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(DownbeatProbeSpec) spec = downbeat_probe_spec_new ();
  g_autoptr(DownbeatProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago and is closed now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  spec->id = g_strdup ("refused");
  spec->name = g_strdup ("Refused");
  spec->url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  result = run_probe (fixture, spec);

  g_assert_false (result->ok);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_REFUSED);
  g_assert_cmpstr (result->error, ==, "connection refused");
}

static DownbeatFetchResult *
fetch (Fixture    *fixture,
       const char *etag)
{
  g_autofree char *url = url_for (fixture, "/summary");
  DownbeatFetchRequest request = { .url = url, .timeout_s = 5, .if_none_match = etag };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  DownbeatFetchResult *result;

  downbeat_fetch_async (fixture->session, &request, NULL, on_result, &res);
  wait_for (&res);
  result = downbeat_fetch_finish (res, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_not_modified (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DownbeatFetchResult) first = fetch (fixture, NULL);
  g_autoptr(DownbeatFetchResult) second = NULL;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_nonnull (first->body);
  g_assert_cmpstr (first->etag, ==, "\"v1\"");
  g_assert_cmpstr (first->last_modified, ==, "Sat, 28 Nov 2026 10:00:00 GMT");
  g_assert_null (fixture->last_if_none_match);

  second = fetch (fixture, first->etag);
  g_assert_cmpstr (fixture->last_if_none_match, ==, "\"v1\"");
  g_assert_cmpuint (second->status, ==, 304);
  g_assert_null (second->body);
  g_assert_cmpuint (second->wire_bytes, <, first->wire_bytes);
}

/* The same connection serves one check after another, whatever the method or status. */
static void
test_connection_is_kept (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) head = spec_new (fixture, "/ok", 200, NULL);
  g_autoptr(DownbeatProbeSpec) unauthorized = spec_new (fixture, "/unauthorized", 401, "error");
  g_autoptr(DownbeatFetchResult) first = fetch (fixture, NULL);
  g_autoptr(DownbeatFetchResult) not_modified = fetch (fixture, first->etag);

  g_assert_cmpuint (not_modified->status, ==, 304);
  g_free (head->method);
  head->method = g_strdup ("HEAD");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DownbeatProbeResult) head_result = run_probe (fixture, head);
      g_autoptr(DownbeatProbeResult) unauthorized_result = run_probe (fixture, unauthorized);

      g_assert_true (head_result->ok);
      g_assert_true (unauthorized_result->ok);
    }

  g_assert_cmpuint (fixture->client_ports->len, ==, 6);
  for (guint i = 1; i < fixture->client_ports->len; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (fixture->client_ports, i)), ==,
                      GPOINTER_TO_UINT (g_ptr_array_index (fixture->client_ports, 0)));
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DownbeatProbeSpec) spec = spec_new (fixture, "/hang", 0, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatProbeResult) result = NULL;

  downbeat_probe_run_async (fixture->session, spec, cancellable, on_result, &res);
  g_cancellable_cancel (cancellable);
  wait_for (&res);

  result = downbeat_probe_run_finish (res, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The id the next source attached gets: ids are handed out in order, so the difference of two
 * is how many sources were attached in between. */
static guint
next_source_id (void)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  guint id = g_source_attach (source, NULL);

  g_source_destroy (source);
  return id;
}

static void
count_ended (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(DownbeatFetchResult) result = downbeat_fetch_finish (res, NULL);

  g_assert_nonnull (result);
  (*(guint *) user_data)++;
}

typedef struct
{
  guint *ended;
  guint  wanted;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *count = data;

  return *count->ended >= count->wanted;
}

/* The requests wait for their deadlines on one source, not one each: a source each made a
 * check of thousands of probes quadratic, as GLib's main loop looks at every source on every
 * iteration. */
static void
test_deadlines_share_a_source (Fixture       *fixture,
                               gconstpointer  data)
{
  const guint n = 1000;
  g_autofree char *url = url_for (fixture, "/ok");
  DownbeatFetchRequest request = { .url = url, .timeout_s = 30 };
  guint ended = 0;
  Count count = { &ended, n };
  guint before, attached;

  before = next_source_id ();
  for (guint i = 0; i < n; i++)
    downbeat_fetch_async (fixture->session, &request, NULL, count_ended, &ended);
  attached = next_source_id () - before - 1;
  g_assert_cmpuint (attached, <=, 2);

  test_wait_until (count_reached, &count, 60, "every request answered");
}

/* The one session the app, --check and --watch make (downbeat_fetch_session_new()) has
 * libsoup's idle timeout off: at 60 s it met the poll interval and lost requests
 * (docs/design.md, "Monitoring never stops"). */
static void
test_session_has_no_idle_timeout (Fixture       *fixture,
                                  gconstpointer  data)
{
  guint idle_timeout = G_MAXUINT;

  g_object_get (fixture->session, "idle-timeout", &idle_timeout, NULL);
  g_assert_cmpuint (idle_timeout, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/probe/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("ok", test_ok);
  ADD ("unauthorized-is-alive", test_unauthorized_is_alive);
  ADD ("unavailable", test_unavailable);
  ADD ("timeout", test_timeout);
  ADD ("forbidden-is-a-mismatch", test_forbidden_is_a_mismatch);
  ADD ("too-many-requests-is-no-result", test_too_many_requests_is_no_result);
  ADD ("status-outside-http-is-a-mismatch", test_status_outside_http_is_a_mismatch);
  ADD ("status-only-reads-no-body", test_status_only_reads_no_body);
  ADD ("lost-request-ends-at-deadline", test_lost_request_ends_at_deadline);
  ADD ("slow", test_slow);
  ADD ("too-large", test_too_large);
  ADD ("too-large-chunked", test_too_large_chunked);
  ADD ("too-large-let-go", test_too_large_let_go);
  ADD ("lists-access-points", test_lists_access_points);
  ADD ("captive-portal", test_captive_portal);
  ADD ("empty-list", test_empty_list);
  ADD ("body-contains", test_body_contains);
  ADD ("redirects", test_redirects);
  ADD ("refused", test_refused);
  ADD ("not-modified", test_not_modified);
  ADD ("connection-is-kept", test_connection_is_kept);
  ADD ("cancelled", test_cancelled);
  ADD ("session-has-no-idle-timeout", test_session_has_no_idle_timeout);
  ADD ("deadlines-share-a-source", test_deadlines_share_a_source);
#undef ADD

  return g_test_run ();
}
