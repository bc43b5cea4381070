/* window-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "test-support.h"
#include "window-fixture.h"

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            MonitorFixture  *fixture)
{
  fixture->checked++;
}

/* @confirmations: 1 for a window that shows a failure at once, 3 as the app has it */
MonitorFixture *
monitor_fixture_new (guint confirmations)
{
  return monitor_fixture_new_full (confirmations, NULL);
}

static void
fixture_start (MonitorFixture *fixture,
               const char     *json,
               guint           confirmations)
{
  g_autoptr(GError) error = NULL;

  fixture->service = downbeat_service_new_from_data (json, strlen (json), "fake.json", &error);
  g_assert_no_error (error);
  fixture->session = downbeat_fetch_session_new ();
  fixture->monitor = downbeat_monitor_new (fixture->service, fixture->session, NULL);
  g_object_set (fixture->monitor, "confirmations", confirmations, NULL);
  g_signal_connect (fixture->monitor, "checked", G_CALLBACK (on_checked), fixture);
}

/* As monitor_fixture_new(), the fake with an access point and the definition a handshake. */
MonitorFixture *
monitor_fixture_new_access_point (guint confirmations)
{
  MonitorFixture *fixture = g_new0 (MonitorFixture, 1);
  g_autofree char *json = NULL;

  fixture->fake = fake_spotify_new ();
  fake_spotify_add_access_point (fixture->fake);
  json = fake_spotify_service_json (fixture->fake);
  fixture_start (fixture, json, confirmations);
  return fixture;
}

/* @developers: (nullable): the id of a probe of the fake's definition to make a developer
 * service's, as the built-in definition's Web API is */
MonitorFixture *
monitor_fixture_new_full (guint       confirmations,
                          const char *developers)
{
  MonitorFixture *fixture = g_new0 (MonitorFixture, 1);
  g_autofree char *json = NULL;

  fixture->fake = fake_spotify_new ();
  json = fake_spotify_service_json (fixture->fake);
  if (developers != NULL)
    {
      g_autofree char *id = g_strdup_printf ("\"id\":\"%s\",", developers);
      g_autofree char *tagged = g_strdup_printf ("%s\"audience\":\"developers\",", id);
      g_auto(GStrv) parts = g_strsplit (json, id, 2);

      g_assert_nonnull (parts[1]);
      g_free (json);
      json = g_strjoin (tagged, parts[0], parts[1], NULL);
    }
  fixture_start (fixture, json, confirmations);

  return fixture;
}

static void
serve_page (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  MonitorFixture *fixture = user_data;
  gsize size;
  gconstpointer data = g_bytes_get_data (fixture->page, &size);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, size);
}

/* As monitor_fixture_new(), with a status page of its own on 127.0.0.1 that answers @summary
 * with 200 and no validator: every check fetches and reads it again, as a fresh page. */
MonitorFixture *
monitor_fixture_new_page (guint   confirmations,
                          GBytes *summary)
{
  MonitorFixture *fixture = g_new0 (MonitorFixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree char *fake_summary = NULL;
  g_autofree char *page_summary = NULL;
  g_autofree char *service = NULL;
  GSList *uris;

  fixture->fake = fake_spotify_new ();
  fixture->page = g_bytes_ref (summary);
  fixture->page_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->page_server, "/summary", serve_page, fixture, NULL);
  soup_server_listen_local (fixture->page_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->page_server);
  page_summary = g_strdup_printf ("http://127.0.0.1:%d/summary", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fake_summary = g_strdup_printf ("http://127.0.0.1:%u/summary",
                                  fake_spotify_get_port (fixture->fake));
  service = fake_spotify_service_json (fixture->fake);
  json = g_string_new (service);
  g_assert_cmpuint (g_string_replace (json, fake_summary, page_summary, 1), ==, 1);
  fixture_start (fixture, json->str, confirmations);

  return fixture;
}

/* What the page of monitor_fixture_new_page() answers from the next check on. */
void
monitor_fixture_set_page (MonitorFixture *fixture,
                          GBytes         *summary)
{
  g_assert_nonnull (fixture->page_server);
  g_bytes_unref (fixture->page);
  fixture->page = g_bytes_ref (summary);
}

/* A summary.json as a page in deep trouble writes it: @components in a major outage, and
 * @incidents going on, each with a link. Under the fetch's 1 MiB: 10,000 components, or 5,000
 * incidents. */
GBytes *
page_fixture_summary (guint components,
                      guint incidents)
{
  GString *json = g_string_new ("{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
                                "\"status\":{\"indicator\":\"critical\","
                                "\"description\":\"Major System Outage\"},\"components\":[");

  for (guint i = 0; i < components; i++)
    g_string_append_printf (json, "%s{\"id\":\"c%u\",\"name\":\"Component %u\","
                            "\"status\":\"major_outage\"}", i > 0 ? "," : "", i, i);
  g_string_append (json, "],\"incidents\":[");
  for (guint i = 0; i < incidents; i++)
    g_string_append_printf (json, "%s{\"id\":\"i%u\",\"name\":\"Incident %u\","
                            "\"status\":\"investigating\",\"impact\":\"critical\","
                            "\"shortlink\":\"https://stspg.example/i%u\"}",
                            i > 0 ? "," : "", i, i, i);
  g_string_append (json, "],\"scheduled_maintenances\":[]}");
  return g_string_free_to_bytes (json);
}

static void
record (DownbeatMonitor *monitor,
        DownbeatReport  *report,
        DownbeatHistory *history)
{
  downbeat_history_record (history, report);
}

/* As the application does: every cycle into the history, before anyone else hears of it.
 * Call before the window is built. */
void
monitor_fixture_record_to (MonitorFixture  *fixture,
                           DownbeatHistory *history)
{
  g_signal_connect_object (fixture->monitor, "checked", G_CALLBACK (record), history, 0);
}

/* Starts the monitor, or checks again, and runs the main loop until that cycle is done. */
void
monitor_fixture_next_check (MonitorFixture *fixture)
{
  guint before = fixture->checked;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (before == 0)
    downbeat_monitor_start (fixture->monitor);
  else
    downbeat_monitor_check_now (fixture->monitor);
  while (fixture->checked == before)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited 60 s in vain for a check");
      g_main_context_iteration (NULL, TRUE);
    }
}

