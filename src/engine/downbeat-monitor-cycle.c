/* downbeat-monitor-cycle.c: one check cycle of the monitor
 *
 * Its jobs (the probes and their handshakes, the control, the official pages), what each
 * brings back, the cycle's deadline and the watchdog over it, and the report it ends with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-monitor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "downbeat-handshake-probe.h"
#include "downbeat-monitor-private.h"

/* An official page that cannot be fetched keeps its last answer this many poll intervals. */
#define OFFICIAL_GRACE_INTERVALS 3
/* A cycle ends this long after its longest request's own timeout, answered or not. */
#define CYCLE_MARGIN_S 5
/* Requests a cycle has in flight at most; the next starts as one ends. libsoup 3.2 walks its
 * whole queue whenever it changes: a definition of thousands of probes sent at once kept the
 * CPU busy for minutes. */
#define MAX_IN_FLIGHT 32

struct _Cycle
{
  DownbeatMonitor      *self;             /* NULL once finished, or the monitor is gone */
  guint                 outstanding;      /* requests that have not called back, + 1 until
                                           * every probe is sent */
  guint                 in_flight;        /* requests sent that have not called back */
  guint                 next_probe;       /* the next to send */
  gboolean              all_sent;
  guint                 deadline_s;
  guint                 deadline_id;
  guint                 n_probes;
  DownbeatProbeResult **probe_results;
  DownbeatProbeResult  *control_result;
  gboolean             *official_answered;
  guint64               wire_bytes;
};

typedef enum
{
  JOB_PROBE,
  JOB_CONTROL,
  JOB_OFFICIAL,
} JobKind;

typedef struct
{
  Cycle   *cycle;
  JobKind  kind;
  guint    index;                         /* of the probe or the official page; 0 for the control */
} Job;

static void release (Cycle *cycle);

static void
cycle_free (Cycle *cycle)
{
  g_assert (cycle->deadline_id == 0);

  for (guint i = 0; i < cycle->n_probes; i++)
    downbeat_probe_result_free (cycle->probe_results[i]);
  g_free (cycle->probe_results);
  downbeat_probe_result_free (cycle->control_result);
  g_free (cycle->official_answered);
  g_free (cycle);
}

/* The monitor lets go of its cycle; the cycle itself is freed by its last request to call
 * back, which for a request libsoup has lost may be never. */
void
downbeat_monitor_cycle_detach (Cycle *cycle)
{
  if (cycle->self != NULL)
    cycle->self->cycle = NULL;
  cycle->self = NULL;
  g_clear_handle_id (&cycle->deadline_id, g_source_remove);

  /* What was not sent will not be: the requests in flight are the last to end. */
  if (!cycle->all_sent)
    {
      cycle->all_sent = TRUE;
      release (cycle);
    }
}

static gboolean
official_in_force (DownbeatMonitor *self,
                   OfficialState   *state)
{
  gint64 grace_us = (gint64) OFFICIAL_GRACE_INTERVALS * self->poll_interval * G_USEC_PER_SEC;

  return state->summary != NULL && g_get_monotonic_time () - state->confirmed_us <= grace_us;
}

static gboolean
is_watched (DownbeatMonitor  *self,
            DownbeatAudience  audience)
{
  return audience == DOWNBEAT_AUDIENCE_LISTENERS || self->watch_developers;
}

/* No network, or a captive portal. LIMITED is not: it says only that NetworkManager's own
 * check site did not answer, which the control tells first-hand. */
static gboolean
network_is_limited (DownbeatMonitor *self)
{
  GNetworkConnectivity connectivity;

  if (self->network_monitor == NULL)
    return FALSE;

  connectivity = g_network_monitor_get_connectivity (self->network_monitor);
  return !g_network_monitor_get_network_available (self->network_monitor)
         || connectivity == G_NETWORK_CONNECTIVITY_LOCAL
         || connectivity == G_NETWORK_CONNECTIVITY_PORTAL;
}

