/* downbeat-application.c: Downbeat's life, from start to shutdown
 *
 * The monitor, the history, the notifier, the tray, the players and the window, wired together;
 * its command line and its actions are in files of their own (downbeat-application-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "downbeat-application-private.h"
#include "downbeat-memory.h"
#include "downbeat-tray-indicator.h"
#include "downbeat-words.h"

/* How long a tray may be gone before the window shows instead: a tray host restarting (GNOME
 * Shell's extension, a panel) comes back within it. */
#define TRAY_GONE_S 10

G_DEFINE_FINAL_TYPE (DownbeatApplication, downbeat_application, GTK_TYPE_APPLICATION)

/* GApplication says an option it cannot parse (unknown, or without its value) and exits 1, which
 * --check means "degraded": a bad option is exit 4 in every mode (docs/design.md, "Command
 * line"). */
static gboolean
downbeat_application_local_command_line (GApplication   *app,
                                         char         ***arguments,
                                         int            *exit_status)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  GApplicationClass *parent_class = G_APPLICATION_CLASS (downbeat_application_parent_class);

  if (!parent_class->local_command_line (app, arguments, exit_status))
    return FALSE;
  if (!self->options_parsed)
    *exit_status = downbeat_application_usage_error ();
  return TRUE;
}

/* The notifier's muted-until is the one truth: bound to the setting when there is one. */
static gint64
muted_until (DownbeatApplication *self)
{
  gint64 until = 0;

  g_object_get (self->notifier, "muted-until", &until, NULL);
  return until > g_get_real_time () / G_USEC_PER_SEC ? until : 0;
}

static void
update_tray_status_line (DownbeatApplication *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  const char *service_name = downbeat_service_get_name (self->service);
  g_autofree char *line = NULL;

  if (report == NULL)
    /* Translators: %s is the name of the service, "Checking Spotify…" */
    line = g_strdup_printf (_("Checking %s…"), service_name);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *sentence = downbeat_level_sentence (report->level, service_name);
      g_autofree char *checked = downbeat_words_checked_ago (report->checked_at, now);

      /* Translators: "Spotify is up · checked 2 minutes ago" */
      line = g_strdup_printf (_("%s · %s"), sentence, checked);
    }

  downbeat_tray_set_status_line (self->tray, line);
}

/* "mute" holds until when notifications are muted, for the window to say. */
static void
update_mute (DownbeatApplication *self)
{
  gint64 until = muted_until (self);
  g_autoptr(GDateTime) when = until != 0 ? g_date_time_new_from_unix_utc (until) : NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "mute");

  downbeat_tray_set_muted_until (self->tray, when);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_int64 (until));
}

/* During an outage the icon asks to be seen (a panel shows it, out of any overflow); while
 * Spotify works, and only if asked for, it asks to be hidden. */
static DownbeatTrayStatus
tray_status (DownbeatApplication *self,
             DownbeatLevel        level)
{
  if (level == DOWNBEAT_LEVEL_OUTAGE)
    return DOWNBEAT_TRAY_ATTENTION;
  if (level == DOWNBEAT_LEVEL_OPERATIONAL && self->settings != NULL
      && g_settings_get_boolean (self->settings, "icon-only-when-wrong"))
    return DOWNBEAT_TRAY_PASSIVE;
  return DOWNBEAT_TRAY_ACTIVE;
}

