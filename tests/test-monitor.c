/* test-monitor.c: the check cycle against a local fake of Spotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "test-support.h"
#include "window-fixture.h"

/* What NetworkManager would say, set by the test. */
#define FAKE_TYPE_NETWORK_MONITOR (fake_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FakeNetworkMonitor, fake_network_monitor, FAKE, NETWORK_MONITOR, GObject)

struct _FakeNetworkMonitor
{
  GObject               parent_instance;
  GNetworkConnectivity  connectivity;
};

enum {
  NET_PROP_0,
  NET_PROP_AVAILABLE,
  NET_PROP_METERED,
  NET_PROP_CONNECTIVITY,
};

static void fake_network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void fake_network_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeNetworkMonitor, fake_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      fake_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      fake_network_monitor_iface_init))

static void
fake_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FakeNetworkMonitor *self = FAKE_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case NET_PROP_AVAILABLE:
      g_value_set_boolean (value, self->connectivity != G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    case NET_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case NET_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fake_network_monitor_class_init (FakeNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fake_network_monitor_get_property;
  g_object_class_override_property (object_class, NET_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NET_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, NET_PROP_CONNECTIVITY, "connectivity");
}

static void
fake_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
fake_network_monitor_initable_init (GInitableIface *iface)
{
}

static void
fake_network_monitor_init (FakeNetworkMonitor *self)
{
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

typedef struct
{
  MonitorFixture *parts;
  guint           report_changes;
  guint           level_changes;  /* to anything but operational */
} Fixture;

static void
on_report_changed (DownbeatMonitor *monitor,
                   GParamSpec      *pspec,
                   Fixture         *fixture)
{
  fixture->report_changes++;
}

static void
on_level_changed (DownbeatMonitor *monitor,
                  GParamSpec      *pspec,
                  Fixture         *fixture)
{
  if (downbeat_monitor_get_level (monitor) != DOWNBEAT_LEVEL_OPERATIONAL)
    fixture->level_changes++;
}


static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->parts = monitor_fixture_new (3);
  g_object_set (fixture->parts->monitor, "poll-interval", 60, "recheck-interval", 1, NULL);
  g_signal_connect (fixture->parts->monitor, "notify::report", G_CALLBACK (on_report_changed),
                    fixture);
  g_signal_connect (fixture->parts->monitor, "notify::level", G_CALLBACK (on_level_changed),
                    fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->parts, monitor_fixture_free);
}

typedef struct
{
  Fixture *fixture;
  guint    cycles;
} Cycles;

static gboolean
cycles_done (gpointer data)
{
  Cycles *wanted = data;

  return wanted->fixture->parts->checked >= wanted->cycles;
}

static void
wait_for_cycles (Fixture *fixture,
                 guint    cycles)
{
  Cycles wanted = { fixture, cycles };

  test_wait_until (cycles_done, &wanted, 60, "the check cycles");
}

static void
test_steady_cycle_uses_conditional_requests (Fixture       *fixture,
                                             gconstpointer  data)
{
  DownbeatReport *first, *second;
  const DownbeatOfficialStatus *page;

  downbeat_monitor_start (fixture->parts->monitor);
  g_assert_true (downbeat_monitor_get_checking (fixture->parts->monitor));
  wait_for_cycles (fixture, 1);
  first = downbeat_report_ref (downbeat_monitor_get_report (fixture->parts->monitor));
  g_assert_cmpint (first->level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (first->pending);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 60);

  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 2);
  second = downbeat_monitor_get_report (fixture->parts->monitor);

  /* The page answered 304 to the ETag it had sent: the same summary stays in force. */
  g_assert_cmpuint (fake_spotify_get_not_modified (fixture->parts->fake), ==, 1);
  page = g_ptr_array_index (second->official, 0);
  g_assert_nonnull (page->summary);
  g_assert_true (page->summary == ((DownbeatOfficialStatus *) g_ptr_array_index (first->official, 0))->summary);
  g_assert_cmpuint (second->wire_bytes, <, first->wire_bytes);

  /* Nothing changed but the time: the report is not notified again. */
  g_assert_cmpuint (fixture->report_changes, ==, 1);
  downbeat_report_unref (first);
}

