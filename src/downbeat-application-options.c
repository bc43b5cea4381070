/* downbeat-application-options.c: the command line, before the application starts
 *
 * --check, --watch and --wait-until-up run here and exit; otherwise the options say how the
 * application runs, or hand over to the one already running (docs/design.md, "Command line").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-application"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-application-private.h"
#include "downbeat-check.h"
#include "downbeat-watch.h"

static const GOptionEntry option_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Check once without any display, print the result and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --check, print JSON"), NULL },
  { "watch", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print a line at once and one per change, until stopped"), NULL },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --watch: json or waybar"),
    N_("FORMAT") },
  { "wait-until-up", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Wait until Spotify is up, then exit"), NULL },
  { "timeout", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --wait-until-up: give up after this long"),
    N_("SECONDS") },
  { "service", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use this service definition"), N_("FILE") },
  /* A string, not an int: GApplication drops an int option given as 0. */
  { "interval", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Seconds between checks for this run"),
    N_("SECONDS") },
  { "autostart", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in the tray only, as at login"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  /* Downbeat opens no files: a word that is not an option is a mistake to say, not to drop. */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
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

int
downbeat_application_usage_error (void)
{
  g_printerr ("%s\n", _("Run “downbeat --help” to see the options."));
  return DOWNBEAT_EXIT_USAGE;
}

/* What one run of --check, --watch or --wait-until-up is asked to do. */
typedef struct
{
  gboolean            check;
  gboolean            json;
  gboolean            watch;
  gboolean            wait;
  guint               timeout;  /* --wait-until-up's, in seconds; 0 for none */
  DownbeatWatchFormat format;
} Mode;

/* The modes and the options that go with them: -1 when they agree, or the exit status. */
static int
read_mode (GVariantDict *options,
           Mode         *mode)
{
  const char *timeout_text = NULL;
  const char *format_name = NULL;

  g_variant_dict_lookup (options, "check", "b", &mode->check);
  g_variant_dict_lookup (options, "json", "b", &mode->json);
  g_variant_dict_lookup (options, "watch", "b", &mode->watch);
  g_variant_dict_lookup (options, "wait-until-up", "b", &mode->wait);

  if (mode->check + mode->watch + mode->wait > 1)
    {
      g_printerr ("%s\n", _("--check, --watch and --wait-until-up go one at a time"));
      return DOWNBEAT_EXIT_USAGE;
    }

  if (g_variant_dict_lookup (options, "timeout", "&s", &timeout_text))
    {
      guint64 seconds;

      if (!mode->wait || !g_ascii_string_to_unsigned (timeout_text, 10, 1, G_MAXUINT / 1000,
                                                      &seconds, NULL))
        {
          g_printerr ("%s\n",
                      _("--timeout goes with --wait-until-up, and takes a number of seconds"));
          return DOWNBEAT_EXIT_USAGE;
        }
      mode->timeout = seconds;
    }

  if (g_variant_dict_lookup (options, "format", "&s", &format_name)
      && (!mode->watch || !downbeat_watch_format_from_string (format_name, &mode->format)))
    {
      g_printerr ("%s\n", _("--format goes with --watch, and is json or waybar"));
      return DOWNBEAT_EXIT_USAGE;
    }

  if (mode->json && !mode->check)
    {
      g_printerr ("%s\n", _("--json goes with --check"));
      return DOWNBEAT_EXIT_USAGE;
    }

  return -1;
}

/* --interval and --service, for any run: -1 when they are right, or the exit status. */
static int
read_run (DownbeatApplication *self,
          GVariantDict        *options)
{
  const char *interval = NULL;
  const char *service_path = NULL;

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

  return -1;
}

/* No mode: this process becomes the application (-1), or hands over to the one running. */
static int
start_or_hand_over (DownbeatApplication *self,
                    GVariantDict        *options)
{
  GApplication *app = G_APPLICATION (self);
  gboolean own_run = g_variant_dict_contains (options, "service") || self->interval != 0;
  g_autoptr(GError) error = NULL;

  self->at_login = g_variant_dict_contains (options, "autostart");
  if (!self->at_login && !own_run)
    return -1;

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!g_application_get_is_remote (app))
    return -1;
  /* The running one keeps its own definition and interval: presenting it would drop those
   * given here without a word. */
  if (own_run)
    {
      g_printerr ("%s\n", _("Downbeat is already running: --service and --interval apply "
                            "when it starts. Quit it first."));
      return DOWNBEAT_EXIT_USAGE;
    }
  /* At login, a Downbeat that already runs stays as it is: no window. */
  return 0;
}

/* --check, --watch or --wait-until-up, to its end: the exit status. */
static int
run_mode (DownbeatApplication *self,
          const Mode          *mode)
{
  guint confirmations = 3;
  gboolean watch_developers = FALSE;
  g_autofree char *history_path = NULL;
  g_autoptr(DownbeatHistory) history = NULL;

  if (self->settings != NULL)
    {
      confirmations = g_settings_get_uint (self->settings, "confirmations");
      watch_developers = g_settings_get_boolean (self->settings, "watch-developer-services");
    }

  /* What the running app learnt of each probe counts here as well. */
  history_path = downbeat_history_default_path ();
  history = downbeat_history_new (history_path);

  if (mode->wait)
    return downbeat_wait_until_up (self->service, self->interval, confirmations, watch_developers,
                                   history, mode->timeout);
  if (mode->watch)
    return downbeat_watch_run (self->service, self->interval, confirmations, watch_developers,
                               history, mode->format);
  return downbeat_check_run (self->service, confirmations, watch_developers, history,
                             mode->json);
}

int
downbeat_application_handle_local_options (GApplication *app,
                                           GVariantDict *options)
{
  DownbeatApplication *self = DOWNBEAT_APPLICATION (app);
  Mode mode = { .format = DOWNBEAT_WATCH_JSON };
  int status;

  self->options_parsed = TRUE;

  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_autofree const char **words = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &words);
      /* Translators: %s is what was given that is not an option, "downbeat spotify" */
      g_printerr (_("Unexpected argument: %s\n"), words[0]);
      return downbeat_application_usage_error ();
    }

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("downbeat %s\n", PACKAGE_VERSION);
      return 0;
    }

  if ((status = read_mode (options, &mode)) != -1 || (status = read_run (self, options)) != -1)
    return status;

  self->settings = settings_new_if_installed ();

  if (!mode.check && !mode.watch && !mode.wait)
    return start_or_hand_over (self, options);
  return run_mode (self, &mode);
}


void
downbeat_application_add_options (DownbeatApplication *self)
{
  const char *summary = _("Tells you whether Spotify is down, or it is just you.");

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self), summary);
}