static gboolean
update_tray_idle (gpointer user_data)
{
  DownbeatApplication *self = user_data;
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  DownbeatLevel level = report != NULL ? report->level : DOWNBEAT_LEVEL_UNKNOWN;
  const char *service_name = downbeat_service_get_name (self->service);
  g_autofree char *sentence = downbeat_level_sentence (level, service_name);
  /* The title (most panels' tooltip): the sentence, which names the service, but for "You are
   * offline" and the like. */
  g_autofree char *title = strstr (sentence, service_name) != NULL
                           ? g_strdup (sentence)
                           /* Translators: the tray's title, "Spotify: You are offline" */
                           : g_strdup_printf (_("%s: %s"), service_name, sentence);

  self->tray_idle_id = 0;

  downbeat_tray_set_icon (self->tray, downbeat_level_icon_name (level), sentence);
  downbeat_tray_set_title (self->tray, title);
  downbeat_tray_set_status (self->tray, tray_status (self, level));
  update_tray_status_line (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_minute (gpointer user_data)
{
  DownbeatApplication *self = user_data;

  update_tray_status_line (self);
  update_mute (self);

  return G_SOURCE_CONTINUE;
}

/* "Notify Me When It's Back" is there while Spotify is degraded or down, checked once asked
 * (and then a way to cancel it). The notifier's "when-back" is the one truth. */
void
downbeat_application_update_when_back (DownbeatApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "notify-when-back");
  DownbeatLevel level = downbeat_monitor_get_level (self->monitor);
  gboolean asked = FALSE;

  g_object_get (self->notifier, "when-back", &asked, NULL);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (asked));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               asked || level == DOWNBEAT_LEVEL_DEGRADED
                               || level == DOWNBEAT_LEVEL_OUTAGE);
}

/* Several changes in a row draw the icon once. */
static void
schedule_tray_update (DownbeatApplication *self)
{
  if (self->tray_idle_id == 0)
    self->tray_idle_id = g_idle_add (update_tray_idle, self);
}

static void
on_report_changed (DownbeatApplication *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);

  if (report != NULL)
    {
      /* First: whether "Spotify is back" offers to resume the music. */
      if (self->players != NULL)
        downbeat_players_set_level (self->players, report->level);
      downbeat_notifier_update (self->notifier, report);
    }
  downbeat_application_update_when_back (self);
  schedule_tray_update (self);
}

/* The status on the bus, for panels and scripts: set from each check; the skeleton says
 * PropertiesChanged for what changed. */
static void
update_status (DownbeatApplication *self,
               DownbeatReport      *report)
{
  g_autoptr(GDateTime) since = downbeat_history_get_since (self->history);

  if (self->status == NULL)
    return;

  downbeat_dbus_status_set_level (self->status, downbeat_level_to_string (report->level));
  downbeat_dbus_status_set_summary (self->status, report->summary);
  downbeat_dbus_status_set_reasons (self->status, (const char * const *) report->reasons);
  downbeat_dbus_status_set_since (self->status, since != NULL ? g_date_time_to_unix (since) : 0);
  downbeat_dbus_status_set_last_check (self->status, g_date_time_to_unix (report->checked_at));
  downbeat_dbus_status_set_confirming (self->status, report->pending);
}

static void
on_announcement_changed (DownbeatApplication *self)
{
  g_autoptr(DownbeatAnnouncement) announcement = NULL;

  announcement = downbeat_notifier_dup_announcement (self->notifier);
  downbeat_history_announce (self->history, announcement);
}

/* The history is written on its own thread: the main loop never waits for the disk. */
static void
on_checked (DownbeatApplication *self,
            DownbeatReport      *report)
{
  downbeat_history_add (self->history, report);
  update_status (self, report);
  update_tray_status_line (self);

  /* What the memory tests follow, check after check (G_MESSAGES_DEBUG=downbeat-application). */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_debug ("Checked: %" G_GSIZE_FORMAT " bytes in use, %" G_GSIZE_FORMAT " of them SQLite's",
             downbeat_memory_in_use (), downbeat_memory_in_sqlite ());
}

