/* downbeat-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-application"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-application.h"
#include "downbeat-check.h"
#include "downbeat-monitor.h"
#include "downbeat-window.h"

struct _DownbeatApplication
{
  GtkApplication   parent_instance;

  GSettings       *settings;       /* NULL when the schema is not installed */
  DownbeatService *service;
  SoupSession     *session;
  DownbeatMonitor *monitor;
  guint            interval;       /* --interval, 0 when not given */
};

G_DEFINE_FINAL_TYPE (DownbeatApplication, downbeat_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Check once without any display, print the result and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --check, print JSON"), NULL },
  { "service", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use this service definition"), N_("FILE") },
  /* A string, not an int: GApplication drops an int option given as 0. */
  { "interval", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Seconds between checks for this run"),
    N_("SECONDS") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { NULL }
};

/* --check must work where the schema is not installed, so the settings are optional. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static int
downbeat_application_handle_local_options (GApplication *app,
                                           GVariantDict *options)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  const char *service_path = NULL;
  gboolean check = FALSE;
  gboolean json = FALSE;
  const char *interval = NULL;
  guint confirmations = 3;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("downbeat %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "check", "b", &check);
  g_variant_dict_lookup (options, "json", "b", &json);

  if (json && !check)
    {
      g_printerr ("%s\n", _("--json goes with --check"));
      return DOWNBEAT_EXIT_USAGE;
    }

  if (g_variant_dict_lookup (options, "interval", "&s", &interval))
    {
      guint64 seconds;

      if (!g_ascii_string_to_unsigned (interval, 10, 1, G_MAXUINT / 1000, &seconds, NULL))
        {
          g_printerr ("%s\n", _("--interval takes a number of seconds, 1 or more"));
          return DOWNBEAT_EXIT_USAGE;
        }
      self->interval = seconds;
    }

  if (g_variant_dict_lookup (options, "service", "^&ay", &service_path))
    {
      g_autoptr(GError) error = NULL;

      self->service = downbeat_service_new_from_file (service_path, &error);
      if (self->service == NULL)
        {
          g_printerr ("%s\n", error->message);
          return DOWNBEAT_EXIT_USAGE;
        }
    }
  else
    self->service = downbeat_service_new_builtin ();

  self->settings = settings_new_if_installed ();

  if (!check)
    return -1;

  if (self->settings != NULL)
    confirmations = g_settings_get_uint (self->settings, "confirmations");

  return downbeat_check_run (self->service, confirmations, json);
}

static void
downbeat_application_startup (GApplication *app)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);

  G_APPLICATION_CLASS (downbeat_application_parent_class)->startup (app);

  self->session = downbeat_fetch_session_new ();
  self->monitor = downbeat_monitor_new (self->service, self->session,
                                        g_network_monitor_get_default ());

  if (self->settings != NULL)
    {
      if (self->interval == 0)
        g_settings_bind (self->settings, "poll-interval", self->monitor, "poll-interval",
                         G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "recheck-interval", self->monitor, "recheck-interval",
                       G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "confirmations", self->monitor, "confirmations",
                       G_SETTINGS_BIND_GET);
    }
  if (self->interval != 0)
    g_object_set (self->monitor, "poll-interval", self->interval, NULL);

  downbeat_monitor_start (self->monitor);
}

static void
downbeat_application_activate (GApplication *app)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (downbeat_window_new (self, self->monitor));

  gtk_window_present (window);
}

static void
downbeat_application_dispose (GObject *object)
{
  DownbeatApplication *self = (DownbeatApplication *)object;

  g_clear_object (&self->monitor);
  g_clear_object (&self->session);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (downbeat_application_parent_class)->dispose (object);
}

static void
downbeat_application_class_init (DownbeatApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = downbeat_application_dispose;
  app_class->handle_local_options = downbeat_application_handle_local_options;
  app_class->startup = downbeat_application_startup;
  app_class->activate = downbeat_application_activate;
}

static void
downbeat_application_init (DownbeatApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Tells you whether Spotify is down, or it is just you."));
}

DownbeatApplication *
downbeat_application_new (void)
{
  return g_object_new (DOWNBEAT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
