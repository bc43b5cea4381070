/* test-service.c: the service definition, built in and from files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "downbeat-service.h"

static void
test_builtin (void)
{
  g_autoptr(DownbeatService) service = downbeat_service_new_builtin ();
  GPtrArray *probes = downbeat_service_get_probes (service);
  GPtrArray *outages = downbeat_service_get_notable_outages (service);
  const DownbeatProbeSpec *access_points, *streaming, *web_player, *web_api;
  const DownbeatProbeSpec *control;
  const DownbeatOfficialSource *developers;

  g_assert_cmpstr (downbeat_service_get_name (service), ==, "Spotify");
  g_assert_cmpuint (downbeat_service_get_official (service)->len, ==, 2);
  developers = g_ptr_array_index (downbeat_service_get_official (service), 1);
  g_assert_cmpint (developers->audience, ==, DOWNBEAT_AUDIENCE_DEVELOPERS);
  g_assert_cmpuint (probes->len, ==, 4);

  /* Every probe names where its expectation is shown to hold. */
  for (guint i = 0; i < probes->len; i++)
    {
      const DownbeatProbeSpec *probe = g_ptr_array_index (probes, i);

      g_assert_true (g_str_has_prefix (probe->evidence, "https://"));
      g_assert_cmpstr (probe->method, ==, "GET");
      g_assert_nonnull (probe->fingerprint);
      /* Its name is a subject of sentences told of one probe: "… is not answering". */
      g_assert_false (g_str_has_suffix (probe->name, "s"));
    }

  access_points = g_ptr_array_index (probes, 0);
  g_assert_cmpstr (access_points->id, ==, "access-points");
  g_assert_cmpstr (access_points->expect_json_key, ==, "accesspoint");
  g_assert_cmpuint (access_points->timeout_s, ==, 10);
  g_assert_cmpuint (access_points->slow_ms, ==, 3000);

  g_assert_cmpint (access_points->audience, ==, DOWNBEAT_AUDIENCE_LISTENERS);
  g_assert_cmpuint (access_points->lists_port, ==, 4070);

  /* Spotify's server key, as librespot has it: 2048 bits. */
  streaming = g_ptr_array_index (probes, 1);
  g_assert_null (streaming->url);
  g_assert_nonnull (streaming->handshake);
  g_assert_cmpuint (streaming->handshake->from_index, ==, 0);
  g_assert_cmpuint (streaming->handshake->port, ==, 4070);
  g_assert_cmpuint (g_bytes_get_size (streaming->handshake->server_key), ==, 256);

  web_player = g_ptr_array_index (probes, 2);
  g_assert_cmpstr (web_player->url, ==, "https://open.spotify.com/");
  g_assert_null (web_player->expect_json_key);

  /* A documented endpoint that answers 401 without a token, not the bare /v1/ root. */
  web_api = g_ptr_array_index (probes, 3);
  g_assert_true (g_str_has_prefix (web_api->url, "https://api.spotify.com/v1/search?"));
  g_assert_cmpuint (web_api->expect_status->len, ==, 1);
  g_assert_cmpuint (g_array_index (web_api->expect_status, guint, 0), ==, 401);
  g_assert_cmpint (web_api->audience, ==, DOWNBEAT_AUDIENCE_DEVELOPERS);

  control = downbeat_service_get_control (service);
  g_assert_nonnull (control);
  g_assert_cmpstr (control->expect_body_contains, ==, "NetworkManager is online");

  /* Where Spotify speaks for itself: linked to, never read. */
  g_assert_cmpuint (downbeat_service_get_channels (service)->len, ==, 1);
  g_assert_cmpstr (((const DownbeatChannel *) g_ptr_array_index (
                      downbeat_service_get_channels (service), 0))->url, ==,
                   "https://x.com/SpotifyStatus");

  g_assert_cmpuint (outages->len, >=, 5);
  for (guint i = 0; i < outages->len; i++)
    {
      const DownbeatNotableOutage *outage = g_ptr_array_index (outages, i);
      g_assert_true (g_str_has_prefix (outage->source, "https://"));
    }
}

