/* test-check.c: the real `downbeat --check --json` against a local fake of Spotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "downbeat-history.h"
#include "downbeat-service.h"
#include "fake-spotify.h"
#include "test-support.h"

typedef struct
{
  FakeSpotify *fake;
  char        *dir;
  char        *service_path;
  char        *history_path;
} Fixture;

typedef struct
{
  int       exit_status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *service = NULL;

  fixture->fake = fake_spotify_new ();
  fixture->dir = g_dir_make_tmp ("downbeat-check-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->service_path = g_build_filename (fixture->dir, "service.json", NULL);
  service = fake_spotify_service_json (fixture->fake);
  g_file_set_contents (fixture->service_path, service, -1, &error);
  g_assert_no_error (error);

  /* --check reads what the app learnt (the history): a state of the test's own. */
  {
    g_autofree char *state = g_build_filename (fixture->dir, "state", NULL);

    g_setenv ("XDG_STATE_HOME", state, TRUE);
    fixture->history_path = g_build_filename (state, "downbeat", "history.db", NULL);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->service_path);
  g_free (fixture->history_path);
  g_free (fixture->dir);
  fake_spotify_free (fixture->fake);
}

static void
on_communicated (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* The fake answers from this process's main loop while the real program runs. */
static void
run_downbeat (Run        *run,
              const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("DOWNBEAT"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &res);
  test_wait_until (test_result_arrived, &res, 60, "downbeat --check to end");
  g_subprocess_communicate_utf8_finish (process, res, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);

  if (run->exit_status != 4 && g_strv_contains ((const char * const *) argv->pdata, "--json"))
    {
      run->json = json_from_string (run->out, &error);
      g_assert_no_error (error);
    }
}

static void
check_json (Fixture    *fixture,
            Run        *run,
            int         expected_status,
            const char *expected_level)
{
  JsonObject *root;

  run_downbeat (run, "--check", "--json", "--service", fixture->service_path, NULL);
  if (run->exit_status != expected_status)
    g_error ("exit status %d, not %d\n%s\n%s", run->exit_status, expected_status, run->out,
             run->err);

  root = json_node_get_object (run->json);
  g_assert_cmpstr (json_object_get_string_member (root, "level"), ==, expected_level);
  g_assert_nonnull (json_object_get_string_member (root, "summary"));
  g_assert_nonnull (g_date_time_new_from_iso8601 (json_object_get_string_member (root, "checked_at"),
                                                  NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "probes")), ==, 4);
}

static JsonObject *
probe_member (Run        *run,
              const char *id)
{
  JsonArray *probes = json_object_get_array_member (json_node_get_object (run->json), "probes");

  for (guint i = 0; i < json_array_get_length (probes); i++)
    {
      JsonObject *probe = json_array_get_object_element (probes, i);

      if (g_str_equal (json_object_get_string_member (probe, "id"), id))
        return probe;
    }
  g_assert_not_reached ();
}

static void
test_all_up (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  JsonObject *root, *ap, *page;

  check_json (fixture, &run, 0, "operational");

  root = json_node_get_object (run.json);
  ap = probe_member (&run, "access-points");
  g_assert_true (json_object_get_boolean_member (ap, "ok"));
  g_assert_cmpint (json_object_get_int_member (ap, "http_status"), ==, 200);
  g_assert_true (json_object_get_int_member (ap, "latency_ms") >= 0);
  g_assert_true (json_object_get_null_member (ap, "error"));
  g_assert_cmpint (json_object_get_int_member (probe_member (&run, "web-api"), "http_status"),
                   ==, 401);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "control"),
                                                 "ok"));
  page = json_array_get_object_element (json_object_get_array_member (root, "official"), 0);
  g_assert_cmpstr (json_object_get_string_member (page, "indicator"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (page, "description"), ==,
                   "All Systems Operational");
  /* One cycle was enough: nothing failed, nothing was retried. */
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "ap"), ==, 1);
}

