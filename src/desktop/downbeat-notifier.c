/* downbeat-notifier.c: the incident's notification, owned here on the main thread and
 * delivered by libnotify on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "downbeat-notifier-private.h"
#include "downbeat-worker.h"

/* The notification's image, in pixels: what KDE, GNOME and dunst show at most. */
#define IMAGE_SIZE 64

typedef struct _Courier Courier;

struct _DownbeatNotifier
{
  GObject              parent_instance;

  GActionGroup        *actions;        /* weak: the application, which owns us */
  DownbeatNoticeState  state;          /* the one owner of the incident's notification */
  DownbeatAnnouncement *announced;     /* as last said with "announcement-changed" */
  guint                adopt_incident; /* an incident taken up from an earlier run… */
  guint32              adopt_id;       /* …and its notification, until first delivered */
  gboolean             adopt_critical; /* …which was critical */
  Courier             *courier;        /* the libnotify thread */
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

/* The notification server.
 *
 * libnotify speaks synchronously, and a server that takes a call and never answers would
 * hold the main loop (and the tray icon) for D-Bus's 25 s timeout. So every libnotify object
 * lives on one thread of its own, the courier's worker (downbeat-worker.c): the notifications
 * are created, shown, updated and closed there, and libnotify's "closed" and "action" signals
 * are delivered there too. The main thread only posts deliveries to it and is handed back
 * what the user did and whether a notification was taken. The courier is shared, by
 * reference, between its thread and what it hands back; it never holds the notifier, so the
 * notifier is always finalized on the main thread. */

struct _Courier
{
  DownbeatWorker     *worker;             /* posted to from the main thread until courier_stop() */
  GWeakRef            notifier;           /* read on the main thread only */
  char               *icon_files[DOWNBEAT_LEVEL_OUTAGE + 1];
  /* Only the courier's thread touches these. */
  GdkPixbuf          *images[DOWNBEAT_LEVEL_OUTAGE + 1];  /* made when first needed */
  NotifyNotification *notification;       /* the latest incident's */
  gboolean            critical;           /* it was last shown critical */
  guint               incident;           /* whose it is */
  guint               shown_incident;     /* the incident whose notification was last taken */
  gboolean            unreachable;        /* the last show failed, and that was said */
};

typedef struct
{
  Courier        *courier;
  DownbeatNotice  notice;
  DownbeatLevel   level;
  guint32         adopt_id;  /* a notification of an earlier run to take over, or 0 */
  gboolean        adopt_critical;
  gboolean        resume;    /* "Spotify is back", and the music it stopped can be resumed */
  char           *follow;    /* "Follow @SpotifyStatus on X", on an outage's; or NULL */
} Delivery;

typedef struct
{
  Courier  *courier;
  char     *action;          /* what the user clicked; NULL for a result */
  guint     incident;
  gboolean  shown;           /* a result: taken by the server */
  gboolean  closed;          /* the user closed it, or it expired */
  gboolean  dismissed;       /* …the user closed it */
  guint32   server_id;
} Handback;

static void
courier_free (Courier *courier)
{
  g_weak_ref_clear (&courier->notifier);
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    {
      g_free (courier->icon_files[level]);
      g_clear_object (&courier->images[level]);
    }
}

static void
courier_unref (Courier *courier)
{
  g_atomic_rc_box_release_full (courier, (GDestroyNotify) courier_free);
}

static void
delivery_free (Delivery *delivery)
{
  courier_unref (delivery->courier);
  downbeat_notice_clear (&delivery->notice);
  g_free (delivery->follow);
  g_free (delivery);
}

static void
handback_free (Handback *handback)
{
  courier_unref (handback->courier);
  g_free (handback->action);
  g_free (handback);
}

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

/* On the main thread. */
static gboolean
take_handback (gpointer user_data)
{
  Handback *handback = user_data;
  g_autoptr(DownbeatNotifier) self = g_weak_ref_get (&handback->courier->notifier);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (handback->action != NULL && self->actions != NULL)
    {
      if (g_str_equal (handback->action, "when-back"))
        g_action_group_change_action_state (self->actions, "notify-when-back",
                                            g_variant_new_boolean (TRUE));
      else if (g_str_equal (handback->action, "resume"))
        g_action_group_activate_action (self->actions, "resume-playback", NULL);
      else if (g_str_equal (handback->action, "follow"))
        g_action_group_activate_action (self->actions, "open-channel", NULL);
      else
        g_action_group_activate_action (self->actions,
                                        g_str_equal (handback->action, "mute") ? "mute"
                                                                              : "show-details",
                                        NULL);
    }
  else if (handback->dismissed)
    downbeat_notice_dismissed (&self->state, handback->incident);
  else if (handback->closed)
    downbeat_notice_closed (&self->state, handback->incident);
  else if (handback->action == NULL)
    {
      /* "Back" follows only an incident whose notification was seen. */
      downbeat_notice_taken (&self->state, handback->incident, handback->shown,
                             handback->server_id);
      announce (self);
    }

  return G_SOURCE_REMOVE;
}

/* On the courier's thread. */
static void
hand_back (Courier  *courier,
           Handback *handback)
{
  handback->courier = g_atomic_rc_box_acquire (courier);
  downbeat_worker_hand_back (courier->worker, take_handback, handback,
                             (GDestroyNotify) handback_free);
}

static gboolean
server_has (GList      *caps,
            const char *cap)
{
  return g_list_find_custom (caps, cap, (GCompareFunc) g_strcmp0) != NULL;
}

/* On the courier's thread, where libnotify delivers its signals. */
static void
on_action (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  Courier *courier = user_data;
  Handback *handback = g_new0 (Handback, 1);

  handback->action = g_strdup (action);
  hand_back (courier, handback);
}

static void
on_closed (NotifyNotification *notification,
           gpointer            user_data)
{
  Courier *courier = user_data;
  Handback *handback;

  if (notify_notification_get_closed_reason (notification) == NOTIFY_CLOSED_REASON_API_REQUEST)
    return;

  handback = g_new0 (Handback, 1);
  handback->incident = courier->incident;
  handback->closed = TRUE;
  handback->dismissed = notify_notification_get_closed_reason (notification)
                        == NOTIFY_CLOSED_REASON_DISMISSED;
  hand_back (courier, handback);
}

static void
drop_notification (Courier *courier)
{
  if (courier->notification == NULL)
    return;
  g_signal_handlers_disconnect_by_data (courier->notification, courier);
  g_clear_object (&courier->notification);
  courier->critical = FALSE;
}

/* A new notification for @delivery's incident: one of its own, or, given the server's id for
 * one of an earlier run, that one, which updates replace. */
static void
new_notification (Courier  *courier,
                  Delivery *delivery,
                  guint32   server_id)
{
  drop_notification (courier);
  courier->incident = delivery->notice.incident;
  courier->notification = notify_notification_new (delivery->notice.summary, NULL, NULL);
  if (server_id != 0)
    g_object_set (courier->notification, "id", (int) server_id, NULL);
  g_signal_connect (courier->notification, "closed", G_CALLBACK (on_closed), courier);
}

static void
deliver_close (Courier *courier)
{
  g_autoptr(GError) error = NULL;

  if (courier->notification != NULL
      && !notify_notification_close (courier->notification, &error))
    g_debug ("Cannot close the notification: %s", error->message);
}

/* The incident's one notification: made at its first delivery, kept until the next incident's,
 * so that a click on "Spotify is back" still opens the details. One the user closed is not
 * shown again in place: a new one. Nor is a critical one made less urgent: GNOME Shell hides
 * such a banner at once, unseen, while the user is active (messageTray.js runs no timeout for
 * a critical banner, and finds the updated one expired), so it is closed and a new one shown. */
static NotifyNotification *
incident_notification (Courier  *courier,
                       Delivery *delivery)
{
  gboolean open = courier->notification != NULL
                  && notify_notification_get_closed_reason (courier->notification)
                     == NOTIFY_CLOSED_REASON_UNSET;
  gboolean calmer = courier->critical && delivery->notice.urgency != DOWNBEAT_URGENCY_CRITICAL;

  if (open && calmer)
    deliver_close (courier);
  if (!open || courier->incident != delivery->notice.incident || calmer)
    new_notification (courier, delivery, 0);
  return courier->notification;
}

static gboolean
deliver_show (Courier  *courier,
              Delivery *delivery)
{
  static const NotifyUrgency urgencies[] = {
    [DOWNBEAT_URGENCY_LOW] = NOTIFY_URGENCY_LOW,
    [DOWNBEAT_URGENCY_NORMAL] = NOTIFY_URGENCY_NORMAL,
    [DOWNBEAT_URGENCY_CRITICAL] = NOTIFY_URGENCY_CRITICAL,
  };
  const DownbeatNotice *notice = &delivery->notice;
  /* Asked every time: the server may have been replaced since. */
  GList *caps = notify_get_server_caps ();
  g_autofree char *body = downbeat_notice_format_body (notice, server_has (caps, "body-markup"));
  const char *icon_file = courier->icon_files[delivery->level];
  NotifyNotification *notification = incident_notification (courier, delivery);
  g_autoptr(GError) error = NULL;

  notify_notification_update (notification, notice->summary, body,
                              downbeat_level_icon_name (delivery->level));
  notify_notification_set_urgency (notification, urgencies[notice->urgency]);
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (APPLICATION_ID));
  /* Not every server looks an icon name up in our theme (dunst does not): the file too, and
   * the image itself at the size servers show (KDE draws the file at its own 16 px, scaled up
   * and blurred; image-data comes first for every server that reads it). */
  if (icon_file != NULL)
    {
      notify_notification_set_hint (notification, "image-path", g_variant_new_string (icon_file));
      if (courier->images[delivery->level] == NULL)
        courier->images[delivery->level] = gdk_pixbuf_new_from_file_at_size (icon_file,
                                                                             IMAGE_SIZE,
                                                                             IMAGE_SIZE, NULL);
      if (courier->images[delivery->level] != NULL)
        notify_notification_set_image_from_pixbuf (notification,
                                                   courier->images[delivery->level]);
    }
  notify_notification_clear_actions (notification);
  if (server_has (caps, "actions"))
    {
      /* The default action (a click on the notification) is the one "Details": a server that
       * shows it as a button shows one. */
      notify_notification_add_action (notification, "default", _("Details"), on_action,
                                      courier, NULL);
      if (delivery->level != DOWNBEAT_LEVEL_OPERATIONAL)
        notify_notification_add_action (notification, "mute", _("Mute for 1 Hour"), on_action,
                                        courier, NULL);
      if (delivery->level == DOWNBEAT_LEVEL_DEGRADED || delivery->level == DOWNBEAT_LEVEL_OUTAGE)
        notify_notification_add_action (notification, "when-back",
                                        _("Notify Me When It's Back"), on_action, courier, NULL);
      if (delivery->resume)
        notify_notification_add_action (notification, "resume", _("Resume Playback"), on_action,
                                        courier, NULL);
      if (delivery->follow != NULL)
        notify_notification_add_action (notification, "follow", delivery->follow, on_action,
                                        courier, NULL);
    }
  g_list_free_full (caps, g_free);

