/* test-window.c: the status window, built from a real monitor, under a real X server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "downbeat-incident-row.h"
#include "downbeat-preferences.h"
#include "downbeat-probe-row.h"
#include "downbeat-window-private.h"
#include "downbeat-words.h"
#include "test-support.h"
#include "window-fixture.h"

typedef gboolean (*Match) (GtkWidget     *widget,
                           gconstpointer  data);

/* The first widget under @widget, itself included, that @match accepts. */
static GtkWidget *
find_widget (GtkWidget     *widget,
             Match          match,
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_widget (l->data, match, data);
          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* A link offered: shown, whatever rows keep hidden for want of one. */
static const char *
offered_link (GtkWidget *widget)
{
  if (!GTK_IS_LINK_BUTTON (widget) || !gtk_widget_is_visible (widget))
    return NULL;
  return gtk_link_button_get_uri (GTK_LINK_BUTTON (widget));
}

static gboolean
link_is (GtkWidget     *widget,
         gconstpointer  uri)
{
  return g_strcmp0 (offered_link (widget), uri) == 0;
}

static gboolean
link_has_scheme (GtkWidget     *widget,
                 gconstpointer  scheme)
{
  const char *uri = offered_link (widget);

  return uri != NULL && g_str_has_prefix (uri, scheme);
}

static gboolean
accessible_name_is (GtkWidget     *widget,
                    gconstpointer  name)
{
  return g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), name) == 0;
}

static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  return GTK_LABEL (find_widget (widget, label_contains, text));
}

/* A history in a folder of its own, which goes with it. */
typedef struct
{
  char            *directory;
  DownbeatHistory *history;
} ScratchHistory;

static DownbeatHistory *
scratch_history_init (ScratchHistory *scratch)
{
  g_autofree char *path = NULL;

  scratch->directory = g_dir_make_tmp ("downbeat-window-XXXXXX", NULL);
  g_assert_nonnull (scratch->directory);
  path = g_build_filename (scratch->directory, "history.db", NULL);
  scratch->history = downbeat_history_new (path);
  return scratch->history;
}

static void
scratch_history_clear (ScratchHistory *scratch)
{
  g_autofree char *command = NULL;

  g_clear_object (&scratch->history);
  if (scratch->directory == NULL)
    return;
  command = g_strdup_printf ("rm -rf '%s'", scratch->directory);
  g_assert_cmpint (system (command), ==, 0);
  g_clear_pointer (&scratch->directory, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScratchHistory, scratch_history_clear)

static gboolean
history_is_shown (gpointer window)
{
  return !downbeat_window_is_reading_history (window);
}

/* A check, and the window showing what the history says after it: it reads on a worker. */
static void
check_and_wait (MonitorFixture *fixture,
                GtkWidget      *window)
{
  monitor_fixture_next_check (fixture);
  test_wait_until (history_is_shown, window, 30, "the history read");
}

static void
test_shows_level_and_reasons (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  GtkWidget *window;

  fake_spotify_set (fixture->fake, "ap", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "api", FAKE_FAIL);

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  g_assert_nonnull (find_label_containing (window, "first check is running"));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);

  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  g_assert_nonnull (find_label_containing (window, "Access point list is not answering as it should: "
                                                   "HTTP 503 Service Unavailable"));
  g_assert_nonnull (find_label_containing (window, "Web API is not answering"));
  g_assert_nonnull (find_label_containing (window, "Last checked at"));

  gtk_widget_destroy (window);
}

