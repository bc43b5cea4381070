/* test-report-words.c: a report in words, as every front end gets it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-report-words.h"

typedef enum
{
  UNCHECKED,
  WORKS,
  SLOW,
  FAILS,      /* a failure being confirmed */
  DOWN,       /* a confirmed failure that counts */
  MISMATCH,   /* a confirmed mismatch that counts */
  UNPROVEN,   /* a mismatch never seen working here */
  OUTDATED,   /* a mismatch for hours, while the rest works */
  DEVELOPER,  /* a failing developer service nobody watches */
} Shape;

static DownbeatProbeStatus *
probe (const char *name,
       Shape       shape)
{
  DownbeatProbeSpec spec = { .id = (char *) name, .name = (char *) name };
  DownbeatProbeStatus *status = downbeat_probe_status_new (&spec);
  DownbeatConfirmation *state = &status->confirmation;
  DownbeatProbeResult *result;

  if (shape == UNCHECKED)
    return status;

  result = status->result = g_new0 (DownbeatProbeResult, 1);
  result->ok = shape == WORKS || shape == SLOW;
  result->slow = shape == SLOW;
  result->http_status = result->ok ? 401 : 0;
  result->latency_ms = shape == SLOW ? 4200 : 120;
  result->error = result->ok ? NULL : g_strdup ("connection refused");
  state->proven = shape != UNPROVEN;
  state->outdated = shape == OUTDATED;
  state->mismatch = shape == MISMATCH || shape == UNPROVEN || shape == OUTDATED;
  state->fails = result->ok ? 0 : shape == FAILS ? 2 : 3;
  state->failing = shape == DOWN || shape == MISMATCH;
  state->slow = shape == SLOW;
  state->counts = shape == SLOW || shape == DOWN || shape == MISMATCH;
  status->counted = shape != DEVELOPER;
  return status;
}

