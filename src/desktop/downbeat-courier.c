/* downbeat-courier.c: the notification server's side of the notifier, on a thread of its own
 *
 * libnotify speaks synchronously, and a server that takes a call and never answers would
 * hold the main loop (and the tray icon) for D-Bus's 25 s timeout. So every libnotify object
 * lives on one thread of its own, the courier's worker (downbeat-worker.c): the notifications
 * are created, shown, updated and closed there, and libnotify's "closed" and "action" signals
 * are delivered there too. The notifier, on the main thread, only posts deliveries to it and
 * is told what the user did and whether a notification was taken. The courier is shared, by
 * reference, between its thread and what it hands back; it never holds the notifier, so the
 * notifier is always finalized on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "downbeat-courier.h"
#include "downbeat-worker.h"

/* The notification's image, in pixels: what KDE, GNOME and dunst show at most. */
#define IMAGE_SIZE 64

struct _DownbeatCourier
{
  DownbeatWorker     *worker;             /* posted to from the main thread until stopped */
  GWeakRef            owner;              /* the notifier; read on the main thread only */
  DownbeatCourierFunc func;               /* told the news, on the main thread */
  char               *icon_files[DOWNBEAT_LEVEL_OUTAGE + 1];
  /* Only the courier's thread touches these. */
  GdkPixbuf          *images[DOWNBEAT_LEVEL_OUTAGE + 1];  /* made when first needed */
  NotifyNotification *notification;       /* the latest incident's */
  gboolean            critical;           /* it was last shown critical */
  guint               incident;           /* whose it is */
  guint               shown_incident;     /* the incident whose notification was last taken */
  gboolean            unreachable;        /* the last show failed, and that was said */
  gboolean            portal_known;       /* libnotify has chosen its way… */
  gboolean            portal;             /* …and it is the portal */
};

typedef struct
{
  DownbeatCourier  *courier;
  DownbeatDelivery  what;
} Delivery;

typedef struct
{
  DownbeatCourier     *courier;
  DownbeatCourierNews  news;
} Handback;

static void
courier_free (DownbeatCourier *courier)
{
  g_weak_ref_clear (&courier->owner);
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    {
      g_free (courier->icon_files[level]);
      g_clear_object (&courier->images[level]);
    }
}

static void
courier_unref (DownbeatCourier *courier)
{
  g_atomic_rc_box_release_full (courier, (GDestroyNotify) courier_free);
}

static void
delivery_free (Delivery *delivery)
{
  courier_unref (delivery->courier);
  downbeat_notice_clear (&delivery->what.notice);
  g_free (delivery->what.follow);
  g_free (delivery);
}

static void
handback_free (Handback *handback)
{
  courier_unref (handback->courier);
  g_free (handback->news.action);
  g_free (handback);
}

/* On the main thread. */
static gboolean
take_handback (gpointer user_data)
{
  Handback *handback = user_data;
  g_autoptr(GObject) owner = g_weak_ref_get (&handback->courier->owner);

  if (owner != NULL)
    handback->courier->func (owner, &handback->news);
  return G_SOURCE_REMOVE;
}

/* On the courier's thread. */
static void
hand_back (DownbeatCourier *courier,
           Handback        *handback)
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

/* libnotify chooses between the server and the portal once, with its first connection, for the
 * rest of the process; the portal's server name is its own, given without a call. */
static gboolean
uses_portal (DownbeatCourier *courier)
{
  g_autofree char *name = NULL;

  if (!courier->portal_known && notify_get_server_info (&name, NULL, NULL, NULL))
    {
      courier->portal_known = TRUE;
      courier->portal = g_strcmp0 (name, "Portal Notification") == 0;
    }
  return courier->portal;
}

/* GNOME Shell before 46 rebuilds a banner's buttons as an update empties its list of them, and
 * fills it again without telling the banner (messageTray.js, notificationDaemon.js): an update
 * in place leaves the banner on screen without its buttons, and a critical one stays there. 46
 * tells a banner of each action added. Asked every time: the server may have been replaced. */
static gboolean
updates_lose_buttons (void)
{
  g_autofree char *name = NULL;
  g_autofree char *version = NULL;

  return notify_get_server_info (&name, NULL, &version, NULL)
         && g_strcmp0 (name, "gnome-shell") == 0 && g_ascii_strtoull (version, NULL, 10) < 46;
}

/* On the courier's thread, where libnotify delivers its signals. */
static void
on_action (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  DownbeatCourier *courier = user_data;
  Handback *handback = g_new0 (Handback, 1);

  handback->news.action = g_strdup (action);
  hand_back (courier, handback);
}