/* Sign-in failing while the app's servers answer: the text says what to do meanwhile. */
static void
test_advice_is_given (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  JsonArray *advice;

  fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  check_json (fixture, &run, 1, "degraded");
  advice = json_object_get_array_member (json_node_get_object (run.json), "advice");
  g_assert_cmpuint (json_array_get_length (advice), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (advice, 0), ==,
                   "Don't sign out: apps that are signed in keep playing.");
  g_assert_cmpstr (json_array_get_string_element (advice, 1), ==, "Your connection is fine.");
}

static void
test_every_probe_failing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  JsonObject *root, *login;

  fake_spotify_set (fixture->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "api", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "player", FAKE_FAIL);

  check_json (fixture, &run, 2, "outage");

  login = probe_member (&run, "login");
  g_assert_false (json_object_get_boolean_member (login, "ok"));
  g_assert_cmpint (json_object_get_int_member (login, "http_status"), ==, 503);
  g_assert_cmpstr (json_object_get_string_member (login, "error"), ==,
                   "HTTP 503 Service Unavailable");
  g_assert_true (json_object_get_boolean_member (login, "confirmed_failing"));
  /* Confirmed by retries, three attempts in all at the default setting. */
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "login"), ==, 3);
  /* Noticed here; Spotify's page says nothing: no lead to tell yet. */
  root = json_node_get_object (run.json);
  g_assert_true (json_object_has_member (root, "noticed_at"));
  g_assert_false (json_object_has_member (root, "acknowledged_at"));
  g_assert_false (json_object_has_member (root, "lead_seconds"));
}

static void
test_one_probe_failing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  fake_spotify_set (fixture->fake, "api", FAKE_FAIL);

  check_json (fixture, &run, 1, "degraded");
  g_assert_false (json_object_get_boolean_member (probe_member (&run, "web-api"), "ok"));
  g_assert_true (json_object_get_boolean_member (probe_member (&run, "access-points"), "ok"));
}

static void
test_flaky_probe_is_not_an_outage (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  /* Fails every other request, the first one first: never three in a row, so never
   * confirmed; but it did fail, and was tried again. */
  fake_spotify_set (fixture->fake, "ap", FAKE_FLAKY);
  fake_spotify_set (fixture->fake, "api", FAKE_FLAKY);
  fake_spotify_set (fixture->fake, "login", FAKE_FLAKY);
  fake_spotify_set (fixture->fake, "player", FAKE_FLAKY);

  check_json (fixture, &run, 0, "operational");
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "ap"), ==, 2);
  g_assert_true (json_object_get_boolean_member (probe_member (&run, "access-points"), "ok"));
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  fake_spotify_set_all (fixture->fake, FAKE_FAIL);

  check_json (fixture, &run, 3, "offline");
  g_assert_false (json_object_get_boolean_member (
    json_object_get_object_member (json_node_get_object (run.json), "control"), "ok"));
  /* Offline is said at once, without retries. */
  g_assert_cmpuint (fake_spotify_get_hits (fixture->fake, "ap"), ==, 1);
}

/* Every probe asked to wait and the status page unreachable: nothing was learnt, and
 * "Spotify is up" would be a guess. */
static void
test_nothing_but_waits_is_unknown (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  fake_spotify_set (fixture->fake, "ap", FAKE_RATE_LIMITED);
  fake_spotify_set (fixture->fake, "api", FAKE_RATE_LIMITED);
  fake_spotify_set (fixture->fake, "login", FAKE_RATE_LIMITED);
  fake_spotify_set (fixture->fake, "player", FAKE_RATE_LIMITED);
  fake_spotify_set (fixture->fake, "summary", FAKE_FAIL);

  check_json (fixture, &run, 3, "unknown");
}

static void
test_captive_portal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  fake_spotify_set_all (fixture->fake, FAKE_PORTAL);

  check_json (fixture, &run, 3, "offline");
}

