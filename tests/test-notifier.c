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
  add_probe (report, "Access point list", FALSE);
  add_probe (report, "Login", problem);
  add_probe (report, "Web API", problem);
  return report;
}

/* The page of @name with Spotify's major incident (its title holds markup), added to @report. */
static DownbeatOfficialStatus *
add_major_incident (DownbeatReport *report,
                    const char     *name)
{
  DownbeatOfficialStatus *official = downbeat_official_status_new (name, NULL);
  g_autoptr(GError) error = NULL;

  official->summary = downbeat_statuspage_parse (major_summary, strlen (major_summary), &error);
  g_assert_no_error (error);
  g_ptr_array_add (report->official, official);
  return official;
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

/* What to do meanwhile follows what fails, before Spotify's word and the lead (Plasma cuts a
 * long body), and a change of it updates the notification in place. */
static void
test_advice_follows_the_failures (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  g_autoptr(DownbeatReport) later = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 2);
  const char *advice[] = { "The web player may still work.", "Your connection is fine.", NULL };

  add_major_incident (report, "Spotify");
  report->noticed_at = g_date_time_add_minutes (fixture->start, -4);
  report->acknowledged_at = g_date_time_add_minutes (fixture->start, 1);

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  report->advice = g_strdupv ((char **) advice);
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering.\n"
                   "→ The web player may still work.\n"
                   "→ Your connection is fine.\n"
                   "Spotify says: <b>Playback</b> & login.\n"
                   "We are looking into it.\n"
                   "Downbeat noticed this 5 minutes before Spotify's status page.");

  later->advice = g_strdupv ((char **) advice + 1);
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, later, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering.\n→ Your connection is fine.");
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
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 1 hour 12 minutes");

  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 100);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 112);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
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
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
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
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
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
  g_autofree char *plain = NULL;
  g_autofree char *markup = NULL;

  add_major_incident (report, "Spotify");

  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering.\n"
                   "Spotify says: <b>Playback</b> & login.\n"
                   "We are looking into it.");

  plain = downbeat_notice_format_body (&fixture->notice, FALSE);
  g_assert_cmpstr (plain, ==, fixture->notice.body);
  markup = downbeat_notice_format_body (&fixture->notice, TRUE);
  g_assert_cmpstr (markup, ==,
                   "Login and Web API are not answering.\n"
                   "Spotify says: &lt;b&gt;Playback&lt;/b&gt; &amp; login.\n"
                   "We are looking into it.");
}

/* An outage raised on Spotify's word alone is updated, in place, once the probes confirm it;
 * the same evidence again says nothing. */
static void
test_evidence_change_updates_in_place (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autoptr(DownbeatReport) official_only = downbeat_report_new ();
  g_autoptr(DownbeatReport) confirmed = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 2);

  official_only->level = DOWNBEAT_LEVEL_OUTAGE;
  official_only->service_name = g_strdup ("Spotify");
  official_only->checked_at = g_date_time_add_minutes (fixture->start, 1);
  add_major_incident (official_only, "Spotify");

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_decide (&fixture->state, &fixture->rules, official_only, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Spotify says: <b>Playback</b> & login.\nWe are looking into it.");

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

  g_assert_true (downbeat_notice_ask_when_back (&fixture->state));
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 61), ==, DOWNBEAT_NOTICE_SHOW);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 1 hour");
}

/* Down, back, mute, down, unmute, up, with the server's answer to the first "down" arriving
 * after its incident ended: the next incident, never shown, gets nothing, and no empty
 * summary. */
static void
test_late_result_of_ended_incident (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  guint first;

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  first = fixture->notice.incident;
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 2);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  downbeat_notice_taken (&fixture->state, first, TRUE, 7);

  fixture->rules.muted = TRUE;
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 3), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpuint (fixture->notice.incident, !=, first);
  fixture->rules.muted = FALSE;
  /* Other evidence, the same level. */
  {
    g_autoptr(DownbeatReport) report = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 4);

    add_probe (report, "Web player", TRUE);
    downbeat_notice_clear (&fixture->notice);
    downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
    g_assert_cmpint (fixture->notice.action, ==, DOWNBEAT_NOTICE_NONE);
  }
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 5), ==, DOWNBEAT_NOTICE_NONE);
}

