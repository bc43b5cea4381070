/* downbeat-report-words.c: every sentence about a report, for the window, the notification,
 * --check and --watch alike; docs/design.md, "A report in words". The front ends only choose
 * which to show and lay them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-report-words"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "downbeat-report-words.h"
#include "downbeat-words.h"

/**
 * downbeat_report_words_note:
 *
 * Returns: (transfer full) (nullable): why what @status shows does not count, for people:
 *   a developer service not watched, a check never seen working here, one outdated
 */
char *
downbeat_report_words_note (const DownbeatProbeStatus *status)
{
  const DownbeatConfirmation *state;

  g_return_val_if_fail (status != NULL, NULL);

  state = &status->confirmation;
  if (!status->counted)
    return g_strdup (_("developer service, not counted"));
  if (state->fails > 0 && state->mismatch && state->outdated)
    return g_strdup (_("probably outdated: it has answered otherwise than expected for hours, "
                       "and counts again once it answers as expected"));
  if (state->fails > 0 && state->mismatch && !state->proven)
    return g_strdup (_("not seen working from this computer yet — this check may be outdated"));
  return NULL;
}

/**
 * downbeat_report_words_mark:
 *
 * Returns: how @status stands: a failure that does not count (it has a note) is not failing
 */
DownbeatProbeMark
downbeat_report_words_mark (const DownbeatProbeStatus *status)
{
  g_autofree char *note = NULL;

  g_return_val_if_fail (status != NULL, DOWNBEAT_PROBE_MARK_NOT_CHECKED);

  if (status->result == NULL)
    return DOWNBEAT_PROBE_MARK_NOT_CHECKED;
  if (status->result->ok)
    return status->result->slow ? DOWNBEAT_PROBE_MARK_SLOW : DOWNBEAT_PROBE_MARK_WORKING;
  note = downbeat_report_words_note (status);
  return note != NULL ? DOWNBEAT_PROBE_MARK_NOT_COUNTED : DOWNBEAT_PROBE_MARK_FAILING;
}

/**
 * downbeat_report_words_mark_name:
 *
 * Returns: (transfer none): the mark in a word or two, "Working", for a screen reader
 */
const char *
downbeat_report_words_mark_name (DownbeatProbeMark mark)
{
  switch (mark)
    {
    case DOWNBEAT_PROBE_MARK_WORKING:
      return _("Working");
    case DOWNBEAT_PROBE_MARK_SLOW:
      return _("Slow");
    case DOWNBEAT_PROBE_MARK_FAILING:
      return _("Failing");
    case DOWNBEAT_PROBE_MARK_NOT_COUNTED:
      return _("Not counted");
    case DOWNBEAT_PROBE_MARK_NOT_CHECKED:
    default:
      return _("Not checked");
    }
}

/**
 * downbeat_report_words_answer:
 *
 * Returns: (transfer full) (nullable): what a passing probe's answer was, "HTTP 401",
 *   "signed answer"; %NULL for one that did not pass
 */
char *
downbeat_report_words_answer (const DownbeatProbeStatus *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  if (status->result == NULL || !status->result->ok)
    return NULL;
  return downbeat_words_answer (status->result->http_status);
}

/**
 * downbeat_report_words_detail:
 *
 * Returns: (transfer full): a probe's line under its name: how it answered, or why it
 *   failed and how often in a row while that is being confirmed
 */
char *
downbeat_report_words_detail (const DownbeatProbeStatus *status)
{
  const DownbeatProbeResult *result;
  const DownbeatConfirmation *state;

  g_return_val_if_fail (status != NULL, NULL);

  result = status->result;
  state = &status->confirmation;
  switch (downbeat_report_words_mark (status))
    {
    case DOWNBEAT_PROBE_MARK_NOT_CHECKED:
      return g_strdup (_("Not checked in this cycle."));
    case DOWNBEAT_PROBE_MARK_NOT_COUNTED:
      return g_strdup (result->error);
    case DOWNBEAT_PROBE_MARK_FAILING:
      /* Confirmed, or not counted at all (an offline cycle counts nothing against Spotify):
       * no count to tell. */
      if (state->failing || state->fails == 0)
        return g_strdup (result->error);
      return g_strdup_printf (ngettext ("%s (failed %u time in a row; checking again)",
                                        "%s (failed %u times in a row; checking again)",
                                        state->fails),
                              result->error, state->fails);
    case DOWNBEAT_PROBE_MARK_WORKING:
    case DOWNBEAT_PROBE_MARK_SLOW:
    default:
      {
        g_autofree char *answer = downbeat_words_answer (result->http_status);

        /* Translators: "Answered in 120 ms · HTTP 200" */
        return g_strdup_printf (_("Answered in %d ms · %s"), (int) result->latency_ms, answer);
      }
    }
}

/**
 * downbeat_report_words_problems:
 *
 * Returns: (transfer container) (element-type utf8): what counts and fails, is slow or answers
 *   otherwise than expected, one line each, then why each counted failure does not count
 */