static void
test_official_major (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  JsonObject *page, *incident;

  fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);

  check_json (fixture, &run, 2, "outage");
  page = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (run.json), "official"), 0);
  g_assert_cmpstr (json_object_get_string_member (page, "indicator"), ==, "major");
  incident = json_array_get_object_element (json_object_get_array_member (page, "incidents"), 0);
  g_assert_cmpstr (json_object_get_string_member (incident, "name"), ==,
                   "<b>Playback</b> & login down");
  g_assert_cmpstr (json_object_get_string_member (incident, "latest_update"), ==,
                   "We are looking into it.");
}

static void
test_text_output (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto (Run) run = { 0 };

  fake_spotify_set (fixture->fake, "api", FAKE_FAIL);
  run_downbeat (&run, "--check", "--service", fixture->service_path, NULL);

  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "Spotify is having problems: Web API is not answering"));
  g_assert_nonnull (strstr (run.out, "✗ Web API: HTTP 503 Service Unavailable"));
  g_assert_nonnull (strstr (run.out, "✓ Access point list: HTTP 200"));
}

/* A fresh install whose Web API and web player answer otherwise than the definition expects,
 * while Spotify is fine: up, exit 0, and said why those two do not count. */
static void
test_fresh_install_mismatches (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) text = { 0 };
  JsonObject *player, *ap;

  fake_spotify_set (fixture->fake, "api", FAKE_NOT_FOUND);
  fake_spotify_set (fixture->fake, "player", FAKE_FORBIDDEN);
  check_json (fixture, &run, 0, "operational");

  player = probe_member (&run, "web-player");
  g_assert_false (json_object_get_boolean_member (player, "ok"));
  g_assert_cmpstr (json_object_get_string_member (player, "outcome"), ==, "mismatch");
  g_assert_false (json_object_get_boolean_member (player, "proven"));
  g_assert_true (json_object_get_boolean_member (player, "counted"));
  ap = probe_member (&run, "access-points");
  g_assert_cmpstr (json_object_get_string_member (ap, "outcome"), ==, "pass");
  g_assert_true (json_object_get_boolean_member (ap, "proven"));

  run_downbeat (&text, "--check", "--service", fixture->service_path, NULL);
  g_assert_cmpint (text.exit_status, ==, 0);
  g_assert_nonnull (strstr (text.out, "? Web player: HTTP 403 Forbidden (not seen working from "
                                      "this computer yet — this check may be outdated)"));
}

/* What the running app learnt counts in --check: a Web API proven here that now answers 404
 * is Spotify having problems, not a check never seen working. */
static void
test_trust_from_the_history (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatService) service = NULL;
  g_auto (Run) run = { 0 };

  g_file_get_contents (fixture->service_path, &json, NULL, &error);
  g_assert_no_error (error);
  service = downbeat_service_new_from_data (json, strlen (json), "service.json", &error);
  g_assert_no_error (error);

  {
    g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->history_path);
    g_autoptr(DownbeatReport) report = downbeat_report_new ();
    DownbeatProbeStatus *api;

    report->level = DOWNBEAT_LEVEL_OPERATIONAL;
    report->service_name = g_strdup ("Spotify");
    report->checked_at = g_date_time_new_now_utc ();
    api = downbeat_probe_status_new (g_ptr_array_index (downbeat_service_get_probes (service), 1));
    api->result = g_new0 (DownbeatProbeResult, 1);
    api->result->ok = TRUE;
    api->result->http_status = 401;
    api->confirmation.proven = TRUE;
    g_ptr_array_add (report->probes, api);
    g_assert_true (downbeat_history_record (history, report));
  }

  fake_spotify_set (fixture->fake, "api", FAKE_NOT_FOUND);
  check_json (fixture, &run, 1, "degraded");
  g_assert_true (json_object_get_boolean_member (probe_member (&run, "web-api"), "proven"));
  g_assert_true (json_object_get_boolean_member (probe_member (&run, "web-api"),
                                                 "confirmed_failing"));
}

/* An outage the running app noticed 14 minutes ago, which Spotify's page acknowledges now: the
 * lead is the app's, not this check's few seconds. */
