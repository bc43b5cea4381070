/* downbeat-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-monitor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "downbeat-handshake-probe.h"
#include "downbeat-monitor.h"
#include "downbeat-verdict.h"

/* An official page that cannot be fetched keeps its last answer this many poll intervals. */
#define OFFICIAL_GRACE_INTERVALS 3
#define OFFLINE_FIRST_DELAY_S 10
#define NETWORK_SETTLE_S 1
/* A cycle ends this long after its longest request's own timeout, answered or not. */
#define CYCLE_MARGIN_S 5
/* Requests a cycle has in flight at most; the next starts as one ends. libsoup 3.2 walks its
 * whole queue whenever it changes: a definition of thousands of probes sent at once kept the
 * CPU busy for minutes. */
#define MAX_IN_FLIGHT 32
/* Check Now, asked by a person or any process: a cycle at most this often (docs/design.md, "D-Bus"). */
#define REQUEST_GAP_S 5

typedef struct
{
  const DownbeatOfficialSource *source;
  DownbeatStatuspageSummary    *summary;
  /* An answer that would change the level, until the next one says the same (or not). */
  DownbeatStatuspageSummary    *candidate;
  gint64                        confirmed_us;  /* monotonic time of the last good answer */
  GDateTime                    *confirmed_at;
  char                         *etag;
  char                         *last_modified;
  char                         *error;
} OfficialState;

typedef struct _Cycle Cycle;

struct _DownbeatMonitor
{
  GObject               parent_instance;

  DownbeatService      *service;
  /* What the monitor uses of the service, taken once: it does not change. */
  GPtrArray            *specs;            /* the probes */
  GPtrArray            *sources;          /* the official pages */
  const DownbeatProbeSpec *control;       /* nullable */
  SoupSession          *session;
  GNetworkMonitor      *network_monitor;
  GCancellable         *cancellable;

  guint                 poll_interval;
  guint                 recheck_interval;
  guint                 confirmations;
  gboolean              watch_developers;

  DownbeatConfirmation *confirmation;     /* one per probe */
  gint64               *retry_until_us;   /* one per probe: asked to wait (429) until then */
  OfficialState        *official;         /* one per official source */
  DownbeatProblem       problem;          /* the one in progress, if open */
  DownbeatReport       *report;
  Cycle                *cycle;            /* the one in flight, or NULL */
  gboolean              again;            /* run another cycle as soon as this one ends */
  guint                 offline_cycles;
  gboolean              first_failure;    /* the last cycle saw a counted probe fail anew */
  guint                 next_delay;
  guint                 timer_id;
  guint                 settle_id;
  guint                 watchdog_id;
  guint                 request_id;       /* Check Now asked for too soon: a cycle then */
  gint64                ended_us;         /* monotonic time the last cycle ended, 0 before */
  guint                 stalls;
  gulong                network_changed_id;
};

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

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_SESSION,
  PROP_NETWORK_MONITOR,
  PROP_POLL_INTERVAL,
  PROP_RECHECK_INTERVAL,
  PROP_CONFIRMATIONS,
  PROP_WATCH_DEVELOPERS,
  PROP_LEVEL,
  PROP_REPORT,
  PROP_CHECKING,
  N_PROPS
};

enum {
  CHECKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DownbeatMonitor, downbeat_monitor, G_TYPE_OBJECT)

static void downbeat_monitor_start_cycle (DownbeatMonitor *self);
static void release                      (Cycle           *cycle);

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
static void
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