static void
test_detail_shows_everything (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_auto (ScratchHistory) scratch = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DownbeatHistory *history = scratch_history_init (&scratch);
  GtkWidget *window;
  GtkLabel *incident;

  history_fixture_fill_day (history, now);
  monitor_fixture_record_to (fixture, history);
  fake_spotify_set (fixture->fake, "api", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  gtk_widget_show (window);
  check_and_wait (fixture, window);

  /* The level, and what fails. */
  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  g_assert_nonnull (find_label_containing (window, "Since "));
  g_assert_nonnull (find_label_containing (window, "a neutral site answered"));
  g_assert_nonnull (find_label_containing (window, "Web API"));
  g_assert_nonnull (find_label_containing (window, "Login"));
  g_assert_nonnull (find_label_containing (window, "HTTP 503 Service Unavailable"));
  g_assert_nonnull (find_label_containing (window, "Answered in "));

  /* What Spotify says, as text: never markup. */
  g_assert_nonnull (find_label_containing (window, "Spotify: Major System Outage"));
  g_assert_nonnull (find_label_containing (window, "Login — Major outage"));
  incident = find_label_containing (window, "<b>Playback</b> & login down");
  g_assert_nonnull (incident);
  g_assert_false (gtk_label_get_use_markup (incident));
  /* Spotify's HTML is read as text: the tags are gone, and nothing is markup. */
  g_assert_nonnull (find_label_containing (window, "We are looking into it."));
  g_assert_nonnull (find_widget (window, link_is, "https://stspg.example/i1"));

  /* The history: uptime, the graph, the outage six hours ago, and the one going on. */
  /* 40 minutes down in the day recorded: 97.2% up. */
  g_assert_nonnull (find_label_containing (window, "97.2%"));
  g_assert_nonnull (find_label_containing (window, "Down 2.8%"));
  g_assert_nonnull (find_label_containing (window, "Median "));
  g_assert_nonnull (find_label_containing (window, "for 40 minutes: down"));
  g_assert_nonnull (find_label_containing (window, "Downbeat noticed this 14 minutes before "
                                                   "Spotify's status page"));
  /* The one going on: noticed and acknowledged in the same check. */
  g_assert_nonnull (find_label_containing (window, "Spotify's status page acknowledged this as "
                                                   "soon as Downbeat noticed it"));
  g_assert_nonnull (find_label_containing (window, "still going on: down"));
  g_assert_nonnull (find_label_containing (window, "Spotify said: <b>Playback</b> & login down"));
  g_assert_nonnull (find_label_containing (window, "None listed for this service."));
  g_assert_null (find_label_containing (window, "not being saved"));

  gtk_widget_destroy (window);
}

static gboolean
is_scrolled_window (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

static void
wait_for_frames (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

/* A check updates the window in place: the widget with the focus, the rows and the scroll
 * position are still there after it; nothing was torn down and built again. */
static void
test_check_keeps_focus_and_scroll (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_auto (ScratchHistory) scratch = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DownbeatHistory *history = scratch_history_init (&scratch);
  GtkWidget *window, *link, *row_label, *outage_label;
  GtkAdjustment *scroll;
  double position;

  history_fixture_fill_day (history, now);
  monitor_fixture_record_to (fixture, history);
  fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_widget_show (window);
  check_and_wait (fixture, window);
  wait_for_frames ();

  link = find_widget (window, link_is, "https://stspg.example/i1");
  row_label = GTK_WIDGET (find_label_containing (window, "Answered in "));
  outage_label = GTK_WIDGET (find_label_containing (window, "for 40 minutes: down"));
  g_assert_nonnull (link);
  g_assert_nonnull (row_label);
  g_assert_nonnull (outage_label);
  gtk_widget_grab_focus (link);
  scroll = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (find_widget (window, is_scrolled_window, NULL)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll) - gtk_adjustment_get_page_size (scroll), >, 100);
  gtk_adjustment_set_value (scroll, 100);
  wait_for_frames ();
  position = gtk_adjustment_get_value (scroll);

  check_and_wait (fixture, window);
  wait_for_frames ();

  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == link);
  g_assert_true (gtk_widget_get_toplevel (row_label) == window);
  g_assert_true (gtk_widget_get_toplevel (outage_label) == window);
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, position);

  gtk_widget_destroy (window);
}

/* The first outage ever recorded, as it begins: not "100.0% · No problems" beside a red icon. */
static void
test_first_outage_is_not_no_problems (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_auto (ScratchHistory) scratch = { 0 };
  DownbeatHistory *history = scratch_history_init (&scratch);
  GtkWidget *window;

  monitor_fixture_record_to (fixture, history);
  fake_spotify_set_all (fixture->fake, FAKE_FAIL);
  fake_spotify_set (fixture->fake, "control", FAKE_OK);
  fake_spotify_set (fixture->fake, "summary", FAKE_OK);

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  gtk_widget_show (window);
  check_and_wait (fixture, window);

  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  g_assert_nonnull (find_label_containing (window, "Down now"));
  g_assert_null (find_label_containing (window, "No problems"));
  g_assert_null (find_label_containing (window, "100.0%"));

  gtk_widget_destroy (window);
}

static void
test_hostile_incident (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  GtkWidget *window;
  GtkLabel *title;

  fake_spotify_set (fixture->fake, "summary", FAKE_HOSTILE);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);

  g_assert_nonnull (find_label_containing (window, "Spotify is down"));
  /* Markup shown as text; escape sequences, bidi overrides and NULs gone. */
  title = find_label_containing (window, "<a href='file:///etc/passwd'>Click</a>");
  g_assert_nonnull (title);
  g_assert_false (gtk_label_get_use_markup (title));
  g_assert_null (strchr (gtk_label_get_text (title), '\033'));
  g_assert_null (strstr (gtk_label_get_text (title), "\u202e"));
  /* The javascript: shortlink is never offered. */
  g_assert_null (find_widget (window, link_has_scheme, "javascript:"));
  g_assert_null (find_widget (window, link_has_scheme, "file:"));

  gtk_widget_destroy (window);
}

/* A check that changes no level reads no outage again: a year of them is not read with every
 * check. A level change is read, and shown. */