static char *
summary_sentence (DownbeatLevel  level,
                  const char    *service_name,
                  GPtrArray     *reasons)
{
  g_autofree char *sentence = downbeat_level_sentence (level, service_name);

  if (level == DOWNBEAT_LEVEL_OFFLINE)
    /* Translators: %s is the service, "Spotify" */
    return g_strdup_printf (_("You are offline: %s cannot be checked."), service_name);

  if (reasons->len == 0 || level == DOWNBEAT_LEVEL_OPERATIONAL)
    return g_strdup_printf (_("%s."), sentence);

  /* Translators: "Spotify is down: Login is not answering as it should: connection refused." */
  return g_strdup_printf (_("%s: %s."), sentence, (const char *) g_ptr_array_index (reasons, 0));
}

/* What the verdict weighs: this cycle's attempts, and what the official pages in force say. */
static void
gather_evidence (DownbeatMonitor  *self,
                 Cycle            *cycle,
                 DownbeatAttempt  *attempts,
                 DownbeatOfficial *official,
                 DownbeatEvidence *evidence)
{
  GPtrArray *specs = self->specs;
  GPtrArray *sources = self->sources;

  for (guint i = 0; i < specs->len; i++)
    {
      const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);
      const DownbeatProbeResult *result = cycle->probe_results[i];

      attempts[i] = (DownbeatAttempt) {
        .name = spec->name,
        .ok = result->ok,
        .slow = result->slow,
        .error = result->error,
        .latency_ms = result->latency_ms,
        .outcome = result->outcome,
        .waiting = result->http_status == 429,
        .role = spec->role,
        .counted = is_watched (self, spec->audience),
      };
    }

  for (guint i = 0; i < sources->len; i++)
    if (official_in_force (self, &self->official[i]))
      official[evidence->n_official++] = (DownbeatOfficial) {
        .name = self->official[i].source->name,
        .summary = self->official[i].summary,
        .counted = is_watched (self, self->official[i].source->audience),
      };

  evidence->service_name = downbeat_service_get_name (self->service);
  evidence->n_probes = specs->len;
  evidence->attempts = attempts;
  evidence->has_control = cycle->control_result != NULL;
  evidence->control_ok = cycle->control_result != NULL && cycle->control_result->ok;
  evidence->network_limited = network_is_limited (self);
  evidence->official = official;
  evidence->now = g_get_real_time () / G_USEC_PER_SEC;
  evidence->monotonic_us = g_get_monotonic_time ();
}

/* Each probe's, the control's and each official page's status: the cycle's results move into
 * the report. */
static void
add_statuses (DownbeatMonitor            *self,
              Cycle                      *cycle,
              const DownbeatConfirmation *after,
              const DownbeatAttempt      *attempts,
              DownbeatReport             *report)
{
  GPtrArray *specs = self->specs;

  for (guint i = 0; i < specs->len; i++)
    {
      DownbeatProbeStatus *status = downbeat_probe_status_new (g_ptr_array_index (specs, i));

      status->result = g_steal_pointer (&cycle->probe_results[i]);
      status->confirmation = after[i];
      status->counted = attempts[i].counted;
      g_ptr_array_add (report->probes, status);
    }

  if (self->control != NULL)
    {
      report->control = downbeat_probe_status_new (self->control);
      report->control->result = g_steal_pointer (&cycle->control_result);
    }

  for (guint i = 0; i < self->sources->len; i++)
    {
      OfficialState *state = &self->official[i];
      DownbeatOfficialStatus *status = downbeat_official_status_new (state->source->name,
                                                                     state->source->page_url);

      if (official_in_force (self, state))
        {
          status->summary = downbeat_statuspage_summary_ref (state->summary);
          status->fetched_at = g_date_time_ref (state->confirmed_at);
        }
      status->error = g_strdup (state->error);
      status->counted = is_watched (self, state->source->audience);
      g_ptr_array_add (report->official, status);
    }
}