  if (!notify_notification_show (notification, &error))
    {
      if (!courier->unreachable)
        g_message ("No notification shown, and none will be until a notification server "
                   "answers: %s", error->message);
      courier->unreachable = TRUE;
      /* Nothing of it is on screen: the next delivery makes another. Let go of now, not at
       * the end, where libnotify asking GIO for a proxy to a bus with no server on it loses
       * 16 bytes as the process ends (LeakSanitizer, GLib 2.74). */
      drop_notification (courier);
      return FALSE;
    }

  courier->unreachable = FALSE;
  courier->shown_incident = courier->incident;
  courier->critical = notice->urgency == DOWNBEAT_URGENCY_CRITICAL;
  return TRUE;
}

static void
deliver_in_courier (gpointer user_data)
{
  Delivery *delivery = user_data;
  Courier *courier = delivery->courier;

  /* An earlier run's notification, taken over: the server had taken it. */
  if (delivery->adopt_id != 0)
    {
      new_notification (courier, delivery, delivery->adopt_id);
      courier->shown_incident = courier->incident;
      courier->critical = delivery->adopt_critical;
    }

  if (delivery->notice.action == DOWNBEAT_NOTICE_SHOW
      && downbeat_notice_admit (&delivery->notice, courier->shown_incident))
    {
      Handback *handback = g_new0 (Handback, 1);

      handback->incident = delivery->notice.incident;
      handback->shown = deliver_show (courier, delivery);
      if (handback->shown)
        g_object_get (courier->notification, "id", &handback->server_id, NULL);
      hand_back (courier, handback);
    }
  else if (courier->incident == delivery->notice.incident)
    deliver_close (courier);
}

