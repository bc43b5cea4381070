/* downbeat-notifier.c: the incident's notification, owned here on the main thread and
 * delivered by the courier (downbeat-courier.c) on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "downbeat-courier.h"
#include "downbeat-notifier-private.h"

struct _DownbeatNotifier
{
  GObject              parent_instance;

  GActionGroup        *actions;        /* weak: the application, which owns us */
  DownbeatNoticeState  state;          /* the one owner of the incident's notification */
  DownbeatAnnouncement *announced;     /* as last said with "announcement-changed" */
  guint                adopt_incident; /* an incident taken up from an earlier run… */
  guint32              adopt_id;       /* …and its notification, until first delivered */
  gboolean             adopt_critical; /* …which was critical */
  DownbeatCourier     *courier;        /* libnotify's side, on a thread of its own */
  char                *channel;        /* where the service speaks besides its pages, or NULL */

  gboolean             notify_degraded;
  gboolean             notify_recovery;
  gboolean             notify_maintenance;
  gint64               muted_until;    /* unix time */
  guint                remind_every_hours;
  gboolean             quiet_hours;
  guint                quiet_from;     /* minutes after local midnight */
  guint                quiet_until;
  guint                tick_id;        /* downbeat_notice_tick()'s next time */
};

enum {
  PROP_0,
  PROP_NOTIFY_DEGRADED,
  PROP_NOTIFY_RECOVERY,
  PROP_NOTIFY_MAINTENANCE,
  PROP_MUTED_UNTIL,
  PROP_WHEN_BACK,
  PROP_REMIND_EVERY_HOURS,
  PROP_QUIET_HOURS,
  PROP_QUIET_FROM,
  PROP_QUIET_UNTIL,
  N_PROPS
};

enum {
  ANNOUNCEMENT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DownbeatNotifier, downbeat_notifier, G_TYPE_OBJECT)

/* What a later run would need, said when it changes. */
static void
announce (DownbeatNotifier *self)
{
  g_autoptr(DownbeatAnnouncement) announcement = downbeat_notice_announcement (&self->state);

  if (downbeat_announcement_equal (announcement, self->announced))
    return;
  g_clear_pointer (&self->announced, downbeat_announcement_free);
  self->announced = g_steal_pointer (&announcement);
  g_signal_emit (self, signals[ANNOUNCEMENT_CHANGED], 0);
}

/* What the courier tells, on the main thread. */
static void
on_news (GObject                   *owner,
         const DownbeatCourierNews *news)
{
  DownbeatNotifier *self = DOWNBEAT_NOTIFIER (owner);

  if (news->action != NULL && self->actions != NULL)
    {
      if (g_str_equal (news->action, "when-back"))
        g_action_group_change_action_state (self->actions, "notify-when-back",
                                            g_variant_new_boolean (TRUE));
      else if (g_str_equal (news->action, "resume"))
        g_action_group_activate_action (self->actions, "resume-playback", NULL);
      else if (g_str_equal (news->action, "follow"))
        g_action_group_activate_action (self->actions, "open-channel", NULL);
      else
        g_action_group_activate_action (self->actions,
                                        g_str_equal (news->action, "mute") ? "mute"
                                                                           : "show-details",
                                        NULL);
    }
  else if (news->dismissed)
    downbeat_notice_dismissed (&self->state, news->incident);
  else if (news->closed)
    downbeat_notice_closed (&self->state, news->incident);
  else if (news->action == NULL)
    {
      /* "Back" follows only an incident whose notification was seen. */
      downbeat_notice_taken (&self->state, news->incident, news->shown, news->server_id);
      announce (self);
    }
}

static void
deliver (DownbeatNotifier *self,
         DownbeatNotice   *notice,
         DownbeatLevel     level)
{
  DownbeatDelivery delivery = { .notice = *notice, .level = level };

  *notice = (DownbeatNotice) { 0, };
  delivery.resume = delivery.notice.recovery && self->actions != NULL
                    && g_action_group_has_action (self->actions, "resume-playback")
                    && g_action_group_get_action_enabled (self->actions, "resume-playback");
  /* During an outage the service often speaks there first. */
  if (level == DOWNBEAT_LEVEL_OUTAGE && self->channel != NULL)
    /* Translators: a link to where the service posts, "Follow @SpotifyStatus on X" */
    delivery.follow = g_strdup_printf (_("Follow %s"), self->channel);
  if (self->adopt_incident != 0 && self->adopt_incident == delivery.notice.incident)
    {
      delivery.adopt_id = self->adopt_id;
      delivery.adopt_critical = self->adopt_critical;
      self->adopt_incident = 0;
    }
  downbeat_courier_deliver (self->courier, &delivery);
}