/* The verdict on what the cycle found, and the report that says it. */
static DownbeatReport *
report_cycle (DownbeatMonitor *self,
              Cycle           *cycle)
{
  GPtrArray *specs = self->specs;
  GPtrArray *sources = self->sources;
  g_autofree DownbeatAttempt *attempts = g_new0 (DownbeatAttempt, specs->len);
  g_autofree DownbeatOfficial *official = g_new0 (DownbeatOfficial, sources->len);
  g_autofree DownbeatConfirmation *after = g_new0 (DownbeatConfirmation, specs->len);
  DownbeatReport *report = downbeat_report_new ();
  DownbeatEvidence evidence = { 0 };
  DownbeatVerdict verdict = { 0 };

  gather_evidence (self, cycle, attempts, official, &evidence);
  downbeat_verdict_decide (&evidence, self->confirmations, self->confirmation, after, &verdict);
  memcpy (self->confirmation, after, specs->len * sizeof (DownbeatConfirmation));

  report->level = verdict.level;
  report->service_name = g_strdup (evidence.service_name);
  report->summary = summary_sentence (verdict.level, evidence.service_name, verdict.reasons);
  g_ptr_array_add (verdict.reasons, NULL);
  report->reasons = (GStrv) g_ptr_array_steal (verdict.reasons, NULL);
  g_ptr_array_add (verdict.advice, NULL);
  report->advice = (GStrv) g_ptr_array_steal (verdict.advice, NULL);
  report->checked_at = g_date_time_new_now_utc ();
  report->pending = verdict.pending;
  self->first_failure = verdict.first_failure;
  for (guint i = 0; i < sources->len; i++)
    report->pending |= self->official[i].candidate != NULL;
  report->network_limited = evidence.network_limited;
  report->wire_bytes = cycle->wire_bytes;

  downbeat_problem_follow (&self->problem, &verdict, evidence.now);
  if (self->problem.noticed != 0)
    report->noticed_at = g_date_time_new_from_unix_utc (self->problem.noticed);
  if (self->problem.acknowledged != 0)
    report->acknowledged_at = g_date_time_new_from_unix_utc (self->problem.acknowledged);

  add_statuses (self, cycle, after, attempts, report);
  downbeat_verdict_clear (&verdict);
  return report;
}

static void
finish_cycle (DownbeatMonitor *self,
              Cycle           *cycle)
{
  DownbeatReport *report = report_cycle (self, cycle);

  /* Once the report has taken the results (letting go may free the cycle), and before anyone
   * is told: the monitor is no longer checking. */
  downbeat_monitor_cycle_detach (cycle);
  downbeat_monitor_cycle_ended (self, report);
}

/* The last request to end, cancelled or not, closes the cycle, unless its deadline did. */
static void
release (Cycle *cycle)
{
  g_assert (cycle->outstanding > 0);
  if (--cycle->outstanding > 0)
    return;

  if (cycle->self != NULL)
    finish_cycle (cycle->self, cycle);
  cycle_free (cycle);
}

static char *
unanswered_error (guint timeout_s)
{
  return g_strdup_printf (ngettext ("no answer within %u second",
                                    "no answer within %u seconds", timeout_s),
                          timeout_s);
}

static DownbeatProbeResult *
unanswered_result (guint timeout_s)
{
  DownbeatProbeResult *result = g_new0 (DownbeatProbeResult, 1);

  result->failure = DOWNBEAT_FAILURE_TIMEOUT;
  result->error = unanswered_error (timeout_s);
  result->latency_ms = (gint64) timeout_s * 1000;
  return result;
}

/* Every request ends at its own timeout; one that has not called back by the cycle's deadline
 * was lost on the way, and the cycle ends without it: counted as a timeout, and the next
 * cycle scheduled as always. */
static gboolean
on_cycle_deadline (gpointer user_data)
{
  Cycle *cycle = user_data;
  DownbeatMonitor *self = cycle->self;
  GPtrArray *specs = self->specs;
  const DownbeatProbeSpec *control = self->control;
  guint lost = 0;

  cycle->deadline_id = 0;

  for (guint i = 0; i < specs->len; i++)
    if (cycle->probe_results[i] == NULL)
      {
        const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);

        cycle->probe_results[i] = unanswered_result (spec->timeout_s);
        lost++;
      }

  if (control != NULL && cycle->control_result == NULL)
    {
      cycle->control_result = unanswered_result (control->timeout_s);
      lost++;
    }

  for (guint i = 0; i < self->sources->len; i++)
    if (!cycle->official_answered[i])
      {
        g_free (self->official[i].error);
        self->official[i].error = unanswered_error (DOWNBEAT_PROBE_DEFAULT_TIMEOUT_S);
        lost++;
      }

  g_message ("%u requests had not ended %u s after the check started; it ends without them",
             lost, cycle->deadline_s);
  finish_cycle (self, cycle);

  return G_SOURCE_REMOVE;
}