static void
test_lead_from_the_history (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) noticed = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC
                                                                 - 14 * 60);
  g_autofree char *noticed_text = g_date_time_format_iso8601 (noticed);
  g_auto (Run) run = { 0 };
  JsonObject *root;
  gint64 lead;

  {
    g_autoptr(DownbeatHistory) history = downbeat_history_new (fixture->history_path);
    g_autoptr(DownbeatReport) report = downbeat_report_new ();

    report->level = DOWNBEAT_LEVEL_OUTAGE;
    report->service_name = g_strdup ("Spotify");
    report->checked_at = g_date_time_ref (noticed);
    report->noticed_at = g_date_time_ref (noticed);
    g_assert_true (downbeat_history_record (history, report));
  }

  fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "player", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);
  check_json (fixture, &run, 2, "outage");

  root = json_node_get_object (run.json);
  g_assert_cmpstr (json_object_get_string_member (root, "noticed_at"), ==, noticed_text);
  g_assert_true (json_object_has_member (root, "acknowledged_at"));
  lead = json_object_get_int_member (root, "lead_seconds");
  g_assert_cmpint (lead, >=, 14 * 60);
  g_assert_cmpint (lead, <, 15 * 60);
}

/* The definition with names beyond ASCII: "Spötify", "Accès point list". */
static void
write_non_ascii_service (Fixture *fixture)
{
  g_autofree char *json = fake_spotify_service_json (fixture->fake);
  g_autoptr(GString) text = g_string_new (json);
  g_autoptr(GError) error = NULL;

  g_string_replace (text, "\"name\":\"Spotify\",\"official\"", "\"name\":\"Spötify\",\"official\"",
                    1);
  g_string_replace (text, "Access point list", "Accès point list", 1);
  g_file_set_contents (fixture->service_path, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
on_line_read (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* A process's first line on stdout: --watch's, which runs until stopped; a bus's address. */
static char *
first_line (GSubprocess *process,
            const char  *what)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line_read, &res);
  test_wait_until (test_result_arrived, &res, 60, what);
  line = g_data_input_stream_read_line_finish_utf8 (out, res, NULL, &error);
  g_assert_no_error (error);
  return line;
}

static char *
watch_first_line (Fixture *fixture)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("DOWNBEAT"),
                              "--watch", "--service", fixture->service_path, NULL);
  g_assert_no_error (error);
  line = first_line (process, "downbeat --watch's first line");
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  return line;
}

/* JSON is UTF-8 whatever the locale: cron and services run under LC_ALL=C, and a name beyond
 * ASCII must come out as it is, not as "Sp?tify". */
static void
test_json_in_c_locale (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  g_autofree char *line = NULL;
  g_autoptr(JsonNode) watched = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *locale = g_strdup (g_getenv ("LC_ALL"));

  write_non_ascii_service (fixture);
  g_setenv ("LC_ALL", "C", TRUE);
  run_downbeat (&run, "--check", "--json", "--service", fixture->service_path, NULL);
  line = watch_first_line (fixture);
  g_setenv ("LC_ALL", locale, TRUE);

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (run.json), "summary"),
                   ==, "Spötify is up.");
  g_assert_cmpstr (json_object_get_string_member (probe_member (&run, "access-points"), "name"),
                   ==, "Accès point list");

  g_assert_nonnull (line);
  watched = json_from_string (line, &error);
  g_assert_no_error (error);
  /* Its first line comes before any check: the name is in it. */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_node_get_object (watched),
                                                                  "summary"), "Spötify "));
}

/* A service file's names and what the network answers reach the terminal: none may set its
 * title, clear it, or turn text around. The expected JSON key, kept as written, comes back in
 * the probe's error, as a hostile answer's text would. */