static void
test_outages_read_on_change (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_auto (ScratchHistory) scratch = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DownbeatHistory *history = scratch_history_init (&scratch);
  DownbeatWindow *window;
  guint reads;

  /* However slow the filling, the first check is no gap, which would be a change. */
  g_object_set (history, "poll-interval", 3600, NULL);
  history_fixture_fill_day (history, now);
  monitor_fixture_record_to (fixture, history);
  window = downbeat_window_new (app, fixture->monitor, history);
  gtk_widget_show (GTK_WIDGET (window));
  test_wait_until (history_is_shown, window, 30, "the history read");
  reads = downbeat_window_get_outage_reads (window);
  g_assert_cmpuint (reads, ==, 1);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "for 40 minutes: down"));

  check_and_wait (fixture, GTK_WIDGET (window));
  check_and_wait (fixture, GTK_WIDGET (window));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "Spotify is up"));
  g_assert_cmpuint (downbeat_window_get_outage_reads (window), ==, reads);

  fake_spotify_set_all (fixture->fake, FAKE_FAIL);
  fake_spotify_set (fixture->fake, "control", FAKE_OK);
  fake_spotify_set (fixture->fake, "summary", FAKE_OK);
  check_and_wait (fixture, GTK_WIDGET (window));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "Spotify is down"));
  g_assert_cmpuint (downbeat_window_get_outage_reads (window), ==, reads + 1);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "still going on: down"));

  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
on_view_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* What the window reads of a month with an outage a day: the last ten, not the month. */
static void
test_reads_last_outages (void)
{
  g_auto (ScratchHistory) scratch = { 0 };
  DownbeatHistory *history = scratch_history_init (&scratch);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DownbeatHistoryView) view = NULL;
  g_autoptr(GError) error = NULL;
  const DownbeatOutage *last;

  g_object_set (history, "poll-interval", 86400, NULL);
  for (int day = 30; day > 0; day--)
    for (int hour = 0; hour < 2; hour++)
      {
        g_autoptr(DownbeatReport) report = downbeat_report_new ();

        report->level = hour == 0 ? DOWNBEAT_LEVEL_OUTAGE : DOWNBEAT_LEVEL_OPERATIONAL;
        report->checked_at = g_date_time_add_seconds (now, -day * 86400 + hour * 3600);
        g_assert_true (downbeat_history_record (history, report));
      }

  downbeat_history_read_async (history, now, 10, NULL, NULL, on_view_read, &result);
  test_wait_until (test_result_arrived, &result, 30, "the history read");
  view = downbeat_history_read_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (view->outages->len, ==, 10);
  last = g_ptr_array_index (view->outages, 9);
  g_assert_cmpint (g_date_time_to_unix (last->start), ==, g_date_time_to_unix (now) - 86400);
  g_assert_cmpint (g_date_time_to_unix (last->end), ==, g_date_time_to_unix (now) - 86400 + 3600);
  /* An hour down on each of the 30 days. */
  g_assert_cmpint (view->month.outage, ==, 30 * 3600);
}

/* Checks every 10 s for two hours: the graph gets a point a probe a minute, the caption counts
 * every answer. */
static void
test_reads_a_point_a_minute (void)
{
  g_auto (ScratchHistory) scratch = { 0 };
  DownbeatHistory *history = scratch_history_init (&scratch);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DownbeatHistoryView) view = NULL;
  g_autoptr(GError) error = NULL;

  history_fixture_fill (history, now, 2 * 60 * 60, 10);
  downbeat_history_read_async (history, now, 10, NULL, NULL, on_view_read, &result);
  test_wait_until (test_result_arrived, &result, 30, "the history read");
  view = downbeat_history_read_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (view->answers, ==, 4 * 6 * 120);
  /* The first and the last minute may be cut. */
  g_assert_cmpuint (view->latency->len, >=, 4 * 120);
  g_assert_cmpuint (view->latency->len, <=, 4 * 121);
  g_assert_cmpint (view->median_ms, >, 0);
  g_assert_cmpint (view->slowest_ms, >=, view->median_ms);
}

static guint
count_widgets (GtkWidget *widget,
               GType      type)
{
  guint count = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        count += count_widgets (l->data, type);
    }

  return count;
}

/* A page of 10,000 components in trouble, or 5,000 incidents: three of each listed, and how
 * many more; the window stays the size it is with a page of a few. */