static void send_probes (Cycle *cycle);

static void
job_done (Job *job)
{
  Cycle *cycle = job->cycle;

  g_free (job);
  cycle->in_flight--;
  if (cycle->self != NULL)
    send_probes (cycle);
  release (cycle);
}

static void start_handshakes (Cycle                     *cycle,
                              guint                      from,
                              const DownbeatProbeResult *listing);

static void
take_probe_result (Job                 *job,
                   DownbeatProbeResult *result)
{
  /* Cancelled: the monitor is going. Let go of both ends, so that neither is left pointing at
   * the other once the cycle is freed. */
  if (result == NULL || job->cycle->self == NULL)
    {
      downbeat_probe_result_free (result);
      downbeat_monitor_cycle_detach (job->cycle);
      job_done (job);
      return;
    }

  job->cycle->wire_bytes += result->wire_bytes;
  if (job->kind == JOB_CONTROL)
    job->cycle->control_result = result;
  else
    {
      /* Asked to wait: this probe is not tried again before the server said, and at least
       * not before the next regular cycle. */
      if (result->outcome == DOWNBEAT_OUTCOME_NO_RESULT)
        job->cycle->self->retry_until_us[job->index] =
          g_get_monotonic_time ()
          + (gint64) MAX (result->retry_after_s, job->cycle->self->poll_interval) * G_USEC_PER_SEC;
      job->cycle->probe_results[job->index] = result;
      start_handshakes (job->cycle, job->index, result);
    }

  job_done (job);
}

static void
on_probe_done (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  take_probe_result (user_data, downbeat_probe_run_finish (res, NULL));
}

static void
on_handshake_done (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  take_probe_result (user_data, downbeat_handshake_probe_run_finish (res, NULL));
}

static void
official_confirmed (OfficialState *state)
{
  state->confirmed_us = g_get_monotonic_time ();
  g_clear_pointer (&state->confirmed_at, g_date_time_unref);
  state->confirmed_at = g_date_time_new_now_utc ();
}

/* What a page says moves the level once two answers in a row say it, as a probe's failure
 * does after its confirmations: a page that flips on each fetch raises nothing. Meanwhile the
 * answer waits as the candidate and the last confirmed one stays in force. */
static gboolean
official_needs_confirming (OfficialState             *state,
                           DownbeatStatuspageSummary *summary)
{
  DownbeatLevel level = downbeat_verdict_official_level (summary);

  return state->summary != NULL
         && level != downbeat_verdict_official_level (state->summary)
         && (state->candidate == NULL
             || level != downbeat_verdict_official_level (state->candidate));
}

static void
take_official_answer (OfficialState       *state,
                      DownbeatFetchResult *fetched)
{
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&state->error, g_free);

  if (fetched->failure != DOWNBEAT_FAILURE_NONE)
    {
      state->error = g_steal_pointer (&fetched->error);
      return;
    }

  /* The same as the last answer: a candidate that says it twice is confirmed. */
  if (fetched->status == SOUP_STATUS_NOT_MODIFIED && state->summary != NULL)
    {
      if (state->candidate != NULL)
        {
          g_clear_pointer (&state->summary, downbeat_statuspage_summary_unref);
          state->summary = g_steal_pointer (&state->candidate);
        }
      official_confirmed (state);
      return;
    }

  if (fetched->status != SOUP_STATUS_OK)
    {
      state->error = g_strdup_printf (_("HTTP %u"), fetched->status);
      return;
    }

  summary = downbeat_statuspage_parse (fetched->body != NULL ? g_bytes_get_data (fetched->body, NULL) : NULL,
                                       fetched->body != NULL ? g_bytes_get_size (fetched->body) : 0,
                                       &error);
  if (summary == NULL)
    {
      state->error = g_strdup (error->message);
      return;
    }

  if (official_needs_confirming (state, summary))
    {
      g_clear_pointer (&state->candidate, downbeat_statuspage_summary_unref);
      state->candidate = g_steal_pointer (&summary);
    }
  else
    {
      g_clear_pointer (&state->candidate, downbeat_statuspage_summary_unref);
      g_clear_pointer (&state->summary, downbeat_statuspage_summary_unref);
      state->summary = g_steal_pointer (&summary);
    }
  official_confirmed (state);
  g_free (state->etag);
  state->etag = g_steal_pointer (&fetched->etag);
  g_free (state->last_modified);
  state->last_modified = g_steal_pointer (&fetched->last_modified);
}