static void
on_closed (NotifyNotification *notification,
           gpointer            user_data)
{
  DownbeatCourier *courier = user_data;
  Handback *handback;

  if (notify_notification_get_closed_reason (notification) == NOTIFY_CLOSED_REASON_API_REQUEST)
    return;

  handback = g_new0 (Handback, 1);
  handback->news.incident = courier->incident;
  handback->news.closed = TRUE;
  handback->news.dismissed = notify_notification_get_closed_reason (notification)
                        == NOTIFY_CLOSED_REASON_DISMISSED;
  hand_back (courier, handback);
}

static void
drop_notification (DownbeatCourier *courier)
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
new_notification (DownbeatCourier *courier,
                  Delivery        *delivery,
                  guint32          server_id)
{
  drop_notification (courier);
  courier->incident = delivery->what.notice.incident;
  courier->notification = notify_notification_new (delivery->what.notice.summary, NULL, NULL);
  if (server_id != 0)
    g_object_set (courier->notification, "id", (int) server_id, NULL);
  g_signal_connect (courier->notification, "closed", G_CALLBACK (on_closed), courier);
}

/* Not closed by the server: libnotify forgets the id of one that was, and would close id 0. */
static gboolean
notification_open (DownbeatCourier *courier)
{
  return courier->notification != NULL
         && notify_notification_get_closed_reason (courier->notification)
            == NOTIFY_CLOSED_REASON_UNSET;
}

static void
deliver_close (DownbeatCourier *courier)
{
  g_autoptr(GError) error = NULL;

  if (notification_open (courier) && !notify_notification_close (courier->notification, &error))
    g_debug ("Cannot close the notification: %s", error->message);
}

/* The incident's one notification: made at its first delivery, kept until the next incident's,
 * so that a click on "Spotify is back" still opens the details. One the user closed is not
 * shown again in place: a new one. Nor is a critical one made less urgent: GNOME Shell hides
 * such a banner at once, unseen, while the user is active (messageTray.js runs no timeout for
 * a critical banner, and finds the updated one expired), so it is closed and a new one shown;
 * as is every update on a GNOME Shell that would show it without its buttons. */
static NotifyNotification *
incident_notification (DownbeatCourier *courier,
                       Delivery        *delivery)
{
  gboolean calmer = courier->critical && delivery->what.notice.urgency != DOWNBEAT_URGENCY_CRITICAL;
  gboolean in_place = notification_open (courier)
                      && courier->incident == delivery->what.notice.incident && !calmer;
  gboolean anew = in_place && !uses_portal (courier) && updates_lose_buttons ();

  if (calmer || anew)
    deliver_close (courier);
  if (!in_place || anew)
    new_notification (courier, delivery, 0);
  return courier->notification;
}

/* One of the application's own actions. On the portal it goes by its name, "app.mute": the
 * portal's backends and GNOME Shell activate such an action in the application itself. Any
 * other, older GNOME Shells ignore, and the backends tell it only after activating the
 * application, which opens the window whatever the button. */
static void
add_action (DownbeatCourier    *courier,
            NotifyNotification *notification,
            gboolean            portal,
            const char         *action,
            const char         *app_action,
            const char         *label)
{
  g_autofree char *name = portal ? g_strconcat ("app.", app_action, NULL) : g_strdup (action);

  notify_notification_add_action (notification, name, label, on_action, courier, NULL);
}

static void
add_actions (DownbeatCourier    *courier,
             NotifyNotification *notification,
             Delivery           *delivery)
{
  DownbeatLevel level = delivery->what.level;
  gboolean portal = uses_portal (courier);

  /* The default action (a click on the notification) is the one "Details": a server that
   * shows it as a button shows one. On the portal, a click with no action of its own activates
   * the application, which shows the details. */
  if (!portal)
    notify_notification_add_action (notification, "default", _("Details"), on_action, courier,
                                    NULL);
  if (level != DOWNBEAT_LEVEL_OPERATIONAL)
    add_action (courier, notification, portal, "mute", "mute", _("Mute for 1 Hour"));
  if (level == DOWNBEAT_LEVEL_DEGRADED || level == DOWNBEAT_LEVEL_OUTAGE)
    add_action (courier, notification, portal, "when-back", "ask-when-back",
                _("Notify Me When It's Back"));
  if (delivery->what.resume)
    add_action (courier, notification, portal, "resume", "resume-playback",
                _("Resume Playback"));
  if (delivery->what.follow != NULL)
    add_action (courier, notification, portal, "follow", "open-channel", delivery->what.follow);
}