static void
test_hostile_text_output (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const hidden[] = { "\x1b", "\x07", "\u202e", "\u2066", "\xc2\x85", "\xc2\x9b",
                                         NULL };
  g_autofree char *json = fake_spotify_service_json (fixture->fake);
  g_autoptr(GString) text = g_string_new (json);
  g_autoptr(GError) error = NULL;
  g_auto (Run) run = { 0 };

  g_string_replace (text, "\"name\":\"Spotify\",\"official\"",
                    "\"name\":\"\\u001b]0;pwned\\u0007Spot\\u202eify\\u001b[2J\\u001b[H\","
                    "\"official\"", 1);
  g_string_replace (text, "\"name\":\"Spotify\"", "\"name\":\"Page\\u2066\\u0085\"", 1);
  g_string_replace (text, "Access point list", "Access \\u009b31mpoint list", 1);
  g_string_replace (text, "\"accesspoint\"", "\"\\u001b]0;key\\u0007\"", 1);
  g_file_set_contents (fixture->service_path, text->str, -1, &error);
  g_assert_no_error (error);

  run_downbeat (&run, "--check", "--service", fixture->service_path, NULL);

  g_assert_cmpint (run.exit_status, ==, 0);
  for (guint i = 0; hidden[i] != NULL; i++)
    if (strstr (run.out, hidden[i]) != NULL)
      g_error ("U+%04X in:\n%s", g_utf8_get_char (hidden[i]), run.out);
  g_assert_true (g_str_has_prefix (run.out, "]0;pwnedSpotify[2J[H is up"));
  g_assert_nonnull (strstr (run.out, "? Access 31mpoint list: unexpected answer: no “]0;key” in it"));
  g_assert_nonnull (strstr (run.out, "Official, Page: "));
}

static void
on_activate (GApplication *app,
             gboolean     *activated)
{
  *activated = TRUE;
}

/* A second `downbeat --service other.json` while Downbeat runs: the running one would be shown,
 * with its own definition, and the file dropped without a word. It is refused; a plain second
 * `downbeat` still shows the running one. The running one is a bare GApplication with the app's
 * id, on a bus of the test's own so that no other test's Downbeat is found, in a process of its
 * own whose session bus is that one from the start. */
static void
test_second_instance_with_options (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GApplication) running = NULL;
  g_autoptr(GError) error = NULL;
  gboolean activated = FALSE;

  if (!g_test_subprocess ())
    {
      g_autofree char *config = g_test_build_filename (G_TEST_DIST, "session.conf", NULL);
      g_autofree char *config_arg = g_strconcat ("--config-file=", config, NULL);
      g_autofree char *session_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
      g_autofree char *address = NULL;
      g_autoptr(GSubprocess) bus = NULL;

      bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon", config_arg,
                              "--nofork", "--print-address=1", NULL);
      g_assert_no_error (error);
      address = first_line (bus, "a bus of the test's own");
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      if (session_bus != NULL)
        g_setenv ("DBUS_SESSION_BUS_ADDRESS", session_bus, TRUE);
      g_subprocess_force_exit (bus);
      g_subprocess_wait (bus, NULL, NULL);
      g_test_trap_assert_passed ();
      return;
    }

  running = g_application_new ("io.github.downbeat.Downbeat", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (running, "activate", G_CALLBACK (on_activate), &activated);
  g_assert_true (g_application_register (running, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (running));

  {
    g_auto (Run) service = { 0 };
    g_auto (Run) interval = { 0 };
    g_auto (Run) plain = { 0 };

    run_downbeat (&service, "--service", fixture->service_path, NULL);
    g_assert_cmpint (service.exit_status, ==, 4);
    g_assert_nonnull (strstr (service.err, "already running"));
    run_downbeat (&interval, "--interval", "5", NULL);
    g_assert_cmpint (interval.exit_status, ==, 4);
    g_assert_false (activated);

    run_downbeat (&plain, NULL);
    g_assert_cmpint (plain.exit_status, ==, 0);
    test_wait_until (test_flag_is_set, &activated, 30, "the running Downbeat to be activated");
  }
}

static void
test_malformed_service (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto (Run) run = { 0 };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fixture->service_path,
                       "{\"format\":1,\"name\":\"Spotify\",\"probes\":["
                       "{\"id\":\"a\",\"name\":\"A\",\"url\":\"http://127.0.0.1:1/\"},"
                       "{\"id\":\"b\",\"name\":\"B\",\"url\":[]}]}", -1, &error);
  g_assert_no_error (error);

  run_downbeat (&run, "--check", "--json", "--service", fixture->service_path, NULL);

  g_assert_cmpint (run.exit_status, ==, 4);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, fixture->service_path));
  g_assert_nonnull (strstr (run.err, "probes[1].url: expected a string"));
}

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto (Run) interval = { 0 };
  g_auto (Run) missing = { 0 };
  g_auto (Run) version = { 0 };

  run_downbeat (&interval, "--check", "--interval", "0", NULL);
  g_assert_cmpint (interval.exit_status, ==, 4);
  g_assert_nonnull (strstr (interval.err, "--interval"));

  run_downbeat (&missing, "--check", "--service", "/nonexistent/service.json", NULL);
  g_assert_cmpint (missing.exit_status, ==, 4);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/service.json"));

  run_downbeat (&version, "--version", NULL);
  g_assert_cmpint (version.exit_status, ==, 0);
  g_assert_cmpstr (version.out, ==, "downbeat 0.1.0\n");
}

