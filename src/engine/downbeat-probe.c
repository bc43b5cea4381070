/* downbeat-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-probe"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "downbeat-json-private.h"
#include "downbeat-probe.h"

/* The task's source tag is the function that made it. ISO C has no conversion from a function
 * pointer to gpointer; through an integer it has. */
#define SOURCE_TAG ((gpointer) (guintptr) downbeat_probe_run_async)

DownbeatProbeSpec *
downbeat_probe_spec_new (void)
{
  DownbeatProbeSpec *spec = g_new0 (DownbeatProbeSpec, 1);

  spec->method = g_strdup (SOUP_METHOD_GET);
  spec->timeout_s = DOWNBEAT_PROBE_DEFAULT_TIMEOUT_S;
  spec->slow_ms = DOWNBEAT_PROBE_DEFAULT_SLOW_MS;

  return spec;
}

void
downbeat_probe_spec_free (DownbeatProbeSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->id);
  g_free (spec->name);
  g_free (spec->url);
  g_free (spec->method);
  g_clear_pointer (&spec->expect_status, g_array_unref);
  g_free (spec->expect_json_key);
  g_free (spec->expect_body_contains);
  g_free (spec->evidence);
  g_free (spec->fingerprint);
  if (spec->handshake != NULL)
    {
      g_free (spec->handshake->from);
      g_clear_pointer (&spec->handshake->server_key, g_bytes_unref);
      g_clear_pointer (&spec->handshake->key, downbeat_handshake_key_unref);
      g_free (spec->handshake);
    }
  g_free (spec);
}

void
downbeat_probe_result_free (DownbeatProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->error);
  g_strfreev (result->listed);
  g_free (result);
}

static gboolean
status_is_expected (const DownbeatProbeSpec *spec,
                    guint                    status)
{
  if (spec->expect_status == NULL)
    return status >= 200 && status < 400;

  for (guint i = 0; i < spec->expect_status->len; i++)
    if (g_array_index (spec->expect_status, guint, i) == status)
      return TRUE;

  return FALSE;
}

/* A key that is there but says nothing ("accesspoint": []) is an answer from something
 * that is not working. */
static gboolean
node_has_content (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) > 0;
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (node)) > 0;
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING
             || json_node_get_string (node)[0] != '\0';
    default:
      return FALSE;
    }
}

/* At most this many access points of a list are kept: more than a handshake ever tries. */
#define MAX_LISTED 8

/* "host:port" on @port, with a host name's characters only: anything else in a list from the
 * network is left out, never passed on to a resolver. */
static gboolean
is_access_point (const char *text,
                 guint16     port)
{
  g_autofree char *suffix = g_strdup_printf (":%u", port);
  gsize length = strlen (text);
  gsize host = length - strlen (suffix);

  if (length <= strlen (suffix) || host > 253 || !g_str_has_suffix (text, suffix))
    return FALSE;

  for (gsize i = 0; i < host; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '.' && text[i] != '-')
      return FALSE;
  return TRUE;
}

static GStrv
listed_access_points (JsonNode *member,
                      guint16   port)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint kept = 0;

  if (!JSON_NODE_HOLDS_ARRAY (member))
    return NULL;

  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array) && kept < MAX_LISTED; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && is_access_point (json_node_get_string (element), port))
        {
          g_strv_builder_add (builder, json_node_get_string (element));
          kept++;
        }
    }
  return g_strv_builder_end (builder);
}

static DownbeatFailure
judge_json_key (GBytes      *body,
                const char  *key,
                guint16      lists_port,
                GStrv       *listed,
                char       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *member;
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  root = downbeat_json_parse (data, length, &parse_error);
  if (root == NULL)
    {
      *error = g_strdup_printf (_("unexpected answer: %s"), parse_error->message);
      return DOWNBEAT_FAILURE_BODY;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *error = g_strdup (_("unexpected answer: not a JSON object"));
      return DOWNBEAT_FAILURE_BODY;
    }

  member = json_object_get_member (json_node_get_object (root), key);
  if (member == NULL)
    {
      /* Translators: %s is a JSON key, "accesspoint" */
      *error = g_strdup_printf (_("unexpected answer: no “%s” in it"), key);
      return DOWNBEAT_FAILURE_BODY;
    }

  if (!node_has_content (member))
    {
      /* Translators: %s is a JSON key, "accesspoint" */
      *error = g_strdup_printf (_("empty answer: “%s” has nothing in it"), key);
      return DOWNBEAT_FAILURE_EMPTY;
    }

  if (listed != NULL && lists_port != 0)
    *listed = listed_access_points (member, lists_port);
  return DOWNBEAT_FAILURE_NONE;
}

