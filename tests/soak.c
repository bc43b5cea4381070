/* soak.c: thousands of check cycles against a fake with random outages and random flapping
 *
 * Usage: soak [CYCLES]   (default 10000; run on a session bus: dbus-run-session -- soak)
 * The monitor, the notifier (to python-dbusmock's notification daemon) and the history run as
 * in the app, cycle after cycle with no wait in between. Prints the figures; fails when the
 * memory held in live allocations, SQLite's page cache aside, grows by more than 16 bytes a
 * cycle after warm-up (downbeat-memory.c: what a leak grows), when the descriptors held grow, when
 * a scripted outage or recovery is not notified exactly once, or when anything else is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "downbeat-memory.h"
#include "downbeat-notifier.h"
#include "test-support.h"
#include "window-fixture.h"

#define WARM_UP 5000
#define SPAN 250

typedef enum { UP, FLAPPING, DOWN } Phase;

typedef struct
{
  MonitorFixture   *parts;      /* the fake and the monitor of it */
  DownbeatNotifier *notifier;
  DownbeatHistory  *history;
  GRand            *rand;
  GMainLoop        *loop;
  GDBusConnection  *bus;
  guint             cycles;
  guint             target;
  Phase             phase;
  guint             phase_left;
  guint             outages;
  /* Memory in live allocations outside SQLite's page cache (bounded by its size), the least
   * over the SPAN cycles after warm-up and over the last SPAN: what is in flight as one cycle
   * ends, a connection or an answer, is not in all of them; a leak is. */
  gsize             warm_held;
  gsize             end_held;
  gsize             sqlite_held;
  /* The same for file descriptors: a synchronous D-Bus call in flight on another thread (the
   * notifications' courier asking the server) holds an eventfd of its own for a moment. */
  guint             warm_fds;
  guint             end_fds;
} Soak;

static const char * const probes[] = { "ap", "api", "login", "player" };

static guint
open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static void
set_probes (Soak     *soak,
            FakeMode  mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    fake_spotify_set (soak->parts->fake, probes[i], mode);
}

/* The script: up, sometimes flapping, sometimes down, always back up after an outage. */
static void
next_phase (Soak *soak)
{
  double dice = g_rand_double (soak->rand);

  if (soak->phase == DOWN || dice < 0.4)
    {
      soak->phase = UP;
      soak->phase_left = g_rand_int_range (soak->rand, 20, 80);
      set_probes (soak, FAKE_OK);
    }
  else if (dice < 0.7)
    {
      soak->phase = FLAPPING;
      soak->phase_left = g_rand_int_range (soak->rand, 20, 80);
      set_probes (soak, FAKE_FLAKY);
    }
  else
    {
      soak->phase = DOWN;
      soak->phase_left = g_rand_int_range (soak->rand, 8, 30);
      soak->outages++;
      set_probes (soak, FAKE_FAIL);
    }
}

static gboolean
check_again (gpointer user_data)
{
  Soak *soak = user_data;

  downbeat_monitor_check_now (soak->parts->monitor);
  return G_SOURCE_REMOVE;
}

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            Soak            *soak)
{
  gsize held;

  downbeat_history_record (soak->history, report);
  soak->cycles++;

  soak->sqlite_held = sqlite3_memory_used ();
  held = downbeat_memory_in_use () - soak->sqlite_held;
  if (soak->cycles >= WARM_UP && soak->cycles < WARM_UP + SPAN)
    soak->warm_held = MIN (soak->warm_held, held);
  if (soak->cycles + SPAN > soak->target)
    soak->end_held = MIN (soak->end_held, held);
  if (soak->cycles >= WARM_UP && soak->cycles < WARM_UP + SPAN)
    soak->warm_fds = MIN (soak->warm_fds, open_fds ());
  if (soak->cycles + SPAN > soak->target)
    soak->end_fds = MIN (soak->end_fds, open_fds ());

  /* Ends only well into an up phase, so that the last recovery has been said. */
  if (soak->cycles >= soak->target && soak->phase == UP && soak->phase_left < 15)
    {
      g_main_loop_quit (soak->loop);
      return;
    }

  if (soak->phase_left-- == 0)
    next_phase (soak);
  g_idle_add (check_again, soak);
}

static void
on_report (Soak *soak)
{
  DownbeatReport *report = downbeat_monitor_get_report (soak->parts->monitor);

  if (report != NULL)
    downbeat_notifier_update (soak->notifier, report);
}

static GPtrArray *
notified_summaries (GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) calls = NULL;
  GPtrArray *summaries = g_ptr_array_new_with_free_func (g_free);
  const char *method;
  GVariant *args;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.DBus.Mock", "GetCalls", NULL,
                                       G_VARIANT_TYPE ("(a(tsav))"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  if (reply == NULL)
    g_error ("%s", error->message);

  g_variant_get (reply, "(a(tsav))", &calls);
  while (g_variant_iter_next (calls, "(t&s@av)", NULL, &method, &args))
    {
      if (g_str_equal (method, "Notify"))
        {
          g_autoptr(GVariant) summary = g_variant_get_child_value (args, 3);
          g_autoptr(GVariant) text = g_variant_get_variant (summary);

          g_ptr_array_add (summaries, g_variant_dup_string (text, NULL));
        }
      g_variant_unref (args);
    }

  return summaries;
}

