/* downbeat-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "downbeat-autostart.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

struct _DownbeatAutostart
{
  GObject          parent_instance;

  gboolean         sandboxed;
  char            *status;        /* nullable: the last answer, in words */
  GDBusConnection *bus;
  guint            response_id;   /* the portal request being answered */
  GCancellable    *cancellable;
};

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatAutostart, downbeat_autostart, G_TYPE_OBJECT)

static void
set_status (DownbeatAutostart *self,
            char              *status)
{
  g_autofree char *owned = status;

  if (g_strcmp0 (self->status, owned) == 0)
    return;
  g_free (self->status);
  self->status = g_steal_pointer (&owned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* Outside a sandbox: the XDG autostart file, written from our resources. */
static void
set_file (DownbeatAutostart *self,
          gboolean           enabled)
{
  g_autofree char *directory = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *path = g_build_filename (directory, APPLICATION_ID ".desktop", NULL);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!enabled)
    {
      /* errno read at once: whatever runs next may set it. */
      int code = g_unlink (path) == 0 ? 0 : errno;

      if (code != 0 && code != ENOENT)
        {
          /* Translators: %s says why */
          set_status (self, g_strdup_printf (_("Downbeat could not stop starting at login: %s"),
                                             g_strerror (code)));
          return;
        }
      set_status (self, NULL);
      return;
    }

  contents = g_resources_lookup_data ("/io/github/downbeat/Downbeat/autostart.desktop",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (contents != NULL && g_mkdir_with_parents (directory, 0700) != 0)
    {
      int code = errno;

      g_set_error_literal (&error, G_FILE_ERROR, g_file_error_from_errno (code), g_strerror (code));
    }
  if (error == NULL)
    g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                         &error);
  if (error != NULL)
    {
      set_status (self, g_strdup_printf (_("Downbeat could not set itself to start at login: %s"),
                                         error->message));
      return;
    }

  set_status (self, g_strdup (_("Downbeat starts in the tray when you log in.")));
}

/* In Flatpak: the Background portal decides, and may ask the user. */
static void
on_response (GDBusConnection *bus,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  DownbeatAutostart *self = user_data;
  g_autoptr(GVariant) results = NULL;
  guint32 response = 2;
  gboolean autostart = FALSE;

  g_dbus_connection_signal_unsubscribe (bus, self->response_id);
  self->response_id = 0;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);

  if (response == 0 && autostart)
    set_status (self, g_strdup (_("The system lets Downbeat start when you log in.")));
  else if (response == 0)
    set_status (self, g_strdup (_("Downbeat no longer starts when you log in.")));
  else if (response == 1)
    set_status (self, g_strdup (_("Starting at login was not allowed.")));
  else
    set_status (self, g_strdup (_("The system could not set Downbeat to start at login.")));
}

static void
on_requested (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  DownbeatAutostart *self;

  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  g_dbus_connection_signal_unsubscribe (self->bus, self->response_id);
  self->response_id = 0;
  /* Translators: %s says why */
  set_status (self, g_strdup_printf (_("The system could not set Downbeat to start at login: %s"),
                                     error->message));
}

static void
request_background (DownbeatAutostart *self,
                    gboolean           enabled)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("downbeat%u", g_random_int ());
  g_autofree char *sender = NULL;
  g_autofree char *handle = NULL;
  const char * const commandline[] = { "downbeat", "--autostart", NULL };
  GVariantBuilder options;

  if (self->bus == NULL)
    self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->bus == NULL)
    {
      set_status (self, g_strdup_printf (_("The system could not set Downbeat to start at login: %s"),
                                         error->message));
      return;
    }

  /* Listen on the request's path before asking, so that no answer can come first. */
  sender = g_strdelimit (g_strdup (g_dbus_connection_get_unique_name (self->bus) + 1), ".", '_');
  handle = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  if (self->response_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->response_id);
  self->response_id = g_dbus_connection_signal_subscribe (self->bus, PORTAL_NAME,
                                                          "org.freedesktop.portal.Request",
                                                          "Response", handle, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_response, self, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("To tell you when Spotify goes down")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enabled));
  g_variant_builder_add (&options, "{sv}", "commandline",
                         g_variant_new_strv (commandline, -1));

  g_dbus_connection_call (self->bus, PORTAL_NAME, PORTAL_PATH,
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_requested, self);
}

/**
 * downbeat_autostart_set_enabled:
 *
 * Makes Downbeat start at login, or not; what came of it is #DownbeatAutostart:status.
 */
void
downbeat_autostart_set_enabled (DownbeatAutostart *self,
                                gboolean           enabled)
{
  g_return_if_fail (DOWNBEAT_IS_AUTOSTART (self));

  if (self->sandboxed)
    request_background (self, enabled);
  else
    set_file (self, enabled);
}

const char *
downbeat_autostart_get_status (DownbeatAutostart *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_AUTOSTART (self), NULL);

  return self->status;
}

gboolean
downbeat_autostart_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
downbeat_autostart_dispose (GObject *object)
{
  DownbeatAutostart *self = (DownbeatAutostart *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->bus != NULL && self->response_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->response_id);
  self->response_id = 0;
  g_clear_object (&self->bus);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (downbeat_autostart_parent_class)->dispose (object);
}

static void
downbeat_autostart_finalize (GObject *object)
{
  DownbeatAutostart *self = (DownbeatAutostart *)object;

  g_free (self->status);

  G_OBJECT_CLASS (downbeat_autostart_parent_class)->finalize (object);
}

static void
downbeat_autostart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DownbeatAutostart *self = DOWNBEAT_AUTOSTART (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_autostart_class_init (DownbeatAutostartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = downbeat_autostart_dispose;
  object_class->finalize = downbeat_autostart_finalize;
  object_class->get_property = downbeat_autostart_get_property;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
downbeat_autostart_init (DownbeatAutostart *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * downbeat_autostart_new:
 * @sandboxed: whether to ask the Background portal, usually downbeat_autostart_is_sandboxed()
 */
DownbeatAutostart *
downbeat_autostart_new (gboolean sandboxed)
{
  DownbeatAutostart *self = g_object_new (DOWNBEAT_TYPE_AUTOSTART, NULL);

  self->sandboxed = sandboxed;
  return self;
}