static gboolean
deliver_show (DownbeatCourier *courier,
              Delivery        *delivery)
{
  static const NotifyUrgency urgencies[] = {
    [DOWNBEAT_URGENCY_LOW] = NOTIFY_URGENCY_LOW,
    [DOWNBEAT_URGENCY_NORMAL] = NOTIFY_URGENCY_NORMAL,
    [DOWNBEAT_URGENCY_CRITICAL] = NOTIFY_URGENCY_CRITICAL,
  };
  const DownbeatNotice *notice = &delivery->what.notice;
  /* Asked every time: the server may have been replaced since. */
  GList *caps = notify_get_server_caps ();
  g_autofree char *body = downbeat_notice_format_body (notice, server_has (caps, "body-markup"));
  const char *icon_file = courier->icon_files[delivery->what.level];
  NotifyNotification *notification = incident_notification (courier, delivery);
  g_autoptr(GError) error = NULL;

  notify_notification_update (notification, notice->summary, body,
                              downbeat_level_icon_name (delivery->what.level));
  notify_notification_set_urgency (notification, urgencies[notice->urgency]);
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (APPLICATION_ID));
  /* Not every server looks an icon name up in our theme (dunst does not): the file too, and
   * the image itself at the size servers show (KDE draws the file at its own 16 px, scaled up
   * and blurred; image-data comes first for every server that reads it). */
  if (icon_file != NULL)
    {
      notify_notification_set_hint (notification, "image-path", g_variant_new_string (icon_file));
      if (courier->images[delivery->what.level] == NULL)
        courier->images[delivery->what.level] = gdk_pixbuf_new_from_file_at_size (icon_file,
                                                                             IMAGE_SIZE,
                                                                             IMAGE_SIZE, NULL);
      if (courier->images[delivery->what.level] != NULL)
        notify_notification_set_image_from_pixbuf (notification,
                                                   courier->images[delivery->what.level]);
    }
  notify_notification_clear_actions (notification);
  if (server_has (caps, "actions"))
    add_actions (courier, notification, delivery);
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
  DownbeatCourier *courier = delivery->courier;

  /* An earlier run's notification, taken over: the server had taken it. */
  if (delivery->what.adopt_id != 0)
    {
      new_notification (courier, delivery, delivery->what.adopt_id);
      courier->shown_incident = courier->incident;
      courier->critical = delivery->what.adopt_critical;
    }

  if (delivery->what.notice.action == DOWNBEAT_NOTICE_SHOW
      && downbeat_notice_admit (&delivery->what.notice, courier->shown_incident))
    {
      Handback *handback = g_new0 (Handback, 1);

      handback->news.incident = delivery->what.notice.incident;
      handback->news.shown = deliver_show (courier, delivery);
      if (handback->news.shown)
        g_object_get (courier->notification, "id", &handback->news.server_id, NULL);
      hand_back (courier, handback);
    }
  else if (courier->incident == delivery->what.notice.incident)
    deliver_close (courier);
}

/**
 * downbeat_courier_new:
 * @owner: whom @func tells the news, while it lives (held weakly)
 *
 * Returns: (transfer full): a courier with its thread, until downbeat_courier_stop()
 */
DownbeatCourier *
downbeat_courier_new (GObject             *owner,
                      DownbeatCourierFunc  func)
{
  DownbeatCourier *courier = g_atomic_rc_box_new0 (DownbeatCourier);

  courier->worker = downbeat_worker_new ("downbeat-notify");
  g_weak_ref_init (&courier->owner, owner);
  courier->func = func;
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    courier->icon_files[level] = downbeat_level_icon_file (level);

  return courier;
}

/**
 * downbeat_courier_deliver:
 * @delivery: what to deliver; its contents are taken, and it is left cleared
 *
 * Delivers on the courier's thread, in the order posted.
 */
void
downbeat_courier_deliver (DownbeatCourier  *self,
                          DownbeatDelivery *delivery)
{
  Delivery *posted = g_new0 (Delivery, 1);

  posted->courier = g_atomic_rc_box_acquire (self);
  posted->what = *delivery;
  *delivery = (DownbeatDelivery) { { 0, }, };
  downbeat_worker_post (self->worker, deliver_in_courier, posted, (GDestroyNotify) delivery_free);
}

/* On the courier's thread, its last job: it lets go of what it had. */
static void
courier_drop (gpointer user_data)
{
  drop_notification (user_data);
}

/**
 * downbeat_courier_stop:
 *
 * Ends the courier once the deliveries queued, if any, return, and does not wait for that: a
 * server that never answers would hold the caller for D-Bus's timeout. Releases @self.
 */
void
downbeat_courier_stop (DownbeatCourier *self)
{
  downbeat_worker_post (self->worker, courier_drop, g_atomic_rc_box_acquire (self),
                        (GDestroyNotify) courier_unref);
  downbeat_worker_stop (self->worker, 0);
  courier_unref (self);
}
