/* test-verdict.c: the decision rules of docs/design.md as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "downbeat-verdict.h"

#define MAX_PROBES 4
#define MAX_CYCLES 8

/* One cycle's evidence, written compactly: a probe's attempt is 'P' (passed), 'F' (failed as
 * a failing service does: 5xx, timeout…), 'M' (answered otherwise than expected: a mismatch),
 * 'R' (asked to wait: 429) or 'S' (passed, slow); the control is 'P', 'F' or '-' (none).
 * @at: seconds since the case began. */
typedef struct
{
  const char        *probes;
  char               control;
  gboolean           network_limited;
  DownbeatIndicator  indicator;      /* DOWNBEAT_INDICATOR_NONE with no page */
  gboolean           with_page;
  DownbeatComponentStatus component;
  gboolean           maintenance_in_progress;
  DownbeatLevel      expected;
  gboolean           expected_pending;
  gint64             at;
  gint64             wall_jump;      /* seconds the wall clock is ahead of @at, not the monotonic */
  /* With Case.lead: the problem's, as it stands after this cycle (seconds since the case
   * began; 0 for none). */
  gint64             noticed;
  gint64             acknowledged;
} Cycle;

/* @uncounted: a 'D' for each probe of a developer service not watched, as "DDxx"
 * @proven: a 'Y' for each probe proven on an earlier run, as "YYYY" */
typedef struct
{
  const char *name;
  guint       confirmations;
  Cycle       cycles[MAX_CYCLES];
  const char *uncounted;
  const char *proven;
  gboolean    lead;
} Case;

#define PAGE(ind) .with_page = TRUE, .indicator = DOWNBEAT_INDICATOR_##ind
#define L(level) .expected = DOWNBEAT_LEVEL_##level

