/* downbeat-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-check"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-check.h"
#include "downbeat-json-private.h"
#include "downbeat-monitor.h"
#include "downbeat-text-private.h"
#include "downbeat-report-words.h"
#include "downbeat-words.h"

/* Retries of a failing probe come this many seconds apart (docs/design.md, "Command line"). */
#define RETRY_INTERVAL_S 1

typedef struct
{
  GMainLoop *loop;
  guint      cycles;
  guint      max_cycles;
} Check;

static void
on_checked (DownbeatMonitor *monitor,
            DownbeatReport  *report,
            Check           *check)
{
  check->cycles++;

  if (!report->pending || report->level == DOWNBEAT_LEVEL_OFFLINE
      || check->cycles >= check->max_cycles)
    g_main_loop_quit (check->loop);
}

static DownbeatExit
exit_status (DownbeatLevel level)
{
  switch (level)
    {
    case DOWNBEAT_LEVEL_OPERATIONAL:
      return DOWNBEAT_EXIT_OPERATIONAL;
    case DOWNBEAT_LEVEL_DEGRADED:
    case DOWNBEAT_LEVEL_MAINTENANCE:
      return DOWNBEAT_EXIT_DEGRADED;
    case DOWNBEAT_LEVEL_OUTAGE:
      return DOWNBEAT_EXIT_OUTAGE;
    case DOWNBEAT_LEVEL_OFFLINE:
    case DOWNBEAT_LEVEL_UNKNOWN:
    default:
      return DOWNBEAT_EXIT_UNKNOWN;
    }
}

static void
print_json (DownbeatReport *report,
            GDateTime      *noticed,
            GDateTime      *acknowledged)
{
  g_autoptr(JsonNode) node = downbeat_report_to_json_with_lead (report, noticed, acknowledged);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  (void) downbeat_json_print_line (text);
}

/* Text from the definition and the network, on one line: no escape sequence, control
 * character or bidi override reaches the terminal (docs/design.md, "Command line"). */
static char *
one_line (const char *text)
{
  char *line = downbeat_text_clean (text, -1, DOWNBEAT_TEXT_LONG);

  return line != NULL ? g_strdelimit (line, "\n", ' ') : NULL;
}

static void
print_probe (const DownbeatProbeStatus *status)
{
  DownbeatProbeMark mark = downbeat_report_words_mark (status);
  g_autofree char *name = one_line (status->name);

  if (mark == DOWNBEAT_PROBE_MARK_WORKING || mark == DOWNBEAT_PROBE_MARK_SLOW)
    {
      g_autofree char *answer = downbeat_report_words_answer (status);

      /* Translators: a passing probe: "  ✓ Web API: HTTP 401, 120 ms" */
      g_print (_("  ✓ %s: %s, %d ms\n"), name, answer, (int) status->result->latency_ms);
    }
  else if (mark == DOWNBEAT_PROBE_MARK_NOT_COUNTED)
    {
      g_autofree char *raw_note = downbeat_report_words_note (status);
      g_autofree char *note = one_line (raw_note);
      g_autofree char *error = one_line (status->result->error);

      /* Translators: a failing probe that does not count: "  ? Web player: HTTP 403 Forbidden
       * (not seen working from this computer yet — this check may be outdated)" */
      g_print (_("  ? %s: %s (%s)\n"), name, error, note);
    }
  else
    {
      /* Its error, or that it was not checked in this cycle. */
      g_autofree char *raw_detail = status->result != NULL
                                      ? g_strdup (status->result->error)
                                      : downbeat_report_words_detail (status);
      g_autofree char *error = one_line (raw_detail);

      /* Translators: a failing probe: "  ✗ Login: connection refused" */
      g_print (_("  ✗ %s: %s\n"), name, error);
    }
}

