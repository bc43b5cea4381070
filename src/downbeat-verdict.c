/* downbeat-verdict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-verdict"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "downbeat-verdict.h"

typedef struct
{
  gboolean outage;
  gboolean degraded;
  gboolean maintenance;
} OfficialSays;

static void
add_reason (GPtrArray  *reasons,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (GPtrArray  *reasons,
            const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (reasons, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
confirm (const DownbeatConfirmation *before,
         const DownbeatAttempt      *attempt,
         guint                       confirmations,
         DownbeatConfirmation       *after)
{
  *after = *before;

  if (!attempt->ok)
    {
      after->fails++;
      after->passes = 0;
      after->slows = 0;
      after->fast_passes = 0;
      if (after->fails >= confirmations)
        after->failing = TRUE;
      return;
    }

  after->fails = 0;
  after->passes++;
  if (after->failing && after->passes >= DOWNBEAT_RECOVERY_PASSES)
    after->failing = FALSE;

  if (attempt->slow)
    {
      after->slows++;
      after->fast_passes = 0;
      if (after->slows >= confirmations)
        after->slow = TRUE;
    }
  else
    {
      after->slows = 0;
      after->fast_passes++;
      if (after->slow && after->fast_passes >= DOWNBEAT_RECOVERY_PASSES)
        after->slow = FALSE;
    }
}

static gboolean
is_between_states (const DownbeatConfirmation *state)
{
  return (state->fails > 0 && !state->failing)
         || (state->slows > 0 && !state->slow)
         || (state->failing && state->passes > 0)
         || (state->slow && state->fast_passes > 0);
}

static char *
seconds_text (gint64 ms)
{
  /* Translators: a duration in seconds with one decimal, "4.2 s" */
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

static OfficialSays
read_official (const DownbeatOfficial *official,
               GPtrArray              *reasons)
{
  DownbeatStatuspageSummary *summary = official->summary;
  OfficialSays says = { FALSE, FALSE, FALSE };
  const char *said = summary->description != NULL ? summary->description : summary->indicator_text;

  switch (summary->indicator)
    {
    case DOWNBEAT_INDICATOR_MAJOR:
    case DOWNBEAT_INDICATOR_CRITICAL:
      says.outage = TRUE;
      /* Translators: "Spotify reports: Major System Outage" */
      add_reason (reasons, _("%s reports: %s"), official->name, said);
      break;
    case DOWNBEAT_INDICATOR_MINOR:
      says.degraded = TRUE;
      add_reason (reasons, _("%s reports: %s"), official->name, said);
      break;
    case DOWNBEAT_INDICATOR_MAINTENANCE:
      says.maintenance = TRUE;
      add_reason (reasons, _("%s reports: %s"), official->name, said);
      break;
    case DOWNBEAT_INDICATOR_UNKNOWN:
      /* A value Statuspage did not have when this was written is not read as good news. */
      says.degraded = TRUE;
      /* Translators: "Spotify reports a status Downbeat does not know: “severe”" */
      add_reason (reasons, _("%s reports a status Downbeat does not know: “%s”"),
                  official->name, summary->indicator_text);
      break;
    case DOWNBEAT_INDICATOR_NONE:
    default:
      break;
    }

  for (guint i = 0; i < summary->components->len; i++)
    {
      const DownbeatComponent *component = g_ptr_array_index (summary->components, i);

      switch (component->status)
        {
        case DOWNBEAT_COMPONENT_MAJOR_OUTAGE:
          says.outage = TRUE;
          /* Translators: "Spotify reports a major outage of Login" */
          add_reason (reasons, _("%s reports a major outage of %s"), official->name, component->name);
          break;
        case DOWNBEAT_COMPONENT_PARTIAL_OUTAGE:
          says.degraded = TRUE;
          add_reason (reasons, _("%s reports a partial outage of %s"), official->name,
                      component->name);
          break;
        case DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE:
          says.degraded = TRUE;
          add_reason (reasons, _("%s reports degraded performance of %s"), official->name,
                      component->name);
          break;
        case DOWNBEAT_COMPONENT_UNDER_MAINTENANCE:
          says.maintenance = TRUE;
          add_reason (reasons, _("%s reports maintenance of %s"), official->name, component->name);
          break;
        case DOWNBEAT_COMPONENT_UNKNOWN:
        case DOWNBEAT_COMPONENT_OPERATIONAL:
        default:
          break;
        }
    }

  if (downbeat_statuspage_summary_maintenance_in_progress (summary) && !says.maintenance)
    {
      says.maintenance = TRUE;
      add_reason (reasons, _("%s reports maintenance in progress"), official->name);
    }

  return says;
}