static void
test_failure_is_rechecked_then_confirmed (Fixture       *fixture,
                                          gconstpointer  data)
{
  DownbeatReport *report;
  gint64 started;

  fake_spotify_set (fixture->parts->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "api", FAKE_FAIL);

  started = g_get_monotonic_time ();
  downbeat_monitor_start (fixture->parts->monitor);
  wait_for_cycles (fixture, 1);
  report = downbeat_monitor_get_report (fixture->parts->monitor);
  g_assert_cmpint (report->level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_true (report->pending);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 1);

  /* Rechecked at the recheck interval, not the poll interval: confirmed on the third. */
  wait_for_cycles (fixture, 3);
  report = downbeat_monitor_get_report (fixture->parts->monitor);
  g_assert_cmpint (report->level, ==, DOWNBEAT_LEVEL_OUTAGE);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==, DOWNBEAT_LEVEL_OUTAGE);
  g_assert_false (report->pending);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 60);

  /* The two that fail, confirmed and counted; no other. */
  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);
      gboolean failing = g_str_equal (status->name, "Access point list")
                         || g_str_equal (status->name, "Web API");

      g_assert_cmpint (status->confirmation.failing && status->confirmation.counts, ==, failing);
    }

  /* Back: one good attempt is not enough, two are. */
  fake_spotify_set_all (fixture->parts->fake, FAKE_OK);
  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 4);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==, DOWNBEAT_LEVEL_OUTAGE);
  wait_for_cycles (fixture, 5);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==,
                   DOWNBEAT_LEVEL_OPERATIONAL);
}

/* At shipped settings (60 s poll, 10 s recheck, 3 confirmations) a new failure is asked again
 * after 3 s, then at the recheck interval: an outage that begins just after a check is
 * confirmed 60 + 3 + 10 s later, not 80. */
static void
test_first_failure_is_rechecked_sooner (Fixture       *fixture,
                                        gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;

  g_object_set (monitor, "recheck-interval", 10, NULL);
  fake_spotify_set (fixture->parts->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "api", FAKE_FAIL);

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);
  g_assert_true (downbeat_monitor_get_report (monitor)->pending);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 3);

  wait_for_cycles (fixture, 2);
  g_assert_true (downbeat_monitor_get_report (monitor)->pending);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 10);
}

/* Requests that libsoup never completes, not even once cancelled, still end the cycle by
 * their deadline as timeouts, and the next cycle comes as scheduled: checking never stops. */
static void
test_lost_requests_do_not_stop_checking (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GProxyResolver) resolver = test_lost_request_resolver_new ();
  DownbeatMonitor *monitor = fixture->parts->monitor;
  const DownbeatProbeStatus *probe;
  DownbeatReport *report;

  g_object_set (fixture->parts->session, "proxy-resolver", resolver, NULL);
  g_object_set (monitor, "poll-interval", 1, NULL);

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 2);

  report = downbeat_monitor_get_report (monitor);
  probe = g_ptr_array_index (report->probes, 0);
  g_assert_cmpint (probe->result->failure, ==, DOWNBEAT_FAILURE_TIMEOUT);
  g_assert_cmpstr (probe->result->error, ==, "no answer within 2 seconds");
  g_assert_false (report->control->result->ok);
  g_assert_cmpint (report->level, ==, DOWNBEAT_LEVEL_OFFLINE);
  g_assert_cmpuint (downbeat_monitor_get_stalls (monitor), ==, 0);
}

static const DownbeatProbeStatus *
probe_status (Fixture    *fixture,
              const char *id)
{
  DownbeatReport *report = downbeat_monitor_get_report (fixture->parts->monitor);

  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);

      if (g_str_equal (status->id, id))
        return status;
    }
  g_assert_not_reached ();
}

/* A fresh install where two checks answer otherwise than expected (the Web API 404, the web
 * player 403) while Spotify is fine: nothing is wrong, and it is said why. */