static void
test_huge_page_is_capped (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GBytes) small = page_fixture_summary (1, 1);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new_page (1, small);
  GtkWidget *window;
  guint labels;

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);
  g_assert_nonnull (find_label_containing (window, "Component 0 — Major outage"));
  labels = count_widgets (window, GTK_TYPE_LABEL);

  {
    g_autoptr(GBytes) components = page_fixture_summary (10000, 0);

    monitor_fixture_set_page (fixture, components);
    monitor_fixture_next_check (fixture);
    g_assert_nonnull (find_label_containing (window, "Component 2 — Major outage"));
    g_assert_null (find_label_containing (window, "Component 3 "));
    g_assert_nonnull (find_label_containing (window, "and 9997 more components in trouble"));
    g_assert_cmpuint (count_widgets (window, GTK_TYPE_LABEL), <=, labels + 3);
  }

  {
    g_autoptr(GBytes) incidents = page_fixture_summary (0, 5000);

    monitor_fixture_set_page (fixture, incidents);
    monitor_fixture_next_check (fixture);
    g_assert_nonnull (find_label_containing (window, "Incident 2"));
    g_assert_null (find_label_containing (window, "Incident 3"));
    g_assert_nonnull (find_label_containing (window, "and 4997 more incidents"));
    g_assert_cmpuint (count_widgets (window, DOWNBEAT_TYPE_INCIDENT_ROW), ==, 3);
    g_assert_cmpuint (count_widgets (window, GTK_TYPE_LABEL), <=, labels + 10);
  }

  gtk_widget_destroy (window);
}

/* A page fetched afresh that says the same is not built again: what has the focus keeps it. A
 * page that says something else is shown, wherever its summary was parsed to. */
static void
test_same_page_is_not_rebuilt (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GBytes) page = page_fixture_summary (2, 1);
  g_autoptr(GBytes) other = page_fixture_summary (3, 1);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new_page (1, page);
  GtkWidget *window;
  GtkWidget *incident;

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);
  incident = GTK_WIDGET (find_label_containing (window, "Incident 0"));
  g_assert_nonnull (incident);
  g_object_add_weak_pointer (G_OBJECT (incident), (gpointer *) &incident);

  monitor_fixture_next_check (fixture);
  g_assert_nonnull (incident);
  g_assert_true (gtk_widget_get_toplevel (incident) == window);
  g_object_remove_weak_pointer (G_OBJECT (incident), (gpointer *) &incident);
  g_assert_null (find_label_containing (window, "Component 2 "));

  monitor_fixture_set_page (fixture, other);
  monitor_fixture_next_check (fixture);
  g_assert_nonnull (find_label_containing (window, "Component 2 — Major outage"));

  gtk_widget_destroy (window);
}

/* A network that blocks the port the Spotify app streams from, while the rest answers: "Is it
 * just me?" says so, and the level stays with what the rest says. */
static void
test_blocked_port_is_said (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new_access_point (1);
  GtkWidget *window;

  fake_access_point_set_mode (fake_spotify_add_access_point (fixture->fake), FAKE_AP_HANG);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);

  g_assert_nonnull (find_label_containing (window, "Partly: your network blocks the port"));
  g_assert_cmpint (downbeat_monitor_get_report (fixture->monitor)->level, ==,
                   DOWNBEAT_LEVEL_OPERATIONAL);
  gtk_widget_destroy (window);
}

/* Sign-in failing while the app's servers answer: the window says what to do meanwhile, under
 * the reasons, and says nothing of the kind once all is well. */
static void
test_advice_is_shown (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  GtkWidget *window;
  GtkLabel *advice;

  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  fake_spotify_set (fixture->fake, "login", FAKE_FAIL);
  monitor_fixture_next_check (fixture);

  advice = find_label_containing (window, "Don't sign out");
  g_assert_nonnull (advice);
  g_assert_cmpstr (gtk_label_get_text (advice), ==,
                   "→ Don't sign out: apps that are signed in keep playing.\n"
                   "→ Your connection is fine.");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (advice)));

  fake_spotify_set (fixture->fake, "login", FAKE_OK);
  for (guint i = 0;
       i < 5 && downbeat_monitor_get_level (fixture->monitor) != DOWNBEAT_LEVEL_OPERATIONAL; i++)
    monitor_fixture_next_check (fixture);
  g_assert_cmpint (downbeat_monitor_get_level (fixture->monitor), ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (advice)));
  gtk_widget_destroy (window);
}

static guint
count_probe_rows (GtkWidget *widget)
{
  guint count = DOWNBEAT_IS_PROBE_ROW (widget) ? 1 : 0;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        count += count_probe_rows (l->data);
    }
  return count;
}

/* A definition of three hundred checks: fifty rows, and a line for the rest. */
static void
test_many_probes_are_capped (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GString) json = g_string_new ("{\"format\":1,\"name\":\"Spotify\",\"probes\":[");
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (json, "%s{\"id\":\"p%u\",\"name\":\"Probe %u\","
                            "\"url\":\"http://127.0.0.1:9/\"}", i > 0 ? "," : "", i, i);
  g_string_append (json, "]}");
  service = downbeat_service_new_from_data (json->str, json->len, "many.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);

  window = GTK_WIDGET (downbeat_window_new (app, monitor, NULL));
  g_assert_cmpuint (count_probe_rows (window), ==, 50);
  g_assert_nonnull (find_label_containing (window, "and 250 more checks: see downbeat --check"));
  gtk_widget_destroy (window);
}

