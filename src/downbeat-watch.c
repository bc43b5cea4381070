/* downbeat-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-watch"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "downbeat-dbus.h"
#include "downbeat-json-private.h"
#include "downbeat-monitor.h"
#include "downbeat-watch.h"

typedef struct
{
  DownbeatWatchFormat  format;
  const char          *service_name;
  GMainLoop           *loop;
  char                *last_line;
  /* --wait-until-up: no lines, but the level, and the end once it is operational. */
  gboolean             waiting;
  DownbeatLevel        level;
  gboolean             progress;   /* stderr is a terminal: say what is being waited for */
  guint                timeout_id;
} Watch;

gboolean
downbeat_watch_format_from_string (const char          *string,
                                   DownbeatWatchFormat *format)
{
  if (g_strcmp0 (string, "json") == 0)
    *format = DOWNBEAT_WATCH_JSON;
  else if (g_strcmp0 (string, "waybar") == 0)
    *format = DOWNBEAT_WATCH_WAYBAR;
  else
    return FALSE;
  return TRUE;
}

static char *
to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* waybar's custom module: text, alt and class (the level, for format-icons and CSS), tooltip. */
static char *
waybar_line (const char         *service_name,
             DownbeatLevel       level,
             const char         *summary,
             const char * const *reasons)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = downbeat_level_sentence (level, service_name);
  g_autoptr(GString) tooltip = g_string_new (summary);

  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    g_string_append_printf (tooltip, "\n• %s", reasons[i]);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "alt");
  json_builder_add_string_value (builder, downbeat_level_to_string (level));
  json_builder_set_member_name (builder, "tooltip");
  json_builder_add_string_value (builder, tooltip->str);
  json_builder_set_member_name (builder, "class");
  json_builder_add_string_value (builder, downbeat_level_to_string (level));
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return to_line (node);
}

/* A line when it says something new: a bar redraws on every line. */
static void
emit (Watch *watch,
      char  *line)
{
  if (g_strcmp0 (line, watch->last_line) != 0)
    downbeat_json_print_line (line);
  g_free (watch->last_line);
  watch->last_line = line;
}

/* --wait-until-up: returns whether the wait is over. */
static gboolean
wait_sees (Watch         *watch,
           DownbeatLevel  level,
           const char    *summary)
{
  if (!watch->waiting)
    return FALSE;

  if (watch->progress && level != watch->level && summary != NULL && summary[0] != '\0')
    g_printerr ("%s\n", summary);
  watch->level = level;
  if (level == DOWNBEAT_LEVEL_OPERATIONAL)
    g_main_loop_quit (watch->loop);
  return TRUE;
}

/* Following the running app: its status on the bus. */

