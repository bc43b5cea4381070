/* test-notifier.c: when a notification is raised, updated or withdrawn, and what it says
 *
 * The decisions alone, without a notification server: docs/design.md, "Notifications", row by row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "downbeat-notifier-private.h"

static const char major_summary[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
  "\"status\":{\"indicator\":\"major\",\"description\":\"Major System Outage\"},"
  "\"components\":[],"
  "\"incidents\":[{\"id\":\"i1\",\"name\":\"&lt;b&gt;Playback&lt;/b&gt; &amp; login\",\"status\":\"investigating\","
  "\"impact\":\"major\",\"incident_updates\":[{\"status\":\"investigating\","
  "\"body\":\"We are looking into it.\",\"created_at\":\"2026-11-28T10:05:00Z\"}]}],"
  "\"scheduled_maintenances\":[]}";

typedef struct
{
  DownbeatNoticeState state;
  DownbeatNoticeRules rules;
  DownbeatNotice      notice;
  GDateTime          *start;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->state.last = DOWNBEAT_LEVEL_UNKNOWN;
  fixture->state.worst = DOWNBEAT_LEVEL_UNKNOWN;
  fixture->rules = (DownbeatNoticeRules) { TRUE, TRUE, FALSE, FALSE };
  fixture->start = g_date_time_new_utc (2026, 11, 28, 10, 0, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_state_clear (&fixture->state);
  g_date_time_unref (fixture->start);
}

static void
add_probe (DownbeatReport *report,
           const char     *name,
           gboolean        failing)
{
  DownbeatProbeSpec spec = { .id = (char *) name, .name = (char *) name };
  DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);

  status->confirmation.failing = failing;
  status->confirmation.counts = failing;
  g_ptr_array_add (report->probes, status);
}

/* A report of @level, @minutes after the fixture's start, with "Login" and "Web API" failing
 * when the level is a problem. */
static DownbeatReport *
report_at (Fixture       *fixture,
           DownbeatLevel  level,
           int            minutes)
{
  DownbeatReport *report = downbeat_report_new ();
  gboolean problem = level == DOWNBEAT_LEVEL_DEGRADED || level == DOWNBEAT_LEVEL_OUTAGE;

  report->level = level;
  report->service_name = g_strdup ("Spotify");
  report->checked_at = g_date_time_add_minutes (fixture->start, minutes);
  add_probe (report, "Access points", FALSE);
  add_probe (report, "Login", problem);
  add_probe (report, "Web API", problem);
  return report;
}

/* Feeds one report; the decision is left in fixture->notice. */
static DownbeatNoticeAction
feed (Fixture       *fixture,
      DownbeatLevel  level,
      int            minutes)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, level, minutes);

  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  return fixture->notice.action;
}

static void
assert_shows (Fixture         *fixture,
              const char      *summary,
              DownbeatUrgency  urgency)
{
  g_assert_cmpint (fixture->notice.action, ==, DOWNBEAT_NOTICE_SHOW);
  g_assert_cmpstr (fixture->notice.summary, ==, summary);
  g_assert_cmpint (fixture->notice.urgency, ==, urgency);
}

static void
test_first_operational_is_quiet (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_UNKNOWN, 0), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 1), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 2), ==, DOWNBEAT_NOTICE_NONE);
}

static void
test_anything_to_outage (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const DownbeatLevel before[] = {
    DOWNBEAT_LEVEL_UNKNOWN, DOWNBEAT_LEVEL_OFFLINE, DOWNBEAT_LEVEL_OPERATIONAL,
    DOWNBEAT_LEVEL_DEGRADED, DOWNBEAT_LEVEL_MAINTENANCE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (before); i++)
    {
      downbeat_notice_state_clear (&fixture->state);
      feed (fixture, before[i], 0);
      feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
      assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
      g_assert_cmpstr (fixture->notice.body, ==, "Login and Web API are not answering");
    }
}

static void
test_operational_to_degraded (Fixture       *fixture,
                              gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 1);
  assert_shows (fixture, "Spotify is having problems", DOWNBEAT_URGENCY_NORMAL);

  downbeat_notice_state_clear (&fixture->state);
  fixture->rules.notify_degraded = FALSE;
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 1), ==, DOWNBEAT_NOTICE_NONE);
  /* Nothing was said of the problem, so nothing is said of its end. */
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 5), ==, DOWNBEAT_NOTICE_NONE);
}

static void
test_outage_to_degraded (Fixture       *fixture,
                         gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 2);
  assert_shows (fixture, "Spotify is partly back", DOWNBEAT_URGENCY_NORMAL);

  /* An update of the outage's notification, even with degraded notifications off. */
  downbeat_notice_state_clear (&fixture->state);
  fixture->rules.notify_degraded = FALSE;
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 2);
  assert_shows (fixture, "Spotify is partly back", DOWNBEAT_URGENCY_NORMAL);
}