/* A bad option is exit 4 in every mode, said on stderr; never 1, which --check means
 * "degraded", and never a check run regardless. */
static void
test_bad_option_every_mode (Fixture       *fixture,
                            gconstpointer  data)
{
  static const struct
  {
    const char *args[4];
    const char *says;
  } cases[] = {
    { { "--check", "--bogus" }, "--bogus" },
    { { "--check", "--interval" }, "--interval" },
    { { "--check", "--service" }, "--service" },
    { { "--check", "--json", "spotify" }, "spotify" },
    { { "--watch", "--bogus" }, "--bogus" },
    { { "--watch", "--format" }, "--format" },
    { { "--wait-until-up", "--timeout" }, "--timeout" },
    { { "--wait-until-up", "--bogus" }, "--bogus" },
    { { "--check", "--watch" }, "--watch" },
    { { "--bogus" }, "--bogus" },
    { { "--interval" }, "--interval" },
    { { "spotify" }, "spotify" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };

      run_downbeat (&run, cases[i].args[0], cases[i].args[1], cases[i].args[2], NULL);
      if (run.exit_status != 4 || strstr (run.err, cases[i].says) == NULL
          || run.out[0] != '\0')
        g_error ("downbeat %s %s %s: exit %d\n%s\n%s", cases[i].args[0],
                 cases[i].args[1] != NULL ? cases[i].args[1] : "",
                 cases[i].args[2] != NULL ? cases[i].args[2] : "", run.exit_status, run.out,
                 run.err);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* --check needs no display: make sure it has none. */
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

#define ADD(path, func) \
  g_test_add ("/check/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("all-up", test_all_up);
  ADD ("every-probe-failing", test_every_probe_failing);
  ADD ("advice-is-given", test_advice_is_given);
  ADD ("one-probe-failing", test_one_probe_failing);
  ADD ("flaky-probe-is-not-an-outage", test_flaky_probe_is_not_an_outage);
  ADD ("offline", test_offline);
  ADD ("captive-portal", test_captive_portal);
  ADD ("nothing-but-waits-is-unknown", test_nothing_but_waits_is_unknown);
  ADD ("official-major", test_official_major);
  ADD ("text-output", test_text_output);
  ADD ("fresh-install-mismatches", test_fresh_install_mismatches);
  ADD ("trust-from-the-history", test_trust_from_the_history);
  ADD ("lead-from-the-history", test_lead_from_the_history);
  ADD ("json-in-c-locale", test_json_in_c_locale);
  ADD ("hostile-text-output", test_hostile_text_output);
  ADD ("second-instance-with-options", test_second_instance_with_options);
  ADD ("malformed-service", test_malformed_service);
  ADD ("bad-options", test_bad_options);
  ADD ("bad-option-every-mode", test_bad_option_every_mode);
#undef ADD

  return g_test_run ();
}
