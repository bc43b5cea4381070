/* downbeat-tray-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-tray-indicator"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#endif
#include <libayatana-appindicator/app-indicator.h>

#include "downbeat-level.h"
#include "downbeat-tray-indicator.h"
#include "downbeat-words.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"

struct _DownbeatTrayIndicator
{
  GObject        parent_instance;

  AppIndicator  *indicator;
  GtkWidget     *menu;
  GtkWidget     *status_item;
  GtkWidget     *mute_item;
  GtkWidget     *unmute_item;
  GtkClipboard  *xembed_selection;  /* nullable: not on X11 */
  gboolean       connected;         /* to a StatusNotifierWatcher */
  gboolean       available;
};

enum {
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void downbeat_tray_indicator_iface_init (DownbeatTrayInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DownbeatTrayIndicator, downbeat_tray_indicator, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DOWNBEAT_TYPE_TRAY,
                                                      downbeat_tray_indicator_iface_init))

/* libayatana-appindicator stands in for a missing StatusNotifierWatcher with GTK's XEmbed icon
 * (GtkStatusIcon), through a virtual method of its class, overridden here:
 *
 * - XEmbed is X11's: on Wayland that icon has no widget, and making it and each icon change
 *   after log a Gtk-CRITICAL. There the indicator only waits for a watcher.
 * - On X11 its own icon is named (gtk_status_icon_set_name), which makes GTK take an icon
 *   already docked out of the tray and in again: a Gdk-CRITICAL
 *   (gdk_window_thaw_toplevel_updates) at each start beside an XEmbed tray. Ours is the same
 *   icon, unnamed, and its tooltip says the title as the SNI item's does. */
typedef struct
{
  AppIndicator parent_instance;
} DownbeatAppIndicator;

typedef AppIndicatorClass DownbeatAppIndicatorClass;

GType downbeat_app_indicator_get_type (void) G_GNUC_CONST;

G_DEFINE_TYPE (DownbeatAppIndicator, downbeat_app_indicator, APP_INDICATOR_TYPE)

/* GtkStatusIcon is deprecated, and it is the XEmbed icon GTK 3 has: libayatana uses it too. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
fallback_update (AppIndicator  *indicator,
                 GtkStatusIcon *icon)
{
  AppIndicatorStatus status = app_indicator_get_status (indicator);

  gtk_status_icon_set_from_icon_name (icon, status == APP_INDICATOR_STATUS_ATTENTION
                                            ? app_indicator_get_attention_icon (indicator)
                                            : app_indicator_get_icon (indicator));
  gtk_status_icon_set_title (icon, app_indicator_get_title (indicator));
  gtk_status_icon_set_tooltip_text (icon, app_indicator_get_title (indicator));
  gtk_status_icon_set_visible (icon, status != APP_INDICATOR_STATUS_PASSIVE);
}

static void
on_fallback_status (AppIndicator  *indicator,
                    const char    *status,
                    GtkStatusIcon *icon)
{
  fallback_update (indicator, icon);
}

static void
on_fallback_title (AppIndicator  *indicator,
                   GParamSpec    *pspec,
                   GtkStatusIcon *icon)
{
  fallback_update (indicator, icon);
}

/* Either button: the menu, as a tray host shows it. */
static void
on_fallback_menu (GtkStatusIcon *icon,
                  gpointer       indicator)
{
  GtkMenu *menu = app_indicator_get_menu (indicator);

  if (menu != NULL)
    gtk_menu_popup_at_pointer (menu, NULL);
}

static void
on_fallback_popup_menu (GtkStatusIcon *icon,
                        guint          button,
                        guint          time,
                        gpointer       indicator)
{
  on_fallback_menu (icon, indicator);
}