/* Where the service speaks for itself, from its definition: a link, offered as any other. */
static void
test_channels_are_linked (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  static const char json[] =
    "{\"format\":1,\"name\":\"Spotify\",\"probes\":[{\"id\":\"p\",\"name\":\"P\","
    "\"url\":\"http://127.0.0.1:9/\"}],\"channels\":[{\"name\":\"@SpotifyStatus on X\","
    "\"url\":\"https://x.com/SpotifyStatus\"}]}";
  g_autoptr(DownbeatService) service = NULL;
  g_autoptr(SoupSession) session = downbeat_fetch_session_new ();
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *link;

  service = downbeat_service_new_from_data (json, strlen (json), "channels.json", &error);
  g_assert_no_error (error);
  monitor = downbeat_monitor_new (service, session, NULL);
  window = GTK_WIDGET (downbeat_window_new (app, monitor, NULL));
  gtk_widget_show (window);

  link = find_widget (window, link_is, "https://x.com/SpotifyStatus");
  g_assert_nonnull (link);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, "Follow @SpotifyStatus on X");
  gtk_widget_destroy (window);
}

/* Without a tray, the window says what would give Downbeat its icon on this desktop: GNOME's
 * extension on GNOME, a panel's tray elsewhere. */
static void
test_no_tray_words_fit_the_desktop (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_autofree char *saved = g_strdup (g_getenv ("XDG_CURRENT_DESKTOP"));
  DownbeatWindow *window = downbeat_window_new (app, fixture->monitor, NULL);

  gtk_widget_show (GTK_WIDGET (window));
  g_setenv ("XDG_CURRENT_DESKTOP", "ubuntu:GNOME", TRUE);
  downbeat_window_set_tray_missing (window, TRUE);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "extension gives Downbeat its"));

  g_setenv ("XDG_CURRENT_DESKTOP", "XFCE", TRUE);
  downbeat_window_set_tray_missing (window, TRUE);
  g_assert_null (find_label_containing (GTK_WIDGET (window), "On GNOME"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "A panel's system tray"));

  if (saved != NULL)
    g_setenv ("XDG_CURRENT_DESKTOP", saved, TRUE);
  else
    g_unsetenv ("XDG_CURRENT_DESKTOP");
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
browser_is_missing (gpointer window)
{
  return find_label_containing (window, "No web browser opened https://stspg.example/i1") != NULL;
}

/* A computer without a web browser: a link clicked says so in the window, and no warning. */
static void
test_link_without_browser (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  GtkWidget *window;
  GtkWidget *link;

  fake_spotify_set (fixture->fake, "summary", FAKE_MAJOR);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  monitor_fixture_next_check (fixture);
  g_assert_null (find_label_containing (window, "No web browser opened"));

  link = find_widget (window, link_is, "https://stspg.example/i1");
  g_assert_nonnull (link);
  gtk_button_clicked (GTK_BUTTON (link));
  test_wait_until (browser_is_missing, window, 10, "the window to say no browser opened it");

  gtk_widget_destroy (window);
}

static gboolean
key_accepts (GSettings  *settings,
             const char *name,
             guint       value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_uint32 (value));

  g_object_get (settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, name);
  return g_settings_schema_key_range_check (key, variant);
}

static void
test_preferences_change_settings (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart_helper = downbeat_autostart_new (FALSE);
  GtkWidget *window;
  GtkWidget *degraded;
  GtkWidget *maintenance;
  GtkWidget *interval;
  GtkWidget *autostart;
  double lower;

  g_settings_set_uint (settings, "poll-interval", 120);

  window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));
  degraded = find_widget (window, accessible_name_is, "When Spotify has problems");
  maintenance = find_widget (window, accessible_name_is, "During planned maintenance");
  interval = find_widget (window, accessible_name_is, "Check every");
  g_assert_true (GTK_IS_SWITCH (degraded));
  g_assert_true (GTK_IS_SWITCH (maintenance));
  g_assert_true (GTK_IS_SPIN_BUTTON (interval));

  g_assert_true (gtk_switch_get_active (GTK_SWITCH (degraded)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (maintenance)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (interval)), ==, 120);

  gtk_switch_set_active (GTK_SWITCH (degraded), FALSE);
  gtk_switch_set_active (GTK_SWITCH (maintenance), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (interval), 300);
  g_assert_false (g_settings_get_boolean (settings, "notify-degraded"));
  g_assert_true (g_settings_get_boolean (settings, "notify-maintenance"));
  g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval"), ==, 300);

  /* Nothing that writes the settings (any process of the session can) makes Downbeat ask
   * Spotify more often than Preferences let the user choose. */
  gtk_spin_button_get_range (GTK_SPIN_BUTTON (interval), &lower, NULL);
  g_assert_false (key_accepts (settings, "poll-interval", (guint) lower - 1));
  g_assert_true (key_accepts (settings, "poll-interval", (guint) lower));
  g_assert_false (key_accepts (settings, "recheck-interval", 4));

  autostart = find_widget (window, accessible_name_is, "Start at login");
  g_assert_true (GTK_IS_SWITCH (autostart));
  gtk_switch_set_active (GTK_SWITCH (autostart), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "autostart"));

  gtk_widget_destroy (window);
}