static void
print_text (DownbeatReport *report,
            GDateTime      *noticed,
            GDateTime      *acknowledged)
{
  g_autofree char *lead = downbeat_words_lead (report->service_name, noticed, acknowledged,
                                               FALSE);
  g_autofree char *summary = one_line (report->summary);

  g_print ("%s\n", summary);

  for (guint i = 0; report->reasons[i] != NULL; i++)
    {
      g_autofree char *reason = one_line (report->reasons[i]);

      g_print ("  • %s\n", reason);
    }
  if (lead != NULL)
    g_print ("  • %s\n", lead);
  for (guint i = 0; report->advice != NULL && report->advice[i] != NULL; i++)
    {
      g_autofree char *advice = one_line (report->advice[i]);

      /* Translators: what a person can do meanwhile, "  → The web player may still work." */
      g_print (_("  → %s\n"), advice);
    }

  g_print ("%s\n", _("Checks:"));
  for (guint i = 0; i < report->probes->len; i++)
    print_probe (g_ptr_array_index (report->probes, i));
  if (report->control != NULL)
    print_probe (report->control);

  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *status = g_ptr_array_index (report->official, i);
      g_autofree char *name = one_line (status->name);
      g_autofree char *description =
        one_line (downbeat_report_words_official_description (status));

      /* Translators: "Official, Spotify: All Systems Operational" */
      g_print (_("Official, %s: %s\n"), name, description);
    }
}

static GDateTime *
earlier (GDateTime *a,
         GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a != NULL ? a : b;
  return g_date_time_compare (a, b) <= 0 ? a : b;
}

/* A problem the running app has been recording since before this check began: its lead is
 * the earlier of what the app saw and what this check saw. The report stays as the monitor
 * made it; the lead is kept beside it. */
static void
lead_with_recorded (DownbeatReport   *report,
                    DownbeatHistory  *history,
                    GDateTime       **noticed,
                    GDateTime       **acknowledged)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -1);
  g_autoptr(GPtrArray) outages = NULL;
  const DownbeatOutage *last = NULL;

  if (history != NULL
      && (report->level == DOWNBEAT_LEVEL_DEGRADED || report->level == DOWNBEAT_LEVEL_OUTAGE))
    {
      outages = downbeat_history_outages (history, since);
      last = outages->len > 0 ? g_ptr_array_index (outages, outages->len - 1) : NULL;
      /* One that ended is another problem. */
      if (last != NULL && last->end != NULL)
        last = NULL;
    }

  *noticed = earlier (report->noticed_at, last != NULL ? last->noticed : NULL);
  *acknowledged = earlier (report->acknowledged_at, last != NULL ? last->acknowledged : NULL);
  if (*noticed != NULL)
    g_date_time_ref (*noticed);
  if (*acknowledged != NULL)
    g_date_time_ref (*acknowledged);
}

/**
 * downbeat_check_run:
 * @confirmations: how many consecutive failures confirm one
 * @watch_developers: whether developer services count (the setting)
 * @history: (nullable): where the running app keeps what it learnt of each probe
 *
 * Runs cycles 1 s apart until no failure is left unconfirmed, prints the outcome.
 *
 * Returns: the exit status of docs/design.md, "Command line"
 */
int
downbeat_check_run (DownbeatService *service,
                    guint            confirmations,
                    gboolean         watch_developers,
                    DownbeatHistory *history,
                    gboolean         json)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  DownbeatReport *report;
  g_autoptr(GDateTime) noticed = NULL;
  g_autoptr(GDateTime) acknowledged = NULL;
  Check check = { 0 };

  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (service), DOWNBEAT_EXIT_USAGE);
  g_return_val_if_fail (confirmations > 0, DOWNBEAT_EXIT_USAGE);

  session = downbeat_fetch_session_new ();
  monitor = downbeat_monitor_new (service, session, g_network_monitor_get_default ());
  g_object_set (monitor,
                "confirmations", confirmations,
                "poll-interval", RETRY_INTERVAL_S,
                "recheck-interval", RETRY_INTERVAL_S,
                "watch-developer-services", watch_developers,
                NULL);
  if (history != NULL)
    {
      g_autoptr(GPtrArray) trusts = downbeat_history_trust (history);

      downbeat_monitor_restore_trust (monitor, trusts);
    }

  loop = g_main_loop_new (NULL, FALSE);
  check.loop = loop;
  check.max_cycles = confirmations + DOWNBEAT_RECOVERY_PASSES;
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked), &check);

  downbeat_monitor_start (monitor);
  g_main_loop_run (loop);

  report = downbeat_monitor_get_report (monitor);
  lead_with_recorded (report, history, &noticed, &acknowledged);
  if (json)
    print_json (report, noticed, acknowledged);
  else
    print_text (report, noticed, acknowledged);

  return exit_status (report->level);
}