static const char valid[] =
  "{\"format\":1,\"name\":\"Thing\",\"unknown_key\":true,"
  "\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a.example/\"}]}";

static void
test_defaults_and_unknown_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = downbeat_service_new_from_data (valid, strlen (valid),
                                                                       "valid.json", &error);
  const DownbeatProbeSpec *probe;

  g_assert_no_error (error);
  probe = g_ptr_array_index (downbeat_service_get_probes (service), 0);
  g_assert_cmpstr (probe->method, ==, "GET");
  g_assert_null (probe->expect_status);
  g_assert_cmpuint (probe->timeout_s, ==, 10);
  g_assert_cmpuint (probe->slow_ms, ==, 3000);
  g_assert_null (downbeat_service_get_control (service));
  g_assert_cmpuint (downbeat_service_get_official (service)->len, ==, 0);
}

/* A file's names reach terminals (--check), notifications and windows: an escape sequence
 * that sets the title or clears the screen, a bidi override, a C1 control or a line break is
 * cleaned from them as from text from the network. */
static void
test_hostile_text (void)
{
  static const char json[] =
    "{\"format\":1,\"name\":\"\\u001b]0;pwned\\u0007Spot\\u202eify\\u001b[2J\","
    "\"official\":[{\"name\":\"Page\\u2066\\u009b31m\\nfake line\","
    "\"summary_url\":\"https://a.example/s\"}],"
    "\"probes\":[{\"id\":\"a\\u202d\",\"name\":\"A\\u0085\\u2069\\r\\tB\","
    "\"url\":\"https://a.example/\"}],"
    "\"notable_outages\":[{\"date\":\"2022-03-08\",\"title\":\"T\\u001b[H\","
    "\"details\":\"one\\nt\\u202ewo\\u0007\",\"source\":\"https://a.example/o\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = downbeat_service_new_from_data (json, strlen (json),
                                                                       "hostile.json", &error);
  const DownbeatOfficialSource *page;
  const DownbeatProbeSpec *probe;
  const DownbeatNotableOutage *outage;

  g_assert_no_error (error);
  g_assert_cmpstr (downbeat_service_get_name (service), ==, "]0;pwnedSpotify[2J");
  page = g_ptr_array_index (downbeat_service_get_official (service), 0);
  g_assert_cmpstr (page->name, ==, "Page31m fake line");
  probe = g_ptr_array_index (downbeat_service_get_probes (service), 0);
  g_assert_cmpstr (probe->id, ==, "a");
  g_assert_cmpstr (probe->name, ==, "A  B");
  outage = g_ptr_array_index (downbeat_service_get_notable_outages (service), 0);
  g_assert_cmpstr (outage->title, ==, "T[H");
  g_assert_cmpstr (outage->details, ==, "one\ntwo");
}

/* base64 of a 1024-bit odd modulus: a key as far as the definition can tell. */
#define KEY "w8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8" \
            "PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8M="
#define AP_PROBE "{\"id\":\"ap\",\"name\":\"A\",\"url\":\"https://a/\",\"expect_json_key\":\"accesspoint\"}"
#define HANDSHAKE(inner) "{\"format\":1,\"name\":\"X\",\"probes\":[" AP_PROBE ",{\"id\":\"h\"," \
                         "\"name\":\"H\",\"handshake\":{" inner "}}]}"

typedef struct
{
  const char *json;
  const char *message;
} Bad;