static void
test_fresh_install_with_mismatching_checks (Fixture       *fixture,
                                            gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;
  DownbeatReport *report;

  fake_spotify_set (fixture->parts->fake, "api", FAKE_NOT_FOUND);
  fake_spotify_set (fixture->parts->fake, "player", FAKE_FORBIDDEN);
  g_object_set (monitor, "poll-interval", 1, NULL);

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 5);

  report = downbeat_monitor_get_report (monitor);
  g_assert_cmpint (report->level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (report->pending);
  g_assert_cmpuint (fixture->level_changes, ==, 0);
  g_assert_cmpint (probe_status (fixture, "web-api")->result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
  g_assert_false (probe_status (fixture, "web-api")->confirmation.proven);
  g_assert_true (probe_status (fixture, "access-points")->confirmation.proven);
  g_assert_true (g_strv_contains ((const char * const *) report->reasons,
                                  "Web API: not seen working from this computer yet (HTTP 404 Not Found)"
                                  " — this check may be outdated"));
}

/* Checks that worked here and then answer otherwise than expected: degraded at most, never
 * "Spotify is down" from mismatches alone. */
static void
test_proven_checks_that_mismatch (Fixture       *fixture,
                                  gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);

  fake_spotify_set (fixture->parts->fake, "ap", FAKE_NOT_FOUND);
  fake_spotify_set (fixture->parts->fake, "api", FAKE_NOT_FOUND);
  fake_spotify_set (fixture->parts->fake, "player", FAKE_FORBIDDEN);
  for (guint cycle = 2; cycle <= 6; cycle++)
    {
      downbeat_monitor_check_now (monitor);
      wait_for_cycles (fixture, cycle);
      g_assert_cmpint (downbeat_monitor_get_level (monitor), !=, DOWNBEAT_LEVEL_OUTAGE);
    }
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_DEGRADED);
}

/* A real outage on a fresh install, failures that look like Spotify failing: as fast as ever,
 * whatever is mismatching beside it. */
static void
test_fresh_install_real_outage (Fixture       *fixture,
                                gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;

  fake_spotify_set (fixture->parts->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "login", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "player", FAKE_FORBIDDEN);

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 3);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OUTAGE);
}

/* 429 is no result: the probe is left alone for as long as Retry-After says. */
static void
test_rate_limited_probe_waits (Fixture       *fixture,
                               gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;
  const DownbeatProbeStatus *ap;

  fake_spotify_set (fixture->parts->fake, "ap", FAKE_RATE_LIMITED);
  g_object_set (monitor, "poll-interval", 1, NULL);
  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 4);

  g_assert_cmpuint (fake_spotify_get_hits (fixture->parts->fake, "ap"), ==, 1);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (downbeat_monitor_get_report (monitor)->pending);
  ap = probe_status (fixture, "access-points");
  g_assert_cmpint (ap->result->outcome, ==, DOWNBEAT_OUTCOME_NO_RESULT);
  g_assert_true (g_str_has_prefix (ap->result->error, "HTTP 429, next try in "));
}

/* A developer service's failure is checked and shown, and counts only when watched. */
static void
test_developer_services (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MonitorFixture) parts = monitor_fixture_new_full (1, "web-api");
  MonitorFixture *listener = fixture->parts;

  fixture->parts = parts;
  fake_spotify_set (parts->fake, "api", FAKE_FAIL);
  downbeat_monitor_start (parts->monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpint (downbeat_monitor_get_level (parts->monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (probe_status (fixture, "web-api")->counted);
  g_assert_true (g_strv_contains ((const char * const *) downbeat_monitor_get_report (parts->monitor)->reasons,
                                  "Web API is not answering as it should: HTTP 503 Service Unavailable"
                                  " (developer service, not counted)"));

  /* Watched: decided again by the next check, which comes within 5 s. */
  g_object_set (parts->monitor, "watch-developer-services", TRUE, NULL);
  wait_for_cycles (fixture, 2);
  g_assert_cmpint (downbeat_monitor_get_level (parts->monitor), ==, DOWNBEAT_LEVEL_DEGRADED);
  g_assert_true (probe_status (fixture, "web-api")->counted);
  fixture->parts = listener;
}

/* What an earlier run learnt comes back; a changed definition must prove itself again. */
static void
test_trust_is_restored (Fixture       *fixture,
                        gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;
  const DownbeatProbeSpec *api = g_ptr_array_index (downbeat_service_get_probes (fixture->parts->service), 1);
  g_autoptr(GPtrArray) trusts = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_trust_free);
  DownbeatTrust *trust = g_new0 (DownbeatTrust, 1);
  DownbeatTrust *stale = g_new0 (DownbeatTrust, 1);

  trust->probe = g_strdup ("web-api");
  trust->fingerprint = g_strdup (api->fingerprint);
  g_ptr_array_add (trusts, trust);
  stale->probe = g_strdup ("web-player");
  stale->fingerprint = g_strdup ("an older definition");
  g_ptr_array_add (trusts, stale);
  downbeat_monitor_restore_trust (monitor, trusts);

  fake_spotify_set (fixture->parts->fake, "api", FAKE_NOT_FOUND);
  fake_spotify_set (fixture->parts->fake, "player", FAKE_FORBIDDEN);
  g_object_set (monitor, "poll-interval", 1, "confirmations", 1, NULL);
  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);

  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_DEGRADED);
  g_assert_true (probe_status (fixture, "web-api")->confirmation.counts);
  g_assert_false (probe_status (fixture, "web-player")->confirmation.proven);
}