static gboolean
on_handle_check_now (DownbeatDbusStatus    *status,
                     GDBusMethodInvocation *invocation,
                     DownbeatApplication   *self)
{
  if (self->monitor != NULL)
    downbeat_monitor_request_check (self->monitor);
  downbeat_dbus_status_complete_check_now (status, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Exported before the name is owned: a panel that sees the name finds the status there. */
static gboolean
downbeat_application_dbus_register (GApplication     *app,
                                    GDBusConnection  *connection,
                                    const char       *object_path,
                                    GError          **error)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  static const char * const no_reasons[] = { NULL };

  if (!G_APPLICATION_CLASS (downbeat_application_parent_class)->dbus_register (app, connection,
                                                                               object_path, error))
    return FALSE;

  self->status = downbeat_dbus_status_skeleton_new ();
  downbeat_dbus_status_set_definition (self->status, downbeat_service_get_digest (self->service));
  downbeat_dbus_status_set_level (self->status, downbeat_level_to_string (DOWNBEAT_LEVEL_UNKNOWN));
  downbeat_dbus_status_set_summary (self->status, "");
  downbeat_dbus_status_set_reasons (self->status, no_reasons);
  g_signal_connect_object (self->status, "handle-check-now", G_CALLBACK (on_handle_check_now),
                           self, 0);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->status), connection,
                                           object_path, error);
}

static void
downbeat_application_dbus_unregister (GApplication    *app,
                                      GDBusConnection *connection,
                                      const char      *object_path)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);

  if (self->status != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->status));
  g_clear_object (&self->status);

  G_APPLICATION_CLASS (downbeat_application_parent_class)->dbus_unregister (app, connection,
                                                                          object_path);
}

DownbeatWindow *
downbeat_application_find_window (DownbeatApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (DOWNBEAT_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
on_close_window (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gtk_window_close (user_data);
}

/* "win.close", which Escape and Ctrl+W run (downbeat_application_startup). */
void
downbeat_application_add_close_action (GtkApplicationWindow *window)
{
  static const GActionEntry entries[] = { { "close", on_close_window } };

  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries),
                                   window);
}

void
downbeat_application_present_window (DownbeatApplication *self)
{
  DownbeatWindow *window = downbeat_application_find_window (self);

  if (window == NULL)
    {
      window = downbeat_window_new (self, self->monitor, self->history);
      downbeat_application_add_close_action (GTK_APPLICATION_WINDOW (window));
    }

  downbeat_window_set_tray_missing (window, !downbeat_tray_get_available (self->tray));
  gtk_window_present (GTK_WINDOW (window));
}

/* The tray has been gone for TRAY_GONE_S: nothing shows Downbeat any more but its window,
 * which closing now quits, as at a start without a tray. */
static gboolean
on_tray_gone (gpointer user_data)
{
  DownbeatApplication *self = user_data;

  self->tray_gone_id = 0;
  g_message ("The system tray went away: showing the window instead");
  downbeat_application_present_window (self);
  if (self->held)
    {
      g_application_release (G_APPLICATION (self));
      self->held = FALSE;
    }
  return G_SOURCE_REMOVE;
}

/* With a tray, Downbeat lives without windows; without one, its window is all there is. A
 * tray that comes later takes the app in (closing the window keeps it there); one that goes
 * for good brings the window back, after a grace for a tray host restarting. */
static void
on_tray_available (DownbeatApplication *self)
{
  gboolean available = downbeat_tray_get_available (self->tray);
  DownbeatWindow *window = downbeat_application_find_window (self);

  g_clear_handle_id (&self->tray_gone_id, g_source_remove);
  if (available && !self->held)
    {
      g_application_hold (G_APPLICATION (self));
      self->held = TRUE;
    }
  else if (!available && self->held
           && (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window))))
    self->tray_gone_id = g_timeout_add_seconds (TRAY_GONE_S, on_tray_gone, self);
  else if (!available && self->held)
    {
      g_application_release (G_APPLICATION (self));
      self->held = FALSE;
    }

  if (window != NULL)
    downbeat_window_set_tray_missing (window, !available);
}