/* Reminders and quiet hours: choices that write their keys; the times by the half hour, and
 * what a key holds otherwise shown as it is, never an empty choice. */
static void
test_preferences_reminders_and_quiet_hours (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart_helper = downbeat_autostart_new (FALSE);
  GtkWidget *window;
  GtkComboBox *remind;
  GtkComboBox *from;
  GtkComboBox *until;
  GtkWidget *quiet;
  g_autofree char *until_text = NULL;

  g_settings_set_uint (settings, "quiet-until", 7 * 60 + 15);
  window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));
  remind = GTK_COMBO_BOX (find_widget (window, accessible_name_is, "Remind while it lasts"));
  from = GTK_COMBO_BOX (find_widget (window, accessible_name_is, "Quiet hours from"));
  until = GTK_COMBO_BOX (find_widget (window, accessible_name_is, "Quiet hours until"));
  quiet = find_widget (window, accessible_name_is, "Quiet hours");
  g_assert_true (GTK_IS_SWITCH (quiet));

  g_assert_cmpstr (gtk_combo_box_get_active_id (remind), ==, "0");
  gtk_combo_box_set_active_id (remind, "4");
  g_assert_cmpuint (g_settings_get_uint (settings, "remind-every-hours"), ==, 4);

  g_assert_false (gtk_switch_get_active (GTK_SWITCH (quiet)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (from)));
  gtk_switch_set_active (GTK_SWITCH (quiet), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "quiet-hours"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (from)));
  g_assert_cmpstr (gtk_combo_box_get_active_id (from), ==, "1320");
  g_assert_cmpint (gtk_combo_box_get_active (from), ==, 44);
  gtk_combo_box_set_active (from, 47);
  g_assert_cmpuint (g_settings_get_uint (settings, "quiet-from"), ==, 23 * 60 + 30);
  until_text = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (until));
  g_assert_cmpstr (until_text, ==, "07:15");
  gtk_widget_destroy (window);

  g_settings_set_uint (settings, "remind-every-hours", 3);
  window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));
  remind = GTK_COMBO_BOX (find_widget (window, accessible_name_is, "Remind while it lasts"));
  g_free (until_text);
  until_text = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (remind));
  g_assert_cmpstr (until_text, ==, "Every 3 hours");
  gtk_widget_destroy (window);

  for (const char * const *key = (const char * const[]) { "remind-every-hours", "quiet-hours",
                                                          "quiet-from", "quiet-until", NULL };
       *key != NULL; key++)
    g_settings_reset (settings, *key);
}

/* A fresh history: the shares say how much time they are of, not "100% over 30 days"; and
 * offline has a "Since" as every level has. */
static void
test_fresh_history_says_how_much (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_auto (ScratchHistory) scratch = { 0 };
  DownbeatHistory *history = scratch_history_init (&scratch);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *window;
  GtkLabel *share;

  /* Two hours recorded, all of them up. */
  history_fixture_fill (history, now, 2 * 60 * 60, 60);
  monitor_fixture_record_to (fixture, history);
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, history));
  gtk_widget_show (window);
  check_and_wait (fixture, window);
  share = find_label_containing (window, " recorded");
  g_assert_nonnull (share);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (share), "No problems · "));
  g_assert_true (strstr (gtk_label_get_text (share), " hour") != NULL);

  for (const char * const *endpoint = (const char * const[]) { "ap", "api", "login", "player",
                                                               "control", NULL };
       *endpoint != NULL; endpoint++)
    fake_spotify_set (fixture->fake, *endpoint, FAKE_FAIL);
  check_and_wait (fixture, window);
  g_assert_nonnull (find_label_containing (window, "offline"));
  g_assert_nonnull (find_label_containing (window, "Since "));

  gtk_widget_destroy (window);
}

/* Offline, a failure counts nothing against Spotify: the row says the error, not "failed 0
 * times in a row"; a failure being confirmed says how often. */
static void
test_probe_row_counts_only_what_counts (void)
{
  DownbeatProbeSpec spec = { .id = "ap", .name = "Access point list" };
  g_autoptr(DownbeatReport) report = downbeat_report_new ();
  DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);
  GtkWidget *row = g_object_ref_sink (GTK_WIDGET (downbeat_probe_row_new (&spec)));

  g_ptr_array_add (report->probes, status);
  status->result = g_new0 (DownbeatProbeResult, 1);
  status->result->error = g_strdup ("host name not found");
  downbeat_probe_row_update (DOWNBEAT_PROBE_ROW (row), status);
  g_assert_nonnull (find_label_containing (row, "host name not found"));
  g_assert_null (find_label_containing (row, "in a row"));

  status->confirmation.fails = 2;
  downbeat_probe_row_update (DOWNBEAT_PROBE_ROW (row), status);
  g_assert_nonnull (find_label_containing (row, "failed 2 times in a row"));

  gtk_widget_destroy (row);
  g_object_unref (row);
}