static gboolean
decide_offline (const DownbeatEvidence *evidence,
                GPtrArray              *reasons)
{
  guint failed_now = 0;

  for (guint i = 0; i < evidence->n_probes; i++)
    if (!evidence->attempts[i].ok)
      failed_now++;

  if (evidence->n_probes == 0 || failed_now * 2 < evidence->n_probes)
    return FALSE;
  if (!evidence->network_limited && !(evidence->has_control && !evidence->control_ok))
    return FALSE;

  if (evidence->has_control && !evidence->control_ok)
    /* Translators: %s is the service, "Spotify" */
    add_reason (reasons, _("A site that is not %s does not answer either"), evidence->service_name);
  if (evidence->network_limited)
    add_reason (reasons, "%s", _("The system reports no full internet connection"));

  return TRUE;
}

/**
 * downbeat_verdict_decide:
 * @before: the confirmation state of each probe before this cycle
 * @after: (out caller-allocates): the state after it, as many as @evidence has probes
 * @verdict: (out caller-allocates): the level and why; clear it with downbeat_verdict_clear()
 *
 * The rules of SPEC §3, first match wins. Offline evidence leaves every probe's
 * confirmation as it was: a failure seen through a broken connection says nothing of
 * the service.
 */
void
downbeat_verdict_decide (const DownbeatEvidence     *evidence,
                         guint                       confirmations,
                         const DownbeatConfirmation *before,
                         DownbeatConfirmation       *after,
                         DownbeatVerdict            *verdict)
{
  OfficialSays official = { FALSE, FALSE, FALSE };
  g_autoptr(GPtrArray) official_reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) probe_reasons = g_ptr_array_new_with_free_func (g_free);
  guint n_failing = 0;
  guint n_slow = 0;

  g_return_if_fail (evidence != NULL);
  g_return_if_fail (evidence->n_probes == 0 || (before != NULL && after != NULL));
  g_return_if_fail (confirmations > 0);
  g_return_if_fail (verdict != NULL);

  verdict->reasons = g_ptr_array_new_with_free_func (g_free);
  verdict->pending = FALSE;

  if (decide_offline (evidence, verdict->reasons))
    {
      if (evidence->n_probes > 0)
        memcpy (after, before, evidence->n_probes * sizeof (DownbeatConfirmation));
      verdict->level = DOWNBEAT_LEVEL_OFFLINE;
      return;
    }

  for (guint i = 0; i < evidence->n_probes; i++)
    {
      const DownbeatAttempt *attempt = &evidence->attempts[i];
      DownbeatConfirmation *state = &after[i];

      confirm (&before[i], attempt, confirmations, state);
      verdict->pending |= is_between_states (state);

      if (state->failing)
        {
          n_failing++;
          if (attempt->ok)
            /* Translators: %s is a probe's name, "Login" */
            add_reason (probe_reasons, _("%s failed and is being checked again"), attempt->name);
          else
            /* Translators: "Login is not answering as it should: connection refused" */
            add_reason (probe_reasons, _("%s is not answering as it should: %s"), attempt->name,
                        attempt->error != NULL ? attempt->error : _("unknown error"));
        }
      else if (state->slow)
        {
          g_autofree char *seconds = seconds_text (attempt->latency_ms);

          n_slow++;
          /* Translators: "Web API is slow (4.2 s)" */
          add_reason (probe_reasons, _("%s is slow (%s)"), attempt->name, seconds);
        }
      else if (!attempt->ok)
        /* Translators: "Login failed once (connection refused); checking again" */
        add_reason (probe_reasons, _("%s failed (%s); checking again"), attempt->name,
                    attempt->error != NULL ? attempt->error : _("unknown error"));
    }

  for (guint i = 0; i < evidence->n_official; i++)
    {
      OfficialSays says = read_official (&evidence->official[i], official_reasons);

      official.outage |= says.outage;
      official.degraded |= says.degraded;
      official.maintenance |= says.maintenance;
    }

  if (official.outage || (evidence->n_probes > 0 && n_failing * 2 >= evidence->n_probes))
    verdict->level = DOWNBEAT_LEVEL_OUTAGE;
  else if (official.degraded || n_failing > 0 || n_slow > 0)
    verdict->level = DOWNBEAT_LEVEL_DEGRADED;
  else if (official.maintenance)
    verdict->level = DOWNBEAT_LEVEL_MAINTENANCE;
  else if (evidence->n_probes > 0 || evidence->n_official > 0)
    verdict->level = DOWNBEAT_LEVEL_OPERATIONAL;
  else
    verdict->level = DOWNBEAT_LEVEL_UNKNOWN;

  /* First-hand findings first: they are what this computer saw. */
  g_ptr_array_extend_and_steal (verdict->reasons, g_steal_pointer (&probe_reasons));
  g_ptr_array_extend_and_steal (verdict->reasons, g_steal_pointer (&official_reasons));

  if (evidence->has_control && !evidence->control_ok)
    /* Translators: %s is the service, "Spotify" */
    add_reason (verdict->reasons, _("A site that is not %1$s does not answer, but %1$s does"),
                evidence->service_name);
}

void
downbeat_verdict_clear (DownbeatVerdict *verdict)
{
  g_return_if_fail (verdict != NULL);

  g_clear_pointer (&verdict->reasons, g_ptr_array_unref);
}
