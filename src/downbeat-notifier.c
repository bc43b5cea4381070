/* downbeat-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "downbeat-notifier-private.h"
#include "downbeat-words.h"

typedef struct _Courier Courier;

struct _DownbeatNotifier
{
  GObject              parent_instance;

  GActionGroup        *actions;        /* weak: the application, which owns us */
  DownbeatNoticeState  state;
  guint                incident;       /* counts incidents, to match results to theirs */
  Courier             *courier;        /* the libnotify thread */

  gboolean             notify_degraded;
  gboolean             notify_recovery;
  gboolean             notify_maintenance;
  gint64               muted_until;    /* unix time */
  gboolean             when_back;      /* "Notify Me When It's Back", until it is sent */
};

enum {
  PROP_0,
  PROP_NOTIFY_DEGRADED,
  PROP_NOTIFY_RECOVERY,
  PROP_NOTIFY_MAINTENANCE,
  PROP_MUTED_UNTIL,
  PROP_WHEN_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatNotifier, downbeat_notifier, G_TYPE_OBJECT)

/* The decisions: docs/design.md, "Notifications". */

static void
append_line (GString    *body,
             const char *line)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, line);
}

static void
append_probes (GString        *body,
               DownbeatReport *report)
{
  g_autoptr(GPtrArray) failing = g_ptr_array_new ();
  g_autoptr(GPtrArray) mismatching = g_ptr_array_new ();
  g_autoptr(GPtrArray) slow = g_ptr_array_new ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);
      const DownbeatConfirmation *state = &status->confirmation;
      char *note = downbeat_probe_status_note (status);

      /* What does not count is said, plainly, where it fails; a developer service that is
       * not watched is not the listener's news at all. */
      if (note != NULL && status->counted && status->result != NULL && !status->result->ok)
        g_ptr_array_add (notes, g_strdup_printf ("%s: %s", status->name, note));
      g_free (note);

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
      g_autofree char *line = g_strdup_printf (ngettext ("%s is not answering",
                                                         "%s are not answering", failing->len),
                                               names);
      append_line (body, line);
    }
  if (slow->len > 0)
    {
      g_autofree char *names = downbeat_words_join (slow);
      /* Translators: %s is a list of checks, "Login and Web API" */
      g_autofree char *line = g_strdup_printf (ngettext ("%s is slow", "%s are slow", slow->len),
                                               names);
      append_line (body, line);
    }
  if (mismatching->len > 0)
    {
      g_autofree char *names = downbeat_words_join (mismatching);
      /* Translators: %s is a list of checks, "Login and Web API" */
      g_autofree char *line = g_strdup_printf (ngettext ("%s answers otherwise than expected",
                                                         "%s answer otherwise than expected",
                                                         mismatching->len),
                                               names);
      append_line (body, line);
    }
  for (guint i = 0; i < notes->len; i++)
    append_line (body, g_ptr_array_index (notes, i));
}

static void
append_says (GString    *body,
             const char *source,
             const char *what)
{
  /* Translators: "Spotify says: Some users are unable to log in" */
  g_autofree char *line = g_strdup_printf (_("%s says: %s"), source, what);

  append_line (body, line);
}

/* What Spotify's own pages say: the newest word on the first open incident of each page. */
static void
append_official (GString        *body,
                 DownbeatReport *report,
                 DownbeatLevel   level)
{
  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *official = g_ptr_array_index (report->official, i);
      const DownbeatStatuspageSummary *summary = official->summary;

      if (summary == NULL || !official->counted)
        continue;

      if (level == DOWNBEAT_LEVEL_MAINTENANCE)
        {
          GPtrArray *maintenances = summary->scheduled_maintenances;

          for (guint j = 0; j < maintenances->len; j++)
            {
              const DownbeatIncident *maintenance = g_ptr_array_index (maintenances, j);

              if (g_strcmp0 (maintenance->status, "in_progress") == 0)
                append_says (body, official->name, maintenance->name);
            }
        }
      else if (summary->incidents->len > 0)
        {
          const DownbeatIncident *incident = g_ptr_array_index (summary->incidents, 0);

          append_says (body, official->name, incident->name);
          if (incident->latest_update_body != NULL)
            append_line (body, incident->latest_update_body);
        }
      else if (summary->description != NULL
               && summary->indicator >= DOWNBEAT_INDICATOR_MINOR
               && summary->indicator <= DOWNBEAT_INDICATOR_CRITICAL)
        append_says (body, official->name, summary->description);
    }
}