static void
on_official_done (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(DownbeatFetchResult) fetched = downbeat_fetch_finish (res, NULL);

  if (fetched == NULL || job->cycle->self == NULL)
    {
      downbeat_monitor_cycle_detach (job->cycle);
      job_done (job);
      return;
    }

  job->cycle->wire_bytes += fetched->wire_bytes;
  job->cycle->official_answered[job->index] = TRUE;
  take_official_answer (&job->cycle->self->official[job->index], fetched);
  job_done (job);
}

static guint
cycle_deadline (DownbeatMonitor *self)
{
  GPtrArray *specs = self->specs;
  const DownbeatProbeSpec *control = self->control;
  guint longest = DOWNBEAT_PROBE_DEFAULT_TIMEOUT_S;   /* the official pages' */

  for (guint i = 0; i < specs->len; i++)
    {
      const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);
      guint timeout_s = spec->timeout_s;

      /* A handshake starts once its list has come, and may try its fallback port after. */
      if (spec->handshake != NULL)
        timeout_s += ((const DownbeatProbeSpec *) g_ptr_array_index (
                        specs, spec->handshake->from_index))->timeout_s
                     + DOWNBEAT_HANDSHAKE_FALLBACK_S;
      longest = MAX (longest, timeout_s);
    }
  if (control != NULL)
    longest = MAX (longest, control->timeout_s);

  return longest + CYCLE_MARGIN_S;
}

/* Checks start at most a poll interval apart, plus the longest a cycle may take: a cycle
 * ends by its deadline and schedules the next. The watchdog, re-armed whenever a cycle
 * starts, says so loudly if that ever stops holding, and starts one. */
static guint
longest_gap (DownbeatMonitor *self)
{
  return MAX (self->poll_interval, self->recheck_interval) + cycle_deadline (self) + CYCLE_MARGIN_S;
}

static gboolean
on_watchdog (gpointer user_data)
{
  DownbeatMonitor *self = user_data;
  Cycle *stuck = self->cycle;

  self->watchdog_id = 0;
  self->stalls++;
  g_warning ("No check started for %u s; starting one now", longest_gap (self));

  if (stuck != NULL)
    {
      g_clear_handle_id (&stuck->deadline_id, g_source_remove);
      on_cycle_deadline (stuck);
    }
  downbeat_monitor_start_cycle (self);

  return G_SOURCE_REMOVE;
}

void
downbeat_monitor_arm_watchdog (DownbeatMonitor *self)
{
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_id = g_timeout_add_seconds (longest_gap (self), on_watchdog, self);
}

/* A probe the server asked to wait: no attempt, and so no result either way. */
static DownbeatProbeResult *
waiting_result (gint64 until_us)
{
  DownbeatProbeResult *result = g_new0 (DownbeatProbeResult, 1);
  guint seconds = (until_us - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  result->failure = DOWNBEAT_FAILURE_HTTP_STATUS;
  result->http_status = 429;
  result->outcome = DOWNBEAT_OUTCOME_NO_RESULT;
  result->error = g_strdup_printf (ngettext ("HTTP 429, next try in %u second",
                                             "HTTP 429, next try in %u seconds", seconds),
                                   seconds);
  return result;
}

static Job *
job_new (Cycle   *cycle,
         JobKind  kind,
         guint    index)
{
  Job *job = g_new0 (Job, 1);

  job->cycle = cycle;
  job->kind = kind;
  job->index = index;
  cycle->outstanding++;
  cycle->in_flight++;
  return job;
}

/* A handshake waits for the access points its probe lists (no more than one a cycle: the
 * service allows one); with none listed, it is not tried, and says nothing either way. */
static void
start_handshakes (Cycle                     *cycle,
                  guint                      from,
                  const DownbeatProbeResult *listing)
{
  DownbeatMonitor *self = cycle->self;
  GPtrArray *specs = self->specs;

  for (guint i = from + 1; i < specs->len; i++)
    {
      const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);

      if (spec->handshake == NULL || spec->handshake->from_index != from)
        continue;

      if (listing->listed != NULL && listing->listed[0] != NULL)
        downbeat_handshake_probe_run_async ((const char * const *) listing->listed,
                                            spec->handshake->key, spec->timeout_s,
                                            spec->handshake->fallback_port, self->cancellable,
                                            on_handshake_done,
                                            job_new (cycle, JOB_PROBE, i));
      else
        {
          DownbeatProbeResult *result = g_new0 (DownbeatProbeResult, 1);

          result->failure = DOWNBEAT_FAILURE_EMPTY;
          result->outcome = DOWNBEAT_OUTCOME_NO_RESULT;
          result->error = g_strdup (_("not tried: no access point was listed"));
          cycle->probe_results[i] = result;
        }
    }
}