GPtrArray *
downbeat_report_words_problems (DownbeatReport *report)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failing = g_ptr_array_new ();
  g_autoptr(GPtrArray) mismatching = g_ptr_array_new ();
  g_autoptr(GPtrArray) slow = g_ptr_array_new ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (report != NULL, lines);

  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);
      const DownbeatConfirmation *state = &status->confirmation;
      g_autofree char *note = downbeat_report_words_note (status);

      /* What does not count is said, plainly, where it fails; a developer service that is
       * not watched is not the listener's news at all. */
      if (note != NULL && status->counted && status->result != NULL && !status->result->ok)
        g_ptr_array_add (notes, g_strdup_printf ("%s: %s", status->name, note));

      if (!state->counts)
        continue;
      if (state->failing)
        g_ptr_array_add (state->mismatch ? mismatching : failing, status->name);
      else if (state->slow)
        g_ptr_array_add (slow, status->name);
    }

  if (failing->len > 0)
    {
      g_autofree char *names = downbeat_words_join (failing);

      /* Translators: %s is a list of checks, "Login and Web API" */
      g_ptr_array_add (lines, g_strdup_printf (ngettext ("%s is not answering",
                                                         "%s are not answering", failing->len),
                                               names));
    }
  if (slow->len > 0)
    {
      g_autofree char *names = downbeat_words_join (slow);

      /* Translators: %s is a list of checks, "Login and Web API" */
      g_ptr_array_add (lines, g_strdup_printf (ngettext ("%s is slow", "%s are slow", slow->len),
                                               names));
    }
  if (mismatching->len > 0)
    {
      g_autofree char *names = downbeat_words_join (mismatching);

      /* Translators: %s is a list of checks, "Login and Web API" */
      g_ptr_array_add (lines, g_strdup_printf (ngettext ("%s answers otherwise than expected",
                                                         "%s answer otherwise than expected",
                                                         mismatching->len),
                                               names));
    }
  g_ptr_array_extend_and_steal (lines, g_steal_pointer (&notes));
  return lines;
}

static void
add_says (GPtrArray  *lines,
          const char *source,
          const char *what)
{
  /* Translators: "Spotify says: Some users are unable to log in" */
  g_ptr_array_add (lines, g_strdup_printf (_("%s says: %s"), source, what));
}

/**
 * downbeat_report_words_official:
 *
 * Returns: (transfer container) (element-type utf8): what the counted official pages say of
 *   the problem: in maintenance, the maintenances in progress; otherwise the first open
 *   incident of each page with its newest word, or the page's description of a problem
 */
GPtrArray *
downbeat_report_words_official (DownbeatReport *report)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (report != NULL, lines);

  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *official = g_ptr_array_index (report->official, i);
      const DownbeatStatuspageSummary *summary = official->summary;

      if (summary == NULL || !official->counted)
        continue;

      if (report->level == DOWNBEAT_LEVEL_MAINTENANCE)
        {
          GPtrArray *maintenances = summary->scheduled_maintenances;

          for (guint j = 0; j < maintenances->len; j++)
            {
              const DownbeatIncident *maintenance = g_ptr_array_index (maintenances, j);

              if (g_strcmp0 (maintenance->status, "in_progress") == 0)
                add_says (lines, official->name, maintenance->name);
            }
        }
      else if (summary->incidents->len > 0)
        {
          const DownbeatIncident *incident = g_ptr_array_index (summary->incidents, 0);

          add_says (lines, official->name, incident->name);
          if (incident->latest_update_body != NULL)
            g_ptr_array_add (lines, g_strdup (incident->latest_update_body));
        }
      else if (summary->description != NULL
               && summary->indicator >= DOWNBEAT_INDICATOR_MINOR
               && summary->indicator <= DOWNBEAT_INDICATOR_CRITICAL)
        add_says (lines, official->name, summary->description);
    }

  return lines;
}

/**
 * downbeat_report_words_official_description:
 *
 * Returns: (transfer none): what @official's page says of itself, "All Systems Operational",
 *   or that nothing is known of it
 */
const char *
downbeat_report_words_official_description (const DownbeatOfficialStatus *official)
{
  g_return_val_if_fail (official != NULL, NULL);

  if (official->summary == NULL || official->summary->description == NULL)
    return _("official status unavailable");
  return official->summary->description;
}

/**
 * downbeat_report_words_lead:
 *
 * Returns: (transfer full) (nullable): how far ahead of the status page this computer noticed
 *   the problem in progress; %NULL when it never confirmed one
 */
char *
downbeat_report_words_lead (DownbeatReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return downbeat_words_lead (report->service_name, report->noticed_at, report->acknowledged_at,
                              FALSE);
}

/**
 * downbeat_report_words_unsaid:
 * @summary: the report's sentence, which names its first reason
 * @reasons: (array zero-terminated=1) (nullable): the report's reasons
 *
 * Returns: (transfer container) (element-type utf8): the reasons @summary does not say already
 */
GPtrArray *
downbeat_report_words_unsaid (const char         *summary,
                              const char * const *reasons)
{
  GPtrArray *unsaid = g_ptr_array_new ();

  g_return_val_if_fail (summary != NULL, unsaid);

  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    if (strstr (summary, reasons[i]) == NULL)
      g_ptr_array_add (unsaid, (char *) reasons[i]);
  return unsaid;
}