static const Case cases[] = {
  { "all-pass", 3, {
      { "PPPP", 'P', L (OPERATIONAL) },
    } },
  { "two-failures-then-pass-never-confirm", 3, {
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "PPPP", 'P', L (OPERATIONAL) },
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "PPPP", 'P', L (OPERATIONAL) },
    } },
  { "three-failures-of-one-confirm-degraded", 3, {
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FPPP", 'P', L (DEGRADED) },
      { "FPPP", 'P', L (DEGRADED) },
    } },
  { "half-confirmed-failing-is-outage", 3, {
      { "FFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFPP", 'P', L (OUTAGE) },
    } },
  { "recovery-after-two-passes", 3, {
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OUTAGE) },
      { "PPPP", 'P', L (OUTAGE), .expected_pending = TRUE },
      { "PPPP", 'P', L (OPERATIONAL) },
    } },
  { "one-pass-between-failures-does-not-recover", 3, {
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OUTAGE) },
      { "PPPP", 'P', L (OUTAGE), .expected_pending = TRUE },
      { "FFFF", 'P', L (OUTAGE) },
      { "PPPP", 'P', L (OUTAGE), .expected_pending = TRUE },
    } },
  { "one-confirmation-confirms-at-once", 1, {
      { "FFPP", 'P', L (OUTAGE) },
    } },
  { "slow-confirmed-is-degraded", 3, {
      { "SPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "SPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "SPPP", 'P', L (DEGRADED) },
      { "PPPP", 'P', L (DEGRADED), .expected_pending = TRUE },
      { "PPPP", 'P', L (OPERATIONAL) },
    } },
  { "offline-beats-everything", 3, {
      { "FFFF", 'F', PAGE (CRITICAL), L (OFFLINE) },
      { "FFPP", 'F', L (OFFLINE) },
    } },
  { "offline-keeps-confirmation-as-it-was", 3, {
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'F', L (OFFLINE) },
      { "FFFF", 'F', L (OFFLINE) },
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OUTAGE) },
      { "FFFF", 'F', L (OFFLINE) },
      { "FFFF", 'P', L (OUTAGE) },
    } },
  { "captive-portal-is-offline-not-outage", 1, {
      /* A portal answers every probe and the control with its own page. */
      { "FFFF", 'F', L (OFFLINE) },
      { "FFFF", 'F', .network_limited = TRUE, L (OFFLINE) },
    } },
  { "network-monitor-alone-never-decides", 1, {
      { "PPPP", 'P', .network_limited = TRUE, L (OPERATIONAL) },
      { "FFFF", 'P', .network_limited = TRUE, L (OFFLINE) },
      { "FPPP", '-', .network_limited = TRUE, L (DEGRADED) },
    } },
  { "failing-control-with-passing-probes-changes-nothing", 3, {
      { "PPPP", 'F', L (OPERATIONAL) },
      { "FPPP", 'F', L (OPERATIONAL), .expected_pending = TRUE },
    } },
  { "official-major-beats-passing-probes", 3, {
      { "PPPP", 'P', PAGE (MAJOR), L (OUTAGE) },
      { "PPPP", 'P', PAGE (CRITICAL), L (OUTAGE) },
      { "PPPP", 'P', PAGE (NONE), .component = DOWNBEAT_COMPONENT_MAJOR_OUTAGE, L (OUTAGE) },
    } },
  { "official-minor-is-degraded", 3, {
      { "PPPP", 'P', PAGE (MINOR), L (DEGRADED) },
      { "PPPP", 'P', PAGE (NONE), .component = DOWNBEAT_COMPONENT_PARTIAL_OUTAGE, L (DEGRADED) },
      { "PPPP", 'P', PAGE (NONE), .component = DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE,
        L (DEGRADED) },
    } },
  { "unknown-indicator-is-not-operational", 3, {
      { "PPPP", 'P', PAGE (UNKNOWN), L (DEGRADED) },
      { "", '-', PAGE (UNKNOWN), L (DEGRADED) },
    } },
  { "maintenance", 3, {
      { "PPPP", 'P', PAGE (MAINTENANCE), L (MAINTENANCE) },
      { "PPPP", 'P', PAGE (NONE), .component = DOWNBEAT_COMPONENT_UNDER_MAINTENANCE,
        L (MAINTENANCE) },
      { "PPPP", 'P', PAGE (NONE), .maintenance_in_progress = TRUE, L (MAINTENANCE) },
      { "PPPP", 'P', PAGE (MAINTENANCE), .component = DOWNBEAT_COMPONENT_PARTIAL_OUTAGE,
        L (DEGRADED) },
    } },
  { "no-result-is-unknown", 3, {
      { "", '-', L (UNKNOWN) },
    } },
  /* A fresh install whose checks answer otherwise than expected, while Spotify is fine. */
  { "unproven-mismatches-never-move-the-level", 3, {
      { "MMPP", 'P', L (OPERATIONAL) },
      { "MMPP", 'P', L (OPERATIONAL) },
      { "MMPP", 'P', L (OPERATIONAL) },
      { "MMPP", 'P', L (OPERATIONAL) },
    } },
  /* A fresh install during a real outage: as fast as ever. */
  { "unproven-failures-are-an-outage-as-fast", 3, {
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFFF", 'P', L (OUTAGE) },
    } },
  { "proven-mismatches-are-degraded-at-most", 3, {
      { "PPPP", 'P', L (OPERATIONAL) },
      { "MMMM", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "MMMM", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "MMMM", 'P', L (DEGRADED) },
      { "MMMM", 'P', L (DEGRADED) },
    } },
  { "proven-on-an-earlier-run", 3, {
      { "MMPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "MMPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "MMPP", 'P', L (DEGRADED) },
    }, .proven = "YYYY" },
  { "a-proven-mismatch-alone-for-hours-is-outdated", 3, {
      { "PPPP", 'P', L (OPERATIONAL) },
      { "MPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 60 },
      { "MPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 70 },
      { "MPPP", 'P', L (DEGRADED), .at = 80 },
      { "MPPP", 'P', L (DEGRADED), .at = 60 + DOWNBEAT_OUTDATED_AFTER_S - 1 },
      { "MPPP", 'P', L (OPERATIONAL), .at = 60 + DOWNBEAT_OUTDATED_AFTER_S },
      /* Until it answers as expected again, and counts again. */
      { "PPPP", 'P', L (OPERATIONAL), .at = 60 + DOWNBEAT_OUTDATED_AFTER_S + 60 },
      { "MPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE,
        .at = 60 + DOWNBEAT_OUTDATED_AFTER_S + 70 },
    } },
  /* The wall clock put forward 3 hours, then back: the span is what the monotonic clock says. */
  { "a-wall-clock-jump-does-not-make-a-check-outdated", 3, {
      { "PPPP", 'P', L (OPERATIONAL) },
      { "MPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 60 },
      { "MPPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 70 },
      { "MPPP", 'P', L (DEGRADED), .at = 80 },
      { "MPPP", 'P', L (DEGRADED), .at = 90, .wall_jump = DOWNBEAT_OUTDATED_AFTER_S },
      { "MPPP", 'P', L (DEGRADED), .at = 100 },
      { "MPPP", 'P', L (OPERATIONAL), .at = 60 + DOWNBEAT_OUTDATED_AFTER_S },
    } },
  { "a-mismatch-beside-other-trouble-is-not-outdated", 3, {
      { "PPPP", 'P', L (OPERATIONAL) },
      { "MFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 60 },
      { "MFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE, .at = 70 },
      { "MFPP", 'P', L (DEGRADED), .at = 80 },
      { "MFPP", 'P', L (DEGRADED), .at = 60 + DOWNBEAT_OUTDATED_AFTER_S + 1 },
    } },
  { "rate-limited-is-no-result", 3, {
      { "RRPP", 'P', L (OPERATIONAL) },
      { "FFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "RRPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFPP", 'P', L (OPERATIONAL), .expected_pending = TRUE },
      { "FFPP", 'P', L (OUTAGE) },
      { "RRPP", 'P', L (OUTAGE) },
    } },
  /* Every probe asked to wait, no page: nothing was learnt, and "up" would be a guess. */
  { "rate-limited-with-nothing-else-is-unknown", 3, {
      { "RRRR", 'P', L (UNKNOWN) },
      { "PPPP", 'P', L (OPERATIONAL) },
      { "RRRR", 'P', L (OPERATIONAL) },
    } },
  { "developer-services-not-watched-do-not-count", 1, {
      { "FPPP", 'P', L (OPERATIONAL) },
      { "FFPP", 'P', L (DEGRADED) },
      { "FFFP", 'P', L (OUTAGE) },
    }, .uncounted = "Dxxx" },
  { "offline-proves-nothing", 1, {
      { "PPPP", 'P', .network_limited = TRUE, L (OPERATIONAL) },
      { "MMMM", 'P', L (OPERATIONAL) },
    } },
  { "official-page-alone-is-a-result", 3, {
      { "", '-', PAGE (NONE), L (OPERATIONAL) },
    } },
  /* The lead over the official page: when the problem was noticed here and acknowledged. */
  { "lead-probes-first", 3, {
      { "FFPP", 'P', PAGE (NONE), L (OPERATIONAL), .expected_pending = TRUE, .at = 60 },
      { "FFPP", 'P', PAGE (NONE), L (OPERATIONAL), .expected_pending = TRUE, .at = 120 },
      { "FFPP", 'P', PAGE (NONE), L (OUTAGE), .at = 180, .noticed = 180 },
      { "FFPP", 'P', PAGE (MINOR), L (OUTAGE), .at = 240, .noticed = 180, .acknowledged = 240 },
      { "PPPP", 'P', PAGE (MAJOR), L (OUTAGE), .expected_pending = TRUE, .at = 300,
        .noticed = 180, .acknowledged = 240 },
      { "PPPP", 'P', PAGE (NONE), L (OPERATIONAL), .at = 360 },
    }, .lead = TRUE },
  { "lead-page-first", 3, {
      { "PPPP", 'P', PAGE (MAJOR), L (OUTAGE), .at = 60, .acknowledged = 60 },
      { "FFFF", 'P', PAGE (MAJOR), L (OUTAGE), .expected_pending = TRUE, .at = 120,
        .acknowledged = 60 },
      { "FFFF", 'P', PAGE (MAJOR), L (OUTAGE), .expected_pending = TRUE, .at = 180,
        .acknowledged = 60 },
      { "FFFF", 'P', PAGE (MAJOR), L (OUTAGE), .at = 240, .noticed = 240, .acknowledged = 60 },
    }, .lead = TRUE },
  { "lead-survives-an-offline-spell", 1, {
      { "FPPP", 'P', PAGE (NONE), L (DEGRADED), .at = 60, .noticed = 60 },
      { "FFFF", 'F', PAGE (NONE), L (OFFLINE), .at = 120, .noticed = 60 },
      { "FPPP", 'P', PAGE (MINOR), L (DEGRADED), .at = 180, .noticed = 60, .acknowledged = 180 },
      { "PPPP", 'P', PAGE (NONE), L (DEGRADED), .expected_pending = TRUE, .at = 240,
        .noticed = 60, .acknowledged = 180 },
      { "PPPP", 'P', PAGE (NONE), L (OPERATIONAL), .at = 300 },
      { "FPPP", 'P', PAGE (NONE), L (DEGRADED), .at = 360, .noticed = 360 },
    }, .lead = TRUE },
};

static DownbeatStatuspageSummary *
make_summary (const Cycle *cycle)
{
  g_autoptr(GString) json = g_string_new (NULL);
  static const char * const indicators[] = { "severe", "none", "minor", "major", "critical",
                                             "maintenance" };
  static const char * const components[] = { "operational", "operational", "degraded_performance",
                                             "partial_outage", "major_outage",
                                             "under_maintenance" };
  g_autoptr(GError) error = NULL;
  DownbeatStatuspageSummary *summary;

  g_string_append_printf (json, "{\"status\":{\"indicator\":\"%s\",\"description\":\"x\"},"
                          "\"components\":[{\"name\":\"Login\",\"status\":\"%s\"}],"
                          "\"scheduled_maintenances\":[%s]}",
                          indicators[cycle->indicator], components[cycle->component],
                          cycle->maintenance_in_progress
                          ? "{\"name\":\"Upgrade\",\"status\":\"in_progress\"}" : "");
  summary = downbeat_statuspage_parse (json->str, json->len, &error);
  g_assert_no_error (error);
  return summary;
}

static void
test_case (gconstpointer data)
{
  const Case *test = data;
  DownbeatConfirmation before[MAX_PROBES] = { 0 };
  DownbeatConfirmation after[MAX_PROBES];
  DownbeatProblem problem = { 0 };
  const gint64 start = 1764000000;

  for (guint i = 0; test->proven != NULL && i < MAX_PROBES; i++)
    before[i].proven = test->proven[i] == 'Y';

  for (guint c = 0; c < MAX_CYCLES && test->cycles[c].probes != NULL; c++)
    {
      const Cycle *cycle = &test->cycles[c];
      DownbeatAttempt attempts[MAX_PROBES] = { 0 };
      g_autoptr(DownbeatStatuspageSummary) summary = NULL;
      DownbeatOfficial official = { "Spotify", NULL, TRUE };
      DownbeatEvidence evidence = { 0 };
      DownbeatVerdict verdict = { 0 };

      evidence.service_name = "Spotify";
      evidence.n_probes = strlen (cycle->probes);
      for (guint i = 0; i < evidence.n_probes; i++)
        {
          char kind = cycle->probes[i];

          attempts[i].name = "Probe";
          attempts[i].ok = kind == 'P' || kind == 'S';
          attempts[i].slow = kind == 'S';
          attempts[i].error = attempts[i].ok ? NULL : "connection refused";
          attempts[i].latency_ms = attempts[i].slow ? 4200 : 80;
          attempts[i].outcome = kind == 'F' ? DOWNBEAT_OUTCOME_FAILING
                                : kind == 'M' ? DOWNBEAT_OUTCOME_MISMATCH
                                : kind == 'R' ? DOWNBEAT_OUTCOME_NO_RESULT
                                : DOWNBEAT_OUTCOME_PASS;
          attempts[i].waiting = kind == 'R';
          attempts[i].counted = test->uncounted == NULL || test->uncounted[i] != 'D';
        }
      evidence.now = start + cycle->at + cycle->wall_jump;
      evidence.monotonic_us = (1000 + cycle->at) * G_USEC_PER_SEC;
      evidence.attempts = attempts;
      evidence.has_control = cycle->control != '-';
      evidence.control_ok = cycle->control == 'P';
      evidence.network_limited = cycle->network_limited;
      if (cycle->with_page)
        {
          summary = make_summary (cycle);
          official.summary = summary;
          evidence.n_official = 1;
          evidence.official = &official;
        }

      downbeat_verdict_decide (&evidence, test->confirmations, before, after, &verdict);

      if (verdict.level != cycle->expected || verdict.pending != cycle->expected_pending)
        g_error ("%s, cycle %u: expected %s%s, got %s%s", test->name, c + 1,
                 downbeat_level_to_string (cycle->expected),
                 cycle->expected_pending ? " (pending)" : "",
                 downbeat_level_to_string (verdict.level), verdict.pending ? " (pending)" : "");

      if (verdict.level != DOWNBEAT_LEVEL_OPERATIONAL && verdict.level != DOWNBEAT_LEVEL_UNKNOWN)
        g_assert_cmpuint (verdict.reasons->len, >, 0);

      downbeat_problem_follow (&problem, &verdict, evidence.now);
      if (test->lead
          && (problem.noticed != (cycle->noticed != 0 ? start + cycle->noticed : 0)
              || problem.acknowledged != (cycle->acknowledged != 0 ? start + cycle->acknowledged
                                                                  : 0)))
        g_error ("%s, cycle %u: expected noticed %" G_GINT64_FORMAT " and acknowledged %"
                 G_GINT64_FORMAT ", got %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                 test->name, c + 1, cycle->noticed, cycle->acknowledged,
                 problem.noticed != 0 ? problem.noticed - start : 0,
                 problem.acknowledged != 0 ? problem.acknowledged - start : 0);

      downbeat_verdict_clear (&verdict);
      memcpy (before, after, sizeof before);
    }
}

/* The first failing attempt of a probe asks for an early recheck (the monitor's first recheck
 * comes sooner); a second one, a mismatch, a 429 or an offline cycle does not. */
static void
test_first_failure_hurries (void)
{
  static const struct { const char *probes; char control; gboolean expected; } cycles[] = {
    { "PPPP", 'P', FALSE },
    { "FPPP", 'P', TRUE },
    { "FPPP", 'P', FALSE },
    { "FFPP", 'P', TRUE },
    { "FFFF", 'F', FALSE },     /* offline: nothing moves */
    { "FFPP", 'P', FALSE },     /* the third failure of the first two */
    { "PPMR", 'P', FALSE },     /* a mismatch, a 429 */
    { "PPPF", 'P', TRUE },
  };
  DownbeatConfirmation before[MAX_PROBES] = { 0 };
  DownbeatConfirmation after[MAX_PROBES];

  for (guint c = 0; c < G_N_ELEMENTS (cycles); c++)
    {
      DownbeatAttempt attempts[MAX_PROBES] = { 0 };
      DownbeatEvidence evidence = { 0 };
      DownbeatVerdict verdict = { 0 };

      for (guint i = 0; i < MAX_PROBES; i++)
        {
          char kind = cycles[c].probes[i];

          attempts[i].name = "Probe";
          attempts[i].ok = kind == 'P';
          attempts[i].error = attempts[i].ok ? NULL : "HTTP 503";
          attempts[i].outcome = kind == 'F' ? DOWNBEAT_OUTCOME_FAILING
                                : kind == 'M' ? DOWNBEAT_OUTCOME_MISMATCH
                                : kind == 'R' ? DOWNBEAT_OUTCOME_NO_RESULT
                                : DOWNBEAT_OUTCOME_PASS;
          attempts[i].counted = TRUE;
        }
      evidence.service_name = "Spotify";
      evidence.n_probes = MAX_PROBES;
      evidence.attempts = attempts;
      evidence.has_control = TRUE;
      evidence.control_ok = cycles[c].control == 'P';

      downbeat_verdict_decide (&evidence, 3, before, after, &verdict);
      if (verdict.first_failure != cycles[c].expected)
        g_error ("cycle %u (%s): expected first_failure %d", c + 1, cycles[c].probes,
                 cycles[c].expected);
      downbeat_verdict_clear (&verdict);
      memcpy (before, after, sizeof before);
    }
}

static void
test_reasons_name_what_fails (void)
{
  DownbeatAttempt attempts[] = {
    { .name = "Login", .ok = FALSE, .error = "connection refused",
      .outcome = DOWNBEAT_OUTCOME_FAILING, .counted = TRUE },
    { .name = "Web API", .ok = TRUE, .slow = TRUE, .latency_ms = 4200, .counted = TRUE },
  };
  DownbeatConfirmation before[2] = { 0 }, after[2];
  DownbeatEvidence evidence = { .service_name = "Spotify", .n_probes = 2, .attempts = attempts,
                                .has_control = TRUE, .control_ok = TRUE };
  DownbeatVerdict verdict = { 0 };

  downbeat_verdict_decide (&evidence, 1, before, after, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_OUTAGE);
  g_assert_cmpuint (verdict.reasons->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 0), ==,
                   "Login is not answering as it should: connection refused");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 1), ==, "Web API is slow (4.2 s)");
  g_assert_true (after[0].failing);
  g_assert_true (after[1].slow);
  downbeat_verdict_clear (&verdict);
}

/* Advice from which checks fail and which answer, one rule at a time (docs/design.md,
 * "Advice"): roles S (sign-in), A (app), W (web player), - (none); P passes, F fails, M
 * mismatches; the control P, F or - (none). */
static void
test_advice (void)
{
  static const struct
  {
    const char *roles;
    const char *outcomes;
    char        control;
    const char *advice;
  } rules[] = {
    { "SAW", "FPP", 'P', "Don't sign out: apps that are signed in keep playing.|"
                         "Your connection is fine." },
    { "SAW", "FFP", '-', "The web player may still work." },
    { "SAW", "FFF", 'P', "Your connection is fine." },
    { "SAW", "PPP", 'P', "" },
    { "SAW", "MPP", 'P', "Your connection is fine." },
    { "SA-", "FPF", '-', "Don't sign out: apps that are signed in keep playing." },
    { "SA-", "FPF", 'F', "" },                        /* offline: no advice */
    { "---", "FFP", 'P', "Your connection is fine." },
  };

  for (guint c = 0; c < G_N_ELEMENTS (rules); c++)
    {
      DownbeatAttempt attempts[3] = { 0 };
      DownbeatConfirmation before[3] = { 0 }, after[3];
      DownbeatEvidence evidence = { .service_name = "Spotify", .n_probes = 3,
                                    .attempts = attempts };
      DownbeatVerdict verdict = { 0 };
      g_autofree char *advice = NULL;

      for (guint i = 0; i < 3; i++)
        {
          char outcome = rules[c].outcomes[i];

          attempts[i].name = "Probe";
          attempts[i].ok = outcome == 'P';
          attempts[i].error = outcome == 'P' ? NULL : "HTTP 503";
          attempts[i].outcome = outcome == 'F' ? DOWNBEAT_OUTCOME_FAILING
                                : outcome == 'M' ? DOWNBEAT_OUTCOME_MISMATCH
                                : DOWNBEAT_OUTCOME_PASS;
          attempts[i].role = rules[c].roles[i] == 'S' ? DOWNBEAT_ROLE_SIGN_IN
                             : rules[c].roles[i] == 'A' ? DOWNBEAT_ROLE_APP
                             : rules[c].roles[i] == 'W' ? DOWNBEAT_ROLE_WEB_PLAYER
                             : DOWNBEAT_ROLE_NONE;
          attempts[i].counted = TRUE;
          before[i].proven = TRUE;
        }
      evidence.has_control = rules[c].control != '-';
      evidence.control_ok = rules[c].control == 'P';

      downbeat_verdict_decide (&evidence, 1, before, after, &verdict);
      g_ptr_array_add (verdict.advice, NULL);
      advice = g_strjoinv ("|", (char **) verdict.advice->pdata);
      g_test_message ("case %u: %s %s %c", c, rules[c].roles, rules[c].outcomes,
                      rules[c].control);
      g_assert_cmpstr (advice, ==, rules[c].advice);
      downbeat_verdict_clear (&verdict);
    }

  /* A failure still being confirmed changes no advice yet: sign-in down for good, the app's
   * servers failing once of three. */
  {
    DownbeatAttempt attempts[] = {
      { .name = "Login", .error = "HTTP 503", .outcome = DOWNBEAT_OUTCOME_FAILING,
        .role = DOWNBEAT_ROLE_SIGN_IN, .counted = TRUE },
      { .name = "Access point list", .error = "HTTP 503", .outcome = DOWNBEAT_OUTCOME_FAILING,
        .role = DOWNBEAT_ROLE_APP, .counted = TRUE },
    };
    DownbeatConfirmation before[2] = { { .fails = 3, .failing = TRUE }, { 0 } }, after[2];
    DownbeatEvidence evidence = { .service_name = "Spotify", .n_probes = 2,
                                  .attempts = attempts };
    DownbeatVerdict verdict = { 0 };

    downbeat_verdict_decide (&evidence, 3, before, after, &verdict);
    g_assert_cmpuint (verdict.advice->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (verdict.advice, 0), ==,
                     "Don't sign out: apps that are signed in keep playing.");
    downbeat_verdict_clear (&verdict);
  }
}

/* What does not count is said plainly, after what does. */
static void
test_reasons_say_what_does_not_count (void)
{
  DownbeatAttempt attempts[] = {
    { .name = "Web player", .ok = FALSE, .error = "HTTP 403 Forbidden",
      .outcome = DOWNBEAT_OUTCOME_MISMATCH, .counted = TRUE },
    { .name = "Web API", .ok = FALSE, .error = "HTTP 503 Service Unavailable",
      .outcome = DOWNBEAT_OUTCOME_FAILING, .counted = FALSE },
    { .name = "Login", .ok = FALSE, .error = "HTTP 429 Too Many Requests",
      .outcome = DOWNBEAT_OUTCOME_NO_RESULT, .waiting = TRUE, .counted = TRUE },
    { .name = "Access point list", .ok = TRUE, .counted = TRUE },
    { .name = "Streaming server", .ok = FALSE, .error = "not tried: no access point was listed",
      .outcome = DOWNBEAT_OUTCOME_NO_RESULT, .counted = TRUE },
  };
  DownbeatConfirmation before[5] = { 0 }, after[5];
  DownbeatEvidence evidence = { .service_name = "Spotify", .n_probes = 5, .attempts = attempts,
                                .has_control = TRUE, .control_ok = TRUE };
  DownbeatVerdict verdict = { 0 };

  downbeat_verdict_decide (&evidence, 1, before, after, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_false (verdict.pending);
  g_assert_cmpuint (verdict.reasons->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 0), ==,
                   "Web player: not seen working from this computer yet (HTTP 403 Forbidden)"
                   " — this check may be outdated");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 1), ==,
                   "Web API is not answering as it should: HTTP 503 Service Unavailable"
                   " (developer service, not counted)");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 2), ==,
                   "Login: asked to wait (HTTP 429 Too Many Requests); trying again later");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 3), ==,
                   "Streaming server: not tried: no access point was listed");
  g_assert_false (after[0].counts);
  g_assert_false (after[1].counts);
  g_assert_true (after[3].proven);
  g_assert_false (after[0].proven);
  downbeat_verdict_clear (&verdict);
}