/* What counts and fails, what Spotify says, and once its page acknowledges the problem, how
 * long before it this computer noticed. */
static char *
problem_body (DownbeatReport *report)
{
  GString *body = g_string_new (NULL);

  if (report->level != DOWNBEAT_LEVEL_MAINTENANCE)
    append_probes (body, report);
  append_official (body, report, report->level);
  if (report->acknowledged_at != NULL)
    {
      g_autofree char *lead = downbeat_words_lead (report->service_name, report->noticed_at,
                                                   report->acknowledged_at, FALSE);
      if (lead != NULL)
        append_line (body, lead);
    }

  return g_string_free (body, FALSE);
}

static char *
recovery_body (DownbeatNoticeState *state,
               DownbeatReport      *report)
{
  g_autofree char *duration = downbeat_words_duration (g_date_time_difference (report->checked_at,
                                                                               state->since));
  g_autofree char *lead = downbeat_words_lead (report->service_name, state->noticed,
                                               state->acknowledged, TRUE);
  GString *body = g_string_new (NULL);

  if (state->worst == DOWNBEAT_LEVEL_OUTAGE)
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Down for %s"), duration);
  else
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Had problems for %s"), duration);
  if (lead != NULL)
    append_line (body, lead);

  return g_string_free (body, FALSE);
}

/* Kept from each report of the incident: the recovery's report no longer has them. */
static void
remember_lead (DownbeatNoticeState *state,
               DownbeatReport      *report)
{
  g_clear_pointer (&state->noticed, g_date_time_unref);
  g_clear_pointer (&state->acknowledged, g_date_time_unref);
  if (report->noticed_at != NULL)
    state->noticed = g_date_time_ref (report->noticed_at);
  if (report->acknowledged_at != NULL)
    state->acknowledged = g_date_time_ref (report->acknowledged_at);
}

static void
end_incident (DownbeatNoticeState *state)
{
  g_clear_pointer (&state->since, g_date_time_unref);
  g_clear_pointer (&state->summary, g_free);
  g_clear_pointer (&state->body, g_free);
  g_clear_pointer (&state->noticed, g_date_time_unref);
  g_clear_pointer (&state->acknowledged, g_date_time_unref);
  state->worst = DOWNBEAT_LEVEL_UNKNOWN;
  state->shown = FALSE;
}

static void
remember_shown (DownbeatNoticeState  *state,
                const DownbeatNotice *notice)
{
  state->shown = TRUE;
  g_free (state->summary);
  state->summary = g_strdup (notice->summary);
  g_free (state->body);
  state->body = g_strdup (notice->body);
  state->urgency = notice->urgency;
}

/* The level stays, but what shows it changed — the probes confirmed what Spotify's page said,
 * another check fails, Spotify posted an update: the notification says so, in place. */
static void
decide_same_level (DownbeatNoticeState       *state,
                   const DownbeatNoticeRules *rules,
                   DownbeatReport            *report,
                   DownbeatNotice            *notice)
{
  g_autofree char *body = NULL;

  if (state->since != NULL)
    remember_lead (state, report);
  if (!state->shown || state->since == NULL || rules->muted)
    return;

  body = problem_body (report);
  if (g_strcmp0 (body, state->body) == 0)
    return;

  notice->action = DOWNBEAT_NOTICE_SHOW;
  notice->urgency = state->urgency;
  notice->summary = g_strdup (state->summary);
  notice->body = g_steal_pointer (&body);
  remember_shown (state, notice);
}

static void
decide_recovery (DownbeatNoticeState       *state,
                 const DownbeatNoticeRules *rules,
                 DownbeatReport            *report,
                 DownbeatNotice            *notice)
{
  gboolean was_problem = state->worst == DOWNBEAT_LEVEL_DEGRADED
                         || state->worst == DOWNBEAT_LEVEL_OUTAGE;

  if (state->since == NULL || (!state->shown && !rules->when_back))
    {
      end_incident (state);
      return;
    }

  if (was_problem && ((rules->notify_recovery && !rules->muted) || rules->when_back))
    {
      notice->action = DOWNBEAT_NOTICE_SHOW;
      notice->urgency = DOWNBEAT_URGENCY_LOW;
      /* Translators: %s is the name of the service, "Spotify is back" */
      notice->summary = g_strdup_printf (_("%s is back"), report->service_name);
      notice->body = recovery_body (state, report);
    }
  else
    notice->action = DOWNBEAT_NOTICE_CLOSE;

  end_incident (state);
}