static void
test_recovery (Fixture       *fixture,
               gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 10);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 82);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 1 hour 12 minutes");

  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 100);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 112);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Had problems for 12 minutes");

  /* Without recovery notifications, the outage's notification is withdrawn. */
  fixture->rules.notify_recovery = FALSE;
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 200);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 210), ==, DOWNBEAT_NOTICE_CLOSE);
}

static void
test_maintenance (Fixture       *fixture,
                  gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_MAINTENANCE, 1), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 30), ==, DOWNBEAT_NOTICE_NONE);

  fixture->rules.notify_maintenance = TRUE;
  feed (fixture, DOWNBEAT_LEVEL_MAINTENANCE, 40);
  assert_shows (fixture, "Spotify maintenance in progress", DOWNBEAT_URGENCY_LOW);
  /* Maintenance over is not "Spotify is back": it was never down. */
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 70), ==, DOWNBEAT_NOTICE_CLOSE);
}

static void
test_one_incident (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GDateTime *since;

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 1);
  assert_shows (fixture, "Spotify is having problems", DOWNBEAT_URGENCY_NORMAL);
  since = fixture->state.since;
  g_assert_nonnull (since);

  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 5);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 30);
  assert_shows (fixture, "Spotify is partly back", DOWNBEAT_URGENCY_NORMAL);
  /* One incident all along: the notifier updates one notification until it ends. */
  g_assert_true (fixture->state.since == since);

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 61);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 1 hour");
  g_assert_null (fixture->state.since);
}

static void
test_offline_in_between (Fixture       *fixture,
                         gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OFFLINE, 5), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_UNKNOWN, 6), ==, DOWNBEAT_NOTICE_NONE);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 13);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 12 minutes");

  /* Offline hides nothing, and coming back from it says nothing. */
  feed (fixture, DOWNBEAT_LEVEL_OFFLINE, 20);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 21), ==, DOWNBEAT_NOTICE_NONE);
  feed (fixture, DOWNBEAT_LEVEL_UNKNOWN, 22);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 23), ==, DOWNBEAT_NOTICE_NONE);
}

static void
test_muted (Fixture       *fixture,
            gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  fixture->rules.muted = TRUE;
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1), ==, DOWNBEAT_NOTICE_NONE);
  fixture->rules.muted = FALSE;
  /* The outage was never shown: its end is not news. */
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 10), ==, DOWNBEAT_NOTICE_NONE);

  /* Muted after the outage was shown: its notification is withdrawn, nothing raised. */
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 20);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  fixture->rules.muted = TRUE;
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 21), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 30), ==, DOWNBEAT_NOTICE_CLOSE);
}

static void
test_official_text_escaped (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  DownbeatOfficialStatus *official = downbeat_official_status_new ("Spotify", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *markup = NULL;

  official->summary = downbeat_statuspage_parse (major_summary, strlen (major_summary), &error);
  g_assert_no_error (error);
  g_ptr_array_add (report->official, official);

  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering\n"
                   "Spotify says: <b>Playback</b> & login\n"
                   "We are looking into it.");

  plain = downbeat_notice_format_body (&fixture->notice, FALSE);
  g_assert_cmpstr (plain, ==, fixture->notice.body);
  markup = downbeat_notice_format_body (&fixture->notice, TRUE);
  g_assert_cmpstr (markup, ==,
                   "Login and Web API are not answering\n"
                   "Spotify says: &lt;b&gt;Playback&lt;/b&gt; &amp; login\n"
                   "We are looking into it.");
}

/* An outage raised on Spotify's word alone is updated, in place, once the probes confirm it;
 * the same evidence again says nothing. */
static void
test_evidence_change_updates_in_place (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatReport) official_only = downbeat_report_new ();
  g_autoptr(DownbeatReport) confirmed = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 2);
  DownbeatOfficialStatus *official = downbeat_official_status_new ("Spotify", NULL);

  official->summary = downbeat_statuspage_parse (major_summary, strlen (major_summary), &error);
  g_assert_no_error (error);
  official_only->level = DOWNBEAT_LEVEL_OUTAGE;
  official_only->service_name = g_strdup ("Spotify");
  official_only->checked_at = g_date_time_add_minutes (fixture->start, 1);
  g_ptr_array_add (official_only->official, official);

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, official_only, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Spotify says: <b>Playback</b> & login\nWe are looking into it.");

  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, confirmed, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==, "Login and Web API are not answering");

  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, confirmed, &fixture->notice);
  g_assert_cmpint (fixture->notice.action, ==, DOWNBEAT_NOTICE_NONE);

  /* And its end is still "back", from when it began. */
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 31), ==, DOWNBEAT_NOTICE_SHOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 30 minutes");
}

