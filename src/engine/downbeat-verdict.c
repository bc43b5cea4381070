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

#define MAX_COMPONENT_REASONS 3

static void
confirm (const DownbeatConfirmation *before,
         const DownbeatAttempt      *attempt,
         guint                       confirmations,
         DownbeatConfirmation       *after)
{
  *after = *before;
  after->counts = FALSE;

  if (attempt->outcome == DOWNBEAT_OUTCOME_NO_RESULT)
    return;

  if (!attempt->ok)
    {
      after->fails++;
      after->passes = 0;
      after->slows = 0;
      after->fast_passes = 0;
      after->mismatch = attempt->outcome == DOWNBEAT_OUTCOME_MISMATCH;
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

/* A mismatch of a probe never seen working here, or of one outdated, says nothing about the
 * service: the check itself may be wrong. */
static gboolean
mismatch_is_untrusted (const DownbeatConfirmation *state)
{
  return state->fails > 0 && state->mismatch && (!state->proven || state->outdated);
}

static char *
seconds_text (gint64 ms)
{
  /* Translators: a duration in seconds with one decimal, "4.2 s" */
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

/* A group repeats the worst status of its members: where the page lists them, they are
 * what is reported. */
static gboolean
is_group_with_members (DownbeatStatuspageSummary *summary,
                       const DownbeatComponent   *component)
{
  if (!component->group || component->id == NULL)
    return FALSE;

  for (guint i = 0; i < summary->components->len; i++)
    {
      const DownbeatComponent *member = g_ptr_array_index (summary->components, i);

      if (g_strcmp0 (member->group_id, component->id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Returns: (nullable): what @page says of @component, when it is in trouble */
static char *
component_problem (const char              *page,
                   const DownbeatComponent *component)
{
  switch (component->status)
    {
    case DOWNBEAT_COMPONENT_MAJOR_OUTAGE:
      /* Translators: "Spotify reports a major outage of Login" */
      return g_strdup_printf (_("%s reports a major outage of %s"), page, component->name);
    case DOWNBEAT_COMPONENT_PARTIAL_OUTAGE:
      return g_strdup_printf (_("%s reports a partial outage of %s"), page, component->name);
    case DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE:
      return g_strdup_printf (_("%s reports degraded performance of %s"), page, component->name);
    case DOWNBEAT_COMPONENT_UNDER_MAINTENANCE:
      return g_strdup_printf (_("%s reports maintenance of %s"), page, component->name);
    case DOWNBEAT_COMPONENT_UNKNOWN:
      /* Translators: "Spotify reports a status Downbeat does not know for Login: “total_outage”" */
      return g_strdup_printf (_("%s reports a status Downbeat does not know for %s: “%s”"),
                              page, component->name, component->status_text);
    case DOWNBEAT_COMPONENT_OPERATIONAL:
    default:
      return NULL;
    }
}

static OfficialSays
read_official (const DownbeatOfficial *official,
               GPtrArray              *reasons)
{
  DownbeatStatuspageSummary *summary = official->summary;
  OfficialSays says = { FALSE, FALSE, FALSE };
  const char *said = summary->description != NULL ? summary->description : summary->indicator_text;
  guint n_components = 0;

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
      g_autofree char *problem = component_problem (official->name, component);

      if (problem == NULL || is_group_with_members (summary, component))
        continue;

      says.outage |= component->status == DOWNBEAT_COMPONENT_MAJOR_OUTAGE;
      /* A status Statuspage did not have when this was written is not read as good news. */
      says.degraded |= component->status == DOWNBEAT_COMPONENT_PARTIAL_OUTAGE
                       || component->status == DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE
                       || component->status == DOWNBEAT_COMPONENT_UNKNOWN;
      says.maintenance |= component->status == DOWNBEAT_COMPONENT_UNDER_MAINTENANCE;

      if (n_components++ < MAX_COMPONENT_REASONS)
        g_ptr_array_add (reasons, g_steal_pointer (&problem));
    }

  if (n_components > MAX_COMPONENT_REASONS)
    {
      guint more = n_components - MAX_COMPONENT_REASONS;

      /* Translators: after three components in trouble, "Spotify reports 12 more components in trouble" */
      add_reason (reasons, ngettext ("%s reports %u more component in trouble",
                                     "%s reports %u more components in trouble", more),
                  official->name, more);
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
    if (!evidence->attempts[i].ok && evidence->attempts[i].outcome != DOWNBEAT_OUTCOME_NO_RESULT)
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

/* During a problem, what a person can do meanwhile, from which checks fail and which answer
 * (docs/design.md, "Advice"): a role fails when one of its counted checks is confirmed failing,
 * and answers while one is not (a failure still being confirmed changes no advice yet). */
static void
advise (const DownbeatEvidence     *evidence,
        const DownbeatConfirmation *after,
        DownbeatVerdict            *verdict)
{
  gboolean failing[DOWNBEAT_N_ROLES] = { FALSE };
  gboolean passing[DOWNBEAT_N_ROLES] = { FALSE };

  if (verdict->level != DOWNBEAT_LEVEL_OUTAGE && verdict->level != DOWNBEAT_LEVEL_DEGRADED)
    return;

  for (guint i = 0; i < evidence->n_probes; i++)
    {
      const DownbeatAttempt *attempt = &evidence->attempts[i];

      if (!attempt->counted)
        continue;
      if (after[i].failing && !after[i].mismatch)
        failing[attempt->role] = TRUE;
      else if (!after[i].failing && attempt->outcome != DOWNBEAT_OUTCOME_NO_RESULT)
        passing[attempt->role] = TRUE;
    }

  if (failing[DOWNBEAT_ROLE_SIGN_IN] && passing[DOWNBEAT_ROLE_APP])
    g_ptr_array_add (verdict->advice,
                     g_strdup (_("Don't sign out: apps that are signed in keep playing.")));
  if (failing[DOWNBEAT_ROLE_APP] && passing[DOWNBEAT_ROLE_WEB_PLAYER])
    g_ptr_array_add (verdict->advice, g_strdup (_("The web player may still work.")));
  if (evidence->has_control && evidence->control_ok)
    g_ptr_array_add (verdict->advice, g_strdup (_("Your connection is fine.")));
}

/* What each probe says, worded; the note for what does not count. */
static char *
probe_reason (const DownbeatAttempt      *attempt,
              const DownbeatConfirmation *state)
{
  const char *error = attempt->error != NULL ? attempt->error : _("unknown error");

  if (attempt->outcome == DOWNBEAT_OUTCOME_NO_RESULT && attempt->waiting)
    /* Translators: "Login: asked to wait (HTTP 429 Too Many Requests); trying again later" */
    return g_strdup_printf (_("%s: asked to wait (%s); trying again later"), attempt->name, error);
  if (attempt->outcome == DOWNBEAT_OUTCOME_NO_RESULT)
    /* Translators: a check that says nothing either way, "Streaming server: not tried: no
     * access point was listed" */
    return g_strdup_printf (_("%s: %s"), attempt->name, error);

  if (mismatch_is_untrusted (state) && state->outdated)
    return g_strdup_printf (ngettext ("%s has answered differently for over %u hour (%s) — this check is probably outdated and is not counted",
                                      "%s has answered differently for over %u hours (%s) — this check is probably outdated and is not counted",
                                      DOWNBEAT_OUTDATED_AFTER_S / 3600),
                            attempt->name, DOWNBEAT_OUTDATED_AFTER_S / 3600, error);

  if (mismatch_is_untrusted (state))
    /* Translators: "Web player: not seen working from this computer yet (HTTP 403 Forbidden) — this check may be outdated" */
    return g_strdup_printf (_("%s: not seen working from this computer yet (%s) — this check may be outdated"),
                            attempt->name, error);

  if (state->failing && attempt->ok)
    /* Translators: %s is a probe's name, "Login" */
    return g_strdup_printf (_("%s failed and is being checked again"), attempt->name);

  if (state->failing && state->mismatch)
    /* Translators: "Login answers otherwise than expected: HTTP 404 Not Found" */
    return g_strdup_printf (_("%s answers otherwise than expected: %s"), attempt->name, error);

  if (state->failing)
    /* Translators: "Login is not answering as it should: connection refused" */
    return g_strdup_printf (_("%s is not answering as it should: %s"), attempt->name, error);

  if (state->slow)
    {
      g_autofree char *seconds = seconds_text (attempt->latency_ms);

      /* Translators: "Web API is slow (4.2 s)" */
      return g_strdup_printf (_("%s is slow (%s)"), attempt->name, seconds);
    }

  if (!attempt->ok)
    /* Translators: "Login failed once (connection refused); checking again" */
    return g_strdup_printf (_("%s failed (%s); checking again"), attempt->name, error);

  return NULL;
}

static void
add_not_counted (GPtrArray  *reasons,
                 char       *reason)
{
  /* Translators: a finding about a developer service while those are not watched */
  add_reason (reasons, _("%s (developer service, not counted)"), reason);
  g_free (reason);
}

/* A proven probe that alone answers otherwise than expected for long is taken to be
 * outdated, not Spotify failing for hours with nothing else noticing. */
static void
update_outdated (const DownbeatEvidence *evidence,
                 DownbeatConfirmation   *after,
                 gboolean                anything_else_wrong)
{
  for (guint i = 0; i < evidence->n_probes; i++)
    {
      DownbeatConfirmation *state = &after[i];
      gboolean alone = state->proven && state->fails > 0 && state->mismatch
                       && evidence->attempts[i].counted && !anything_else_wrong;

      if (!alone)
        {
          state->alone_since = 0;
          state->alone_since_us = 0;
          continue;
        }

      /* The span is measured on the monotonic clock while this runs: a wall clock put forward
       * must not make a check outdated at once. A span an earlier run left (alone_since, kept
       * in the history) is taken as the wall clock tells it, once. */
      if (state->alone_since == 0)
        state->alone_since = evidence->now;
      if (state->alone_since_us == 0)
        state->alone_since_us = evidence->monotonic_us
                                - MAX (evidence->now - state->alone_since, 0) * G_USEC_PER_SEC;
      if (evidence->monotonic_us - state->alone_since_us
          >= (gint64) DOWNBEAT_OUTDATED_AFTER_S * G_USEC_PER_SEC)
        state->outdated = TRUE;
    }
}

/* What the evidence adds up to, as downbeat_verdict_decide() goes through it. */
typedef struct
{
  OfficialSays official;      /* what the counted pages say */
  guint        n_counted;
  guint        n_failing;
  guint        n_mismatch;
  guint        n_slow;
  guint        n_wrong;       /* counted probes with anything wrong, an untrusted mismatch aside */
  gboolean     any_result;
} Tally;

/* What the counted pages say goes to @reasons, the others' to @notes. */
static void
tally_official (const DownbeatEvidence *evidence,
                GPtrArray              *reasons,
                GPtrArray              *notes,
                Tally                  *tally)
{
  for (guint i = 0; i < evidence->n_official; i++)
    {
      const DownbeatOfficial *page = &evidence->official[i];
      g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func (g_free);
      OfficialSays says = read_official (page, said);

      if (!page->counted)
        {
          for (guint j = 0; j < said->len; j++)
            add_not_counted (notes, g_strdup (g_ptr_array_index (said, j)));
          continue;
        }

      g_ptr_array_extend_and_steal (reasons, g_steal_pointer (&said));
      tally->any_result = TRUE;
      tally->official.outage |= says.outage;
      tally->official.degraded |= says.degraded;
      tally->official.maintenance |= says.maintenance;
    }
}

/* Each probe's memory once this cycle's attempt is added to it. */
static void
confirm_probes (const DownbeatEvidence     *evidence,
                guint                       confirmations,
                const DownbeatConfirmation *before,
                DownbeatConfirmation       *after,
                Tally                      *tally)
{
  for (guint i = 0; i < evidence->n_probes; i++)
    {
      const DownbeatAttempt *attempt = &evidence->attempts[i];
      DownbeatConfirmation *state = &after[i];

      confirm (&before[i], attempt, confirmations, state);
      if (attempt->ok && !evidence->network_limited)
        {
          /* What it failed before never counted: it does not need to recover from it. */
          if (mismatch_is_untrusted (&before[i]))
            state->failing = FALSE;
          state->proven = TRUE;
          state->outdated = FALSE;
        }

      if (attempt->counted)
        {
          tally->n_counted++;
          /* Asked to wait, a probe stands as it stood: a result only if it had passed. */
          tally->any_result |= attempt->outcome != DOWNBEAT_OUTCOME_NO_RESULT || state->passes > 0;
          tally->n_wrong += (state->failing || state->slow || state->fails > 0)
                            && !mismatch_is_untrusted (state);
        }
    }
}

/* What each probe found, to @reasons if it counts and to @notes if not. */
static void
weigh_probes (const DownbeatEvidence *evidence,
              DownbeatConfirmation   *after,
              GPtrArray              *reasons,
              GPtrArray              *notes,
              DownbeatVerdict        *verdict,
              Tally                  *tally)
{
  for (guint i = 0; i < evidence->n_probes; i++)
    {
      const DownbeatAttempt *attempt = &evidence->attempts[i];
      DownbeatConfirmation *state = &after[i];
      char *reason = probe_reason (attempt, state);
      gboolean untrusted = mismatch_is_untrusted (state);

      if (!attempt->counted)
        {
          if (reason != NULL)
            add_not_counted (notes, reason);
          continue;
        }

      if (untrusted)
        {
          if (reason != NULL)
            g_ptr_array_add (notes, reason);
          continue;
        }

      verdict->pending |= is_between_states (state);
      verdict->first_failure |= attempt->outcome == DOWNBEAT_OUTCOME_FAILING && state->fails == 1
                                && !state->failing;
      if (state->failing && state->mismatch)
        tally->n_mismatch++;
      else if (state->failing)
        tally->n_failing++;
      else if (state->slow)
        tally->n_slow++;
      state->counts = state->failing || state->slow;

      /* Asked to wait, a probe goes on counting as it stood; the wait alone is a note. */
      if (reason != NULL)
        g_ptr_array_add (attempt->outcome == DOWNBEAT_OUTCOME_NO_RESULT && !state->counts
                         ? notes : reasons, reason);
    }
}

static DownbeatLevel
tally_level (const Tally *tally,
             gboolean     first_hand)
{
  if (tally->official.outage
      || (tally->n_counted > 0 && tally->n_failing * 2 >= tally->n_counted && tally->n_failing > 0))
    return DOWNBEAT_LEVEL_OUTAGE;
  if (tally->official.degraded || first_hand)
    return DOWNBEAT_LEVEL_DEGRADED;
  if (tally->official.maintenance)
    return DOWNBEAT_LEVEL_MAINTENANCE;
  if (tally->any_result)
    return DOWNBEAT_LEVEL_OPERATIONAL;
  return DOWNBEAT_LEVEL_UNKNOWN;
}

/**
 * downbeat_verdict_decide:
 * @before: what is remembered of each probe before this cycle
 * @after: (out caller-allocates): the same after it, as many as @evidence has probes
 * @verdict: (out caller-allocates): the level and why; clear it with downbeat_verdict_clear()
 *
 * The decision rules of docs/design.md, first match wins. Offline evidence leaves every
 * probe's memory as it was: a failure seen through a broken connection says nothing of the
 * service, and a pass through one proves nothing.
 */
void
downbeat_verdict_decide (const DownbeatEvidence     *evidence,
                         guint                       confirmations,
                         const DownbeatConfirmation *before,
                         DownbeatConfirmation       *after,
                         DownbeatVerdict            *verdict)
{
  Tally tally = { 0 };
  g_autoptr(GPtrArray) official_reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) probe_reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (evidence != NULL);
  g_return_if_fail (evidence->n_probes == 0 || (before != NULL && after != NULL));
  g_return_if_fail (confirmations > 0);
  g_return_if_fail (verdict != NULL);

  verdict->reasons = g_ptr_array_new_with_free_func (g_free);
  verdict->advice = g_ptr_array_new_with_free_func (g_free);
  verdict->pending = FALSE;
  verdict->first_failure = FALSE;
  verdict->first_hand = FALSE;
  verdict->acknowledged = FALSE;

  if (decide_offline (evidence, verdict->reasons))
    {
      for (guint i = 0; i < evidence->n_probes; i++)
        {
          after[i] = before[i];
          after[i].counts = FALSE;
        }
      verdict->level = DOWNBEAT_LEVEL_OFFLINE;
      return;
    }

  tally_official (evidence, official_reasons, notes, &tally);
  confirm_probes (evidence, confirmations, before, after, &tally);
  /* Anything wrong beside one proven probe's mismatch: then that mismatch is not alone. */
  update_outdated (evidence, after,
                   tally.official.outage || tally.official.degraded || tally.n_wrong > 1);
  weigh_probes (evidence, after, probe_reasons, notes, verdict, &tally);

  verdict->first_hand = tally.n_failing > 0 || tally.n_mismatch > 0 || tally.n_slow > 0;
  verdict->acknowledged = tally.official.outage || tally.official.degraded;
  verdict->level = tally_level (&tally, verdict->first_hand);

  /* First-hand findings first: they are what this computer saw; what did not count last. */
  g_ptr_array_extend_and_steal (verdict->reasons, g_steal_pointer (&probe_reasons));
  g_ptr_array_extend_and_steal (verdict->reasons, g_steal_pointer (&official_reasons));

  if (evidence->has_control && !evidence->control_ok)
    /* Translators: %s is the service, "Spotify" */
    add_reason (verdict->reasons, _("A site that is not %s does not answer, but %s does"),
                evidence->service_name, evidence->service_name);

  g_ptr_array_extend_and_steal (verdict->reasons, g_steal_pointer (&notes));
  advise (evidence, after, verdict);
}

/**
 * downbeat_verdict_official_level:
 *
 * Returns: the level @summary alone would make: outage, degraded, maintenance or operational
 */
DownbeatLevel
downbeat_verdict_official_level (DownbeatStatuspageSummary *summary)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  DownbeatOfficial official = { "", summary, TRUE };
  OfficialSays says;

  g_return_val_if_fail (summary != NULL, DOWNBEAT_LEVEL_UNKNOWN);

  says = read_official (&official, reasons);
  if (says.outage)
    return DOWNBEAT_LEVEL_OUTAGE;
  if (says.degraded)
    return DOWNBEAT_LEVEL_DEGRADED;
  if (says.maintenance)
    return DOWNBEAT_LEVEL_MAINTENANCE;
  return DOWNBEAT_LEVEL_OPERATIONAL;
}

void
downbeat_trust_free (DownbeatTrust *trust)
{
  if (trust == NULL)
    return;
  g_free (trust->probe);
  g_free (trust->fingerprint);
  g_free (trust);
}

void
downbeat_verdict_clear (DownbeatVerdict *verdict)
{
  g_return_if_fail (verdict != NULL);

  g_clear_pointer (&verdict->reasons, g_ptr_array_unref);
  g_clear_pointer (&verdict->advice, g_ptr_array_unref);
}

/**
 * downbeat_problem_follow:
 * @problem: as the previous cycle left it
 * @verdict: this cycle's
 * @now: unix time of this cycle
 *
 * A problem opens with the first degraded or outage verdict and closes with the next
 * operational or maintenance one; an offline or unknown spell inside it does not close it, as
 * in the history's outages. While it is open, the first cycle whose probes confirm a problem
 * is when this computer noticed it, the first whose official pages say so is when Spotify
 * acknowledged it (docs/design.md, "The lead over the official page").
 */
void
downbeat_problem_follow (DownbeatProblem       *problem,
                         const DownbeatVerdict *verdict,
                         gint64                 now)
{
  g_return_if_fail (problem != NULL);
  g_return_if_fail (verdict != NULL);

  if (verdict->level == DOWNBEAT_LEVEL_DEGRADED || verdict->level == DOWNBEAT_LEVEL_OUTAGE)
    {
      if (!problem->open)
        *problem = (DownbeatProblem) { .open = TRUE };
      if (verdict->first_hand && problem->noticed == 0)
        problem->noticed = now;
      if (verdict->acknowledged && problem->acknowledged == 0)
        problem->acknowledged = now;
    }
  else if (downbeat_level_is_informative (verdict->level))
    *problem = (DownbeatProblem) { .open = FALSE };
}