/* A run that starts with an incident an earlier run told the user of. */
static void
test_resume (Fixture       *fixture,
             gconstpointer  user_data)
{
  DownbeatAnnouncement announcement = {
    .since = g_date_time_to_unix (fixture->start), .level = DOWNBEAT_LEVEL_OUTAGE,
    .worst = DOWNBEAT_LEVEL_OUTAGE, .summary = "Spotify is down",
    .body = "Login and Web API are not answering", .urgency = DOWNBEAT_URGENCY_CRITICAL,
    .server_id = 42,
  };
  g_autoptr(DownbeatAnnouncement) kept = NULL;

  /* Found up: "back", for at most the time since it began. */
  g_assert_cmpuint (downbeat_notice_resume (&fixture->state, &announcement), ==, 1);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_UNKNOWN, 100), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 125), ==, DOWNBEAT_NOTICE_SHOW);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_true (fixture->notice.recovery);
  g_assert_cmpuint (fixture->notice.incident, ==, 1);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Down for at most 2 hours 5 minutes: "
                   "it came back while Downbeat was not running");
  g_assert_true (downbeat_notice_admit (&fixture->notice, 1));
  g_assert_null (downbeat_notice_announcement (&fixture->state));

  /* Found still down: taken up without a second "down"; its end said as usual. */
  downbeat_notice_state_clear (&fixture->state);
  fixture->state.incidents = 0;
  downbeat_notice_resume (&fixture->state, &announcement);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 100), ==, DOWNBEAT_NOTICE_NONE);
  kept = downbeat_notice_announcement (&fixture->state);
  g_assert_true (downbeat_announcement_equal (kept, &announcement));
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 130);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_cmpstr (fixture->notice.body, ==, "Down for 2 hours 10 minutes");

  /* Nothing that could be taken up is. */
  downbeat_notice_state_clear (&fixture->state);
  announcement.level = DOWNBEAT_LEVEL_OPERATIONAL;
  g_assert_cmpuint (downbeat_notice_resume (&fixture->state, &announcement), ==, 0);
  g_assert_null (fixture->state.since);
}

/* What does not count is said plainly; a developer page that is not watched is not said. */
static void
test_body_says_what_does_not_count (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(DownbeatReport) report = report_at (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  DownbeatProbeSpec spec = { .id = "web-player", .name = "Web player" };
  DownbeatProbeStatus *player = downbeat_probe_status_new (&spec);

  player->result = g_new0 (DownbeatProbeResult, 1);
  player->result->http_status = 403;
  player->result->outcome = DOWNBEAT_OUTCOME_MISMATCH;
  player->confirmation.fails = 3;
  player->confirmation.failing = TRUE;
  player->confirmation.mismatch = TRUE;
  g_ptr_array_add (report->probes, player);
  add_major_incident (report, "Spotify for Developers")->counted = FALSE;

  downbeat_notice_decide (&fixture->state, &fixture->rules, report, &fixture->notice);
  assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Login and Web API are not answering.\n"
                   "Web player: not seen working from this computer yet — this check may be outdated.");
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
                   "Login and Web API are not answering.\n"
                   "Downbeat noticed this 14 minutes before Spotify's status page.");

  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 82);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Down for 1 hour 12 minutes.\n"
                   "Downbeat noticed this 14 minutes before Spotify's status page.");
}

static void
test_lead_never_acknowledged (Fixture       *fixture,
                              gconstpointer  user_data)
{
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed_lead (fixture, DOWNBEAT_LEVEL_DEGRADED, 10, 10, -1);
  feed (fixture, DOWNBEAT_LEVEL_OFFLINE, 20);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 40);
  assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_cmpstr (fixture->notice.body, ==,
                   "Had problems for 30 minutes.\n"
                   "Spotify's status page never acknowledged this.");

  /* The next incident starts with nothing of this one's. */
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 50);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 60);
  g_assert_cmpstr (fixture->notice.body, ==, "Had problems for 10 minutes");
}

/* The model: random sequences of everything that can happen to the notifier — level changes,
 * mute, settings, "Notify Me When It's Back", what the server does with each delivery and when
 * its answer comes back, the user closing the notification — against the decisions above and
 * the delivery side's admission (the courier's libnotify calls replaced by a model server).
 * After each step: never an empty summary; "back" only after the same incident's problem was
 * taken by the server, or when asked; at most one open notification per incident; a muted
 * incident's end is not news. */

typedef struct
{
  DownbeatNotice notice;
  DownbeatLevel  level;
  guint32        adopt_id;
} ModelDelivery;

typedef struct
{
  gboolean closed;    /* else a result */
  guint    incident;
  gboolean shown;
  guint32  id;
} ModelHandback;

typedef struct
{
  guint32 id;
  guint   incident;  /* model_incident()'s */
  char    *summary;
} ModelNote;

typedef struct
{
  GRand               *rand;
  GString             *log;
  DownbeatNoticeState  state;
  DownbeatNoticeRules  rules;
  int                  minutes;
  GQueue               deliveries;    /* main → courier, in order */
  GQueue               handbacks;     /* courier → main, in order */
  /* Runs: incidents are numbered afresh in each; one taken up keeps its earlier number. */
  guint                run;
  guint                resumed;       /* as the notifier's: the incident taken up… */
  guint32              adopt_id;      /* …and its notification, until first delivered */
  guint                resumed_as;    /* model_incident() of the incident taken up */
  /* The courier's, as in downbeat-notifier.c. */
  guint32              id;            /* its notification's, 0 before one was taken */
  guint                incident;
  guint                shown_incident;
  /* The server. */
  gboolean             server_up;
  guint32              next_id;
  GPtrArray           *open;          /* of ModelNote */
  GHashTable          *took_problem;  /* incidents whose problem notification was taken */
  gboolean             put_away;      /* the notifier knows the user closed the incident's
                                       * notification, and no level changed since */
  char                *failure;
} Model;

static void
model_note_free (ModelNote *note)
{
  g_free (note->summary);
  g_free (note);
}