static void
decide_problem (DownbeatNoticeState       *state,
                const DownbeatNoticeRules *rules,
                DownbeatReport            *report,
                DownbeatLevel              previous,
                DownbeatNotice            *notice)
{
  DownbeatLevel level = report->level;
  gboolean wanted;

  if (state->since == NULL)
    {
      state->since = g_date_time_ref (report->checked_at);
      state->worst = level;
    }
  state->worst = MAX (state->worst, level);
  remember_lead (state, report);

  switch (level)
    {
    case DOWNBEAT_LEVEL_OUTAGE:
      wanted = TRUE;
      notice->urgency = DOWNBEAT_URGENCY_CRITICAL;
      notice->summary = downbeat_level_sentence (level, report->service_name);
      break;
    case DOWNBEAT_LEVEL_DEGRADED:
      notice->urgency = DOWNBEAT_URGENCY_NORMAL;
      if (previous == DOWNBEAT_LEVEL_OUTAGE)
        {
          /* An update of the outage's notification, never one of its own. */
          wanted = state->shown;
          /* Translators: %s is the name of the service, "Spotify is partly back" */
          notice->summary = g_strdup_printf (_("%s is partly back"), report->service_name);
        }
      else
        {
          wanted = rules->notify_degraded;
          notice->summary = downbeat_level_sentence (level, report->service_name);
        }
      break;
    case DOWNBEAT_LEVEL_MAINTENANCE:
      wanted = rules->notify_maintenance;
      notice->urgency = DOWNBEAT_URGENCY_LOW;
      notice->summary = downbeat_level_sentence (level, report->service_name);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!wanted || rules->muted)
    {
      g_clear_pointer (&notice->summary, g_free);
      return;
    }

  notice->action = DOWNBEAT_NOTICE_SHOW;
  notice->body = problem_body (report);
  remember_shown (state, notice);
}

/**
 * downbeat_notice_decide:
 * @state: what the notifier remembers; updated
 * @notice: (out caller-allocates): what to do; free with downbeat_notice_clear()
 *
 * Compares the report's level with the last informative one. Offline and unknown
 * never notify and never hide a notification.
 */
void
downbeat_notice_decide (DownbeatNoticeState       *state,
                        const DownbeatNoticeRules *rules,
                        DownbeatReport            *report,
                        DownbeatNotice            *notice)
{
  DownbeatLevel previous = state->last;

  g_return_if_fail (state != NULL && rules != NULL && report != NULL && notice != NULL);

  *notice = (DownbeatNotice) { DOWNBEAT_NOTICE_NONE, DOWNBEAT_URGENCY_NORMAL, NULL, NULL };

  if (!downbeat_level_is_informative (report->level))
    return;

  if (report->level == previous)
    {
      if (report->level != DOWNBEAT_LEVEL_OPERATIONAL)
        decide_same_level (state, rules, report, notice);
      return;
    }

  state->last = report->level;

  if (report->level == DOWNBEAT_LEVEL_OPERATIONAL)
    decide_recovery (state, rules, report, notice);
  else
    decide_problem (state, rules, report, previous, notice);
}

/**
 * downbeat_notice_format_body:
 * @markup: whether the server reads the body as markup
 *
 * Returns: (transfer full): the body as the server must receive it: text from the network
 *   is never read as markup
 */
char *
downbeat_notice_format_body (const DownbeatNotice *notice,
                             gboolean              markup)
{
  g_return_val_if_fail (notice != NULL, NULL);

  if (notice->body == NULL)
    return g_strdup ("");
  return markup ? g_markup_escape_text (notice->body, -1) : g_strdup (notice->body);
}

void
downbeat_notice_clear (DownbeatNotice *notice)
{
  g_clear_pointer (&notice->summary, g_free);
  g_clear_pointer (&notice->body, g_free);
}

void
downbeat_notice_state_clear (DownbeatNoticeState *state)
{
  end_incident (state);
  state->last = DOWNBEAT_LEVEL_UNKNOWN;
}