static void
test_offline_backs_off (Fixture       *fixture,
                        gconstpointer  data)
{
  fake_spotify_set_all (fixture->parts->fake, FAKE_PORTAL);

  downbeat_monitor_start (fixture->parts->monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==,
                   DOWNBEAT_LEVEL_OFFLINE);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 10);

  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 2);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 20);
  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 3);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 40);
  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 4);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (fixture->parts->monitor), ==, 60);
}

static gboolean
gap_over (gpointer data)
{
  return g_get_monotonic_time () - *(gint64 *) data >= 5 * G_USEC_PER_SEC;
}

/* Check Now as any caller asks it (docs/design.md, "D-Bus"): requests while a cycle runs join
 * it; requests right after it ended make one cycle, once 5 s have passed since. */
static void
test_requests_are_bounded (Fixture       *fixture,
                           gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;
  gint64 ended_us;

  downbeat_monitor_start (monitor);
  for (guint i = 0; i < 100; i++)
    downbeat_monitor_request_check (monitor);
  wait_for_cycles (fixture, 1);
  ended_us = g_get_monotonic_time ();
  /* No cycle queued behind it: the next is the regular one. */
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 60);

  for (guint i = 0; i < 100; i++)
    downbeat_monitor_request_check (monitor);
  g_assert_false (downbeat_monitor_get_checking (monitor));
  wait_for_cycles (fixture, 2);
  /* A whole-second timer, which GLib may fire within the second before. */
  g_assert_cmpint (g_get_monotonic_time () - ended_us, >=, 4 * G_USEC_PER_SEC);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 60);
  g_assert_cmpuint (fake_spotify_get_hits (fixture->parts->fake, "ap"), ==, 2);

  /* Once the 5 s have passed, a request checks at once. */
  ended_us = g_get_monotonic_time ();
  test_wait_until (gap_over, &ended_us, 10, "the 5 s after the last check");
  downbeat_monitor_request_check (monitor);
  g_assert_true (downbeat_monitor_get_checking (monitor));
  wait_for_cycles (fixture, 3);
}

/* The developer services' setting, which any process can write, flipped 200 times: one check
 * decides again, as a Check Now would. */
static void
test_audience_flips_are_bounded (Fixture       *fixture,
                                 gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);
  for (guint i = 0; i < 200; i++)
    g_object_set (monitor, "watch-developer-services", i % 2 == 0, NULL);
  wait_for_cycles (fixture, 2);
  g_assert_false (downbeat_monitor_get_checking (monitor));
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 60);
  g_assert_cmpuint (fake_spotify_get_hits (fixture->parts->fake, "ap"), ==, 2);
}

static void
count_check (DownbeatMonitor *monitor,
             DownbeatReport  *report,
             MonitorFixture  *parts)
{
  parts->checked++;
}

/* The fixture's monitor, watching @network_monitor instead of nothing. */
static void
use_network_monitor (Fixture         *fixture,
                     GNetworkMonitor *network_monitor)
{
  MonitorFixture *parts = fixture->parts;

  g_clear_object (&parts->monitor);
  parts->monitor = downbeat_monitor_new (parts->service, parts->session, network_monitor);
  g_object_set (parts->monitor, "poll-interval", 60, "recheck-interval", 1, NULL);
  g_signal_connect (parts->monitor, "checked", G_CALLBACK (count_check), parts);
}

