/* downbeat-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-preferences.h"

/* Quiet hours are chosen by the half hour. */
#define QUIET_STEP 30

struct _DownbeatPreferences
{
  GtkApplicationWindow parent_instance;

  GSettings         *settings;
  DownbeatAutostart *autostart;

  GtkSpinButton *poll_interval;
  GtkSwitch     *notify_degraded;
  GtkSwitch     *notify_recovery;
  GtkSwitch     *notify_maintenance;
  GtkComboBoxText *remind;
  GtkSwitch     *quiet_hours;
  GtkComboBoxText *quiet_from;
  GtkComboBoxText *quiet_until;
  GtkLabel      *quiet_from_label;
  GtkLabel      *quiet_until_label;
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

/* A GSettings "u" key bound to a GtkComboBox's "active-id": the number is the id. */
static gboolean
uint_to_id (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  g_value_take_string (value, g_strdup_printf ("%u", g_variant_get_uint32 (variant)));
  return TRUE;
}

static GVariant *
id_to_uint (const GValue       *value,
            const GVariantType *expected_type,
            gpointer            user_data)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (g_value_get_string (value), 10, 0, G_MAXUINT32, &number,
                                   NULL))
    return NULL;
  return g_variant_new_uint32 (number);
}

static char *
time_of_day (guint minutes)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2000, 1, 1, minutes / 60, minutes % 60, 0);

  return g_date_time_format (at, "%H:%M");
}

/* Every half hour, and what the key holds if set otherwise (`gsettings set`), so that the
 * choice never shows empty. */
static void
fill_times (GtkComboBoxText *combo,
            guint            current)
{
  for (guint minutes = 0; minutes < 24 * 60; minutes += QUIET_STEP)
    {
      g_autofree char *id = g_strdup_printf ("%u", minutes);
      g_autofree char *text = time_of_day (minutes);

      gtk_combo_box_text_append (combo, id, text);
      if (current > minutes && current < minutes + QUIET_STEP)
        {
          g_autofree char *odd_id = g_strdup_printf ("%u", current);
          g_autofree char *odd_text = time_of_day (current);

          gtk_combo_box_text_append (combo, odd_id, odd_text);
        }
    }
}

/* Preferences offers a few; one set otherwise is shown as it is. */
static void
add_remind_choice (GtkComboBoxText *combo,
                   guint            every)
{
  g_autofree char *id = g_strdup_printf ("%u", every);
  g_autofree char *text = NULL;

  if (gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), id))
    return;
  /* Translators: how often a reminder comes, when set outside Preferences */
  text = g_strdup_printf (ngettext ("Every %u hour", "Every %u hours", every), every);
  gtk_combo_box_text_append (combo, id, text);
}

static void
bind_choice (DownbeatPreferences *self,
             const char          *key,
             GtkComboBoxText     *combo)
{
  g_settings_bind_with_mapping (self->settings, key, combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT, uint_to_id, id_to_uint, NULL, NULL);
}

static void
downbeat_preferences_constructed (GObject *object)
{
  DownbeatPreferences *self = (DownbeatPreferences *)object;
  GtkWidget *quiet_times[] = { GTK_WIDGET (self->quiet_from), GTK_WIDGET (self->quiet_until),
                               GTK_WIDGET (self->quiet_from_label),
                               GTK_WIDGET (self->quiet_until_label) };

  G_OBJECT_CLASS (downbeat_preferences_parent_class)->constructed (object);

  g_settings_bind (self->settings, "poll-interval", self->poll_interval, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-degraded", self->notify_degraded, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-recovery", self->notify_recovery, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-maintenance", self->notify_maintenance, "active",
                   G_SETTINGS_BIND_DEFAULT);
  add_remind_choice (self->remind, g_settings_get_uint (self->settings, "remind-every-hours"));
  bind_choice (self, "remind-every-hours", self->remind);
  fill_times (self->quiet_from, g_settings_get_uint (self->settings, "quiet-from"));
  fill_times (self->quiet_until, g_settings_get_uint (self->settings, "quiet-until"));
  bind_choice (self, "quiet-from", self->quiet_from);
  bind_choice (self, "quiet-until", self->quiet_until);
  g_settings_bind (self->settings, "quiet-hours", self->quiet_hours, "active",
                   G_SETTINGS_BIND_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (quiet_times); i++)
    g_settings_bind (self->settings, "quiet-hours", quiet_times[i], "sensitive",
                     G_SETTINGS_BIND_GET);
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
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, remind);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, quiet_hours);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, quiet_from);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, quiet_until);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, quiet_from_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatPreferences, quiet_until_label);
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