static gboolean
body_contains (GBytes     *body,
               const char *needle)
{
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  return data != NULL && memmem (data, length, needle, strlen (needle)) != NULL;
}

/* libsoup 3.2 has no phrase for 429 and says "Unknown Error" for any code it does not know. */
static const char *
status_phrase (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  if (status == 429)
    return "Too Many Requests";
  if (g_strcmp0 (phrase, "Unknown Error") == 0)
    return NULL;
  return phrase;
}

static DownbeatFailure
judge (const DownbeatProbeSpec  *spec,
       guint                     status,
       GBytes                   *body,
       GStrv                    *listed,
       char                    **error)
{
  if (!status_is_expected (spec, status))
    {
      const char *phrase = status_phrase (status);

      if (phrase != NULL)
        *error = g_strdup_printf (_("HTTP %u %s"), status, phrase);
      else
        *error = g_strdup_printf (_("HTTP %u"), status);
      return DOWNBEAT_FAILURE_HTTP_STATUS;
    }

  if (spec->expect_json_key != NULL)
    {
      DownbeatFailure failure = judge_json_key (body, spec->expect_json_key, spec->lists_port,
                                                listed, error);

      if (failure != DOWNBEAT_FAILURE_NONE)
        return failure;
    }

  if (spec->expect_body_contains != NULL && !body_contains (body, spec->expect_body_contains))
    {
      *error = g_strdup (_("unexpected answer: not the expected text"));
      return DOWNBEAT_FAILURE_BODY;
    }

  return DOWNBEAT_FAILURE_NONE;
}

/**
 * downbeat_probe_judge:
 * @body: (nullable): the answer's body
 * @error: (out): why it failed, for people, when it did
 *
 * Returns: %DOWNBEAT_FAILURE_NONE when the answer is what @spec expects
 */
DownbeatFailure
downbeat_probe_judge (const DownbeatProbeSpec  *spec,
                      guint                     status,
                      GBytes                   *body,
                      char                    **error)
{
  g_return_val_if_fail (spec != NULL, DOWNBEAT_FAILURE_HTTP_STATUS);
  g_return_val_if_fail (error != NULL && *error == NULL, DOWNBEAT_FAILURE_HTTP_STATUS);

  return judge (spec, status, body, NULL, error);
}

/**
 * downbeat_probe_outcome:
 *
 * Returns: what an attempt that ended in @failure, with @http_status, says about the service
 */
DownbeatOutcome
downbeat_probe_outcome (DownbeatFailure failure,
                        guint           http_status)
{
  switch (failure)
    {
    case DOWNBEAT_FAILURE_NONE:
      return DOWNBEAT_OUTCOME_PASS;
    case DOWNBEAT_FAILURE_DNS:
    case DOWNBEAT_FAILURE_REFUSED:
    case DOWNBEAT_FAILURE_TIMEOUT:
    case DOWNBEAT_FAILURE_TLS:
    case DOWNBEAT_FAILURE_NETWORK:
    case DOWNBEAT_FAILURE_EMPTY:
      return DOWNBEAT_OUTCOME_FAILING;
    case DOWNBEAT_FAILURE_HTTP_STATUS:
      if (http_status == 429)   /* Too Many Requests */
        return DOWNBEAT_OUTCOME_NO_RESULT;
      /* Only 5xx is the server failing; a code outside HTTP's classes is an odd answer. */
      return http_status >= 500 && http_status < 600 ? DOWNBEAT_OUTCOME_FAILING
                                                     : DOWNBEAT_OUTCOME_MISMATCH;
    case DOWNBEAT_FAILURE_REDIRECTS:
    case DOWNBEAT_FAILURE_BODY:
    case DOWNBEAT_FAILURE_TOO_LARGE:
    default:
      return DOWNBEAT_OUTCOME_MISMATCH;
    }
}