/* The middle button: the window, as SNI hosts do (Show Details). */
static gboolean
on_fallback_button (GtkStatusIcon  *icon,
                    GdkEventButton *event,
                    gpointer        indicator)
{
  GtkWidget *target = app_indicator_get_secondary_activate_target (indicator);

  if (event->button != GDK_BUTTON_MIDDLE || target == NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate (target);
  return GDK_EVENT_STOP;
}

static GtkStatusIcon *
downbeat_app_indicator_fallback (AppIndicator *indicator)
{
#ifdef GDK_WINDOWING_X11
  GtkStatusIcon *icon;
  const char *theme_path = app_indicator_get_icon_theme_path (indicator);

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return NULL;

  if (theme_path != NULL && !g_object_get_data (G_OBJECT (indicator), "theme-path-added"))
    {
      gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), theme_path);
      g_object_set_data (G_OBJECT (indicator), "theme-path-added", GINT_TO_POINTER (TRUE));
    }

  icon = gtk_status_icon_new ();
  fallback_update (indicator, icon);
  g_signal_connect (indicator, "new-status", G_CALLBACK (on_fallback_status), icon);
  g_signal_connect (indicator, "new-icon", G_CALLBACK (fallback_update), icon);
  g_signal_connect (indicator, "new-attention-icon", G_CALLBACK (fallback_update), icon);
  g_signal_connect (indicator, "notify::title", G_CALLBACK (on_fallback_title), icon);
  g_signal_connect (icon, "activate", G_CALLBACK (on_fallback_menu), indicator);
  g_signal_connect (icon, "popup-menu", G_CALLBACK (on_fallback_popup_menu), indicator);
  g_signal_connect (icon, "button-release-event", G_CALLBACK (on_fallback_button), indicator);
  return icon;
#else
  return NULL;
#endif
}

static void
downbeat_app_indicator_unfallback (AppIndicator  *indicator,
                                   GtkStatusIcon *icon)
{
  g_signal_handlers_disconnect_by_data (indicator, icon);
  gtk_status_icon_set_visible (icon, FALSE);
  g_object_unref (icon);
}

G_GNUC_END_IGNORE_DEPRECATIONS

static void
downbeat_app_indicator_class_init (DownbeatAppIndicatorClass *klass)
{
  klass->fallback = downbeat_app_indicator_fallback;
  klass->unfallback = downbeat_app_indicator_unfallback;
}

static void
downbeat_app_indicator_init (DownbeatAppIndicator *self)
{
}

static void
set_available (DownbeatTrayIndicator *self,
               gboolean               available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

/* Without a StatusNotifierWatcher, libayatana-appindicator falls back to an XEmbed icon
 * (GtkStatusIcon), which an XEmbed-only tray shows — trayer, stalonetray, i3bar, polybar,
 * tint2: such a tray owns the screen's _NET_SYSTEM_TRAY_S<n> selection. */
static GdkAtom
xembed_selection (GdkDisplay *display)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *name = NULL;
  GdkScreen *screen;

  if (display == NULL || !GDK_IS_X11_DISPLAY (display))
    return GDK_NONE;
  screen = gdk_display_get_default_screen (display);
  name = g_strdup_printf ("_NET_SYSTEM_TRAY_S%d", gdk_x11_screen_get_screen_number (screen));
  return gdk_atom_intern (name, FALSE);
#else
  return GDK_NONE;
#endif
}

static gboolean
xembed_tray_is_running (void)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gdk_display_get_default ();
  GdkAtom selection = xembed_selection (display);

  return selection != GDK_NONE
         && XGetSelectionOwner (GDK_DISPLAY_XDISPLAY (display),
                                gdk_x11_atom_to_xatom_for_display (display, selection)) != None;
#else
  return FALSE;
#endif
}

static void
update_available (DownbeatTrayIndicator *self)
{
  set_available (self, self->connected || xembed_tray_is_running ());
}

static void
on_connection_changed (AppIndicator *indicator,
                       gboolean      connected,
                       gpointer      user_data)
{
  DownbeatTrayIndicator *self = user_data;

  g_debug ("Tray host %s", connected ? "connected" : "gone");
  self->connected = connected;
  update_available (self);
}

/* An XEmbed tray started, or ended, after us (polybar or trayer later in the login). */
static void
on_xembed_owner_change (GtkClipboard *clipboard,
                        GdkEvent     *event,
                        gpointer      user_data)
{
  update_available (user_data);
}