static const Bad bad[] = {
  { "not json", "bad.json: not JSON" },
  { "[]", "bad.json: (top level): expected an object" },
  { "{\"name\":\"X\",\"probes\":[]}", "bad.json: format: missing" },
  { "{\"format\":2,\"name\":\"X\"}", "bad.json: format: only format 1 is understood" },
  { "{\"format\":1,\"name\":\"\",\"probes\":[]}", "bad.json: name: must not be empty" },
  { "{\"format\":1,\"name\":\"\\u001b\\u202e \",\"probes\":[]}",
    "bad.json: name: must not be empty" },
  { "{\"format\":1,\"name\":\"X\"}", "bad.json: probes: missing" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[]}", "bad.json: probes: must list at least one probe" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"},"
    "{\"id\":\"b\",\"name\":\"B\",\"url\":5}]}",
    "bad.json: probes[1].url: expected a string" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"ftp://a/\"}]}",
    "bad.json: probes[0].url: expected an http or https address" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"},"
    "{\"id\":\"a\",\"name\":\"B\",\"url\":\"https://b/\"}]}",
    "bad.json: probes[1].id: used by another probe already" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"method\":\"POST\"}]}", "bad.json: probes[0].method: expected GET or HEAD" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"expect_status\":[200,\"ok\"]}]}", "bad.json: probes[0].expect_status[1]: expected an HTTP status code" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"expect_status\":[99]}]}", "probes[0].expect_status[0]: expected an HTTP status code from 100 to 599" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"timeout_s\":0}]}", "bad.json: probes[0].timeout_s: expected a number of seconds from 1 to 300" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"method\":\"HEAD\",\"expect_json_key\":\"k\"}]}", "bad.json: probes[0].method: HEAD has no body to check" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"}],"
    "\"official\":[{\"name\":\"P\"}]}", "bad.json: official[0].summary_url: missing" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"}],"
    "\"control\":{\"url\":\"https://c/\",\"expect_body_contains\":7}}",
    "bad.json: control.expect_body_contains: expected a string" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"}],"
    "\"notable_outages\":[{\"date\":\"2022-02-30\",\"title\":\"T\",\"source\":\"https://s/\"}]}",
    "bad.json: notable_outages[0].date: expected a date as YYYY-MM-DD" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"audience\":\"everyone\"}]}", "bad.json: probes[0].audience: expected listeners or developers" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"evidence\":\"see the forum\"}]}", "bad.json: probes[0].evidence: expected an http or https address" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"}],"
    "\"official\":[{\"name\":\"P\",\"summary_url\":\"https://p/\",\"audience\":3}]}",
    "bad.json: official[0].audience: expected a string" },
  { HANDSHAKE ("\"access_points_from\":\"ap\""),
    "bad.json: probes[1].handshake.server_key: missing" },
  { HANDSHAKE ("\"access_points_from\":\"ap\",\"server_key\":\"AAAA\""),
    "bad.json: probes[1].handshake.server_key: expected an RSA public key of 1024 to 8192 bits" },
  { HANDSHAKE ("\"access_points_from\":\"nowhere\",\"server_key\":\"" KEY "\""),
    "bad.json: probes[1].handshake.access_points_from: expected the id of an earlier probe that "
    "expects a JSON list" },
  { HANDSHAKE ("\"access_points_from\":\"ap\",\"server_key\":\"" KEY "\",\"port\":0"),
    "bad.json: probes[1].handshake.port: expected a port number from 1 to 65535" },
  { HANDSHAKE ("\"access_points_from\":\"ap\",\"server_key\":\"" KEY "\",\"exponent\":4"),
    "bad.json: probes[1].handshake.exponent: expected an odd number from 3" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[" AP_PROBE ",{\"id\":\"h\",\"name\":\"H\","
    "\"url\":\"https://h/\",\"handshake\":{\"access_points_from\":\"ap\",\"server_key\":\"" KEY "\"}}]}",
    "bad.json: probes[1].url: a handshake has no HTTP request" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[" AP_PROBE ",{\"id\":\"h\",\"name\":\"H\","
    "\"handshake\":{\"access_points_from\":\"ap\",\"server_key\":\"" KEY "\"}},{\"id\":\"i\","
    "\"name\":\"I\",\"handshake\":{\"access_points_from\":\"ap\",\"server_key\":\"" KEY "\"}}]}",
    "bad.json: probes[2].handshake: only one probe may be a handshake" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\","
    "\"role\":\"playback\"}]}", "bad.json: probes[0].role: expected sign-in, app or web-player" },
  { "{\"format\":1,\"name\":\"X\",\"probes\":[{\"id\":\"a\",\"name\":\"A\",\"url\":\"https://a/\"}],"
    "\"channels\":[{\"name\":\"X\",\"url\":\"javascript:alert(1)\"}]}",
    "bad.json: channels[0].url: expected an http or https address" },
};

static void
test_bad (gconstpointer data)
{
  const Bad *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;

  service = downbeat_service_new_from_data (test->json, strlen (test->json), "bad.json", &error);
  g_assert_null (service);
  g_assert_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_INVALID);
  if (strstr (error->message, test->message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, test->message);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;

  service = downbeat_service_new_from_file ("/nonexistent/service.json", &error);
  g_assert_null (service);
  g_assert_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/service.json"));
}

/* What the file reader must refuse, it refuses at once: run apart, with a deadline, so a
 * reader that hangs or reads for good fails the test instead of holding it. */
static gboolean
refused_apart (void)
{
  if (g_test_subprocess ())
    return FALSE;
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  return TRUE;
}

static void
assert_refused (const char *path,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = downbeat_service_new_from_file (path, &error);

  g_assert_null (service);
  g_assert_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_READ);
  if (!g_str_has_prefix (error->message, path) || strstr (error->message, says) == NULL)
    g_error ("“%s” does not name %s and say “%s”", error->message, path, says);
}

/* A valid definition, padded past the 1 MiB cap with a key nobody reads. */
static char *
large_definition (void)
{
  g_autofree char *padding = g_strnfill (2 * 1024 * 1024, 'x');

  return g_strdup_printf ("{\"padding\":\"%s\",%s", padding, valid + 1);
}

static void
test_file_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("downbeat-service-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "service.json", NULL);
  g_autofree char *large = large_definition ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;

  g_assert_true (g_file_set_contents (path, valid, -1, NULL));
  service = downbeat_service_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (downbeat_service_get_name (service), ==, "Thing");

  g_assert_true (g_file_set_contents (path, large, -1, NULL));
  assert_refused (path, "1 MiB");

  assert_refused (dir, "not a regular file");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_file_device (void)
{
  if (!refused_apart ())
    assert_refused ("/dev/zero", "not a regular file");
}

static void
test_file_fifo (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (refused_apart ())
    return;

  /* Nobody ever opens it for writing. */
  dir = g_dir_make_tmp ("downbeat-service-XXXXXX", NULL);
  path = g_build_filename (dir, "service.json", NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_refused (path, "not a regular file");
  g_unlink (path);
  g_rmdir (dir);
}

static gpointer
write_and_close (gpointer data)
{
  int *fds = data;
  g_autofree char *large = large_definition ();
  gsize length = strlen (large);

  for (gsize written = 0; written < length;)
    {
      gssize n = write (fds[1], large + written, length - written);

      if (n <= 0)
        break;
      written += n;
    }
  close (fds[1]);
  return NULL;
}

/* `downbeat --service /dev/stdin < big.json`-like: 2 MiB of valid definition through a pipe. */
static void
test_file_pipe (void)
{
  int fds[2];
  g_autofree char *path = NULL;

  if (refused_apart ())
    return;

  g_assert_cmpint (pipe (fds), ==, 0);
  g_thread_unref (g_thread_new ("writer", write_and_close, fds));
  path = g_strdup_printf ("/dev/fd/%d", fds[0]);
  assert_refused (path, "not a regular file");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/builtin", test_builtin);
  g_test_add_func ("/service/defaults-and-unknown-keys", test_defaults_and_unknown_keys);
  g_test_add_func ("/service/hostile-text", test_hostile_text);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/service/bad/%u", i);
      g_test_add_data_func (path, &bad[i], test_bad);
    }
  g_test_add_func ("/service/missing-file", test_missing_file);
  g_test_add_func ("/service/file/regular", test_file_regular);
  g_test_add_func ("/service/file/device", test_file_device);
  g_test_add_func ("/service/file/fifo", test_file_fifo);
  g_test_add_func ("/service/file/pipe", test_file_pipe);

  return g_test_run ();
}