static DownbeatNoticeRules
notice_rules (DownbeatNotifier *self)
{
  return (DownbeatNoticeRules) {
    .notify_degraded = self->notify_degraded,
    .notify_recovery = self->notify_recovery,
    .notify_maintenance = self->notify_maintenance,
    .muted = self->muted_until > g_get_real_time () / G_USEC_PER_SEC,
    .remind_every_hours = self->remind_every_hours,
    .quiet_hours = self->quiet_hours,
    .quiet_from = self->quiet_from,
    .quiet_until = self->quiet_until,
  };
}

static void schedule_tick (DownbeatNotifier *self);

/* Reminders, and the end of quiet hours: the model says what and when. */
static gboolean
on_tick (gpointer user_data)
{
  DownbeatNotifier *self = user_data;
  DownbeatNoticeRules rules = notice_rules (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DownbeatNotice notice;

  self->tick_id = 0;
  downbeat_notice_tick (&self->state, &rules, now, &notice);
  if (notice.action != DOWNBEAT_NOTICE_NONE)
    deliver (self, &notice, self->state.last);
  downbeat_notice_clear (&notice);
  schedule_tick (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_tick (DownbeatNotifier *self)
{
  DownbeatNoticeRules rules = notice_rules (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 at = downbeat_notice_next_tick (&self->state, &rules, now);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* A second late rather than early: the wall clock must have reached it. */
  if (at != 0)
    self->tick_id = g_timeout_add_seconds (CLAMP (at - g_date_time_to_unix (now), 0,
                                                  G_MAXUINT / 2) + 1,
                                           on_tick, self);
}

static void
notify_when_back_changed (DownbeatNotifier *self,
                          gboolean          before)
{
  if (self->state.when_back != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHEN_BACK]);
}

/**
 * downbeat_notifier_update:
 * @report: a new report from the monitor
 *
 * Raises, updates or withdraws the incident's notification as docs/design.md, "Notifications", says.
 */
void
downbeat_notifier_update (DownbeatNotifier *self,
                          DownbeatReport   *report)
{
  DownbeatNoticeRules rules;
  DownbeatNotice notice;
  gboolean when_back;

  g_return_if_fail (DOWNBEAT_IS_NOTIFIER (self));
  g_return_if_fail (report != NULL);

  rules = notice_rules (self);

  /* Asked for once: it clears itself when the incident is over, "back" sent or not. */
  when_back = self->state.when_back;
  downbeat_notice_decide (&self->state, &rules, report, &notice);
  if (notice.action != DOWNBEAT_NOTICE_NONE)
    deliver (self, &notice, report->level);
  downbeat_notice_clear (&notice);
  notify_when_back_changed (self, when_back);
  announce (self);
  schedule_tick (self);
}

/**
 * downbeat_notifier_resume:
 * @announcement: (nullable): what an earlier run kept of the incident it told the user of
 *
 * Before the first report: takes that incident up, so that this run ends it with "Spotify is
 * back", replacing the earlier run's notification, or goes on updating it.
 */
void
downbeat_notifier_resume (DownbeatNotifier           *self,
                          const DownbeatAnnouncement *announcement)
{
  gboolean when_back;

  g_return_if_fail (DOWNBEAT_IS_NOTIFIER (self));

  when_back = self->state.when_back;
  self->adopt_incident = downbeat_notice_resume (&self->state, announcement);
  self->adopt_id = self->adopt_incident != 0 ? announcement->server_id : 0;
  if (self->adopt_incident != 0)
    {
      self->adopt_critical = announcement->urgency == DOWNBEAT_URGENCY_CRITICAL;
      self->announced = downbeat_announcement_copy (announcement);
    }
  notify_when_back_changed (self, when_back);
}

/**
 * downbeat_notifier_set_channel:
 * @name: (nullable): where the service speaks besides its pages, "@SpotifyStatus on X"
 *
 * An outage's notification then offers to follow it, activating "open-channel".
 */
void
downbeat_notifier_set_channel (DownbeatNotifier *self,
                               const char       *name)
{
  g_return_if_fail (DOWNBEAT_IS_NOTIFIER (self));

  g_free (self->channel);
  self->channel = g_strdup (name);
}

/**
 * downbeat_notifier_dup_announcement:
 *
 * Returns: (transfer full) (nullable): what a later run needs to end or take up the incident
 *   whose notification is up; %NULL when there is none. Changes are said by
 *   #DownbeatNotifier::announcement-changed.
 */
DownbeatAnnouncement *
downbeat_notifier_dup_announcement (DownbeatNotifier *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_NOTIFIER (self), NULL);

  return self->announced != NULL ? downbeat_announcement_copy (self->announced) : NULL;
}

static void
downbeat_notifier_dispose (GObject *object)
{
  DownbeatNotifier *self = (DownbeatNotifier *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);

  G_OBJECT_CLASS (downbeat_notifier_parent_class)->dispose (object);
}

static void
downbeat_notifier_finalize (GObject *object)
{
  DownbeatNotifier *self = (DownbeatNotifier *)object;

  g_clear_weak_pointer (&self->actions);
  g_clear_pointer (&self->courier, downbeat_courier_stop);
  downbeat_notice_state_clear (&self->state);
  g_clear_pointer (&self->announced, downbeat_announcement_free);
  g_free (self->channel);

  G_OBJECT_CLASS (downbeat_notifier_parent_class)->finalize (object);
}

static void
downbeat_notifier_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DownbeatNotifier *self = DOWNBEAT_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_NOTIFY_DEGRADED:
      g_value_set_boolean (value, self->notify_degraded);
      break;
    case PROP_NOTIFY_RECOVERY:
      g_value_set_boolean (value, self->notify_recovery);
      break;
    case PROP_NOTIFY_MAINTENANCE:
      g_value_set_boolean (value, self->notify_maintenance);
      break;
    case PROP_MUTED_UNTIL:
      g_value_set_int64 (value, self->muted_until);
      break;
    case PROP_WHEN_BACK:
      g_value_set_boolean (value, self->state.when_back);
      break;
    case PROP_REMIND_EVERY_HOURS:
      g_value_set_uint (value, self->remind_every_hours);
      break;
    case PROP_QUIET_HOURS:
      g_value_set_boolean (value, self->quiet_hours);
      break;
    case PROP_QUIET_FROM:
      g_value_set_uint (value, self->quiet_from);
      break;
    case PROP_QUIET_UNTIL:
      g_value_set_uint (value, self->quiet_until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_boolean (DownbeatNotifier *self,
             gboolean         *field,
             const GValue     *value,
             guint             prop_id)
{
  gboolean enabled = g_value_get_boolean (value);

  if (*field == enabled)
    return;
  *field = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Each changes what the timer waits for. */
static void
set_uint (DownbeatNotifier *self,
          guint            *field,
          const GValue     *value,
          guint             prop_id)
{
  if (*field == g_value_get_uint (value))
    return;
  *field = g_value_get_uint (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  schedule_tick (self);
}

static void
downbeat_notifier_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DownbeatNotifier *self = DOWNBEAT_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_NOTIFY_DEGRADED:
      set_boolean (self, &self->notify_degraded, value, prop_id);
      break;
    case PROP_NOTIFY_RECOVERY:
      set_boolean (self, &self->notify_recovery, value, prop_id);
      break;
    case PROP_NOTIFY_MAINTENANCE:
      set_boolean (self, &self->notify_maintenance, value, prop_id);
      break;
    case PROP_WHEN_BACK:
      {
        gboolean before = self->state.when_back;

        /* Asked only while there is a problem to wait for the end of. */
        if (!g_value_get_boolean (value))
          self->state.when_back = FALSE;
        else
          downbeat_notice_ask_when_back (&self->state);
        notify_when_back_changed (self, before);
      }
      break;
    case PROP_MUTED_UNTIL:
      if (self->muted_until != g_value_get_int64 (value))
        {
          self->muted_until = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_QUIET_HOURS:
      set_boolean (self, &self->quiet_hours, value, prop_id);
      schedule_tick (self);
      break;
    case PROP_REMIND_EVERY_HOURS:
      set_uint (self, &self->remind_every_hours, value, prop_id);
      break;
    case PROP_QUIET_FROM:
      set_uint (self, &self->quiet_from, value, prop_id);
      break;
    case PROP_QUIET_UNTIL:
      set_uint (self, &self->quiet_until, value, prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_notifier_class_init (DownbeatNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = downbeat_notifier_dispose;
  object_class->finalize = downbeat_notifier_finalize;
  object_class->get_property = downbeat_notifier_get_property;
  object_class->set_property = downbeat_notifier_set_property;

  properties[PROP_NOTIFY_DEGRADED] =
    g_param_spec_boolean ("notify-degraded", NULL, NULL, TRUE, flags);
  properties[PROP_NOTIFY_RECOVERY] =
    g_param_spec_boolean ("notify-recovery", NULL, NULL, TRUE, flags);
  properties[PROP_NOTIFY_MAINTENANCE] =
    g_param_spec_boolean ("notify-maintenance", NULL, NULL, FALSE, flags);
  properties[PROP_MUTED_UNTIL] =
    g_param_spec_int64 ("muted-until", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * DownbeatNotifier:when-back:
   *
   * One "Spotify is back" is wanted, even with recovery notifications off or muted; it goes
   * back to %FALSE by itself once the incident is over.
   */
  properties[PROP_WHEN_BACK] =
    g_param_spec_boolean ("when-back", NULL, NULL, FALSE, flags);
  properties[PROP_REMIND_EVERY_HOURS] =
    g_param_spec_uint ("remind-every-hours", NULL, NULL, 0, 168, 0, flags);
  properties[PROP_QUIET_HOURS] =
    g_param_spec_boolean ("quiet-hours", NULL, NULL, FALSE, flags);
  properties[PROP_QUIET_FROM] =
    g_param_spec_uint ("quiet-from", NULL, NULL, 0, 24 * 60 - 1, 22 * 60, flags);
  properties[PROP_QUIET_UNTIL] =
    g_param_spec_uint ("quiet-until", NULL, NULL, 0, 24 * 60 - 1, 7 * 60, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DownbeatNotifier::announcement-changed:
   *
   * What downbeat_notifier_dup_announcement() returns changed: the history keeps it.
   */
  signals[ANNOUNCEMENT_CHANGED] =
    g_signal_new ("announcement-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* In the Flatpak libnotify warns that it sends through the portal, as docs/design.md,
 * "Notifications", expects: that is no warning for the user's log. */
static void
on_libnotify_warning (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  if (g_str_has_prefix (message, "Running in confined mode, using Portal notifications"))
    log_level = (log_level & ~G_LOG_LEVEL_MASK) | G_LOG_LEVEL_DEBUG;
  g_log_default_handler (log_domain, log_level, message, NULL);
}

static void
downbeat_notifier_init (DownbeatNotifier *self)
{
  self->notify_degraded = TRUE;
  self->notify_recovery = TRUE;
  self->quiet_from = 22 * 60;
  self->quiet_until = 7 * 60;
  self->state.last = DOWNBEAT_LEVEL_UNKNOWN;
  self->state.worst = DOWNBEAT_LEVEL_UNKNOWN;
  if (!notify_is_initted ())
    {
      notify_init ("Downbeat");
      g_log_set_handler ("libnotify", G_LOG_LEVEL_WARNING, on_libnotify_warning, NULL);
    }
  self->courier = downbeat_courier_new (G_OBJECT (self), on_news);
}

/**
 * downbeat_notifier_new:
 * @actions: where "show-details" and "mute" are, for the notification's buttons
 */
DownbeatNotifier *
downbeat_notifier_new (GActionGroup *actions)
{
  DownbeatNotifier *self;

  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);

  self = g_object_new (DOWNBEAT_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->actions, actions);

  return self;
}