/* Each probe's mark, its name for a screen reader, its line and why it does not count. */
static void
test_probe (void)
{
  static const struct {
    Shape             shape;
    DownbeatProbeMark mark;
    const char       *name;
    const char       *detail;
    const char       *note;
  } rows[] = {
    { UNCHECKED, DOWNBEAT_PROBE_MARK_NOT_CHECKED, "Not checked", "Not checked in this cycle.",
      NULL },
    { WORKS, DOWNBEAT_PROBE_MARK_WORKING, "Working", "Answered in 120 ms · HTTP 401", NULL },
    { SLOW, DOWNBEAT_PROBE_MARK_SLOW, "Slow", "Answered in 4200 ms · HTTP 401", NULL },
    { FAILS, DOWNBEAT_PROBE_MARK_FAILING, "Failing",
      "connection refused (failed 2 times in a row; checking again)", NULL },
    { DOWN, DOWNBEAT_PROBE_MARK_FAILING, "Failing", "connection refused", NULL },
    { MISMATCH, DOWNBEAT_PROBE_MARK_FAILING, "Failing", "connection refused", NULL },
    { UNPROVEN, DOWNBEAT_PROBE_MARK_NOT_COUNTED, "Not counted", "connection refused",
      "not seen working from this computer yet — this check may be outdated" },
    { OUTDATED, DOWNBEAT_PROBE_MARK_NOT_COUNTED, "Not counted", "connection refused",
      "probably outdated: it has answered otherwise than expected for hours, and counts again "
      "once it answers as expected" },
    { DEVELOPER, DOWNBEAT_PROBE_MARK_NOT_COUNTED, "Not counted", "connection refused",
      "developer service, not counted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DownbeatProbeStatus *status = probe ("Login", rows[i].shape);
      g_autoptr(DownbeatReport) report = downbeat_report_new ();
      DownbeatProbeMark mark = downbeat_report_words_mark (status);
      g_autofree char *detail = downbeat_report_words_detail (status);
      g_autofree char *note = downbeat_report_words_note (status);
      g_autofree char *answer = downbeat_report_words_answer (status);

      g_ptr_array_add (report->probes, status);
      g_test_message ("row %u", i);
      g_assert_cmpint (mark, ==, rows[i].mark);
      g_assert_cmpstr (downbeat_report_words_mark_name (mark), ==, rows[i].name);
      g_assert_cmpstr (detail, ==, rows[i].detail);
      g_assert_cmpstr (note, ==, rows[i].note);
      g_assert_cmpstr (answer, ==, status->result != NULL && status->result->ok ? "HTTP 401"
                                                                               : NULL);
    }
}

static char *
joined (GPtrArray *lines)
{
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("|", (char **) lines->pdata);
}

/* The problem in lines: what fails, what is slow, what mismatches, then why what fails does not
 * count; a developer service nobody watches is not mentioned. */
static void
test_problems (void)
{
  static const struct {
    Shape       shapes[4];
    const char *lines;
  } rows[] = {
    { { WORKS, WORKS, UNCHECKED, WORKS }, "" },
    { { DOWN, WORKS, WORKS, WORKS }, "A is not answering" },
    { { DOWN, DOWN, DOWN, WORKS }, "A, B and C are not answering" },
    { { FAILS, SLOW, WORKS, WORKS }, "B is slow" },
    { { MISMATCH, SLOW, DOWN, SLOW }, "C is not answering|B and D are slow|"
                                      "A answers otherwise than expected" },
    { { UNPROVEN, DEVELOPER, MISMATCH, MISMATCH }, "C and D answer otherwise than expected|"
      "A: not seen working from this computer yet — this check may be outdated" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(DownbeatReport) report = downbeat_report_new ();
      g_autofree char *lines = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (rows[i].shapes); j++)
        {
          char name[] = { 'A' + j, '\0' };

          g_ptr_array_add (report->probes, probe (name, rows[i].shapes[j]));
        }
      lines = joined (downbeat_report_words_problems (report));
      g_test_message ("row %u", i);
      g_assert_cmpstr (lines, ==, rows[i].lines);
    }
}

/* What the official pages say: in maintenance what is in progress, otherwise the first open
 * incident and its newest word, or the page's own description of a problem; nothing from a
 * page that does not count or says all is well. */
static void
test_official (void)
{
  static const struct {
    DownbeatLevel level;
    const char   *page;
    gboolean      counted;
    const char   *lines;
  } rows[] = {
    { DOWNBEAT_LEVEL_OUTAGE,
      "{\"status\": {\"indicator\": \"major\", \"description\": \"Partial System Outage\"},"
      " \"incidents\": [{\"id\": \"a\", \"name\": \"Login trouble\", \"status\": \"identified\","
      " \"incident_updates\": [{\"body\": \"A fix is on its way.\", \"status\": \"identified\"}]},"
      " {\"id\": \"b\", \"name\": \"Other\"}]}",
      TRUE, "Spotify says: Login trouble|A fix is on its way." },
    { DOWNBEAT_LEVEL_OUTAGE,
      "{\"status\": {\"indicator\": \"major\", \"description\": \"Partial System Outage\"}}",
      TRUE, "Spotify says: Partial System Outage" },
    { DOWNBEAT_LEVEL_OUTAGE,
      "{\"status\": {\"indicator\": \"major\", \"description\": \"Partial System Outage\"}}",
      FALSE, "" },
    { DOWNBEAT_LEVEL_OPERATIONAL,
      "{\"status\": {\"indicator\": \"none\", \"description\": \"All Systems Operational\"}}",
      TRUE, "" },
    { DOWNBEAT_LEVEL_MAINTENANCE,
      "{\"status\": {\"indicator\": \"maintenance\", \"description\": \"Maintenance\"},"
      " \"scheduled_maintenances\": [{\"id\": \"m\", \"name\": \"Database upgrade\","
      " \"status\": \"in_progress\"}, {\"id\": \"n\", \"name\": \"Later\","
      " \"status\": \"scheduled\"}]}",
      TRUE, "Spotify says: Database upgrade" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(DownbeatReport) report = downbeat_report_new ();
      DownbeatOfficialStatus *official = downbeat_official_status_new ("Spotify", NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *lines = NULL;

      official->summary = downbeat_statuspage_parse (rows[i].page, strlen (rows[i].page), &error);
      g_assert_no_error (error);
      official->counted = rows[i].counted;
      report->level = rows[i].level;
      g_ptr_array_add (report->official, official);
      lines = joined (downbeat_report_words_official (report));
      g_test_message ("row %u", i);
      g_assert_cmpstr (lines, ==, rows[i].lines);
    }
}

/* What a page says of itself, for --check: its description, or that nothing is known. */
static void
test_official_description (void)
{
  const char *page = "{\"status\": {\"indicator\": \"none\","
                     " \"description\": \"All Systems Operational\"}}";
  g_autoptr(DownbeatReport) report = downbeat_report_new ();
  DownbeatOfficialStatus *known = downbeat_official_status_new ("Spotify", NULL);
  DownbeatOfficialStatus *unknown = downbeat_official_status_new ("Spotify for Developers", NULL);

  g_ptr_array_add (report->official, known);
  g_ptr_array_add (report->official, unknown);
  known->summary = downbeat_statuspage_parse (page, strlen (page), NULL);
  g_assert_nonnull (known->summary);
  g_assert_cmpstr (downbeat_report_words_official_description (known), ==,
                   "All Systems Operational");
  g_assert_cmpstr (downbeat_report_words_official_description (unknown), ==,
                   "official status unavailable");
}

/* The reasons a tooltip adds to the summary: those it does not say already. */
static void
test_unsaid (void)
{
  const char * const reasons[] = { "Login is not answering", "Web API is slow", NULL };
  g_autoptr(GPtrArray) unsaid = downbeat_report_words_unsaid ("Spotify is down: Login is not "
                                                              "answering", reasons);
  g_autoptr(GPtrArray) none = downbeat_report_words_unsaid ("Spotify is up", NULL);

  g_assert_cmpuint (unsaid->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (unsaid, 0), ==, "Web API is slow");
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-words/probe", test_probe);
  g_test_add_func ("/report-words/problems", test_problems);
  g_test_add_func ("/report-words/official", test_official);
  g_test_add_func ("/report-words/official-description", test_official_description);
  g_test_add_func ("/report-words/unsaid", test_unsaid);

  return g_test_run ();
}