/* Up to MAX_IN_FLIGHT requests at a time; once all are sent, the cycle may end. */
static void
send_probes (Cycle *cycle)
{
  DownbeatMonitor *self = cycle->self;
  GPtrArray *specs = self->specs;

  if (cycle->all_sent)
    return;

  while (cycle->next_probe < cycle->n_probes && cycle->in_flight < MAX_IN_FLIGHT)
    {
      guint i = cycle->next_probe++;
      const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);

      if (spec->handshake != NULL)
        continue;
      if (g_get_monotonic_time () < self->retry_until_us[i])
        {
          cycle->probe_results[i] = waiting_result (self->retry_until_us[i]);
          start_handshakes (cycle, i, cycle->probe_results[i]);
        }
      else
        downbeat_probe_run_async (self->session, spec, self->cancellable, on_probe_done,
                                  job_new (cycle, JOB_PROBE, i));
    }

  if (cycle->next_probe == cycle->n_probes)
    {
      cycle->all_sent = TRUE;
      release (cycle);
    }
}

void
downbeat_monitor_start_cycle (DownbeatMonitor *self)
{
  GPtrArray *specs = self->specs;
  GPtrArray *sources = self->sources;
  const DownbeatProbeSpec *control = self->control;
  Cycle *cycle;

  if (self->cycle != NULL)
    {
      self->again = TRUE;
      return;
    }

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->request_id, g_source_remove);

  cycle = g_new0 (Cycle, 1);
  cycle->self = self;
  cycle->deadline_s = cycle_deadline (self);
  cycle->n_probes = specs->len;
  cycle->probe_results = g_new0 (DownbeatProbeResult *, specs->len);
  cycle->official_answered = g_new0 (gboolean, sources->len);
  self->cycle = cycle;
  downbeat_monitor_arm_watchdog (self);

  /* Held until every request has been sent, so that none finishing at once ends the cycle. */
  cycle->outstanding = 1;

  if (control != NULL)
    downbeat_probe_run_async (self->session, control, self->cancellable, on_probe_done,
                              job_new (cycle, JOB_CONTROL, 0));

  for (guint i = 0; i < sources->len; i++)
    {
      OfficialState *state = &self->official[i];
      DownbeatFetchRequest request = {
        .url = state->source->summary_url,
        .method = SOUP_METHOD_GET,
        .timeout_s = DOWNBEAT_PROBE_DEFAULT_TIMEOUT_S,
        .max_bytes = DOWNBEAT_FETCH_MAX_BYTES,
        .if_none_match = state->summary != NULL ? state->etag : NULL,
        .if_modified_since = state->summary != NULL ? state->last_modified : NULL,
      };

      downbeat_fetch_async (self->session, &request, self->cancellable, on_official_done,
                            job_new (cycle, JOB_OFFICIAL, i));
    }

  cycle->deadline_id = g_timeout_add_seconds (cycle->deadline_s, on_cycle_deadline, cycle);
  downbeat_monitor_cycle_started (self);
  /* Last: it may end the cycle at once (every probe asked to wait, nothing else to ask). */
  send_probes (cycle);
}