static void
watch_xembed_tray (DownbeatTrayIndicator *self)
{
  GdkDisplay *display = gdk_display_get_default ();
  GdkAtom selection = xembed_selection (display);

  /* GTK asks the X server (XFixes) to say when the selection changes hands. */
  if (selection == GDK_NONE || !gdk_display_supports_selection_notification (display))
    return;
  self->xembed_selection = gtk_clipboard_get_for_display (display, selection);
  g_signal_connect_object (self->xembed_selection, "owner-change",
                           G_CALLBACK (on_xembed_owner_change), self, 0);
}

/* Asked once, at start: the indicator registers later, and the application must decide now
 * whether anything will show it. */
static gboolean
watcher_is_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", WATCHER_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       1000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* The tray host runs outside our process and finds icons by name in its own theme; for a run
 * from the build tree, it also needs the folder that holds ours (from `meson devenv`'s
 * XDG_DATA_DIRS). */
static char *
find_icon_theme_path (void)
{
  g_autofree char *file = downbeat_level_icon_file (DOWNBEAT_LEVEL_UNKNOWN);
  char *icons;

  if (file == NULL)
    return NULL;

  /* …/icons/hicolor/scalable/status/the.svg: four folders up. */
  icons = g_path_get_dirname (file);
  for (guint i = 0; i < 3; i++)
    {
      char *parent = g_path_get_dirname (icons);

      g_free (icons);
      icons = parent;
    }
  return icons;
}

static void
build_menu (DownbeatTrayIndicator *self,
            GActionGroup          *actions,
            const char            *service_name)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/downbeat/Downbeat/downbeat-tray-menu.ui");
  /* Translators: %s is the name of the service, "Open Spotify Status Page" */
  g_autofree char *status_page = g_strdup_printf (_("Open %s Status _Page"), service_name);

  self->menu = g_object_ref_sink (GTK_WIDGET (gtk_builder_get_object (builder, "menu")));
  self->status_item = GTK_WIDGET (gtk_builder_get_object (builder, "status_item"));
  self->mute_item = GTK_WIDGET (gtk_builder_get_object (builder, "mute_item"));
  self->unmute_item = GTK_WIDGET (gtk_builder_get_object (builder, "unmute_item"));
  gtk_menu_item_set_label (GTK_MENU_ITEM (gtk_builder_get_object (builder, "status_page_item")),
                           status_page);

  /* The menu belongs to no window: give it the application's actions itself. */
  gtk_widget_insert_action_group (self->menu, "app", actions);
  app_indicator_set_menu (self->indicator, GTK_MENU (self->menu));
  app_indicator_set_secondary_activate_target (self->indicator,
                                               GTK_WIDGET (gtk_builder_get_object (builder,
                                                                                   "details_item")));
}

static void
downbeat_tray_indicator_set_icon (DownbeatTray *tray,
                                  const char   *icon_name,
                                  const char   *description)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (tray);

  app_indicator_set_icon_full (self->indicator, icon_name, description);
  /* Asking for attention changes nothing of the icon: the host decides what it does with it. */
  app_indicator_set_attention_icon_full (self->indicator, icon_name, description);
}

static void
downbeat_tray_indicator_set_status (DownbeatTray       *tray,
                                    DownbeatTrayStatus  status)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (tray);
  static const AppIndicatorStatus statuses[] = {
    [DOWNBEAT_TRAY_ACTIVE] = APP_INDICATOR_STATUS_ACTIVE,
    [DOWNBEAT_TRAY_PASSIVE] = APP_INDICATOR_STATUS_PASSIVE,
    [DOWNBEAT_TRAY_ATTENTION] = APP_INDICATOR_STATUS_ATTENTION,
  };

  if (app_indicator_get_status (self->indicator) != statuses[status])
    app_indicator_set_status (self->indicator, statuses[status]);
}

static void
downbeat_tray_indicator_set_title (DownbeatTray *tray,
                                   const char   *title)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (tray);

  app_indicator_set_title (self->indicator, title);
}