static void
model_fail (Model      *model,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
model_fail (Model      *model,
            const char *format,
            ...)
{
  va_list args;

  if (model->failure != NULL)
    return;
  va_start (args, format);
  model->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

/* An incident's number across runs. */
static guint
model_incident (Model *model,
                guint  incident)
{
  /* A run that takes one up gives it its first number. */
  if (incident == 1 && model->resumed_as != 0)
    return model->resumed_as;
  return model->run * 1000 + incident;
}

static ModelNote *
model_open_note (Model   *model,
                 guint32  id)
{
  for (guint i = 0; i < model->open->len; i++)
    {
      ModelNote *note = g_ptr_array_index (model->open, i);

      if (id != 0 && note->id == id)
        return note;
    }
  return NULL;
}

static void
model_check_open (Model *model)
{
  for (guint i = 0; i < model->open->len; i++)
    for (guint j = i + 1; j < model->open->len; j++)
      {
        ModelNote *a = g_ptr_array_index (model->open, i);
        ModelNote *b = g_ptr_array_index (model->open, j);

        if (a->incident == b->incident)
          model_fail (model, "two notifications open for incident %u: '%s' and '%s'",
                      a->incident, a->summary, b->summary);
      }
}

static GDateTime *
model_now (Model *model)
{
  return g_date_time_new_from_unix_utc (1795000000 + model->minutes * 60);
}

/* What the notifier would hand the courier: @notice, taken. Quiet hours let through only what
 * the user asked for. */
static void
model_deliver (Model          *model,
               DownbeatNotice *notice,
               DownbeatLevel   level)
{
  g_autoptr(GDateTime) now = model_now (model);
  ModelDelivery *delivery;

  if (notice->action == DOWNBEAT_NOTICE_SHOW && !notice->asked
      && downbeat_notice_is_quiet (&model->rules, now))
    model_fail (model, "'%s' shown within quiet hours", notice->summary);
  if (notice->action == DOWNBEAT_NOTICE_NONE)
    {
      downbeat_notice_clear (notice);
      return;
    }

  delivery = g_new0 (ModelDelivery, 1);
  delivery->notice = *notice;
  delivery->level = level;
  if (model->resumed != 0 && model->resumed == notice->incident)
    {
      delivery->adopt_id = model->adopt_id;
      model->resumed = 0;
    }
  g_queue_push_tail (&model->deliveries, delivery);
}

static void
model_report (Model         *model,
              DownbeatLevel  level)
{
  g_autoptr(DownbeatReport) report = downbeat_report_new ();
  const char *names[] = { "Login", "Web API", "Web player" };
  DownbeatLevel previous = model->state.last;
  gboolean resumed = model->state.resumed;
  gboolean problem = model->state.worst == DOWNBEAT_LEVEL_DEGRADED
                     || model->state.worst == DOWNBEAT_LEVEL_OUTAGE;
  gboolean to_say = problem && (model->state.when_back
                                || (model->state.shown && model->rules.notify_recovery
                                    && !model->rules.muted));
  DownbeatNotice notice;

  report->level = level;
  report->service_name = g_strdup ("Spotify");
  model->minutes += g_rand_int_range (model->rand, 1, 30);
  report->checked_at = model_now (model);
  /* Evidence that changes within a level, so that updates in place happen. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DownbeatProbeSpec spec = { .id = (char *) names[i], .name = (char *) names[i] };
      DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);
      gboolean failing = (level == DOWNBEAT_LEVEL_DEGRADED || level == DOWNBEAT_LEVEL_OUTAGE)
                         && g_rand_boolean (model->rand);

      status->confirmation.failing = failing;
      status->confirmation.counts = failing;
      g_ptr_array_add (report->probes, status);
    }

  downbeat_notice_decide (&model->state, &model->rules, report, &notice);
  g_string_append_printf (model->log, " -> %s", downbeat_level_to_string (level));
  if (notice.action == DOWNBEAT_NOTICE_SHOW)
    g_string_append_printf (model->log, " [show #%u '%s']", notice.incident,
                            notice.summary != NULL ? notice.summary : "(null)");
  else if (notice.action == DOWNBEAT_NOTICE_CLOSE)
    g_string_append_printf (model->log, " [close #%u]", notice.incident);

  if (notice.action == DOWNBEAT_NOTICE_SHOW && (notice.summary == NULL || *notice.summary == '\0'))
    model_fail (model, "a notification without a summary");
  if (notice.recovery && model->rules.muted && !notice.asked)
    model_fail (model, "'back' decided while muted, not asked for");
  if (notice.action == DOWNBEAT_NOTICE_SHOW && level == previous && model->put_away)
    model_fail (model, "'%s' raised again, the level unchanged, after the user closed it",
                notice.summary);
  if (level != previous)
    model->put_away = FALSE;
  /* Within quiet hours its end only withdraws what was shown. */
  if (resumed && level == DOWNBEAT_LEVEL_OPERATIONAL && to_say && !notice.recovery
      && !(notice.action == DOWNBEAT_NOTICE_CLOSE
           && downbeat_notice_is_quiet (&model->rules, report->checked_at)))
    model_fail (model, "a run that finds Spotify up does not end the incident taken up");

  model_deliver (model, &notice, level);
}

/* Time goes by without a report (the app asleep, or a long poll): reminders and the end of
 * quiet hours come by the clock. */
static void
model_tick (Model *model)
{
  g_autoptr(GDateTime) now = NULL;
  DownbeatLevel level = model->state.last;
  DownbeatNotice notice;

  model->minutes += g_rand_int_range (model->rand, 1, 240);
  now = model_now (model);
  downbeat_notice_tick (&model->state, &model->rules, now, &notice);
  g_string_append (model->log, " tick");
  if (notice.action == DOWNBEAT_NOTICE_SHOW)
    {
      g_string_append_printf (model->log, " [show #%u '%s']", notice.incident, notice.summary);
      if (notice.recovery || notice.incident != model->state.incident)
        model_fail (model, "a tick told of other than the incident going on");
      if (level != DOWNBEAT_LEVEL_DEGRADED && level != DOWNBEAT_LEVEL_OUTAGE
          && level != DOWNBEAT_LEVEL_MAINTENANCE)
        model_fail (model, "a tick told of an incident at %s", downbeat_level_to_string (level));
      if (model->rules.muted)
        model_fail (model, "a tick told of an incident while muted");
      /* A reminder brings back what expired: a later report may tell it if this one is not
       * taken. */
      model->put_away = FALSE;
    }
  else if (notice.action != DOWNBEAT_NOTICE_NONE)
    model_fail (model, "a tick did other than show");
  model_deliver (model, &notice, level);
}

/* Reminders every 0 to 3 hours; quiet hours on or off, a few hours long, any time of the day. */
static void
model_time_rules (Model *model)
{
  model->rules.remind_every_hours = g_rand_int_range (model->rand, 0, 4);
  model->rules.quiet_hours = g_rand_boolean (model->rand);
  model->rules.quiet_from = 60 * g_rand_int_range (model->rand, 0, 24);
  model->rules.quiet_until = (model->rules.quiet_from
                              + 60 * g_rand_int_range (model->rand, 1, 12)) % (24 * 60);
  g_string_append_printf (model->log, " remind=%u quiet=%d(%u-%u)",
                          model->rules.remind_every_hours, model->rules.quiet_hours,
                          model->rules.quiet_from, model->rules.quiet_until);
}

static void
model_hand_back (Model    *model,
                 gboolean  closed,
                 guint     incident,
                 gboolean  shown,
                 guint32   id)
{
  ModelHandback *handback = g_new0 (ModelHandback, 1);

  *handback = (ModelHandback) { closed, incident, shown, id };
  g_queue_push_tail (&model->handbacks, handback);
}

/* deliver_in_courier(), with a model server behind libnotify. */
static void
model_courier_step (Model *model)
{
  ModelDelivery *delivery = g_queue_pop_head (&model->deliveries);
  DownbeatNotice *notice;

  if (delivery == NULL)
    return;
  notice = &delivery->notice;

  if (delivery->adopt_id != 0)
    {
      model->id = delivery->adopt_id;
      model->incident = model->shown_incident = notice->incident;
    }

  if (notice->action == DOWNBEAT_NOTICE_SHOW
      && downbeat_notice_admit (notice, model->shown_incident))
    {
      ModelNote *note;

      if (model->incident != notice->incident)
        model->id = 0;
      model->incident = notice->incident;
      note = model_open_note (model, model->id);

      if (!model->server_up)
        {
          g_string_append_printf (model->log, " {refused #%u}", notice->incident);
          model_hand_back (model, FALSE, notice->incident, FALSE, 0);
        }
      else
        {
          if (note == NULL)
            {
              note = g_new0 (ModelNote, 1);
              note->id = model->id = ++model->next_id;
              g_ptr_array_add (model->open, note);
            }
          else if (note->incident != model_incident (model, notice->incident))
            model_fail (model, "incident %u's notice replaced incident %u's notification",
                        model_incident (model, notice->incident), note->incident);
          note->incident = model_incident (model, notice->incident);
          g_free (note->summary);
          note->summary = g_strdup (notice->summary);
          g_string_append_printf (model->log, " {shown #%u as %u}", notice->incident, note->id);

          if (notice->recovery && !notice->asked
              && !g_hash_table_contains (model->took_problem, GUINT_TO_POINTER (note->incident)))
            model_fail (model, "'back' shown for incident %u, whose problem was never shown",
                        note->incident);
          if (!notice->recovery)
            g_hash_table_add (model->took_problem, GUINT_TO_POINTER (note->incident));
          model->shown_incident = notice->incident;
          model_hand_back (model, FALSE, notice->incident, TRUE, note->id);
          model_check_open (model);
        }
    }
  else if (model->incident == notice->incident)
    {
      ModelNote *note = model_open_note (model, model->id);

      if (note != NULL)
        g_ptr_array_remove (model->open, note);
      g_string_append_printf (model->log, " {closed #%u}", notice->incident);
    }

  downbeat_notice_clear (notice);
  g_free (delivery);
}

static void
model_main_step (Model *model)
{
  ModelHandback *handback = g_queue_pop_head (&model->handbacks);

  if (handback == NULL)
    return;
  if (handback->closed)
    {
      downbeat_notice_closed (&model->state, handback->incident);
      model->put_away |= handback->incident == model->state.incident;
    }
  else
    {
      downbeat_notice_taken (&model->state, handback->incident, handback->shown, handback->id);
      model->put_away &= !(handback->shown && handback->incident == model->state.incident);
    }
  g_free (handback);
}

/* The user closes the courier's notification (libnotify says so on the courier's thread). */
static void
model_user_closes (Model *model)
{
  ModelNote *note = model_open_note (model, model->id);

  if (note == NULL)
    return;
  g_string_append_printf (model->log, " {user closed %u}", note->id);
  g_ptr_array_remove (model->open, note);
  model->id = 0;
  model_hand_back (model, TRUE, model->incident, FALSE, 0);
}

static void
model_delivery_free (ModelDelivery *delivery)
{
  downbeat_notice_clear (&delivery->notice);
  g_free (delivery);
}

/* The app quits, cleanly (what is on its way is delivered) or killed, and starts again with
 * what the history kept of the incident: a new courier, a server that kept what it showed. */
static void
model_restart (Model *model)
{
  g_autoptr(DownbeatAnnouncement) announcement = NULL;
  guint incident = model->state.incident;
  DownbeatLevel last = model->state.last;

  if (g_rand_boolean (model->rand))
    {
      g_string_append (model->log, " quit");
      while (model->deliveries.length > 0 || model->handbacks.length > 0)
        {
          model_courier_step (model);
          model_main_step (model);
        }
    }
  else
    {
      /* What was not delivered is lost. (A kill between the server's answer and the main
       * thread's hearing of it is not modelled: the next run would not know the
       * notification's id, and its "back" would be one of its own.) */
      g_string_append (model->log, " killed");
      g_queue_clear_full (&model->deliveries, (GDestroyNotify) model_delivery_free);
      while (model->handbacks.length > 0)
        model_main_step (model);
    }
  announcement = downbeat_notice_announcement (&model->state);

  if (announcement != NULL)
    model->resumed_as = model_incident (model, incident);
  else
    model->resumed_as = 0;
  downbeat_notice_state_clear (&model->state);
  model->state = (DownbeatNoticeState) { .last = DOWNBEAT_LEVEL_UNKNOWN,
                                         .worst = DOWNBEAT_LEVEL_UNKNOWN };
  model->run++;
  model->id = 0;
  model->incident = model->shown_incident = 0;
  model->put_away = FALSE;

  model->resumed = downbeat_notice_resume (&model->state, announcement);
  model->adopt_id = model->resumed != 0 ? announcement->server_id : 0;
  if (model->resumed == 0)
    model->resumed_as = 0;
  else
    g_string_append_printf (model->log, " (resumed #%u at %s)", model->resumed_as,
                            downbeat_level_to_string (last));
}

static void
model_step (Model *model)
{
  switch (g_rand_int_range (model->rand, 0, 15))
    {
    case 0: case 1: case 2:
      {
        static const DownbeatLevel levels[] = {
          DOWNBEAT_LEVEL_OPERATIONAL, DOWNBEAT_LEVEL_OPERATIONAL, DOWNBEAT_LEVEL_DEGRADED,
          DOWNBEAT_LEVEL_OUTAGE, DOWNBEAT_LEVEL_OUTAGE, DOWNBEAT_LEVEL_MAINTENANCE,
          DOWNBEAT_LEVEL_OFFLINE, DOWNBEAT_LEVEL_UNKNOWN,
        };
        model_report (model, levels[g_rand_int_range (model->rand, 0, G_N_ELEMENTS (levels))]);
      }
      break;
    case 3:
      model->rules.muted = !model->rules.muted;
      g_string_append (model->log, model->rules.muted ? " mute" : " unmute");
      break;
    case 4:
      {
        gboolean *rules[] = { &model->rules.notify_degraded, &model->rules.notify_recovery,
                              &model->rules.notify_maintenance };
        guint which = g_rand_int_range (model->rand, 0, G_N_ELEMENTS (rules));

        *rules[which] = !*rules[which];
        g_string_append_printf (model->log, " setting%u=%d", which, *rules[which]);
      }
      break;
    case 5:
      if (downbeat_notice_ask_when_back (&model->state))
        g_string_append (model->log, " when-back");
      break;
    case 6: case 7:
      model_courier_step (model);
      break;
    case 8: case 9:
      model_main_step (model);
      break;
    case 10:
      model_user_closes (model);
      break;
    case 11:
      model->server_up = !model->server_up;
      g_string_append (model->log, model->server_up ? " server-up" : " server-gone");
      break;
    case 12:
      model_restart (model);
      break;
    case 13:
      model_tick (model);
      break;
    case 14:
      model_time_rules (model);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Ticks the model at @minutes after the fixture's start; the decision is left in
 * fixture->notice. */
static DownbeatNoticeAction
tick (Fixture *fixture,
      int      minutes)
{
  g_autoptr(GDateTime) now = g_date_time_add_minutes (fixture->start, minutes);

  downbeat_notice_clear (&fixture->notice);
  downbeat_notice_tick (&fixture->state, &fixture->rules, now, &fixture->notice);
  return fixture->notice.action;
}

/* When the model wants its next tick, in minutes after the fixture's start; -1 for never. */
static gint64
next_tick (Fixture *fixture,
           int      minutes)
{
  g_autoptr(GDateTime) now = g_date_time_add_minutes (fixture->start, minutes);
  gint64 at = downbeat_notice_next_tick (&fixture->state, &fixture->rules, now);

  return at == 0 ? -1 : (at - g_date_time_to_unix (fixture->start)) / 60;
}

/* A reminder re-shows the incident's own notification, every so many hours of it: not once the
 * user put it away (one that expired, it brings back), nor muted, nor after "back". */
static void
test_reminders (Fixture       *fixture,
                gconstpointer  user_data)
{
  enum { OPEN, EXPIRED, DISMISSED };
  const struct
  {
    const char    *what;
    DownbeatLevel  level;
    guint          every;
    gboolean       muted;
    int            closed;
    gboolean       back;
    int            minutes;    /* after the incident's start, which is at minute 1 */
    const char    *summary;    /* of the reminder; NULL for none */
    const char    *duration;
  } rows[] = {
    { "outage, early", DOWNBEAT_LEVEL_OUTAGE, 2, FALSE, OPEN, FALSE, 119, NULL, NULL },
    { "outage", DOWNBEAT_LEVEL_OUTAGE, 2, FALSE, OPEN, FALSE, 120, "Spotify is still down",
      "For 2 hours so far" },
    { "expired", DOWNBEAT_LEVEL_OUTAGE, 2, FALSE, EXPIRED, FALSE, 120, "Spotify is still down",
      "For 2 hours so far" },
    { "outage, off", DOWNBEAT_LEVEL_OUTAGE, 0, FALSE, OPEN, FALSE, 600, NULL, NULL },
    { "problems", DOWNBEAT_LEVEL_DEGRADED, 4, FALSE, OPEN, FALSE, 250,
      "Spotify still has problems", "For 4 hours 10 minutes so far" },
    { "maintenance", DOWNBEAT_LEVEL_MAINTENANCE, 2, FALSE, OPEN, FALSE, 120, NULL, NULL },
    { "muted", DOWNBEAT_LEVEL_OUTAGE, 2, TRUE, OPEN, FALSE, 120, NULL, NULL },
    { "put away", DOWNBEAT_LEVEL_OUTAGE, 2, FALSE, DISMISSED, FALSE, 120, NULL, NULL },
    { "back", DOWNBEAT_LEVEL_OUTAGE, 2, FALSE, OPEN, TRUE, 120, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint incident;

      g_test_message ("%s", rows[i].what);
      downbeat_notice_state_clear (&fixture->state);
      fixture->rules = (DownbeatNoticeRules) { TRUE, TRUE, TRUE, FALSE,
                                               .remind_every_hours = rows[i].every };
      feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
      feed (fixture, rows[i].level, 1);
      incident = fixture->notice.incident;
      if (rows[i].closed == EXPIRED)
        downbeat_notice_closed (&fixture->state, incident);
      else if (rows[i].closed == DISMISSED)
        downbeat_notice_dismissed (&fixture->state, incident);
      if (rows[i].back)
        feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 30);
      fixture->rules.muted = rows[i].muted;

      if (rows[i].summary == NULL)
        {
          g_assert_cmpint (tick (fixture, 1 + rows[i].minutes), ==, DOWNBEAT_NOTICE_NONE);
          continue;
        }
      g_assert_cmpint (next_tick (fixture, 2), ==, 1 + 60 * rows[i].every);
      g_assert_cmpint (tick (fixture, 1 + rows[i].minutes), ==, DOWNBEAT_NOTICE_SHOW);
      g_assert_cmpstr (fixture->notice.summary, ==, rows[i].summary);
      g_assert_cmpint (fixture->notice.urgency, ==, fixture->state.urgency);
      g_assert_cmpuint (fixture->notice.incident, ==, incident);
      g_assert_true (g_str_has_prefix (fixture->notice.body, rows[i].duration));
      g_assert_true (g_str_has_suffix (fixture->notice.body,
                                       "\nLogin and Web API are not answering."));
      /* Once a period; one missed (asleep) is not made up for. */
      g_assert_cmpint (tick (fixture, 2 + rows[i].minutes), ==, DOWNBEAT_NOTICE_NONE);
      g_assert_cmpint (next_tick (fixture, 2 + rows[i].minutes), ==, 1 + 120 * rows[i].every);
      g_assert_cmpint (tick (fixture, 1 + 5 * 60 * rows[i].every), ==, DOWNBEAT_NOTICE_SHOW);
      g_assert_cmpint (tick (fixture, 1 + 5 * 60 * rows[i].every + 60), ==,
                       DOWNBEAT_NOTICE_NONE);
      /* The next report compares its evidence with the notification's, not the reminder's. */
      g_assert_cmpint (feed (fixture, rows[i].level, 3 + 5 * 60 * rows[i].every), ==,
                       DOWNBEAT_NOTICE_NONE);
    }

  /* Every 2 hours, then every 8: the next at the incident's 8th hour, not its 16th. */
  downbeat_notice_state_clear (&fixture->state);
  fixture->rules = (DownbeatNoticeRules) { TRUE, TRUE, FALSE, FALSE, .remind_every_hours = 2 };
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  g_assert_cmpint (tick (fixture, 1 + 6 * 60), ==, DOWNBEAT_NOTICE_SHOW);
  fixture->rules.remind_every_hours = 8;
  g_assert_cmpint (next_tick (fixture, 7 * 60), ==, 1 + 8 * 60);
  g_assert_cmpint (tick (fixture, 7 * 60), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (tick (fixture, 1 + 8 * 60), ==, DOWNBEAT_NOTICE_SHOW);
  g_assert_cmpstr (fixture->notice.summary, ==, "Spotify is still down");

  /* Three hours of maintenance (no reminders), then an outage: its "down" is not replaced by a
   * reminder at once; the next comes at the incident's next whole period. */
  downbeat_notice_state_clear (&fixture->state);
  fixture->rules = (DownbeatNoticeRules) { TRUE, TRUE, TRUE, FALSE, .remind_every_hours = 2 };
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_MAINTENANCE, 1);
  feed (fixture, DOWNBEAT_LEVEL_MAINTENANCE, 1 + 180);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1 + 181), ==, DOWNBEAT_NOTICE_SHOW);
  g_assert_cmpint (next_tick (fixture, 1 + 182), ==, 1 + 4 * 60);
  g_assert_cmpint (tick (fixture, 1 + 183), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (tick (fixture, 1 + 4 * 60), ==, DOWNBEAT_NOTICE_SHOW);
}

static void
set_local_time_zone (const char *identifier)
{
  g_setenv ("TZ", identifier, TRUE);
}

static void
test_quiet_hours_span (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const struct
  {
    guint       from;
    guint       until;
    const char *at;      /* Europe/Berlin */
    gboolean    quiet;
  } rows[] = {
    { 22 * 60, 7 * 60, "2026-11-28T21:59:59+01:00", FALSE },
    { 22 * 60, 7 * 60, "2026-11-28T22:00:00+01:00", TRUE },
    { 22 * 60, 7 * 60, "2026-11-29T03:00:00+01:00", TRUE },
    { 22 * 60, 7 * 60, "2026-11-29T06:59:00+01:00", TRUE },
    { 22 * 60, 7 * 60, "2026-11-29T07:00:00+01:00", FALSE },
    { 22 * 60, 7 * 60, "2026-11-29T12:00:00+01:00", FALSE },
    /* The night the clocks go forward, and the one they go back: the wall clock's hours. */
    { 22 * 60, 7 * 60, "2026-03-29T06:30:00+02:00", TRUE },
    { 22 * 60, 7 * 60, "2026-03-29T07:00:00+02:00", FALSE },
    { 22 * 60, 7 * 60, "2026-10-25T06:30:00+01:00", TRUE },
    { 22 * 60, 7 * 60, "2026-10-25T07:00:00+01:00", FALSE },
    /* Within one day. */
    { 13 * 60, 14 * 60 + 30, "2026-11-28T13:29:00+01:00", TRUE },
    { 13 * 60, 14 * 60 + 30, "2026-11-28T14:30:00+01:00", FALSE },
    { 13 * 60, 14 * 60 + 30, "2026-11-28T12:59:00+01:00", FALSE },
    /* Ending where it begins: empty. */
    { 8 * 60, 8 * 60, "2026-11-28T08:00:00+01:00", FALSE },
  };

  set_local_time_zone ("Europe/Berlin");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DownbeatNoticeRules rules = { .quiet_hours = TRUE, .quiet_from = rows[i].from,
                                    .quiet_until = rows[i].until };
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (rows[i].at, NULL);

      g_test_message ("%u to %u at %s", rows[i].from, rows[i].until, rows[i].at);
      g_assert_cmpint (downbeat_notice_is_quiet (&rules, at), ==, rows[i].quiet);
      rules.quiet_hours = FALSE;
      g_assert_false (downbeat_notice_is_quiet (&rules, at));
    }
  set_local_time_zone ("UTC");
}

static void
start_at (Fixture    *fixture,
          const char *iso8601)
{
  g_date_time_unref (fixture->start);
  fixture->start = g_date_time_new_from_iso8601 (iso8601, NULL);
  fixture->rules.quiet_hours = TRUE;
  fixture->rules.quiet_from = 22 * 60;
  fixture->rules.quiet_until = 7 * 60;
}

/* In quiet hours (22:00 → 07:00) nothing pops up; an incident still going at their end is told
 * then, with how long it has lasted; one that ended within them, never. */
static void
test_quiet_hours_hold (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const struct
  {
    const char *start;     /* Europe/Berlin, half an hour into quiet hours */
    int         until;     /* minutes to 07:00 local time */
  } nights[] = {
    { "2026-11-28T22:30:00+01:00", 510 },
    { "2026-03-28T22:30:00+01:00", 450 },  /* an hour shorter: the clocks go forward */
    { "2026-10-24T22:30:00+02:00", 570 },  /* an hour longer: they go back */
  };

  set_local_time_zone ("Europe/Berlin");
  for (guint i = 0; i < G_N_ELEMENTS (nights); i++)
    {
      g_test_message ("%s", nights[i].start);
      downbeat_notice_state_clear (&fixture->state);
      start_at (fixture, nights[i].start);
      feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
      g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1), ==, DOWNBEAT_NOTICE_NONE);
      g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 2), ==, DOWNBEAT_NOTICE_NONE);
      g_assert_cmpint (next_tick (fixture, 2), ==, nights[i].until);
      g_assert_cmpint (tick (fixture, nights[i].until - 1), ==, DOWNBEAT_NOTICE_NONE);
      g_assert_cmpint (tick (fixture, nights[i].until), ==, DOWNBEAT_NOTICE_SHOW);
      assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
      g_assert_true (g_str_has_prefix (fixture->notice.body, "For "));
      g_assert_true (g_str_has_suffix (fixture->notice.body,
                                       "so far.\nLogin and Web API are not answering."));
      g_assert_cmpint (next_tick (fixture, nights[i].until), ==, -1);
      /* Shown now: its end is news. */
      feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, nights[i].until + 5);
      assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
    }

  /* Began and ended within them: not told afterwards. */
  downbeat_notice_state_clear (&fixture->state);
  start_at (fixture, nights[0].start);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  g_assert_cmpint (feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 60), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (next_tick (fixture, 60), ==, -1);
  g_assert_cmpint (tick (fixture, nights[0].until), ==, DOWNBEAT_NOTICE_NONE);

  /* Shown before them, back within them: withdrawn, no banner; unless "back" was asked for. */
  for (guint asked = 0; asked <= 1; asked++)
    {
      downbeat_notice_state_clear (&fixture->state);
      start_at (fixture, "2026-11-28T21:00:00+01:00");
      feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
      feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
      assert_shows (fixture, "Spotify is down", DOWNBEAT_URGENCY_CRITICAL);
      if (asked)
        downbeat_notice_ask_when_back (&fixture->state);
      feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 90);
      if (asked)
        assert_shows (fixture, "Spotify is back", DOWNBEAT_URGENCY_NORMAL);
      else
        g_assert_cmpint (fixture->notice.action, ==, DOWNBEAT_NOTICE_CLOSE);
      g_assert_cmpint (next_tick (fixture, 90), ==, -1);
    }

  /* What it says at the end is the latest; quiet hours turned off end them too. */
  downbeat_notice_state_clear (&fixture->state);
  start_at (fixture, nights[0].start);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  feed (fixture, DOWNBEAT_LEVEL_DEGRADED, 30);
  fixture->rules.quiet_hours = FALSE;
  g_assert_cmpint (next_tick (fixture, 40), ==, 40);
  g_assert_cmpint (tick (fixture, 40), ==, DOWNBEAT_NOTICE_SHOW);
  assert_shows (fixture, "Spotify is partly back", DOWNBEAT_URGENCY_NORMAL);
  g_assert_true (g_str_has_prefix (fixture->notice.body, "For 39 minutes so far.\n"));

  /* Muted at their end: dropped, as a mute drops everything. */
  downbeat_notice_state_clear (&fixture->state);
  start_at (fixture, nights[0].start);
  feed (fixture, DOWNBEAT_LEVEL_OPERATIONAL, 0);
  feed (fixture, DOWNBEAT_LEVEL_OUTAGE, 1);
  fixture->rules.muted = TRUE;
  g_assert_cmpint (tick (fixture, nights[0].until), ==, DOWNBEAT_NOTICE_NONE);
  g_assert_cmpint (next_tick (fixture, nights[0].until), ==, -1);
  set_local_time_zone ("UTC");
}