/* The notification server.
 *
 * libnotify speaks synchronously, and a server that takes a call and never answers would
 * hold the main loop (and the tray icon) for D-Bus's 25 s timeout. So every libnotify object
 * lives on one thread of its own, the courier's, with its own GMainContext: the notifications
 * are created, shown, updated and closed there, and libnotify's "closed" and "action" signals
 * are delivered there too. The main thread only posts deliveries to it and is handed back
 * what the user clicked and whether a notification could be shown. */

struct _Courier
{
  GMainContext       *context;
  GMainLoop          *loop;
  GThread            *thread;
  GMainContext       *main_context;   /* where actions and results are handed back */
  GWeakRef            notifier;
  char               *icon_files[DOWNBEAT_LEVEL_OUTAGE + 1];
  /* Only the courier's thread touches these. */
  NotifyNotification *notification;   /* the incident's */
  gboolean            unreachable;    /* the last show failed, and that was said */
};

typedef struct
{
  Courier              *courier;
  DownbeatNoticeAction  action;
  DownbeatUrgency       urgency;
  DownbeatLevel         level;
  char                 *summary;
  char                 *body;      /* plain text */
  gboolean              last;      /* the incident ends with this one */
  guint                 incident;  /* its number, for the result */
} Delivery;

typedef struct
{
  GWeakRef  notifier;
  char     *action;                /* NULL for a result */
  guint     incident;
  gboolean  shown;
} Handback;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->summary);
  g_free (delivery->body);
  g_free (delivery);
}

static void
handback_free (Handback *handback)
{
  g_weak_ref_clear (&handback->notifier);
  g_free (handback->action);
  g_free (handback);
}

/* On the main thread. */
static gboolean
take_handback (gpointer user_data)
{
  Handback *handback = user_data;
  g_autoptr(DownbeatNotifier) self = g_weak_ref_get (&handback->notifier);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (handback->action != NULL && self->actions != NULL)
    g_action_group_activate_action (self->actions,
                                    g_str_equal (handback->action, "mute") ? "mute"
                                    : g_str_equal (handback->action, "when-back") ? "notify-when-back"
                                    : "show-details",
                                    NULL);
  else if (handback->action == NULL && handback->incident == self->incident)
    /* "Back" follows only an incident whose notification was seen. */
    self->state.shown = handback->shown;

  return G_SOURCE_REMOVE;
}

static void
hand_back (Courier    *courier,
           const char *action,
           guint       incident,
           gboolean    shown)
{
  Handback *handback = g_new0 (Handback, 1);
  g_autoptr(GObject) notifier = g_weak_ref_get (&courier->notifier);

  g_weak_ref_init (&handback->notifier, notifier);
  handback->action = g_strdup (action);
  handback->incident = incident;
  handback->shown = shown;
  g_main_context_invoke_full (courier->main_context, G_PRIORITY_DEFAULT, take_handback,
                              handback, (GDestroyNotify) handback_free);
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

  hand_back (courier, action, 0, FALSE);
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
  DownbeatNotice notice = { DOWNBEAT_NOTICE_SHOW, delivery->urgency, delivery->summary,
                            delivery->body };
  /* Asked every time: the server may have been replaced since. */
  GList *caps = notify_get_server_caps ();
  g_autofree char *body = downbeat_notice_format_body (&notice, server_has (caps, "body-markup"));
  const char *icon_file = courier->icon_files[delivery->level];
  g_autoptr(GError) error = NULL;
  NotifyNotification *notification;

  if (courier->notification == NULL)
    courier->notification = notify_notification_new (delivery->summary, NULL, NULL);
  notification = courier->notification;

  notify_notification_update (notification, delivery->summary, body,
                              downbeat_level_icon_name (delivery->level));
  notify_notification_set_urgency (notification, urgencies[delivery->urgency]);
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (APPLICATION_ID));
  /* Not every server looks an icon name up in our theme (dunst does not): the file too. */
  if (icon_file != NULL)
    notify_notification_set_hint (notification, "image-path", g_variant_new_string (icon_file));
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
    }
  g_list_free_full (caps, g_free);

  if (!notify_notification_show (notification, &error))
    {
      if (!courier->unreachable)
        g_message ("No notification shown, and none will be until a notification server "
                   "answers: %s", error->message);
      courier->unreachable = TRUE;
      return FALSE;
    }

  courier->unreachable = FALSE;
  return TRUE;
}