/* A session ending, or a service manager stopping us, gets the same orderly end as Quit. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  DownbeatApplication *self = user_data;
  gboolean going_to_sleep = TRUE;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    {
      g_debug ("Resumed from suspend");
      downbeat_monitor_check_now (self->monitor);
    }
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  DownbeatApplication *self;

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, so no check on resume: %s", error->message);
      return;
    }

  self = user_data;
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_prepare_for_sleep, self, NULL);
}

static void
on_autostart_changed (DownbeatApplication *self)
{
  downbeat_autostart_set_enabled (self->autostart,
                                  g_settings_get_boolean (self->settings, "autostart"));
}

static void
bind_settings (DownbeatApplication *self)
{
  if (self->settings == NULL)
    return;

  if (self->interval == 0)
    g_settings_bind (self->settings, "poll-interval", self->monitor, "poll-interval",
                     G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "recheck-interval", self->monitor, "recheck-interval",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "confirmations", self->monitor, "confirmations",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "watch-developer-services", self->monitor,
                   "watch-developer-services", G_SETTINGS_BIND_GET);

  g_settings_bind (self->settings, "notify-degraded", self->notifier, "notify-degraded",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "notify-recovery", self->notifier, "notify-recovery",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "notify-maintenance", self->notifier, "notify-maintenance",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "muted-until", self->notifier, "muted-until",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "remind-every-hours", self->notifier, "remind-every-hours",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "quiet-hours", self->notifier, "quiet-hours",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "quiet-from", self->notifier, "quiet-from",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "quiet-until", self->notifier, "quiet-until",
                   G_SETTINGS_BIND_GET);

  g_signal_connect_object (self->settings, "changed::autostart", G_CALLBACK (on_autostart_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::icon-only-when-wrong",
                           G_CALLBACK (schedule_tray_update), self, G_CONNECT_SWAPPED);
  /* Renewed at each start: the portal wants to be asked, the file may be stale. */
  if (g_settings_get_boolean (self->settings, "autostart"))
    on_autostart_changed (self);
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/downbeat/Downbeat/downbeat-style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
downbeat_application_startup (GApplication *app)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  g_autofree char *history_path = NULL;

  /* Before GTK opens the display: the Wayland app id and X11's WM_CLASS, by which the shell
   * finds the desktop file (its icon, its name). `downbeat --help` has spoken already. */
  g_set_prgname (APPLICATION_ID);
  G_APPLICATION_CLASS (downbeat_application_parent_class)->startup (app);

  load_style ();
  /* For what does not find the desktop file: a task list, a window switcher, X11. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
  {
    static const char * const close_keys[] = { "<Primary>w", "Escape", NULL };

    gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.close", close_keys);
  }
  self->cancellable = g_cancellable_new ();
  self->session = downbeat_fetch_session_new ();
  self->monitor = downbeat_monitor_new (self->service, self->session,
                                        g_network_monitor_get_default ());
  self->notifier = downbeat_notifier_new (G_ACTION_GROUP (self));
  if (downbeat_application_first_channel (self) != NULL)
    downbeat_notifier_set_channel (self->notifier, downbeat_application_first_channel (self)->name);
  if (g_application_get_dbus_connection (app) != NULL)
    self->players = downbeat_players_new (g_application_get_dbus_connection (app));
  self->autostart = downbeat_autostart_new (downbeat_autostart_is_sandboxed ());
  if (self->interval != 0)
    g_object_set (self->monitor, "poll-interval", self->interval, NULL);
  history_path = downbeat_history_default_path ();
  self->history = downbeat_history_new (history_path);
  g_object_bind_property (self->monitor, "poll-interval", self->history, "poll-interval",
                          G_BINDING_SYNC_CREATE);
  {
    g_autoptr(GPtrArray) trusts = downbeat_history_trust (self->history);

    downbeat_monitor_restore_trust (self->monitor, trusts);
  }
  {
    g_autoptr(DownbeatAnnouncement) announcement = downbeat_history_announcement (self->history);

    /* An incident an earlier run told the user of: ended with "back", or taken up. */
    downbeat_notifier_resume (self->notifier, announcement);
  }

  downbeat_application_add_actions (self);
  self->tray = downbeat_tray_indicator_new (G_ACTION_GROUP (self),
                                            downbeat_service_get_name (self->service));
  bind_settings (self);

  g_signal_connect_object (self->monitor, "notify::report", G_CALLBACK (on_report_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "checked", G_CALLBACK (on_checked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "notify::available", G_CALLBACK (on_tray_available), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "notify::muted-until", G_CALLBACK (update_mute),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "notify::when-back",
                           G_CALLBACK (downbeat_application_update_when_back),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "announcement-changed",
                           G_CALLBACK (on_announcement_changed), self, G_CONNECT_SWAPPED);
  /* The music just stopped while all seemed well: is it Spotify? (Check Now's bound.) */
  if (self->players != NULL)
    g_signal_connect_object (self->players, "music-stopped",
                             G_CALLBACK (downbeat_monitor_request_check), self->monitor,
                             G_CONNECT_SWAPPED);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, self);

  update_tray_idle (self);
  update_mute (self);
  downbeat_application_update_when_back (self);
  self->minute_id = g_timeout_add_seconds (60, on_minute, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);

  g_application_hold (app);
  self->held = TRUE;

  downbeat_monitor_start (self->monitor);
}