/* For test_wait_until(): every scripted outage and recovery has reached the server. */
static gboolean
all_notified (gpointer data)
{
  Soak *soak = data;
  g_autoptr(GPtrArray) summaries = notified_summaries (soak->bus);

  return summaries->len >= 2 * soak->outages;
}

static GSubprocess *
start_notification_daemon (void)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                          "/usr/bin/python3", "-m", "dbusmock", "--template",
                                          "notification_daemon", "--parameters",
                                          "{\"capabilities\": \"body actions\"}", NULL);

  if (daemon == NULL)
    g_error ("%s", error->message);
  bus_fixture_wait_for_name ("org.freedesktop.Notifications");
  return daemon;
}

int
main (int   argc,
      char *argv[])
{
  Soak soak = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr(GPtrArray) summaries = NULL;
  g_autofree char *directory = g_dir_make_tmp ("downbeat-soak-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "history.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  guint downs = 0, backs = 0, false_alarms = 0;
  gint64 began;
  double grown;
  double seconds;
  gboolean ok;

  if (bus == NULL)
    g_error ("No session bus (run under dbus-run-session): %s", error->message);

  soak.target = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  soak.target = MAX (soak.target, WARM_UP + 500);
  soak.warm_held = soak.end_held = G_MAXSIZE;
  soak.warm_fds = soak.end_fds = G_MAXUINT;
  soak.rand = g_rand_new_with_seed (argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 2026);
  soak.loop = g_main_loop_new (NULL, FALSE);
  daemon = start_notification_daemon ();

  /* The app's three confirmations: flapping must never be confirmed. */
  soak.parts = monitor_fixture_new (3);
  soak.notifier = downbeat_notifier_new (G_ACTION_GROUP (actions));
  soak.history = downbeat_history_new (path);
  soak.phase = UP;
  soak.phase_left = 30;

  g_signal_connect (soak.parts->monitor, "checked", G_CALLBACK (on_checked), &soak);
  g_signal_connect_swapped (soak.parts->monitor, "notify::report", G_CALLBACK (on_report), &soak);

  began = g_get_monotonic_time ();
  downbeat_monitor_start (soak.parts->monitor);
  g_main_loop_run (soak.loop);
  seconds = (g_get_monotonic_time () - began) / 1e6;

  /* Notifications are delivered from a thread of their own: the last ones land a little later. */
  soak.bus = bus;
  test_wait_until (all_notified, &soak, 10, "every outage and recovery notified");

  summaries = notified_summaries (bus);
  for (guint i = 0; i < summaries->len; i++)
    {
      const char *summary = g_ptr_array_index (summaries, i);

      if (g_str_equal (summary, "Spotify is down"))
        downs++;
      else if (g_str_equal (summary, "Spotify is back"))
        backs++;
      else
        false_alarms++;
    }

  g_print ("cycles:                   %u in %.1f s (%.2f ms a cycle)\n",
           soak.cycles, seconds, seconds * 1000 / soak.cycles);
  g_print ("scripted outages:         %u\n", soak.outages);
  g_print ("\"Spotify is down\":        %u\n", downs);
  g_print ("\"Spotify is back\":        %u\n", backs);
  g_print ("other notifications:      %u   (false alarms; goal 0)\n", false_alarms);
  grown = ((double) soak.end_held - (double) soak.warm_held) / (soak.cycles - WARM_UP);
  g_print ("memory in use:            %.2f MiB after %u cycles, %.2f MiB at the end, SQLite's "
           "%.2f MiB aside: %+.1f bytes a cycle   (goal <= 4)\n",
           soak.warm_held / 1048576.0, WARM_UP, soak.end_held / 1048576.0,
           soak.sqlite_held / 1048576.0, grown);
  g_print ("open file descriptors:    %u after warm-up, %u at the end (the least of %u cycles)\n",
           soak.warm_fds, soak.end_fds, SPAN);

  ok = downs == soak.outages && backs == soak.outages && false_alarms == 0
       && soak.end_fds <= soak.warm_fds;
  ok = ok && grown <= 4;
  g_print ("%s\n", ok ? "ok" : "FAILED");

  g_clear_pointer (&soak.parts, monitor_fixture_free);
  g_clear_object (&soak.notifier);
  g_clear_object (&soak.history);
  g_clear_pointer (&soak.rand, g_rand_free);
  g_clear_pointer (&soak.loop, g_main_loop_unref);
  g_subprocess_force_exit (daemon);
  if (system (command) != 0)
    return 1;
  return ok ? 0 : 1;
}