/* "Notify Me When It's Back": one "back" though muted and with recovery notifications off,
 * even for an incident whose notification was never seen. */
static void
test_when_back_overrides (Fixture       *fixture,
                          gconstpointer  user_data)
{
  fixture->rules.muted = TRUE;
  fixture->rules.notify_recovery = FALSE;
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1), ==, DOWNBEAT_NOTICE_NONE);

  fixture->rules.when_back = TRUE;
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 61), ==, DOWNBEAT_NOTICE_SHOW);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 1 hour");
}

/* What does not count is said plainly; a developer page that is not watched is not said. */
static void
test_body_says_what_does_not_count (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  DownbeatProbeSpec spec = { .id = "web-player", .name = "Web player" };
  DownbeatProbeStatus *player = downbeat_probe_status_new (&spec);
  DownbeatOfficialStatus *developers = downbeat_official_status_new ("Spotify for Developers", NULL);
  g_autoptr(GError) error = NULL;

  player->result = g_new0 (DownbeatProbeResult, 1);
  player->result->http_status = 403;
  player->result->outcome = DOWNBEAT_OUTCOME_MISMATCH;
  player->confirmation.fails = 3;
  player->confirmation.failing = TRUE;
  player->confirmation.mismatch = TRUE;
  g_ptr_array_add (report->probes, player);
  developers->summary = downbeat_statuspage_parse (major_summary, strlen (major_summary), &error);
  developers->counted = FALSE;
  g_assert_no_error (error);
  g_ptr_array_add (report->official, developers);

  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering\n"
                   "Web player: not seen working from this computer yet — this check may be outdated");
}

/* Feeds a report of @level at @minutes whose problem was noticed and acknowledged at those
 * minutes after the fixture's start (-1: not). */
static void
feed_lead (Fixture       *fixture,
           DownbeatLevel  level,
           int            minutes,
           int            noticed,
           int            acknowledged)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, level, minutes);

  if (noticed >= 0)
    report->noticed_at = g_date_time_add_minutes (fixture->start, noticed);
  if (acknowledged >= 0)
    report->acknowledged_at = g_date_time_add_minutes (fixture->start, acknowledged);
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
}

static void
test_lead_once_acknowledged (Fixture       *fixture,
                             gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed_lead (fixture, DOWNBEAT_LEVEL_OUTAGE, 10, 10, -1);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==, "Login and Web API are not answering");

  /* Nothing new until Spotify's page says so; then the same notification, with the lead. */
  feed_lead (fixture, DOWNBEAT_LEVEL_OUTAGE, 11, 10, -1);
  g_assert_cmpint (fixture->notice.action, ==, DOWNBEAT_NOTICE_NONE);
  feed_lead (fixture, DOWNBEAT_LEVEL_OUTAGE, 24, 10, 24);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering\n"
                   "Downbeat noticed this 14 minutes before Spotify's status page");

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 82);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Down for 1 hour 12 minutes\n"
                   "Downbeat noticed this 14 minutes before Spotify's status page");
}

static void
test_lead_never_acknowledged (Fixture       *fixture,
                              gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed_lead (fixture, DOWNBEAT_LEVEL_DEGRADED, 10, 10, -1);
  feed (fixture, DOWNBEAT_LEVEL_OFFLINE, 20);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 40);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_LOW);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Had problems for 30 minutes\n"
                   "Spotify's status page never acknowledged this");

  /* The next incident starts with nothing of this one's. */
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 50);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 60);
  g_assert_cmpstr (fixture->notice.body, ==, "Had problems for 10 minutes");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/notice/first-operational-is-quiet", test_first_operational_is_quiet);
  ADD ("/notice/anything-to-outage", test_anything_to_outage);
  ADD ("/notice/operational-to-degraded", test_operational_to_degraded);
  ADD ("/notice/outage-to-degraded", test_outage_to_degraded);
  ADD ("/notice/recovery", test_recovery);
  ADD ("/notice/maintenance", test_maintenance);
  ADD ("/notice/one-incident", test_one_incident);
  ADD ("/notice/offline-in-between", test_offline_in_between);
  ADD ("/notice/muted", test_muted);
  ADD ("/notice/official-text-escaped", test_official_text_escaped);
  ADD ("/notice/body-says-what-does-not-count", test_body_says_what_does_not_count);
  ADD ("/notice/evidence-change-updates-in-place", test_evidence_change_updates_in_place);
  ADD ("/notice/when-back-overrides", test_when_back_overrides);
  ADD ("/notice/lead-once-acknowledged", test_lead_once_acknowledged);
  ADD ("/notice/lead-never-acknowledged", test_lead_never_acknowledged);

  return g_test_run ();
}