static void
downbeat_tray_indicator_set_status_line (DownbeatTray *tray,
                                         const char   *status_line)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (tray);
  GtkMenuItem *item = GTK_MENU_ITEM (self->status_item);

  /* Each change is a message to the tray host: send only real ones. */
  if (g_strcmp0 (gtk_menu_item_get_label (item), status_line) != 0)
    gtk_menu_item_set_label (item, status_line);
}

static void
downbeat_tray_indicator_set_muted_until (DownbeatTray *tray,
                                         GDateTime    *until)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (tray);
  GtkMenuItem *item = GTK_MENU_ITEM (self->unmute_item);

  /* Asked again every minute: as for the status line, only real changes go to the tray host
   * (gtk_widget_set_visible() changes nothing that is already so). */
  gtk_widget_set_visible (self->mute_item, until == NULL);
  gtk_widget_set_visible (self->unmute_item, until != NULL);
  if (until != NULL)
    {
      g_autofree char *time = downbeat_words_day_and_time (until);
      /* Translators: %s is a time of day, or a day and a time: "15:04", "Dec 4, 08:00" */
      g_autofree char *label = g_strdup_printf (_("Un_mute Notifications (muted until %s)"), time);

      if (g_strcmp0 (gtk_menu_item_get_label (item), label) != 0)
        gtk_menu_item_set_label (item, label);
    }
}

static void
downbeat_tray_indicator_iface_init (DownbeatTrayInterface *iface)
{
  iface->set_icon = downbeat_tray_indicator_set_icon;
  iface->set_title = downbeat_tray_indicator_set_title;
  iface->set_status_line = downbeat_tray_indicator_set_status_line;
  iface->set_muted_until = downbeat_tray_indicator_set_muted_until;
  iface->set_status = downbeat_tray_indicator_set_status;
}

static void
downbeat_tray_indicator_dispose (GObject *object)
{
  DownbeatTrayIndicator *self = (DownbeatTrayIndicator *)object;

  g_clear_object (&self->indicator);
  if (self->menu != NULL)
    gtk_widget_destroy (self->menu);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (downbeat_tray_indicator_parent_class)->dispose (object);
}

static void
downbeat_tray_indicator_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DownbeatTrayIndicator *self = DOWNBEAT_TRAY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_tray_indicator_class_init (DownbeatTrayIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = downbeat_tray_indicator_dispose;
  object_class->get_property = downbeat_tray_indicator_get_property;

  g_object_class_override_property (object_class, PROP_AVAILABLE, "available");
  properties[PROP_AVAILABLE] = g_object_class_find_property (object_class, "available");
}

static void
downbeat_tray_indicator_init (DownbeatTrayIndicator *self)
{
}

/**
 * downbeat_tray_indicator_new:
 * @actions: the application's actions, which the menu items activate
 * @service_name: "Spotify", for "Open Spotify Status Page"
 */
DownbeatTray *
downbeat_tray_indicator_new (GActionGroup *actions,
                             const char   *service_name)
{
  DownbeatTrayIndicator *self;
  g_autofree char *icon_theme_path = find_icon_theme_path ();

  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (service_name != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_TRAY_INDICATOR, NULL);
  self->indicator = g_object_new (downbeat_app_indicator_get_type (),
                                  "id", APPLICATION_ID,
                                  "category", "ApplicationStatus",
                                  "icon-name", APPLICATION_ID "-unknown",
                                  NULL);
  if (icon_theme_path != NULL)
    app_indicator_set_icon_theme_path (self->indicator, icon_theme_path);
  g_signal_connect_object (self->indicator, "connection-changed",
                           G_CALLBACK (on_connection_changed), self, 0);

  build_menu (self, actions, service_name);
  downbeat_tray_indicator_set_muted_until (DOWNBEAT_TRAY (self), NULL);
  app_indicator_set_status (self->indicator, APP_INDICATOR_STATUS_ACTIVE);

  self->connected = watcher_is_running ();
  self->available = self->connected || xembed_tray_is_running ();
  watch_xembed_tray (self);

  return DOWNBEAT_TRAY (self);
}