static void
test_model (void)
{
  guint sequences = g_test_slow () ? 200000 : 20000;

  for (guint seed = 1; seed <= sequences; seed++)
    {
      Model model = {
        .rand = g_rand_new_with_seed (seed),
        .log = g_string_new (NULL),
        .state = { .last = DOWNBEAT_LEVEL_UNKNOWN, .worst = DOWNBEAT_LEVEL_UNKNOWN },
        .rules = { TRUE, TRUE, FALSE, FALSE },
        .server_up = TRUE,
        .open = g_ptr_array_new_with_free_func ((GDestroyNotify) model_note_free),
        .took_problem = g_hash_table_new (NULL, NULL),
      };

      for (guint step = 0; step < 60 && model.failure == NULL; step++)
        model_step (&model);
      /* And everything still on its way arrives. */
      while (model.failure == NULL && (model.deliveries.length > 0 || model.handbacks.length > 0))
        {
          model_courier_step (&model);
          model_main_step (&model);
        }

      if (model.failure != NULL)
        g_error ("Sequence %u: %s\n  after:%s", seed, model.failure, model.log->str);

      g_queue_clear_full (&model.deliveries, (GDestroyNotify) model_delivery_free);
      g_queue_clear_full (&model.handbacks, g_free);
      downbeat_notice_state_clear (&model.state);
      g_ptr_array_unref (model.open);
      g_hash_table_unref (model.took_problem);
      g_string_free (model.log, TRUE);
      g_rand_free (model.rand);
    }
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
  ADD ("/notice/advice-follows-the-failures", test_advice_follows_the_failures);
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
  ADD ("/notice/late-result-of-ended-incident", test_late_result_of_ended_incident);
  ADD ("/notice/resume", test_resume);
  ADD ("/notice/reminders", test_reminders);
  ADD ("/notice/quiet-hours-span", test_quiet_hours_span);
  ADD ("/notice/quiet-hours-hold", test_quiet_hours_hold);
  g_test_add_func ("/notice/model", test_model);

  return g_test_run ();
}