/* NetworkManager says LIMITED (its own check site did not answer) while the control does and
 * Spotify fails: that is Spotify down, not this computer offline. A portal is offline. */
static void
test_limited_connectivity_is_not_offline (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(FakeNetworkMonitor) network = g_object_new (FAKE_TYPE_NETWORK_MONITOR, NULL);

  network->connectivity = G_NETWORK_CONNECTIVITY_LIMITED;
  use_network_monitor (fixture, G_NETWORK_MONITOR (network));
  fake_spotify_set (fixture->parts->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "api", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "login", FAKE_FAIL);
  fake_spotify_set (fixture->parts->fake, "player", FAKE_FAIL);

  downbeat_monitor_start (fixture->parts->monitor);
  wait_for_cycles (fixture, 3);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==, DOWNBEAT_LEVEL_OUTAGE);

  network->connectivity = G_NETWORK_CONNECTIVITY_PORTAL;
  downbeat_monitor_check_now (fixture->parts->monitor);
  wait_for_cycles (fixture, 4);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->parts->monitor), ==, DOWNBEAT_LEVEL_OFFLINE);
}

static void
count_level (DownbeatMonitor *monitor,
             GParamSpec      *pspec,
             guint           *changes)
{
  (*changes)++;
}

/* A page whose indicator flips minor, none, minor… on each fetch: each answer alone would
 * raise an alarm and take it back. Two answers in a row must say a thing before it counts. */
static void
test_flipping_page_raises_nothing (Fixture       *fixture,
                                   gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;
  guint changes = 0;

  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);

  g_signal_connect (monitor, "notify::level", G_CALLBACK (count_level), &changes);
  fake_spotify_set (fixture->parts->fake, "summary", FAKE_FLIP);
  for (guint cycle = 2; cycle <= 8; cycle++)
    {
      downbeat_monitor_check_now (monitor);
      wait_for_cycles (fixture, cycle);
    }
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  /* The last answer said minor: the page is asked again at the recheck interval. */
  g_assert_true (downbeat_monitor_get_report (monitor)->pending);

  /* Said twice, it counts. */
  fake_spotify_set (fixture->parts->fake, "summary", FAKE_MAJOR);
  downbeat_monitor_check_now (monitor);
  wait_for_cycles (fixture, 9);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  downbeat_monitor_check_now (monitor);
  wait_for_cycles (fixture, 10);
  g_assert_cmpint (downbeat_monitor_get_level (monitor), ==, DOWNBEAT_LEVEL_OUTAGE);
  g_assert_cmpuint (changes, ==, 1);
  g_signal_handlers_disconnect_by_data (monitor, &changes);
}

typedef struct
{
  guint queued;
  guint most;
} Queue;

static void
on_queued (SoupSession *session,
           SoupMessage *msg,
           Queue       *queue)
{
  queue->most = MAX (queue->most, ++queue->queued);
}

static void
on_dequeued (SoupSession *session,
             SoupMessage *msg,
             Queue       *queue)
{
  queue->queued--;
}

/* The access points' handshake, chained to the list apresolve gives: signed right, it passes;
 * signed wrong, it is a mismatch, which makes no outage; with no list, it is not tried. */