const char *
downbeat_outcome_to_string (DownbeatOutcome outcome)
{
  switch (outcome)
    {
    case DOWNBEAT_OUTCOME_PASS:
      return "pass";
    case DOWNBEAT_OUTCOME_FAILING:
      return "failing";
    case DOWNBEAT_OUTCOME_MISMATCH:
      return "mismatch";
    case DOWNBEAT_OUTCOME_NO_RESULT:
      return "no-result";
    default:
      g_return_val_if_reached ("no-result");
    }
}

/**
 * downbeat_probe_fingerprint:
 *
 * Returns: (transfer full): a digest of what @spec asks and expects; what was learnt of a
 *   probe (that it has worked here) holds only while this stays the same
 */
char *
downbeat_probe_fingerprint (const DownbeatProbeSpec *spec)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (spec != NULL, NULL);

  g_string_append_printf (text, "%s\n%s\n%s\n%s\n", spec->method,
                          spec->url != NULL ? spec->url : "",
                          spec->expect_json_key != NULL ? spec->expect_json_key : "",
                          spec->expect_body_contains != NULL ? spec->expect_body_contains : "");
  for (guint i = 0; spec->expect_status != NULL && i < spec->expect_status->len; i++)
    g_string_append_printf (text, "%u ", g_array_index (spec->expect_status, guint, i));
  if (spec->handshake != NULL)
    {
      g_autofree char *key = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                           spec->handshake->server_key);

      g_string_append_printf (text, "\nhandshake %s %u %u %s", spec->handshake->from,
                              spec->handshake->port, spec->handshake->fallback_port, key);
    }

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

static void
on_fetched (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const DownbeatProbeSpec *spec = g_task_get_task_data (task);
  g_autoptr(DownbeatFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;
  DownbeatProbeResult *result;

  fetched = downbeat_fetch_finish (res, &error);
  if (fetched == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (DownbeatProbeResult, 1);
  result->http_status = fetched->status;
  result->latency_ms = fetched->latency_ms;
  result->wire_bytes = fetched->wire_bytes;
  result->failure = fetched->failure;
  result->error = g_steal_pointer (&fetched->error);

  if (result->failure == DOWNBEAT_FAILURE_NONE)
    result->failure = judge (spec, fetched->status, fetched->body, &result->listed,
                             &result->error);

  result->ok = result->failure == DOWNBEAT_FAILURE_NONE;
  result->outcome = downbeat_probe_outcome (result->failure, result->http_status);
  result->retry_after_s = fetched->retry_after_s;
  result->slow = result->ok && result->latency_ms > spec->slow_ms;

  g_task_return_pointer (task, result, (GDestroyNotify) downbeat_probe_result_free);
}

/**
 * downbeat_probe_run_async:
 * @spec: what to check; must stay alive until the callback, as the service owning it does
 */
void
downbeat_probe_run_async (SoupSession             *session,
                          const DownbeatProbeSpec *spec,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  DownbeatFetchRequest request = { 0 };

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (spec != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, SOURCE_TAG);
  g_task_set_task_data (task, (gpointer) spec, NULL);

  request.url = spec->url;
  request.method = spec->method;
  request.timeout_s = spec->timeout_s;
  request.max_bytes = DOWNBEAT_FETCH_MAX_BYTES;
  request.headers_only = g_str_equal (spec->method, SOUP_METHOD_GET)
                         && spec->expect_json_key == NULL && spec->expect_body_contains == NULL;

  downbeat_fetch_async (session, &request, cancellable, on_fetched, g_steal_pointer (&task));
}

/**
 * downbeat_probe_run_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set only when cancelled
 */
DownbeatProbeResult *
downbeat_probe_run_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == SOURCE_TAG, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
