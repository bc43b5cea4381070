/* downbeat-application-actions.c: the application's actions
 *
 * What the tray menu, the notification's buttons and the window activate (app.*), and what
 * they change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-application"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-application-private.h"
#include "downbeat-link.h"
#include "downbeat-mute.h"
#include "downbeat-preferences.h"

static void
on_show_details (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  downbeat_application_present_window (user_data);
}

static void
on_check_now (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  DownbeatApplication *self = user_data;

  downbeat_monitor_request_check (self->monitor);
}

static void
set_muted_until (DownbeatApplication *self,
                 gint64               until)
{
  if (self->settings != NULL)
    g_settings_set_int64 (self->settings, "muted-until", until);
  else
    g_object_set (self->notifier, "muted-until", until, NULL);
}

static void
mute_for (DownbeatApplication *self,
          const char          *choice)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) until = downbeat_mute_until (choice, now);

  if (until == NULL)
    {
      g_warning ("Not muted: “%s” is no duration to mute for (1h, 4h or tomorrow)", choice);
      return;
    }
  set_muted_until (self, g_date_time_to_unix (until));
}

/* The notification's "Mute for 1 Hour". */
static void
on_mute (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  mute_for (user_data, "1h");
}

/* Its state set (over D-Bus): muted until then, 0 to unmute. */
static void
on_mute_change_state (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  set_muted_until (user_data, MAX (g_variant_get_int64 (state), 0));
}

static void
on_mute_for (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  mute_for (user_data, g_variant_get_string (parameter, NULL));
}

static void
on_unmute (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  set_muted_until (user_data, 0);
}

/* The service definition only takes http and https addresses: no scheme to check here. */
static const char *
status_page_url (DownbeatApplication *self)
{
  GPtrArray *official = downbeat_service_get_official (self->service);

  for (guint i = 0; i < official->len; i++)
    {
      const DownbeatOfficialSource *source = g_ptr_array_index (official, i);

      if (source->page_url != NULL)
        return source->page_url;
    }

  return NULL;
}

/**
 * downbeat_application_first_channel:
 *
 * Returns: (nullable): the first place the service speaks besides its pages (its definition's
 *   "channels"): the one the outage's notification offers
 */
const DownbeatChannel *
downbeat_application_first_channel (DownbeatApplication *self)
{
  GPtrArray *channels = downbeat_service_get_channels (self->service);

  return channels->len > 0 ? g_ptr_array_index (channels, 0) : NULL;
}

/* In the browser, over the window if one is open. No browser is said in the window and the log,
 * not warned of. */
static void
show_link (DownbeatApplication *self,
           const char          *url)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  downbeat_link_show (window != NULL ? GTK_WIDGET (window) : NULL, url);
}

static void
on_open_channel (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  const DownbeatChannel *channel = downbeat_application_first_channel (user_data);

  /* The action is enabled only when there is one. */
  show_link (user_data, channel->url);
}

static void
on_open_status_page (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  show_link (user_data, status_page_url (user_data));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DownbeatApplication *self = user_data;

  if (self->preferences == NULL)
    {
      DownbeatPreferences *preferences = downbeat_preferences_new (GTK_APPLICATION (self),
                                                                   self->settings,
                                                                   self->autostart);

      downbeat_application_add_close_action (GTK_APPLICATION_WINDOW (preferences));
      g_set_weak_pointer (&self->preferences, GTK_WINDOW (preferences));
    }

  gtk_window_present (self->preferences);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  DownbeatApplication *self = user_data;
  static const char * const authors[] = { "The Downbeat contributors", NULL };
  g_autofree char *comments =
    g_strconcat (_("Tells you whether Spotify is down, or it is just you."), "\n\n",
                 _("Downbeat is not affiliated with, endorsed by or sponsored by Spotify."), NULL);

  gtk_show_about_dialog (GTK_WINDOW (downbeat_application_find_window (self)),
                         "program-name", _("Downbeat"),
                         "version", PACKAGE_VERSION,
                         "comments", comments,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", PACKAGE_WEBSITE,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         "logo-icon-name", APPLICATION_ID "-operational",
                         NULL);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* Activated, it toggles; the notification's button sets it. */
static void
on_notify_when_back (GSimpleAction *action,
                     GVariant      *state,
                     gpointer       user_data)
{
  DownbeatApplication *self = user_data;

  g_object_set (self->notifier, "when-back", g_variant_get_boolean (state), NULL);
  /* The notifier may refuse (nothing to wait for): the action says what it holds. */
  downbeat_application_update_when_back (self);
}

/* The notification's button where the portal runs it (docs/design.md, "In the Flatpak"): it
 * asks, where activating notify-when-back would cancel a request already made. */
static void
on_ask_when_back (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  g_action_group_change_action_state (G_ACTION_GROUP (user_data), "notify-when-back",
                                      g_variant_new_boolean (TRUE));
}

static void
on_resume_playback (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DownbeatApplication *self = user_data;

  if (self->players != NULL)
    downbeat_players_resume (self->players);
}

void
downbeat_application_add_actions (DownbeatApplication *self)
{
  static const GActionEntry entries[] = {
    { "show-details", on_show_details },
    { "check-now", on_check_now },
    { "mute", on_mute, NULL, "int64 0", on_mute_change_state },
    { "mute-for", on_mute_for, "s" },
    { "unmute", on_unmute },
    { "notify-when-back", NULL, NULL, "false", on_notify_when_back },
    { "ask-when-back", on_ask_when_back },
    { "resume-playback", on_resume_playback },
    { "open-status-page", on_open_status_page },
    { "open-channel", on_open_channel },
    { "preferences", on_preferences },
    { "about", on_about },
    { "quit", on_quit },
  };
  GAction *open_status_page;
  GAction *open_channel;
  GAction *preferences;
  GAction *resume_playback;

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  open_status_page = g_action_map_lookup_action (G_ACTION_MAP (self), "open-status-page");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (open_status_page), status_page_url (self) != NULL);
  open_channel = g_action_map_lookup_action (G_ACTION_MAP (self), "open-channel");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (open_channel),
                               downbeat_application_first_channel (self) != NULL);
  preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->settings != NULL);
  resume_playback = g_action_map_lookup_action (G_ACTION_MAP (self), "resume-playback");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (resume_playback), FALSE);
  if (self->players != NULL)
    g_object_bind_property (self->players, "can-resume", resume_playback, "enabled",
                            G_BINDING_SYNC_CREATE);
}