static void
test_handshake_follows_the_listed_access_points (Fixture       *fixture,
                                                 gconstpointer  data)
{
  MonitorFixture *parts = fixture->parts;
  FakeAccessPoint *ap = fake_spotify_add_access_point (parts->fake);
  g_autofree char *json = fake_spotify_service_json (parts->fake);
  g_autoptr(GError) error = NULL;
  const DownbeatProbeStatus *status;

  g_clear_object (&parts->service);
  parts->service = downbeat_service_new_from_data (json, strlen (json), "handshake.json", &error);
  g_assert_no_error (error);
  use_network_monitor (fixture, NULL);

  downbeat_monitor_start (parts->monitor);
  wait_for_cycles (fixture, 1);
  status = probe_status (fixture, "streaming");
  g_assert_true (status->result->ok);
  g_assert_cmpint (status->result->outcome, ==, DOWNBEAT_OUTCOME_PASS);
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 1);
  g_assert_cmpint (downbeat_monitor_get_report (parts->monitor)->level, ==,
                   DOWNBEAT_LEVEL_OPERATIONAL);

  fake_access_point_set_mode (ap, FAKE_AP_FORGED);
  downbeat_monitor_check_now (parts->monitor);
  wait_for_cycles (fixture, 2);
  status = probe_status (fixture, "streaming");
  g_assert_cmpint (status->result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
  g_assert_cmpint (downbeat_monitor_get_report (parts->monitor)->level, !=,
                   DOWNBEAT_LEVEL_OUTAGE);

  fake_spotify_set (parts->fake, "ap", FAKE_FAIL);
  downbeat_monitor_check_now (parts->monitor);
  wait_for_cycles (fixture, 3);
  status = probe_status (fixture, "streaming");
  g_assert_cmpint (status->result->outcome, ==, DOWNBEAT_OUTCOME_NO_RESULT);
  g_assert_cmpstr (status->result->error, ==, "not tried: no access point was listed");
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 2);
}

/* The fixture's monitor, on the fake's definition with its probes replaced by @n copies of the
 * first. */
static void
use_many_probes (Fixture *fixture,
                 guint    n)
{
  MonitorFixture *parts = fixture->parts;
  g_autofree char *json = fake_spotify_service_json (parts->fake);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonArray *probes = json_object_get_array_member (json_node_get_object (root), "probes");
  JsonObject *first = json_array_get_object_element (probes, 0);
  g_autoptr(JsonArray) many = json_array_new ();
  g_autofree char *many_json = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *probe = json_object_new ();
      g_autofree char *id = g_strdup_printf ("ap-%u", i);

      json_object_set_string_member (probe, "id", id);
      json_object_set_string_member (probe, "name", id);
      json_object_set_string_member (probe, "url", json_object_get_string_member (first, "url"));
      json_array_add_object_element (many, probe);
    }
  json_object_set_array_member (json_node_get_object (root), "probes", json_array_ref (many));
  many_json = json_to_string (root, FALSE);

  g_clear_object (&parts->service);
  parts->service = downbeat_service_new_from_data (many_json, strlen (many_json), "many.json",
                                                   &error);
  g_assert_no_error (error);
  use_network_monitor (fixture, NULL);
}

/* A definition of many probes: libsoup is handed a few dozen requests at a time, never the
 * lot (its queue is walked whenever it changes, so thousands at once took minutes of CPU),
 * and the cycle still answers every one. */