static void
official_state_clear (OfficialState *state)
{
  g_clear_pointer (&state->summary, downbeat_statuspage_summary_unref);
  g_clear_pointer (&state->candidate, downbeat_statuspage_summary_unref);
  g_clear_pointer (&state->confirmed_at, g_date_time_unref);
  g_clear_pointer (&state->etag, g_free);
  g_clear_pointer (&state->last_modified, g_free);
  g_clear_pointer (&state->error, g_free);
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

static guint
compute_next_delay (DownbeatMonitor *self,
                    DownbeatReport  *report)
{
  if (report->level == DOWNBEAT_LEVEL_OFFLINE)
    {
      guint delay = OFFLINE_FIRST_DELAY_S;

      for (guint i = 1; i < self->offline_cycles && delay < self->poll_interval; i++)
        delay *= 2;
      return MIN (delay, self->poll_interval);
    }

  /* The first recheck of a failure comes sooner: the onset may have waited a whole poll
   * interval for its first check, and the confirmations still span two rechecks ("The rules",
   * docs/design.md). */
  if (self->first_failure)
    return MIN (MAX (self->recheck_interval / 3, 1), self->poll_interval);

  if (report->pending)
    return MIN (self->recheck_interval, self->poll_interval);

  return self->poll_interval;
}

static gboolean
on_timer (gpointer user_data)
{
  DownbeatMonitor *self = user_data;

  self->timer_id = 0;
  downbeat_monitor_start_cycle (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (DownbeatMonitor *self,
          guint            delay)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->next_delay = delay;
  self->timer_id = g_timeout_add_seconds (delay, on_timer, self);
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
downbeat_monitor_cycle_started (DownbeatMonitor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

/* The cycle has ended with @report (transfer full): the next is scheduled, then whoever
 * listens is told. */
static void
downbeat_monitor_cycle_ended (DownbeatMonitor *self,
                              DownbeatReport  *report)
{
  DownbeatLevel old_level = downbeat_monitor_get_level (self);
  gboolean changed;

  self->offline_cycles = report->level == DOWNBEAT_LEVEL_OFFLINE ? self->offline_cycles + 1 : 0;
  changed = !downbeat_report_same_evidence (self->report, report);
  g_clear_pointer (&self->report, downbeat_report_unref);
  self->report = report;
  self->ended_us = g_get_monotonic_time ();

  if (self->again)
    {
      self->again = FALSE;
      schedule (self, 0);
    }
  else
    schedule (self, compute_next_delay (self, self->report));

  /* "checked" first: whoever records the cycle (the history) hands it over, in the order of
   * the checks, before anyone reacts to the change. */
  g_signal_emit (self, signals[CHECKED], 0, self->report);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
  if (old_level != self->report->level)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
  g_object_thaw_notify (G_OBJECT (self));
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

static void
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

static void
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

static gboolean
on_network_settled (gpointer user_data)
{
  DownbeatMonitor *self = user_data;

  self->settle_id = 0;
  downbeat_monitor_start_cycle (self);
  return G_SOURCE_REMOVE;
}

/* A network change comes as a burst of signals: one cycle once it has settled. */
static void
on_network_changed (GNetworkMonitor *network_monitor,
                    gboolean         available,
                    DownbeatMonitor *self)
{
  if (self->timer_id == 0 && self->cycle == NULL)
    return;

  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add_seconds (NETWORK_SETTLE_S, on_network_settled, self);
}

static void
downbeat_monitor_constructed (GObject *object)
{
  DownbeatMonitor *self = (DownbeatMonitor *)object;

  G_OBJECT_CLASS (downbeat_monitor_parent_class)->constructed (object);

  g_assert (self->service != NULL);
  g_assert (self->session != NULL);

  self->specs = downbeat_service_get_probes (self->service);
  self->sources = downbeat_service_get_official (self->service);
  self->control = downbeat_service_get_control (self->service);
  self->confirmation = g_new0 (DownbeatConfirmation, self->specs->len);
  self->retry_until_us = g_new0 (gint64, self->specs->len);

  self->official = g_new0 (OfficialState, self->sources->len);
  for (guint i = 0; i < self->sources->len; i++)
    self->official[i].source = g_ptr_array_index (self->sources, i);

  if (self->network_monitor != NULL)
    self->network_changed_id = g_signal_connect (self->network_monitor, "network-changed",
                                                 G_CALLBACK (on_network_changed), self);
}

static void
downbeat_monitor_dispose (GObject *object)
{
  DownbeatMonitor *self = (DownbeatMonitor *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->cycle != NULL)
    downbeat_monitor_cycle_detach (self->cycle);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->request_id, g_source_remove);
  g_clear_signal_handler (&self->network_changed_id, self->network_monitor);
  g_clear_object (&self->network_monitor);

  G_OBJECT_CLASS (downbeat_monitor_parent_class)->dispose (object);
}

static void
downbeat_monitor_finalize (GObject *object)
{
  DownbeatMonitor *self = (DownbeatMonitor *)object;

  if (self->official != NULL)
    for (guint i = 0; i < self->sources->len; i++)
      official_state_clear (&self->official[i]);
  g_free (self->official);
  g_free (self->confirmation);
  g_free (self->retry_until_us);
  g_clear_pointer (&self->report, downbeat_report_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (downbeat_monitor_parent_class)->finalize (object);
}

static void
downbeat_monitor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DownbeatMonitor *self = DOWNBEAT_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    case PROP_RECHECK_INTERVAL:
      g_value_set_uint (value, self->recheck_interval);
      break;
    case PROP_CONFIRMATIONS:
      g_value_set_uint (value, self->confirmations);
      break;
    case PROP_WATCH_DEVELOPERS:
      g_value_set_boolean (value, self->watch_developers);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, downbeat_monitor_get_level (self));
      break;
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, downbeat_monitor_get_checking (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A shorter interval should not wait out the longer timer already running. */
static void
reschedule (DownbeatMonitor *self)
{
  if (self->timer_id != 0 && self->report != NULL)
    {
      schedule (self, compute_next_delay (self, self->report));
      downbeat_monitor_arm_watchdog (self);
    }
}

static void
set_uint (DownbeatMonitor *self,
          guint           *field,
          guint            value,
          guint            prop_id)
{
  if (*field == value)
    return;

  *field = value;
  reschedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* What counts has changed: the level is decided again at once, not a poll interval later. */
static void
set_watch_developers (DownbeatMonitor *self,
                      gboolean         watch)
{
  if (self->watch_developers == watch)
    return;

  self->watch_developers = watch;
  if (self->report != NULL)
    downbeat_monitor_start_cycle (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCH_DEVELOPERS]);
}

static void
downbeat_monitor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DownbeatMonitor *self = DOWNBEAT_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;
    case PROP_POLL_INTERVAL:
      set_uint (self, &self->poll_interval, g_value_get_uint (value), prop_id);
      break;
    case PROP_RECHECK_INTERVAL:
      set_uint (self, &self->recheck_interval, g_value_get_uint (value), prop_id);
      break;
    case PROP_CONFIRMATIONS:
      set_uint (self, &self->confirmations, g_value_get_uint (value), prop_id);
      break;
    case PROP_WATCH_DEVELOPERS:
      set_watch_developers (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_monitor_class_init (DownbeatMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = downbeat_monitor_constructed;
  object_class->dispose = downbeat_monitor_dispose;
  object_class->finalize = downbeat_monitor_finalize;
  object_class->get_property = downbeat_monitor_get_property;
  object_class->set_property = downbeat_monitor_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         DOWNBEAT_TYPE_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL,
                         G_TYPE_NETWORK_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       1, G_MAXUINT / 1000, 60,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_RECHECK_INTERVAL] =
    g_param_spec_uint ("recheck-interval", NULL, NULL,
                       1, G_MAXUINT / 1000, 10,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_CONFIRMATIONS] =
    g_param_spec_uint ("confirmations", NULL, NULL,
                       1, 100, 3,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_WATCH_DEVELOPERS] =
    g_param_spec_boolean ("watch-developer-services", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL,
                       DOWNBEAT_TYPE_LEVEL, DOWNBEAT_LEVEL_UNKNOWN,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL,
                        DOWNBEAT_TYPE_REPORT,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DownbeatMonitor::checked:
   * @report: this cycle's report: a new one each cycle, even when it says what the last said
   *
   * Emitted after every cycle, before #DownbeatMonitor:report is notified, which it is only
   * when what the report says has changed (downbeat_report_same_evidence()).
   */
  signals[CHECKED] =
    g_signal_new ("checked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DOWNBEAT_TYPE_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
downbeat_monitor_init (DownbeatMonitor *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * downbeat_monitor_new:
 * @session: the application's one session
 * @network_monitor: (nullable): usually g_network_monitor_get_default()
 */
DownbeatMonitor *
downbeat_monitor_new (DownbeatService *service,
                      SoupSession     *session,
                      GNetworkMonitor *network_monitor)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (service), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor), NULL);

  return g_object_new (DOWNBEAT_TYPE_MONITOR,
                       "service", service,
                       "session", session,
                       "network-monitor", network_monitor,
                       NULL);
}

/**
 * downbeat_monitor_start:
 *
 * Runs the first cycle now; the monitor schedules the next ones itself.
 */
void
downbeat_monitor_start (DownbeatMonitor *self)
{
  g_return_if_fail (DOWNBEAT_IS_MONITOR (self));

  downbeat_monitor_start_cycle (self);
}

/**
 * downbeat_monitor_check_now:
 *
 * Starts a cycle at once, or another one right after the one in flight.
 */
void
downbeat_monitor_check_now (DownbeatMonitor *self)
{
  g_return_if_fail (DOWNBEAT_IS_MONITOR (self));

  downbeat_monitor_start_cycle (self);
}

static gboolean
on_request (gpointer user_data)
{
  DownbeatMonitor *self = user_data;

  self->request_id = 0;
  downbeat_monitor_start_cycle (self);
  return G_SOURCE_REMOVE;
}

/**
 * downbeat_monitor_request_check:
 *
 * Check Now as a person or any process asks it, as often as it likes: it joins the cycle in
 * flight; or starts one at once; or, less than REQUEST_GAP_S after the last one ended, starts
 * one once that gap is over, which every request until then joins. Unlike
 * downbeat_monitor_check_now(), a flood adds at most one cycle every REQUEST_GAP_S.
 */
void
downbeat_monitor_request_check (DownbeatMonitor *self)
{
  gint64 wait_us;

  g_return_if_fail (DOWNBEAT_IS_MONITOR (self));

  if (self->cycle != NULL || self->request_id != 0)
    return;

  wait_us = self->ended_us + REQUEST_GAP_S * G_USEC_PER_SEC - g_get_monotonic_time ();
  if (self->ended_us == 0 || wait_us <= 0)
    downbeat_monitor_start_cycle (self);
  else
    self->request_id = g_timeout_add_seconds ((wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC,
                                              on_request, self);
}

DownbeatService *
downbeat_monitor_get_service (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), NULL);

  return self->service;
}

/**
 * downbeat_monitor_get_report:
 *
 * Returns: (transfer none) (nullable): the latest report; %NULL before the first cycle ends
 */
DownbeatReport *
downbeat_monitor_get_report (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), NULL);

  return self->report;
}

DownbeatLevel
downbeat_monitor_get_level (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), DOWNBEAT_LEVEL_UNKNOWN);

  return self->report != NULL ? self->report->level : DOWNBEAT_LEVEL_UNKNOWN;
}

gboolean
downbeat_monitor_get_checking (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), FALSE);

  return self->cycle != NULL;
}