static Courier *
courier_new (DownbeatNotifier *notifier)
{
  Courier *courier = g_atomic_rc_box_new0 (Courier);

  courier->worker = downbeat_worker_new ("downbeat-notify");
  g_weak_ref_init (&courier->notifier, notifier);
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    courier->icon_files[level] = downbeat_level_icon_file (level);

  return courier;
}

/* On the courier's thread, its last job: it lets go of what it had. */
static void
courier_drop (gpointer user_data)
{
  drop_notification (user_data);
}

/* The courier ends once the deliveries queued, if any, return, and is not waited for: a
 * server that never answers would hold the caller for D-Bus's timeout. */
static void
courier_stop (Courier *courier)
{
  downbeat_worker_post (courier->worker, courier_drop, g_atomic_rc_box_acquire (courier),
                        (GDestroyNotify) courier_unref);
  downbeat_worker_stop (courier->worker, 0);
  courier_unref (courier);
}

static void
deliver (DownbeatNotifier *self,
         DownbeatNotice   *notice,
         DownbeatLevel     level)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->courier = g_atomic_rc_box_acquire (self->courier);
  delivery->notice = *notice;
  *notice = (DownbeatNotice) { 0, };
  delivery->level = level;
  delivery->resume = delivery->notice.recovery && self->actions != NULL
                     && g_action_group_has_action (self->actions, "resume-playback")
                     && g_action_group_get_action_enabled (self->actions, "resume-playback");
  /* During an outage the service often speaks there first. */
  if (level == DOWNBEAT_LEVEL_OUTAGE && self->channel != NULL)
    /* Translators: a link to where the service posts, "Follow @SpotifyStatus on X" */
    delivery->follow = g_strdup_printf (_("Follow %s"), self->channel);
  if (self->adopt_incident != 0 && self->adopt_incident == delivery->notice.incident)
    {
      delivery->adopt_id = self->adopt_id;
      delivery->adopt_critical = self->adopt_critical;
      self->adopt_incident = 0;
    }
  downbeat_worker_post (self->courier->worker, deliver_in_courier, delivery,
                        (GDestroyNotify) delivery_free);
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
  g_clear_pointer (&self->courier, courier_stop);
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
    notify_init ("Downbeat");
  self->courier = courier_new (self);
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