static void
test_many_probes_are_sent_a_few_at_a_time (Fixture       *fixture,
                                           gconstpointer  data)
{
  const guint n = 300;
  MonitorFixture *parts = fixture->parts;
  Queue queue = { 0 };
  DownbeatReport *report;

  use_many_probes (fixture, n);
  g_signal_connect (parts->session, "request-queued", G_CALLBACK (on_queued), &queue);
  g_signal_connect (parts->session, "request-unqueued", G_CALLBACK (on_dequeued), &queue);

  downbeat_monitor_start (parts->monitor);
  wait_for_cycles (fixture, 1);

  report = downbeat_monitor_get_report (parts->monitor);
  g_assert_cmpint (report->level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_cmpuint (report->probes->len, ==, n);
  g_assert_cmpuint (fake_spotify_get_hits (parts->fake, "ap"), ==, n);
  g_assert_cmpuint (queue.most, <, n / 2);
  g_signal_handlers_disconnect_by_data (parts->session, &queue);
}

static gboolean
ap_was_asked (gpointer fake)
{
  return fake_spotify_get_hits (fake, "ap") > 0;
}

static void
on_unqueued (SoupSession *session,
             SoupMessage *msg,
             gpointer     data)
{
  gboolean *ap_unqueued = data;

  if (g_str_equal (g_uri_get_path (soup_message_get_uri (msg)), "/ap"))
    *ap_unqueued = TRUE;
}

/* A request that hangs is given up as the monitor goes: libsoup lets go of it at once (long
 * before its 2 s timeout would), and nothing of the cycle is heard of. */
static void
test_dispose_cancels_in_flight (Fixture       *fixture,
                                gconstpointer  data)
{
  gboolean ap_unqueued = FALSE;

  fake_spotify_set (fixture->parts->fake, "ap", FAKE_HANG);
  g_signal_connect (fixture->parts->session, "request-unqueued", G_CALLBACK (on_unqueued),
                    &ap_unqueued);

  downbeat_monitor_start (fixture->parts->monitor);
  test_wait_until (ap_was_asked, fixture->parts->fake, 30, "the request to the access points");
  g_assert_false (ap_unqueued);

  g_clear_object (&fixture->parts->monitor);
  test_wait_until (test_flag_is_set, &ap_unqueued, 1, "the hung request given up");
  g_assert_cmpuint (fixture->parts->checked, ==, 0);

  g_signal_handlers_disconnect_by_data (fixture->parts->session, &ap_unqueued);
}

/* The safety nets of docs/design.md, "Checking never stops", each made to act. */

static void
count_ended_without (const char     *domain,
                     GLogLevelFlags  level,
                     const char     *message,
                     gpointer        user_data)
{
  guint *ended_without = user_data;

  if (strstr (message, "it ends without them") != NULL)
    (*ended_without)++;
  g_log_default_handler (domain, level, message, NULL);
}

/* A cycle that would outlive its deadline ends by it: 300 probes whose requests libsoup never
 * completes time out 10 s at a time, 32 at once, so most are still unsent when the cycle's 15 s
 * (the longest timeout plus 5) are up. They count as timeouts, the fact is logged, and the
 * cycle ends then, not some 100 s in, when the last would have timed out. */
static void
test_cycle_ends_by_its_deadline (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GProxyResolver) resolver = test_lost_request_resolver_new ();
  MonitorFixture *parts = fixture->parts;
  const DownbeatProbeStatus *last;
  DownbeatReport *report;
  guint ended_without = 0;
  guint handler;
  gint64 started_us;
  double took_s;

  use_many_probes (fixture, 300);
  g_object_set (parts->session, "proxy-resolver", resolver, NULL);
  handler = g_log_set_handler ("downbeat-monitor", G_LOG_LEVEL_MESSAGE, count_ended_without,
                               &ended_without);

  started_us = g_get_monotonic_time ();
  downbeat_monitor_start (parts->monitor);
  wait_for_cycles (fixture, 1);
  took_s = (g_get_monotonic_time () - started_us) / (double) G_USEC_PER_SEC;
  g_log_remove_handler ("downbeat-monitor", handler);

  report = downbeat_monitor_get_report (parts->monitor);
  last = g_ptr_array_index (report->probes, report->probes->len - 1);
  g_assert_cmpuint (ended_without, ==, 1);
  g_assert_cmpfloat (took_s, >=, 14);
  g_assert_cmpfloat (took_s, <, 17);
  g_assert_cmpint (last->result->failure, ==, DOWNBEAT_FAILURE_TIMEOUT);
  g_assert_cmpstr (last->result->error, ==, "no answer within 10 seconds");
  g_assert_cmpuint (downbeat_monitor_get_stalls (parts->monitor), ==, 0);
}

/* No check started for a poll interval plus the longest a check may take (1 + 15 + 5 s here),
 * as when the main loop was held that long: the watchdog says so, counts a stall and starts a
 * check at once, before the timer that was due. */
