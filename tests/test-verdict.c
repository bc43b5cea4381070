/* test-verdict.c: the rules of SPEC §3 as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "downbeat-verdict.h"

#define MAX_PROBES 4
#define MAX_CYCLES 8

/* One cycle's evidence, written compactly: a probe's attempt is 'P' (passed), 'F' (failed)
 * or 'S' (passed, slow); the control is 'P', 'F' or '-' (none). */
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
} Cycle;

typedef struct
{
  const char *name;
  guint       confirmations;
  Cycle       cycles[MAX_CYCLES];
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
  { "official-page-alone-is-a-result", 3, {
      { "", '-', PAGE (NONE), L (OPERATIONAL) },
    } },
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

  for (guint c = 0; c < MAX_CYCLES && test->cycles[c].probes != NULL; c++)
    {
      const Cycle *cycle = &test->cycles[c];
      DownbeatAttempt attempts[MAX_PROBES] = { 0 };
      g_autoptr(DownbeatStatuspageSummary) summary = NULL;
      DownbeatOfficial official = { "Spotify", NULL };
      DownbeatEvidence evidence = { 0 };
      DownbeatVerdict verdict = { 0 };

      evidence.service_name = "Spotify";
      evidence.n_probes = strlen (cycle->probes);
      for (guint i = 0; i < evidence.n_probes; i++)
        {
          attempts[i].name = "Probe";
          attempts[i].ok = cycle->probes[i] != 'F';
          attempts[i].slow = cycle->probes[i] == 'S';
          attempts[i].error = attempts[i].ok ? NULL : "connection refused";
          attempts[i].latency_ms = attempts[i].slow ? 4200 : 80;
        }
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

      downbeat_verdict_clear (&verdict);
      memcpy (before, after, sizeof before);
    }
}

static void
test_reasons_name_what_fails (void)
{
  DownbeatAttempt attempts[] = {
    { .name = "Login", .ok = FALSE, .error = "connection refused" },
    { .name = "Web API", .ok = TRUE, .slow = TRUE, .latency_ms = 4200 },
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
  g_test_add_func ("/verdict/reasons-name-what-fails", test_reasons_name_what_fails);

  return g_test_run ();
}