void
monitor_fixture_free (MonitorFixture *fixture)
{
  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->service);
  g_clear_pointer (&fixture->fake, fake_spotify_free);
  g_clear_object (&fixture->page_server);
  g_clear_pointer (&fixture->page, g_bytes_unref);
  g_free (fixture);
}

/* The ids of tests/fake-spotify.c's service definition. */
static const char * const probe_ids[] = { "access-points", "web-api", "login", "web-player" };

/* A check every @step seconds over the @span seconds before @now: answer times that swing with
 * the day, and a 40-minute outage six hours ago in which login and the Web API fail, noticed
 * here at once and acknowledged by Spotify's page 14 minutes later. */
void
history_fixture_fill (DownbeatHistory *history,
                      GDateTime       *now,
                      gint64           span,
                      gint64           step)
{
  gint64 end = g_date_time_to_unix (now) - 60;
  gint64 start = end - span;
  gint64 outage_start = end - 6 * 60 * 60;
  gint64 outage_end = outage_start + 40 * 60;

  for (gint64 at = start; at < end; at += step)
    {
      g_autoptr(DownbeatReport) report = downbeat_report_new ();
      gboolean down = at >= outage_start && at < outage_end;

      report->level = down ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL;
      report->service_name = g_strdup ("Spotify");
      report->checked_at = g_date_time_new_from_unix_utc (at);
      if (down)
        report->noticed_at = g_date_time_new_from_unix_utc (outage_start);
      if (down && at >= outage_start + 14 * 60)
        report->acknowledged_at = g_date_time_new_from_unix_utc (outage_start + 14 * 60);

      for (guint i = 0; i < G_N_ELEMENTS (probe_ids); i++)
        {
          DownbeatProbeSpec spec = { .id = (char *) probe_ids[i], .name = (char *) probe_ids[i] };
          DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);
          double swing = sin ((at - start) / 86400.0 * 2 * G_PI + i);

          status->result = g_new0 (DownbeatProbeResult, 1);
          status->result->ok = !(down && (i == 1 || i == 2));
          status->result->http_status = status->result->ok ? 200 : 503;
          status->result->latency_ms = 90 + 40 * i + 35 * swing + (at / 60 * 7919 % 23)
                                       + (down ? 250 : 0);
          g_ptr_array_add (report->probes, status);
        }

      downbeat_history_record (history, report);
    }
}

/* A check a minute over the 24 hours before @now, as history_fixture_fill() says. */
void
history_fixture_fill_day (DownbeatHistory *history,
                          GDateTime       *now)
{
  history_fixture_fill (history, now, 24 * 60 * 60, 60);
}

static void
on_name_appeared (GDBusConnection *bus,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs the main loop until @name has an owner on the session bus: a mock started as a
 * subprocess is ready. */
void
bus_fixture_wait_for_name (const char *name)
{
  gboolean appeared = FALSE;
  guint watch = g_bus_watch_name (G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                  on_name_appeared, NULL, &appeared, NULL);

  test_wait_until (test_flag_is_set, &appeared, 30, name);
  g_bus_unwatch_name (watch);
}