static DownbeatStatuspageSummary *
summary_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  DownbeatStatuspageSummary *summary = downbeat_statuspage_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  return summary;
}

/* A group repeats its members' worst status: the members are reported, once each, and a
 * long list ends in a count. */
static void
test_reasons_report_members_not_groups (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = summary_from (
    "{\"status\":{\"indicator\":\"minor\",\"description\":\"Minor Service Outage\"},"
    "\"components\":["
    " {\"id\":\"g\",\"name\":\"Apps\",\"status\":\"partial_outage\",\"group\":true},"
    " {\"id\":\"a\",\"name\":\"Desktop\",\"status\":\"partial_outage\",\"group_id\":\"g\"},"
    " {\"id\":\"b\",\"name\":\"Mobile\",\"status\":\"operational\",\"group_id\":\"g\"},"
    " {\"id\":\"c\",\"name\":\"Search\",\"status\":\"degraded_performance\"},"
    " {\"id\":\"d\",\"name\":\"Lyrics\",\"status\":\"degraded_performance\"},"
    " {\"id\":\"e\",\"name\":\"Podcasts\",\"status\":\"degraded_performance\"},"
    " {\"id\":\"f\",\"name\":\"Radio\",\"status\":\"degraded_performance\"},"
    " {\"id\":\"h\",\"name\":\"Empty group\",\"status\":\"degraded_performance\",\"group\":true}]}");
  DownbeatOfficial official = { "Spotify", summary, TRUE };
  DownbeatEvidence evidence = { .service_name = "Spotify", .n_official = 1, .official = &official };
  DownbeatVerdict verdict = { 0 };

  downbeat_verdict_decide (&evidence, 1, NULL, NULL, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_DEGRADED);
  g_assert_cmpuint (verdict.reasons->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 0), ==, "Spotify reports: Minor Service Outage");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 1), ==, "Spotify reports a partial outage of Desktop");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 2), ==, "Spotify reports degraded performance of Search");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 3), ==, "Spotify reports degraded performance of Lyrics");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 4), ==, "Spotify reports 3 more components in trouble");
  downbeat_verdict_clear (&verdict);
}