/**
 * downbeat_monitor_get_next_delay:
 *
 * Returns: the seconds the monitor waits after the last cycle before the next one
 */
guint
downbeat_monitor_get_next_delay (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), 0);

  return self->next_delay;
}

/**
 * downbeat_monitor_restore_trust:
 * @trusts: (element-type DownbeatTrust): what an earlier run learnt, as the history keeps it
 *
 * A probe that is gone, or whose definition has changed since (another fingerprint), is not
 * given its old trust back: a changed check must prove itself again.
 */
void
downbeat_monitor_restore_trust (DownbeatMonitor *self,
                                GPtrArray       *trusts)
{
  GPtrArray *specs;

  g_return_if_fail (DOWNBEAT_IS_MONITOR (self));
  g_return_if_fail (trusts != NULL);

  specs = self->specs;
  for (guint t = 0; t < trusts->len; t++)
    {
      const DownbeatTrust *trust = g_ptr_array_index (trusts, t);

      for (guint i = 0; i < specs->len; i++)
        {
          const DownbeatProbeSpec *spec = g_ptr_array_index (specs, i);

          if (g_str_equal (spec->id, trust->probe)
              && g_str_equal (spec->fingerprint, trust->fingerprint))
            {
              self->confirmation[i].proven = TRUE;
              self->confirmation[i].outdated = trust->outdated;
              self->confirmation[i].alone_since = trust->alone_since;
            }
        }
    }
}

/**
 * downbeat_monitor_get_stalls:
 *
 * Returns: how often no check had started for longer than a poll interval plus the longest a
 *   check may take, and the watchdog started one; 0 unless something is wrong
 */
guint
downbeat_monitor_get_stalls (DownbeatMonitor *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (self), 0);

  return self->stalls;
}