/* Launched, Downbeat shows its window; started at login, it waits in the tray, even for a
 * panel that is not up yet. Closing the window keeps it running only where a tray shows it. */
static void
downbeat_application_activate (GApplication *app)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  gboolean first = !self->activated;

  self->activated = TRUE;

  if (first && self->at_login)
    return;

  downbeat_application_present_window (self);

  if (self->held && !downbeat_tray_get_available (self->tray))
    {
      /* Closing the only window must not leave an invisible process behind. */
      g_application_release (app);
      self->held = FALSE;
    }
}

static void
downbeat_application_shutdown (GApplication *app)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tray_idle_id, g_source_remove);
  g_clear_handle_id (&self->minute_id, g_source_remove);
  g_clear_handle_id (&self->tray_gone_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;

  /* Released here, as gnome-text-editor's editor_application_shutdown() does: a dispose is
   * reached only once every reference is gone. A window holds the monitor and the history. */
  for (GList *windows; (windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL;)
    gtk_widget_destroy (windows->data);
  g_clear_weak_pointer (&self->preferences);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->notifier != NULL)
    g_signal_handlers_disconnect_by_data (self->notifier, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->tray);
  g_clear_object (&self->autostart);
  g_clear_object (&self->notifier);
  g_clear_object (&self->players);
  g_clear_object (&self->monitor);
  /* What the monitor handed over last is written before the process ends. */
  if (self->history != NULL)
    downbeat_history_close (self->history);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  g_clear_object (&self->system_bus);

  G_APPLICATION_CLASS (downbeat_application_parent_class)->shutdown (app);
}

static void
downbeat_application_dispose (GObject *object)
{
  DownbeatApplication *self = (DownbeatApplication *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_debug ("Disposed: nothing holds the application any more");

  G_OBJECT_CLASS (downbeat_application_parent_class)->dispose (object);
}

static void
downbeat_application_class_init (DownbeatApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = downbeat_application_dispose;
  app_class->local_command_line = downbeat_application_local_command_line;
  app_class->handle_local_options = downbeat_application_handle_local_options;
  app_class->startup = downbeat_application_startup;
  app_class->activate = downbeat_application_activate;
  app_class->shutdown = downbeat_application_shutdown;
  app_class->dbus_register = downbeat_application_dbus_register;
  app_class->dbus_unregister = downbeat_application_dbus_unregister;
}

static void
downbeat_application_init (DownbeatApplication *self)
{
  downbeat_application_add_options (self);
}

DownbeatApplication *
downbeat_application_new (void)
{
  return g_object_new (DOWNBEAT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
