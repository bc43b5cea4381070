/* downbeat-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-window"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-window.h"

struct _DownbeatWindow
{
  GtkApplicationWindow  parent_instance;

  DownbeatMonitor      *monitor;

  GtkInfoBar           *no_tray_bar;
  GtkStack             *check_stack;
  GtkImage             *level_image;
  GtkLabel             *level_label;
  GtkLabel             *reasons_label;
  GtkLabel             *checked_label;
};

enum {
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatWindow, downbeat_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_checking (DownbeatWindow *self)
{
  gtk_stack_set_visible_child_name (self->check_stack,
                                    downbeat_monitor_get_checking (self->monitor)
                                    ? "checking" : "idle");
}

static void
update_report (DownbeatWindow *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  const char *service_name = downbeat_service_get_name (downbeat_monitor_get_service (self->monitor));
  DownbeatLevel level = report != NULL ? report->level : DOWNBEAT_LEVEL_UNKNOWN;
  const char *icon_name = downbeat_level_icon_name (level);
  g_autofree char *sentence = downbeat_level_sentence (level, service_name);
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *checked = NULL;

  gtk_image_set_from_icon_name (self->level_image, icon_name, GTK_ICON_SIZE_DIALOG);
  gtk_label_set_text (self->level_label, sentence);

  if (report == NULL)
    {
      gtk_label_set_text (self->reasons_label, _("The first check is running."));
      gtk_label_set_text (self->checked_label, "");
      return;
    }

  for (guint i = 0; report->reasons[i] != NULL; i++)
    g_string_append_printf (reasons, "%s• %s", i > 0 ? "\n" : "", report->reasons[i]);
  if (reasons->len == 0)
    g_string_append (reasons, _("Every check answered as it should."));
  gtk_label_set_text (self->reasons_label, reasons->str);

  checked = g_date_time_format (report->checked_at, _("Last checked at %X"));
  gtk_label_set_text (self->checked_label, checked);
}

static void
on_check_now (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  DownbeatWindow *self = user_data;

  downbeat_monitor_check_now (self->monitor);
}

static void
downbeat_window_constructed (GObject *object)
{
  DownbeatWindow *self = (DownbeatWindow *)object;
  static const GActionEntry actions[] = {
    { "check-now", on_check_now },
  };

  G_OBJECT_CLASS (downbeat_window_parent_class)->constructed (object);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_signal_connect_object (self->monitor, "checked", G_CALLBACK (update_report), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::checking", G_CALLBACK (update_checking), self,
                           G_CONNECT_SWAPPED);
  update_report (self);
  update_checking (self);
}

static void
downbeat_window_dispose (GObject *object)
{
  DownbeatWindow *self = (DownbeatWindow *)object;

  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (downbeat_window_parent_class)->dispose (object);
}

static void
downbeat_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DownbeatWindow *self = DOWNBEAT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_window_class_init (DownbeatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = downbeat_window_constructed;
  object_class->dispose = downbeat_window_dispose;
  object_class->set_property = downbeat_window_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         DOWNBEAT_TYPE_MONITOR,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/downbeat/Downbeat/downbeat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, no_tray_bar);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, check_stack);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, level_image);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, level_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, checked_label);
}

static void
downbeat_window_init (DownbeatWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DownbeatWindow *
downbeat_window_new (gpointer         application,
                     DownbeatMonitor *monitor)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (monitor), NULL);

  return g_object_new (DOWNBEAT_TYPE_WINDOW,
                       "application", application,
                       "monitor", monitor,
                       NULL);
}

/**
 * downbeat_window_set_tray_missing:
 * @missing: whether no tray shows Downbeat, so that this window is all there is
 */
void
downbeat_window_set_tray_missing (DownbeatWindow *self,
                                  gboolean        missing)
{
  g_return_if_fail (DOWNBEAT_IS_WINDOW (self));

  gtk_info_bar_set_revealed (self->no_tray_bar, missing);
}
