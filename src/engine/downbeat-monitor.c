/* downbeat-monitor.c: the monitor: its properties, its schedule and its public API
 *
 * One cycle at a time, a poll interval apart or sooner while a problem is being confirmed;
 * the cycle itself is in downbeat-monitor-cycle.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-monitor"

#include "config.h"

#include "downbeat-monitor-private.h"

#define OFFLINE_FIRST_DELAY_S 10
#define NETWORK_SETTLE_S 1
/* Check Now, asked by a person or any process: a cycle at most this often (docs/design.md, "D-Bus"). */
#define REQUEST_GAP_S 5

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

void
downbeat_monitor_cycle_started (DownbeatMonitor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

/* The cycle has ended with @report (transfer full): the next is scheduled, then whoever
 * listens is told. */
void
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

  /* Decided again with the next check, which comes as Check Now's does: any process of the
   * session can flip the setting, as often as it likes. */
  self->watch_developers = watch;
  if (self->report != NULL)
    downbeat_monitor_request_check (self);
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