/* HashiCorp's real page of 2021: six groups, every one with members listed, and 48 members
 * in trouble. No group is reported, and the list ends in a count. */
static void
test_real_groups (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "statuspage",
                                                 "real-hashicorp-components.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *status = json_object_new ();
  DownbeatOfficial official = { "HashiCorp", NULL, TRUE };
  DownbeatEvidence evidence = { .service_name = "HashiCorp", .n_official = 1, .official = &official };
  DownbeatVerdict verdict = { 0 };

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  json_object_set_string_member (status, "indicator", "minor");
  json_object_set_string_member (status, "description", "Minor Service Outage");
  json_object_set_object_member (json_node_get_object (json_parser_get_root (parser)), "status",
                                 status);
  text = json_to_string (json_parser_get_root (parser), FALSE);
  summary = official.summary = downbeat_statuspage_parse (text, strlen (text), &error);
  g_assert_no_error (error);

  downbeat_verdict_decide (&evidence, 1, NULL, NULL, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_DEGRADED);
  g_assert_cmpuint (verdict.reasons->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 1), ==,
                   "HashiCorp reports degraded performance of Terraform Cloud UI and API");
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 4), ==,
                   "HashiCorp reports 45 more components in trouble");
  for (guint i = 0; i < verdict.reasons->len; i++)
    {
      const char *reason = g_ptr_array_index (verdict.reasons, i);

      g_assert_false (g_str_has_suffix (reason, " of Terraform Cloud"));
      g_assert_false (g_str_has_suffix (reason, " of HashiCorp Cloud Platform (HCP)"));
    }
  downbeat_verdict_clear (&verdict);
}