static gboolean
is_control (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_COMBO_BOX (widget);
}

static gboolean
is_grid (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_GRID (widget);
}

static gboolean
is_heading (GtkWidget     *widget,
            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text)
         && atk_object_get_role (gtk_widget_get_accessible (widget)) == ATK_ROLE_HEADING;
}

static gboolean
is_shown_and_empty (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
         && *gtk_label_get_text (GTK_LABEL (widget)) == '\0';
}

/* Nothing shown that says nothing: an empty label only leaves a gap (under "Start at login",
 * where the autostart's status goes when there is one). */
static void
test_preferences_no_empty_gap (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart_helper = downbeat_autostart_new (FALSE);
  GtkWidget *window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));

  g_assert_null (downbeat_autostart_get_status (autostart_helper));
  g_assert_null (find_widget (window, is_shown_and_empty, NULL));

  gtk_widget_destroy (window);
}

/* What a screen reader finds in Preferences: section titles that are headings, and every
 * control with a name and the grey explanation beside it as its description. */
static void
test_preferences_read_aloud (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.downbeat.Downbeat");
  g_autoptr(DownbeatAutostart) autostart_helper = downbeat_autostart_new (FALSE);
  const char * const headings[] = { "Checks", "Notifications", "Startup", "Tray Icon",
                                    "Developers" };
  GtkWidget *window = GTK_WIDGET (downbeat_preferences_new (app, settings, autostart_helper));
  GtkWidget *grid = find_widget (window, is_grid, NULL);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (grid));
  guint controls = 0;

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    g_assert_nonnull (find_widget (window, is_heading, headings[i]));

  for (GList *l = children; l != NULL; l = l->next)
    {
      AtkObject *accessible;
      g_autoptr(AtkRelationSet) relations = NULL;
      AtkRelation *described;
      GPtrArray *targets;

      if (!is_control (l->data, NULL))
        continue;
      controls++;
      accessible = gtk_widget_get_accessible (l->data);
      g_assert_nonnull (atk_object_get_name (accessible));
      g_assert_cmpstr (atk_object_get_name (accessible), !=, "");
      relations = atk_object_ref_relation_set (accessible);
      described = atk_relation_set_get_relation_by_type (relations, ATK_RELATION_DESCRIBED_BY);
      g_assert_nonnull (described);
      targets = atk_relation_get_target (described);
      g_assert_cmpuint (targets->len, ==, 1);
      g_assert_true (GTK_IS_LABEL (gtk_accessible_get_widget (g_ptr_array_index (targets, 0))));
    }
  g_assert_cmpuint (controls, ==, 11);

  gtk_widget_destroy (window);
}

static void
count_activation (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
button_is (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
template_child (GtkWidget  *window,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (window, DOWNBEAT_TYPE_WINDOW, name));
}

/* The window's bars follow the application's app.mute and app.notify-when-back, and their
 * buttons act on them: what the tray menu offers, in the window. */
static void
test_mute_and_when_back (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_autoptr(GSimpleAction) mute = g_simple_action_new_stateful ("mute", NULL,
                                                                g_variant_new_int64 (0));
  g_autoptr(GSimpleAction) unmute = g_simple_action_new ("unmute", NULL);
  g_autoptr(GSimpleAction) when_back = g_simple_action_new_stateful ("notify-when-back", NULL,
                                                                     g_variant_new_boolean (FALSE));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_hours (now, 4);
  g_autofree char *time = downbeat_words_day_and_time (until);
  g_autofree char *muted = g_strdup_printf ("Notifications are muted until %s.", time);
  guint unmuted = 0;
  GtkWidget *window;
  GtkWidget *mute_bar;
  GtkWidget *when_back_bar;
  GtkWidget *button;

  g_signal_connect (unmute, "activate", G_CALLBACK (count_activation), &unmuted);
  g_simple_action_set_enabled (when_back, FALSE);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (mute));
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (unmute));
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (when_back));
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  mute_bar = template_child (window, "mute_bar");
  when_back_bar = template_child (window, "when_back_bar");
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (mute_bar)));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (when_back_bar)));

  g_simple_action_set_state (mute, g_variant_new_int64 (g_date_time_to_unix (until)));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (mute_bar)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (template_child (window, "mute_label"))), ==,
                   muted);
  gtk_button_clicked (GTK_BUTTON (find_widget (mute_bar, button_is, "_Unmute")));
  g_assert_cmpuint (unmuted, ==, 1);
  g_simple_action_set_state (mute, g_variant_new_int64 (0));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (mute_bar)));

  /* Offered while there is something to wait for (the app enables it then). */
  g_simple_action_set_enabled (when_back, TRUE);
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (when_back_bar)));
  button = find_widget (when_back_bar, button_is, "Notify Me When It's _Back");
  g_assert_nonnull (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (g_variant_get_boolean (g_action_get_state (G_ACTION (when_back))));
  g_assert_nonnull (find_widget (when_back_bar, label_contains, "You will be told once"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Cancel");
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_false (g_variant_get_boolean (g_action_get_state (G_ACTION (when_back))));
  g_simple_action_set_enabled (when_back, FALSE);
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (when_back_bar)));

  gtk_widget_destroy (window);
  g_action_map_remove_action (G_ACTION_MAP (app), "mute");
  g_action_map_remove_action (G_ACTION_MAP (app), "unmute");
  g_action_map_remove_action (G_ACTION_MAP (app), "notify-when-back");
}