static void
test_watchdog_starts_a_late_check (Fixture       *fixture,
                                   gconstpointer  data)
{
  DownbeatMonitor *monitor = fixture->parts->monitor;

  g_object_set (monitor, "poll-interval", 1, NULL);
  downbeat_monitor_start (monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpuint (downbeat_monitor_get_stalls (monitor), ==, 0);

  /* The fault itself, not a wait: the main loop held past the watchdog's 21 s. */
  g_usleep (23 * G_USEC_PER_SEC);
  g_test_expect_message ("downbeat-monitor", G_LOG_LEVEL_WARNING,
                         "No check started for 21 s; starting one now");
  wait_for_cycles (fixture, 2);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (downbeat_monitor_get_stalls (monitor), ==, 1);
}

static gboolean
is_checking (gpointer monitor)
{
  return downbeat_monitor_get_checking (monitor);
}

/* Check Now pressed while a check runs, three times: one more check right after it. A request
 * from the bus or the tray while a check runs joins it instead. */
static void
test_check_now_during_a_check (Fixture       *fixture,
                               gconstpointer  data)
{
  MonitorFixture *parts = fixture->parts;
  DownbeatMonitor *monitor = parts->monitor;

  g_object_set (monitor, "poll-interval", 3600, NULL);
  fake_spotify_set_slow_ms (parts->fake, 300);
  fake_spotify_set (parts->fake, "ap", FAKE_SLOW);

  downbeat_monitor_start (monitor);
  for (guint i = 0; i < 3; i++)
    downbeat_monitor_check_now (monitor);
  wait_for_cycles (fixture, 1);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 0);

  test_wait_until (is_checking, monitor, 10, "the check asked for during the first");
  downbeat_monitor_request_check (monitor);
  wait_for_cycles (fixture, 2);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (monitor), ==, 3600);
  g_assert_false (downbeat_monitor_get_checking (monitor));
  g_assert_cmpuint (fake_spotify_get_hits (parts->fake, "ap"), ==, 2);
}

/* The network changes while a check runs, in a burst of signals: once it has settled, one
 * check of the new network follows, not a poll interval later. */
static void
test_network_change_during_a_check (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(FakeNetworkMonitor) network = g_object_new (FAKE_TYPE_NETWORK_MONITOR, NULL);
  MonitorFixture *parts = fixture->parts;

  use_network_monitor (fixture, G_NETWORK_MONITOR (network));
  g_object_set (parts->monitor, "poll-interval", 3600, NULL);
  /* The control answers after the settling second: the change comes mid-cycle. */
  fake_spotify_set_slow_ms (parts->fake, 1500);
  fake_spotify_set (parts->fake, "control", FAKE_SLOW);

  downbeat_monitor_start (parts->monitor);
  for (guint i = 0; i < 5; i++)
    g_signal_emit_by_name (network, "network-changed", TRUE);
  wait_for_cycles (fixture, 2);
  g_assert_cmpuint (downbeat_monitor_get_next_delay (parts->monitor), ==, 3600);
  g_assert_false (downbeat_monitor_get_checking (parts->monitor));
  g_assert_cmpuint (fake_spotify_get_hits (parts->fake, "ap"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/monitor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("steady-cycle-uses-conditional-requests", test_steady_cycle_uses_conditional_requests);
  ADD ("failure-is-rechecked-then-confirmed", test_failure_is_rechecked_then_confirmed);
  ADD ("first-failure-is-rechecked-sooner", test_first_failure_is_rechecked_sooner);
  ADD ("offline-backs-off", test_offline_backs_off);
  ADD ("lost-requests-do-not-stop-checking", test_lost_requests_do_not_stop_checking);
  ADD ("fresh-install-with-mismatching-checks", test_fresh_install_with_mismatching_checks);
  ADD ("proven-checks-that-mismatch", test_proven_checks_that_mismatch);
  ADD ("fresh-install-real-outage", test_fresh_install_real_outage);
  ADD ("rate-limited-probe-waits", test_rate_limited_probe_waits);
  ADD ("developer-services", test_developer_services);
  ADD ("trust-is-restored", test_trust_is_restored);
  ADD ("dispose-cancels-in-flight", test_dispose_cancels_in_flight);
  ADD ("limited-connectivity-is-not-offline", test_limited_connectivity_is_not_offline);
  ADD ("flipping-page-raises-nothing", test_flipping_page_raises_nothing);
  ADD ("many-probes-are-sent-a-few-at-a-time", test_many_probes_are_sent_a_few_at_a_time);
  ADD ("requests-are-bounded", test_requests_are_bounded);
  ADD ("audience-flips-are-bounded", test_audience_flips_are_bounded);
  ADD ("cycle-ends-by-its-deadline", test_cycle_ends_by_its_deadline);
  ADD ("watchdog-starts-a-late-check", test_watchdog_starts_a_late_check);
  ADD ("check-now-during-a-check", test_check_now_during_a_check);
  ADD ("network-change-during-a-check", test_network_change_during_a_check);
  ADD ("handshake-follows-the-listed-access-points",
       test_handshake_follows_the_listed_access_points);
#undef ADD

  return g_test_run ();
}