static gboolean
deliver_in_courier (gpointer user_data)
{
  Delivery *delivery = user_data;
  Courier *courier = delivery->courier;
  g_autoptr(GError) error = NULL;

  if (delivery->action == DOWNBEAT_NOTICE_SHOW)
    hand_back (courier, NULL, delivery->incident, deliver_show (courier, delivery));
  else if (courier->notification != NULL
           && !notify_notification_close (courier->notification, &error))
    g_debug ("Cannot close the notification: %s", error->message);

  /* The next incident gets a notification of its own. */
  if (delivery->last)
    g_clear_object (&courier->notification);

  return G_SOURCE_REMOVE;
}

/* The courier's thread, until courier_stop(); then it frees what it had. */
static gpointer
courier_run (gpointer user_data)
{
  Courier *courier = user_data;

  g_main_context_push_thread_default (courier->context);
  g_main_loop_run (courier->loop);
  g_clear_object (&courier->notification);
  g_main_context_pop_thread_default (courier->context);

  g_main_loop_unref (courier->loop);
  g_main_context_unref (courier->context);
  g_main_context_unref (courier->main_context);
  g_weak_ref_clear (&courier->notifier);
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    g_free (courier->icon_files[level]);
  g_free (courier);

  return NULL;
}

static Courier *
courier_new (DownbeatNotifier *notifier)
{
  Courier *courier = g_new0 (Courier, 1);

  courier->context = g_main_context_new ();
  courier->loop = g_main_loop_new (courier->context, FALSE);
  courier->main_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&courier->notifier, notifier);
  for (guint level = 0; level < G_N_ELEMENTS (courier->icon_files); level++)
    courier->icon_files[level] = downbeat_level_icon_file (level);
  courier->thread = g_thread_new ("downbeat-notify", courier_run, courier);

  return courier;
}

static gboolean
quit_courier (gpointer user_data)
{
  Courier *courier = user_data;

  g_main_loop_quit (courier->loop);
  return G_SOURCE_REMOVE;
}

/* The courier ends once the delivery in flight, if any, returns, and is not waited for: a
 * server that never answers would hold the caller for D-Bus's timeout. */
static void
courier_stop (Courier *courier)
{
  GThread *thread = courier->thread;

  g_main_context_invoke (courier->context, quit_courier, courier);
  g_thread_unref (thread);
}

static void
deliver (DownbeatNotifier     *self,
         const DownbeatNotice *notice,
         DownbeatLevel         level)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->courier = self->courier;
  delivery->action = notice->action;
  delivery->urgency = notice->urgency;
  delivery->level = level;
  delivery->summary = g_strdup (notice->summary);
  delivery->body = g_strdup (notice->body);
  delivery->last = self->state.since == NULL;
  delivery->incident = self->incident;
  g_main_context_invoke_full (self->courier->context, G_PRIORITY_DEFAULT, deliver_in_courier,
                              delivery, (GDestroyNotify) delivery_free);
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

  g_return_if_fail (DOWNBEAT_IS_NOTIFIER (self));
  g_return_if_fail (report != NULL);

  rules = (DownbeatNoticeRules) {
    .notify_degraded = self->notify_degraded,
    .notify_recovery = self->notify_recovery,
    .notify_maintenance = self->notify_maintenance,
    .muted = self->muted_until > g_get_real_time () / G_USEC_PER_SEC,
    .when_back = self->when_back,
  };

  if (self->state.since == NULL)
    self->incident++;
  downbeat_notice_decide (&self->state, &rules, report, &notice);

  if (notice.action != DOWNBEAT_NOTICE_NONE)
    deliver (self, &notice, report->level);

  /* Asked for once: it clears itself when the incident is over, "back" sent or not. */
  if (self->state.since == NULL && self->when_back)
    {
      self->when_back = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHEN_BACK]);
    }

  downbeat_notice_clear (&notice);
}

static void
downbeat_notifier_finalize (GObject *object)
{
  DownbeatNotifier *self = (DownbeatNotifier *)object;

  g_clear_weak_pointer (&self->actions);
  g_clear_pointer (&self->courier, courier_stop);
  downbeat_notice_state_clear (&self->state);

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
      g_value_set_boolean (value, self->when_back);
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
      set_boolean (self, &self->when_back, value, prop_id);
      break;
    case PROP_MUTED_UNTIL:
      if (self->muted_until != g_value_get_int64 (value))
        {
          self->muted_until = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
downbeat_notifier_init (DownbeatNotifier *self)
{
  self->notify_degraded = TRUE;
  self->notify_recovery = TRUE;
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
