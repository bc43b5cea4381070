/* test-monitor.c: the check cycle against a local fake of Spotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "test-support.h"
#include "window-fixture.h"

typedef struct
{
  MonitorFixture *parts;
  guint           report_changes;
} Fixture;

static void
on_report_changed (DownbeatMonitor *monitor,
                   GParamSpec      *pspec,
                   Fixture         *fixture)
{
  fixture->report_changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->parts = monitor_fixture_new (3);
  g_object_set (fixture->parts->monitor, "poll-interval", 60, "recheck-interval", 1, NULL);
  g_signal_connect (fixture->parts->monitor, "notify::report", G_CALLBACK (on_report_changed),
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

  {
    g_autoptr(GPtrArray) names = downbeat_report_dup_failing_names (report);
    g_assert_cmpuint (names->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Access points");
    g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "Web API");
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

static void
test_dispose_cancels_in_flight (Fixture       *fixture,
                                gconstpointer  data)
{
  fake_spotify_set (fixture->parts->fake, "ap", FAKE_HANG);

  downbeat_monitor_start (fixture->parts->monitor);
  while (fake_spotify_get_hits (fixture->parts->fake, "ap") == 0)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&fixture->parts->monitor);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (fixture->parts->checked, ==, 0);
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
  ADD ("offline-backs-off", test_offline_backs_off);
  ADD ("lost-requests-do-not-stop-checking", test_lost_requests_do_not_stop_checking);
  ADD ("dispose-cancels-in-flight", test_dispose_cancels_in_flight);
#undef ADD

  return g_test_run ();
}
