/* downbeat-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-preferences"

#include "config.h"

#include "downbeat-preferences.h"

struct _DownbeatPreferences
{
  GtkApplicationWindow parent_instance;

  GSettings         *settings;
  DownbeatAutostart *autostart;

  GtkSpinButton *poll_interval;
  GtkSwitch     *notify_degraded;
  GtkSwitch     *notify_recovery;
  GtkSwitch     *notify_maintenance;
  GtkSwitch     *autostart_switch;
  GtkLabel      *autostart_status;
  GtkSwitch     *icon_only_when_wrong;
  GtkSwitch     *watch_developers;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_AUTOSTART,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatPreferences, downbeat_preferences, GTK_TYPE_APPLICATION_WINDOW)

static gboolean
status_to_visible (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  const char *status = g_value_get_string (from);

  g_value_set_boolean (to, status != NULL && *status != '\0');
  return TRUE;
}

static void
downbeat_preferences_constructed (GObject *object)
{
  DownbeatPreferences *self = (DownbeatPreferences *)object;

  G_OBJECT_CLASS (downbeat_preferences_parent_class)->constructed (object);

  g_settings_bind (self->settings, "poll-interval", self->poll_interval, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-degraded", self->notify_degraded, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-recovery", self->notify_recovery, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-maintenance", self->notify_maintenance, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "autostart", self->autostart_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "icon-only-when-wrong", self->icon_only_when_wrong, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "watch-developer-services", self->watch_developers, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->autostart, "status", self->autostart_status, "label",
                          G_BINDING_SYNC_CREATE);
  /* Empty, it would only leave a gap under "Start at login". */
  g_object_bind_property_full (self->autostart, "status", self->autostart_status, "visible",
                               G_BINDING_SYNC_CREATE, status_to_visible, NULL, NULL, NULL);
}

static void
downbeat_preferences_dispose (GObject *object)
{
  DownbeatPreferences *self = (DownbeatPreferences *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->autostart);

  G_OBJECT_CLASS (downbeat_preferences_parent_class)->dispose (object);
}

static void
downbeat_preferences_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DownbeatPreferences *self = DOWNBEAT_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_AUTOSTART:
      self->autostart = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_preferences_class_init (DownbeatPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = downbeat_preferences_constructed;
  object_class->dispose = downbeat_preferences_dispose;
  object_class->set_property = downbeat_preferences_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_AUTOSTART] =
    g_param_spec_object ("autostart", NULL, NULL,
                         DOWNBEAT_TYPE_AUTOSTART,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/downbeat/Downbeat/downbeat-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, poll_interval);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, notify_degraded);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, notify_recovery);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, notify_maintenance);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, icon_only_when_wrong);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, watch_developers);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, autostart_status);
}

static void
downbeat_preferences_init (DownbeatPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * downbeat_preferences_new:
 * @autostart: what makes the start-at-login switch work, and says what came of it
 */
DownbeatPreferences *
downbeat_preferences_new (GtkApplication    *application,
                          GSettings         *settings,
                          DownbeatAutostart *autostart)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (DOWNBEAT_IS_AUTOSTART (autostart), NULL);

  return g_object_new (DOWNBEAT_TYPE_PREFERENCES,
                       "application", application,
                       "settings", settings,
                       "autostart", autostart,
                       NULL);
}
