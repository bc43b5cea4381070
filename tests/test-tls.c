/* test-tls.c: fetches over HTTPS from the fake on 127.0.0.1, with a CA of the tests' own
 *
 * tests/data/tls: ca.pem, a CA; server.pem, a certificate it signed for 127.0.0.1, and its key;
 * stranger.pem, a certificate for 127.0.0.1 that signed itself, and its key. Made once with
 * openssl, valid until 2126.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "downbeat-fetch.h"
#include "downbeat-memory.h"
#include "downbeat-tls-database.h"
#include "fake-spotify.h"
#include "test-support.h"

#define SYSTEM_CAS "/etc/ssl/certs/ca-certificates.crt"
#define CONNECTIONS 4

typedef struct
{
  const char *server_pem;    /* what the fake shows */
  const char *host;          /* what it is asked as */
} Case;

static const Case trusted_case = { "server.pem", "127.0.0.1" };
static const Case stranger_case = { "stranger.pem", "127.0.0.1" };
static const Case other_name_case = { "server.pem", "localhost" };

typedef struct
{
  GPtrArray *results;
  guint      count;
} Batch;

typedef struct
{
  FakeSpotify  *fake;
  SoupSession  *session;
  GTlsDatabase *trusted;   /* the system's CAs and the tests' own */
  char         *trust_file;
  gboolean      system_cas;
} Fixture;

static GTlsCertificate *
certificate (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "tls", name, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GTlsCertificate) server = NULL;
  g_autofree char *ca_path = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autofree char *system = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  /* The sanitizer passes run over GLib builds of their own, without glib-networking. */
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return;
  server = certificate (test_case->server_pem);

  /* Every CA of the system's too: what a trust list costs depends on how many it holds. */
  fixture->system_cas = g_file_get_contents (SYSTEM_CAS, &system, NULL, NULL);
  if (!fixture->system_cas)
    system = g_strdup ("");
  g_assert_true (g_file_get_contents (ca_path, &ca, NULL, NULL));
  both = g_strconcat (system, ca, NULL);
  fd = g_file_open_tmp ("downbeat-test-cas-XXXXXX.pem", &fixture->trust_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (fixture->trust_file, both, -1, NULL));
  fixture->trusted = g_tls_file_database_new (fixture->trust_file, &error);
  g_assert_no_error (error);

  fixture->fake = fake_spotify_new_https (server);
  fixture->session = downbeat_fetch_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->fake, fake_spotify_free);
  g_clear_object (&fixture->trusted);
  if (fixture->trust_file != NULL)
    g_unlink (fixture->trust_file);
  g_free (fixture->trust_file);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  DownbeatFetchResult *fetched = downbeat_fetch_finish (result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (batch->results, fetched);
}

static gboolean
batch_done (gpointer data)
{
  Batch *batch = data;

  return batch->results->len == batch->count;
}

/* Fetches @url @count times at once; the results. */
static GPtrArray *
fetch_url (SoupSession *session,
           const char  *url,
           guint        count)
{
  DownbeatFetchRequest request = {
    .url = url, .method = "GET", .timeout_s = 10, .max_bytes = DOWNBEAT_FETCH_MAX_BYTES,
  };
  Batch batch = {
    g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_fetch_result_free), count,
  };

  for (guint i = 0; i < count; i++)
    downbeat_fetch_async (session, &request, NULL, on_fetched, &batch);
  test_wait_until (batch_done, &batch, 30, "the answers");
  return batch.results;
}

/* Fetches /ap of the fake @count times at once, as the test case says. */
static GPtrArray *
fetch (Fixture    *fixture,
       const Case *test_case,
       guint       count)
{
  g_autofree char *url = g_strdup_printf ("https://%s:%u/ap", test_case->host,
                                          fake_spotify_get_port (fixture->fake));

  return fetch_url (fixture->session, url, count);
}

static gboolean
skipped_without_tls (Fixture *fixture)
{
  if (fixture->fake == NULL)
    g_test_skip ("No TLS backend (glib-networking)");
  return fixture->fake == NULL;
}

static gboolean
tls_backend_loaded (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "libgiognutls") != NULL;
}

/* First of all, in a process that has not touched TLS yet: a session that never speaks HTTPS
 * never loads the TLS backend, nor builds its trust list (3.65 MiB). */
static void
test_plain_loads_no_tls (void)
{
  g_autoptr(FakeSpotify) fake = fake_spotify_new ();
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/ap", fake_spotify_get_port (fake));
  g_autoptr(GPtrArray) results = NULL;

  g_assert_false (tls_backend_loaded ());
  results = fetch_url (session, url, 1);
  g_assert_cmpuint (((DownbeatFetchResult *) g_ptr_array_index (results, 0))->status, ==, 200);
  g_assert_false (tls_backend_loaded ());
}

/* The session checks certificates against the system's CAs through a DownbeatTlsDatabase, so
 * that its connections share one trust list: glib-networking 2.74 builds a list of every CA
 * for each connection otherwise, 3.65 MiB for Debian's 144, held while it stays open. */
static void
test_one_trust_list (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GTlsDatabase) shared = NULL;
  g_autoptr(GPtrArray) warm = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gsize before;

  if (skipped_without_tls (fixture))
    return;
  g_assert_true (DOWNBEAT_IS_TLS_DATABASE (soup_session_get_tls_database (fixture->session)));
  if (!fixture->system_cas)
    {
      g_test_skip ("No " SYSTEM_CAS " (ca-certificates): a list of one CA weighs too little");
      return;
    }

  /* The same, with the tests' own CA among the system's. */
  shared = downbeat_tls_database_new (fixture->trusted);
  soup_session_set_tls_database (fixture->session, shared);
  /* Slow answers: each request of a batch needs a connection of its own. */
  fake_spotify_set (fixture->fake, "ap", FAKE_SLOW);
  fake_spotify_set_slow_ms (fixture->fake, 300);
  warm = fetch (fixture, &trusted_case, 1);
  downbeat_memory_give_back ();
  before = downbeat_memory_in_use ();

  results = fetch (fixture, &trusted_case, CONNECTIONS);
  for (guint i = 0; i < results->len; i++)
    {
      DownbeatFetchResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_NONE);
      g_assert_cmpuint (result->status, ==, 200);
    }
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "ap"), ==, 1 + CONNECTIONS);
  /* The connections are still open (the session keeps idle ones): less than one list for all. */
  g_assert_cmpuint (downbeat_memory_in_use () - before, <, 2 * 1024 * 1024);
}

/* What the database it asks refuses is refused: a certificate no trusted CA signed, and one
 * for another name than the address asked. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GTlsDatabase) shared = NULL;
  g_autoptr(GPtrArray) results = NULL;
  DownbeatFetchResult *result;

  if (skipped_without_tls (fixture))
    return;
  shared = downbeat_tls_database_new (fixture->trusted);
  soup_session_set_tls_database (fixture->session, shared);
  results = fetch (fixture, data, 1);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->failure, ==, DOWNBEAT_FAILURE_TLS);
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "ap"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls/plain-loads-no-tls", test_plain_loads_no_tls);
  g_test_add ("/tls/one-trust-list", Fixture, &trusted_case, fixture_set_up,
              test_one_trust_list, fixture_tear_down);
  g_test_add ("/tls/refused/stranger", Fixture, &stranger_case, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/tls/refused/other-name", Fixture, &other_name_case, fixture_set_up,
              test_refused, fixture_tear_down);
  return g_test_run ();
}