/* The resume bar follows app.resume-playback's enabled state, and its button activates it. */
static void
test_resume (gconstpointer data)
{
  GtkApplication *app = GTK_APPLICATION ((gpointer) data);
  g_autoptr(MonitorFixture) fixture = monitor_fixture_new (1);
  g_autoptr(GSimpleAction) resume = g_simple_action_new ("resume-playback", NULL);
  guint resumed = 0;
  GtkWidget *window;
  GtkWidget *bar;

  g_signal_connect (resume, "activate", G_CALLBACK (count_activation), &resumed);
  g_simple_action_set_enabled (resume, FALSE);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (resume));
  window = GTK_WIDGET (downbeat_window_new (app, fixture->monitor, NULL));
  gtk_widget_show (window);
  bar = template_child (window, "resume_bar");
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));

  g_simple_action_set_enabled (resume, TRUE);
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));
  gtk_button_clicked (GTK_BUTTON (find_widget (bar, button_is, "_Resume Playback")));
  g_assert_cmpuint (resumed, ==, 1);
  g_simple_action_set_enabled (resume, FALSE);
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));

  gtk_widget_destroy (window);
  g_action_map_remove_action (G_ACTION_MAP (app), "resume-playback");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  gtk_test_init (&argc, &argv, NULL);

  app = gtk_application_new ("io.github.downbeat.DownbeatTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/window/shows-level-and-reasons", app, test_shows_level_and_reasons);
  g_test_add_data_func ("/window/detail-shows-everything", app, test_detail_shows_everything);
  g_test_add_data_func ("/window/first-outage-is-not-no-problems", app,
                        test_first_outage_is_not_no_problems);
  g_test_add_data_func ("/window/check-keeps-focus-and-scroll", app,
                        test_check_keeps_focus_and_scroll);
  g_test_add_data_func ("/window/outages-read-on-change", app, test_outages_read_on_change);
  g_test_add_func ("/window/reads-last-outages", test_reads_last_outages);
  g_test_add_func ("/window/reads-a-point-a-minute", test_reads_a_point_a_minute);
  g_test_add_data_func ("/window/hostile-incident", app, test_hostile_incident);
  g_test_add_data_func ("/window/huge-page-is-capped", app, test_huge_page_is_capped);
  g_test_add_data_func ("/window/same-page-is-not-rebuilt", app, test_same_page_is_not_rebuilt);
  g_test_add_data_func ("/window/blocked-port-is-said", app, test_blocked_port_is_said);
  g_test_add_data_func ("/window/advice-is-shown", app, test_advice_is_shown);
  g_test_add_data_func ("/window/many-probes-are-capped", app, test_many_probes_are_capped);
  g_test_add_data_func ("/window/channels-are-linked", app, test_channels_are_linked);
  g_test_add_data_func ("/window/no-tray-words-fit-the-desktop", app,
                        test_no_tray_words_fit_the_desktop);
  g_test_add_data_func ("/window/link-without-browser", app, test_link_without_browser);
  g_test_add_data_func ("/preferences/change-settings", app, test_preferences_change_settings);
  g_test_add_data_func ("/preferences/reminders-and-quiet-hours", app,
                        test_preferences_reminders_and_quiet_hours);
  g_test_add_data_func ("/preferences/read-aloud", app, test_preferences_read_aloud);
  g_test_add_data_func ("/preferences/no-empty-gap", app, test_preferences_no_empty_gap);
  g_test_add_func ("/probe-row/counts-only-what-counts", test_probe_row_counts_only_what_counts);
  g_test_add_data_func ("/window/fresh-history-says-how-much", app,
                        test_fresh_history_says_how_much);
  g_test_add_data_func ("/window/mute-and-when-back", app, test_mute_and_when_back);
  g_test_add_data_func ("/window/resume", app, test_resume);

  return g_test_run ();
}