static void
emit_from_status (Watch              *watch,
                  DownbeatDbusStatus *status)
{
  DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN;
  const char *summary = downbeat_dbus_status_get_summary (status);
  const char * const *reasons = downbeat_dbus_status_get_reasons (status);
  gint64 checked = downbeat_dbus_status_get_last_check (status);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *unknown = NULL;

  /* Gone (the app quit): nothing is known until it is back. */
  if (g_dbus_proxy_get_name_owner (G_DBUS_PROXY (status)) == NULL)
    summary = NULL, reasons = NULL, checked = 0;
  else
    downbeat_level_from_string (downbeat_dbus_status_get_level (status), &level);

  /* Up while a failure is being confirmed is not up yet: what was said last holds, and a
   * first line says unknown (docs/design.md, "Command line"). */
  if (level == DOWNBEAT_LEVEL_OPERATIONAL && downbeat_dbus_status_get_confirming (status))
    {
      if (watch->waiting || watch->last_line != NULL)
        return;
      level = DOWNBEAT_LEVEL_UNKNOWN;
      summary = unknown = downbeat_level_sentence (level, watch->service_name);
      reasons = NULL;
    }

  if (wait_sees (watch, level, summary))
    return;

  if (watch->format == DOWNBEAT_WATCH_WAYBAR)
    {
      emit (watch, waybar_line (watch->service_name, level, summary != NULL ? summary : "",
                                reasons));
      return;
    }

  /* What the bus says of the app's last check: the --check --json object without the
   * per-check detail, which only the app has. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, downbeat_level_to_string (level));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary != NULL ? summary : "");
  json_builder_set_member_name (builder, "checked_at");
  if (checked > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (checked);
      g_autofree char *text = g_date_time_format_iso8601 (at);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, reasons[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  emit (watch, to_line (node));
}

/* Once for all that one PropertiesChanged brought: never a line half old, half new. */
static void
on_properties_changed (DownbeatDbusStatus *status,
                       GVariant           *changed,
                       GStrv               invalidated,
                       Watch              *watch)
{
  emit_from_status (watch, status);
}

static void
on_owner_changed (DownbeatDbusStatus *status,
                  GParamSpec         *pspec,
                  Watch              *watch)
{
  emit_from_status (watch, status);
}

/* Checking by itself, as --check does, but on and on. */

static void
emit_from_report (Watch          *watch,
                  DownbeatReport *report)
{
  g_autoptr(JsonNode) node = NULL;

  /* "Up, but a failure is being confirmed" is not up yet: the line before it holds (the first
   * line, unknown, is written before the first check). */
  if (report->pending && report->level == DOWNBEAT_LEVEL_OPERATIONAL)
    return;

  if (wait_sees (watch, report->level, report->summary))
    return;

  if (watch->format == DOWNBEAT_WATCH_WAYBAR)
    {
      emit (watch, waybar_line (watch->service_name, report->level, report->summary,
                                (const char * const *) report->reasons));
      return;
    }

  node = downbeat_report_to_json (report);
  emit (watch, to_line (node));
}

static void
on_report (DownbeatMonitor *monitor,
           GParamSpec      *pspec,
           Watch           *watch)
{
  emit_from_report (watch, downbeat_monitor_get_report (monitor));
}

/* Kept till the end, where both signal sources are removed. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timeout_id = 0;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static int
run (DownbeatService *service,
     guint            interval,
     guint            confirmations,
     gboolean         watch_developers,
     DownbeatHistory *history,
     Watch           *template,
     guint            timeout_s)
{
  g_autoptr(DownbeatDbusStatus) status = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(DownbeatMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch watch = *template;
  guint signal_ids[2];

  watch.service_name = downbeat_service_get_name (service);
  watch.loop = loop;
  signal_ids[0] = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  signal_ids[1] = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  if (timeout_s > 0)
    watch.timeout_id = g_timeout_add_seconds (timeout_s, on_timeout, &watch);

  status = downbeat_dbus_status_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION,
                                                        G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                        APPLICATION_ID,
                                                        "/io/github/downbeat/Downbeat",
                                                        NULL, NULL);
  if (status != NULL && g_dbus_proxy_get_name_owner (G_DBUS_PROXY (status)) != NULL)
    {
      /* After the proxy's own handler, which drops what it kept of the old values. */
      g_signal_connect_after (status, "g-properties-changed", G_CALLBACK (on_properties_changed),
                              &watch);
      g_signal_connect (status, "notify::g-name-owner", G_CALLBACK (on_owner_changed), &watch);
      emit_from_status (&watch, status);
    }
  else
    {
      g_autoptr(DownbeatReport) nothing_yet = downbeat_report_new ();

      nothing_yet->level = DOWNBEAT_LEVEL_UNKNOWN;
      nothing_yet->service_name = g_strdup (watch.service_name);
      nothing_yet->summary = downbeat_level_sentence (DOWNBEAT_LEVEL_UNKNOWN, watch.service_name);
      nothing_yet->reasons = g_new0 (char *, 1);
      nothing_yet->checked_at = g_date_time_new_now_utc ();
      emit_from_report (&watch, nothing_yet);

      session = downbeat_fetch_session_new ();
      monitor = downbeat_monitor_new (service, session, g_network_monitor_get_default ());
      g_object_set (monitor, "confirmations", confirmations,
                    "watch-developer-services", watch_developers, NULL);
      if (interval > 0)
        g_object_set (monitor, "poll-interval", interval, NULL);
      if (history != NULL)
        {
          g_autoptr(GPtrArray) trusts = downbeat_history_trust (history);

          downbeat_monitor_restore_trust (monitor, trusts);
        }
      g_signal_connect (monitor, "notify::report", G_CALLBACK (on_report), &watch);
      downbeat_monitor_start (monitor);
    }

  g_main_loop_run (loop);
  g_free (watch.last_line);
  g_source_remove (signal_ids[0]);
  g_source_remove (signal_ids[1]);
  g_clear_handle_id (&watch.timeout_id, g_source_remove);

  if (!watch.waiting || watch.level == DOWNBEAT_LEVEL_OPERATIONAL)
    return 0;
  return watch.level == DOWNBEAT_LEVEL_OFFLINE || watch.level == DOWNBEAT_LEVEL_UNKNOWN ? 3 : 2;
}

/**
 * downbeat_watch_run:
 * @interval: seconds between checks when checking by itself, 0 for the default
 * @history: (nullable): what the running app learnt of the probes, when checking by itself
 *
 * Follows the running app's status on the session bus when there is one; checks by itself
 * otherwise. Prints a line at once and one per change until SIGINT or SIGTERM.
 *
 * Returns: the exit status: 0
 */
int
downbeat_watch_run (DownbeatService     *service,
                    guint                interval,
                    guint                confirmations,
                    gboolean             watch_developers,
                    DownbeatHistory     *history,
                    DownbeatWatchFormat  format)
{
  Watch watch = { .format = format };

  return run (service, interval, confirmations, watch_developers, history, &watch, 0);
}

/**
 * downbeat_wait_until_up:
 * @timeout_s: how long to wait at most; 0 for ever
 *
 * Waits, following the running app or checking by itself as downbeat_watch_run() does, until
 * the service is operational; a line of progress on stderr when it is a terminal.
 *
 * Returns: 0 once operational; at the timeout 2 while degraded, down or under maintenance,
 *   3 while offline or unknown
 */
int
downbeat_wait_until_up (DownbeatService *service,
                        guint            interval,
                        guint            confirmations,
                        gboolean         watch_developers,
                        DownbeatHistory *history,
                        guint            timeout_s)
{
  Watch watch = { .waiting = TRUE, .level = DOWNBEAT_LEVEL_UNKNOWN,
                  .progress = isatty (STDERR_FILENO) };

  return run (service, interval, confirmations, watch_developers, history, &watch, timeout_s);
}
