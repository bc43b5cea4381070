/* downbeat-window-actions.c: the window's mute, "when back" and "resume" controls
 *
 * What the tray menu and the notification offer, in the window (docs/design.md, "The window"):
 * its widgets activate the application's actions and follow their state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-window"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-window-private.h"
#include "downbeat-words.h"

static gpointer
child (DownbeatWindow *self,
       const char     *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), DOWNBEAT_TYPE_WINDOW, name);
}

/* (transfer full) (nullable): the application's action's state, NULL without that action. */
static GVariant *
app_state (DownbeatWindow     *self,
           const char         *action,
           const GVariantType *type)
{
  GActionGroup *actions = G_ACTION_GROUP (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GVariant) state = NULL;

  if (actions == NULL || !g_action_group_has_action (actions, action))
    return NULL;
  state = g_action_group_get_action_state (actions, action);
  return state != NULL && g_variant_is_of_type (state, type) ? g_steal_pointer (&state) : NULL;
}

static void
update_mute (DownbeatWindow *self)
{
  g_autoptr(GVariant) state = app_state (self, "mute", G_VARIANT_TYPE_INT64);
  gint64 until = state != NULL ? g_variant_get_int64 (state) : 0;

  gtk_image_set_from_icon_name (child (self, "mute_image"),
                                until != 0 ? "notifications-disabled-symbolic"
                                           : "preferences-system-notifications-symbolic",
                                GTK_ICON_SIZE_BUTTON);
  if (until != 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (until);
      g_autofree char *time = downbeat_words_day_and_time (when);
      /* Translators: %s is a time of day, or a day and a time: "15:04", "Dec 4, 08:00" */
      g_autofree char *text = g_strdup_printf (_("Notifications are muted until %s."), time);

      gtk_label_set_text (child (self, "mute_label"), text);
    }
  gtk_info_bar_set_revealed (child (self, "mute_bar"), until != 0);
}

/* Offered while Spotify is degraded or down (the action is enabled then); once asked, it says
 * so and offers to cancel. */
static void
update_when_back (DownbeatWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GVariant) state = app_state (self, "notify-when-back", G_VARIANT_TYPE_BOOLEAN);
  gboolean offered = state != NULL
                     && g_action_group_get_action_enabled (G_ACTION_GROUP (app),
                                                           "notify-when-back");
  gboolean asked = state != NULL && g_variant_get_boolean (state);

  gtk_label_set_text (child (self, "when_back_label"),
                      asked ? _("You will be told once it is back, even while muted.")
                            : _("Get one notification once it is back, even while muted."));
  gtk_button_set_label (child (self, "when_back_button"),
                        asked ? _("_Cancel") : _("Notify Me When It's _Back"));
  gtk_info_bar_set_revealed (child (self, "when_back_bar"), offered);
}

/* Offered while the music a problem stopped can be resumed. */
static void
update_resume (DownbeatWindow *self)
{
  GActionGroup *app = G_ACTION_GROUP (gtk_window_get_application (GTK_WINDOW (self)));

  gtk_info_bar_set_revealed (child (self, "resume_bar"),
                             g_action_group_has_action (app, "resume-playback")
                             && g_action_group_get_action_enabled (app, "resume-playback"));
}

/**
 * downbeat_window_actions_class_init:
 *
 * The template's children this file uses, found by name: the window's struct is not its own.
 */
void
downbeat_window_actions_class_init (GtkWidgetClass *widget_class)
{
  static const char * const children[] = {
    "mute_image", "mute_bar", "mute_label", "when_back_bar", "when_back_label",
    "when_back_button", "resume_bar",
  };

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    gtk_widget_class_bind_template_child_full (widget_class, children[i], FALSE, 0);
}

static void
on_application (DownbeatWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  /* Also set to NULL as the window goes: nothing to show then. */
  if (app == NULL)
    return;

  g_signal_connect_object (app, "action-state-changed::mute", G_CALLBACK (update_mute),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "action-state-changed::notify-when-back",
                           G_CALLBACK (update_when_back), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "action-enabled-changed::notify-when-back",
                           G_CALLBACK (update_when_back), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "action-enabled-changed::resume-playback",
                           G_CALLBACK (update_resume), self, G_CONNECT_SWAPPED);
  update_mute (self);
  update_when_back (self);
  update_resume (self);
}

/**
 * downbeat_window_actions_init:
 *
 * Follows the application's actions, once the window has its application (GtkWindow sets it
 * after the construction).
 */
void
downbeat_window_actions_init (DownbeatWindow *self)
{
  g_return_if_fail (DOWNBEAT_IS_WINDOW (self));

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application), NULL);
  on_application (self);
}