/* A component status Downbeat does not know is not read as fine: degraded, with the value
 * named. */
static void
test_unknown_component_status_is_not_fine (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = summary_from (
    "{\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
    "\"components\":[{\"name\":\"Login\",\"status\":\"total_outage\"}]}");
  DownbeatOfficial official = { "Spotify", summary, TRUE };
  DownbeatEvidence evidence = { .service_name = "Spotify", .n_official = 1, .official = &official };
  DownbeatVerdict verdict = { 0 };

  downbeat_verdict_decide (&evidence, 1, NULL, NULL, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_DEGRADED);
  g_assert_true (verdict.acknowledged);
  g_assert_cmpuint (verdict.reasons->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 0), ==,
                   "Spotify reports a status Downbeat does not know for Login: “total_outage”");
  downbeat_verdict_clear (&verdict);
}

/* A developer page not watched is shown, and changes nothing. */
static void
test_developer_page_not_counted (void)
{
  g_autoptr(DownbeatStatuspageSummary) summary = summary_from (
    "{\"status\":{\"indicator\":\"major\",\"description\":\"Partial System Outage\"}}");
  DownbeatOfficial official = { "Spotify for Developers", summary, FALSE };
  DownbeatAttempt attempts[] = { { .name = "Access point list", .ok = TRUE, .counted = TRUE } };
  DownbeatConfirmation before[1] = { 0 }, after[1];
  DownbeatEvidence evidence = { .service_name = "Spotify", .n_probes = 1, .attempts = attempts,
                                .n_official = 1, .official = &official };
  DownbeatVerdict verdict = { 0 };

  downbeat_verdict_decide (&evidence, 1, before, after, &verdict);

  g_assert_cmpint (verdict.level, ==, DOWNBEAT_LEVEL_OPERATIONAL);
  g_assert_cmpuint (verdict.reasons->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (verdict.reasons, 0), ==,
                   "Spotify for Developers reports: Partial System Outage"
                   " (developer service, not counted)");
  downbeat_verdict_clear (&verdict);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/verdict/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/verdict/first-failure-hurries", test_first_failure_hurries);
  g_test_add_func ("/verdict/reasons-name-what-fails", test_reasons_name_what_fails);
  g_test_add_func ("/verdict/reasons-say-what-does-not-count", test_reasons_say_what_does_not_count);
  g_test_add_func ("/verdict/advice", test_advice);
  g_test_add_func ("/verdict/reasons-report-members-not-groups",
                   test_reasons_report_members_not_groups);
  g_test_add_func ("/verdict/developer-page-not-counted", test_developer_page_not_counted);
  g_test_add_func ("/verdict/unknown-component-status-is-not-fine",
                   test_unknown_component_status_is_not_fine);
  g_test_add_func ("/verdict/real-groups", test_real_groups);

  return g_test_run ();
}
