/* downbeat-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-watch"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "downbeat-dbus.h"
#include "downbeat-json-private.h"
#include "downbeat-monitor.h"
#include "downbeat-report-words.h"
#include "downbeat-watch.h"

typedef struct
{
  DownbeatWatchFormat  format;
  DownbeatService     *service;
  const char          *service_name;
  guint                interval;
  guint                confirmations;
  gboolean             watch_developers;
  DownbeatHistory     *history;
  GMainLoop           *loop;
  char                *last_said;  /* level, summary and reasons of the last line */
  /* --wait-until-up: no lines, but the level, and the end once it is operational. */
  gboolean             waiting;
  DownbeatLevel        level;
  gboolean             progress;   /* stderr is a terminal: say what is being waited for */
  guint                timeout_id;
  guint                output_id;
  /* The app's status once it is on the bus; followed once it has checked. */
  DownbeatDbusStatus  *status;
  GCancellable        *status_cancellable;
  /* Checking by itself whenever the app is not followed. */
  SoupSession         *session;
  DownbeatMonitor     *monitor;
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

/* waybar reads text and tooltip as Pango markup: a status page's "<b>" or "&" is shown as
 * written. Only what markup needs, so that `jq -r .text` of a line reads plainly. */
static void
escape_markup (GString *text)
{
  g_string_replace (text, "&", "&amp;", 0);
  g_string_replace (text, "<", "&lt;", 0);
  g_string_replace (text, ">", "&gt;", 0);
}

/* waybar's custom module: text, alt and class (the level, for format-icons and CSS), tooltip:
 * the summary, then each reason it does not say already (it names the first). */
static char *
waybar_line (const char         *service_name,
             DownbeatLevel       level,
             const char         *summary,
             const char * const *reasons)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sentence = downbeat_level_sentence (level, service_name);
  g_autoptr(GString) text = g_string_new (sentence);
  g_autoptr(GString) tooltip = g_string_new (summary);
  g_autoptr(GPtrArray) unsaid = downbeat_report_words_unsaid (summary, reasons);

  for (guint i = 0; i < unsaid->len; i++)
    g_string_append_printf (tooltip, "\n• %s", (const char *) g_ptr_array_index (unsaid, i));
  escape_markup (text);
  escape_markup (tooltip);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text->str);
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

/* A line that cannot be written ends the run: nobody reads it. */
static gboolean
print_line (const char *line)
{
  if (downbeat_json_print_line (line))
    return TRUE;

  /* The reader gone is how a bar's --watch usually ends, not worth a word. */
  if (errno != EPIPE)
    g_printerr (_("The status cannot be written: %s\n"), g_strerror (errno));
  return FALSE;
}

/* A line when the level, the summary or the reasons change, not for a new check time or
 * latency: a bar redraws on every line (docs/design.md, "Command line"). */
static void
emit (Watch              *watch,
      DownbeatLevel       level,
      const char         *summary,
      const char * const *reasons,
      char               *line)
{
  g_autofree char *joined = g_strjoinv ("\n", (char **) reasons);
  char *said = g_strdup_printf ("%s\n%s\n%s", downbeat_level_to_string (level), summary, joined);

  if (g_strcmp0 (said, watch->last_said) != 0 && !print_line (line))
    g_main_loop_quit (watch->loop);
  g_free (watch->last_said);
  watch->last_said = said;
  g_free (line);
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
  static const char * const no_reasons[] = { NULL };
  DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN;
  const char *summary = downbeat_dbus_status_get_summary (status);
  const char * const *reasons = downbeat_dbus_status_get_reasons (status);
  gint64 checked = downbeat_dbus_status_get_last_check (status);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *unknown = NULL;

  downbeat_level_from_string (downbeat_dbus_status_get_level (status), &level);
  summary = summary != NULL ? summary : "";
  reasons = reasons != NULL ? reasons : no_reasons;

  /* Up while a failure is being confirmed is not up yet: what was said last holds, and a
   * first line says unknown (docs/design.md, "Command line"). */
  if (level == DOWNBEAT_LEVEL_OPERATIONAL && downbeat_dbus_status_get_confirming (status))
    {
      if (watch->waiting || watch->last_said != NULL)
        return;
      level = DOWNBEAT_LEVEL_UNKNOWN;
      summary = unknown = downbeat_level_sentence (level, watch->service_name);
      reasons = no_reasons;
    }

  if (wait_sees (watch, level, summary))
    return;

  if (watch->format == DOWNBEAT_WATCH_WAYBAR)
    {
      emit (watch, level, summary, reasons,
            waybar_line (watch->service_name, level, summary, reasons));
      return;
    }

  /* What the bus says of the app's last check: the --check --json object without the
   * per-check detail, which only the app has. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, downbeat_level_to_string (level));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);
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
  for (guint i = 0; reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, reasons[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  emit (watch, level, summary, reasons, to_line (node));
}

/* Checking by itself, as --check does, but on and on. */

static void
emit_from_report (Watch          *watch,
                  DownbeatReport *report)
{
  const char * const *reasons = (const char * const *) report->reasons;
  g_autoptr(JsonNode) node = NULL;

  /* "Up, but a failure is being confirmed" is not up yet: the line before it holds (the first
   * line, unknown, is written before the first check). */
  if (report->pending && report->level == DOWNBEAT_LEVEL_OPERATIONAL)
    return;

  if (wait_sees (watch, report->level, report->summary))
    return;

  if (watch->format == DOWNBEAT_WATCH_WAYBAR)
    {
      emit (watch, report->level, report->summary, reasons,
            waybar_line (watch->service_name, report->level, report->summary, reasons));
      return;
    }

  node = downbeat_report_to_json (report);
  emit (watch, report->level, report->summary, reasons, to_line (node));
}

static void
on_report (DownbeatMonitor *monitor,
           GParamSpec      *pspec,
           Watch           *watch)
{
  emit_from_report (watch, downbeat_monitor_get_report (monitor));
}

/* Whenever the app is not followed. Nothing is said of the switch itself: the line before holds
 * until a check of its own says otherwise; only the very first line says unknown at once. */
static void
check_by_itself (Watch *watch)
{
  if (watch->monitor != NULL)
    return;

  if (watch->last_said == NULL)
    {
      g_autoptr(DownbeatReport) nothing_yet = downbeat_report_new ();

      nothing_yet->level = DOWNBEAT_LEVEL_UNKNOWN;
      nothing_yet->service_name = g_strdup (watch->service_name);
      nothing_yet->summary = downbeat_level_sentence (DOWNBEAT_LEVEL_UNKNOWN, watch->service_name);
      nothing_yet->reasons = g_new0 (char *, 1);
      nothing_yet->checked_at = g_date_time_new_now_utc ();
      emit_from_report (watch, nothing_yet);
    }

  if (watch->session == NULL)
    watch->session = downbeat_fetch_session_new ();
  watch->monitor = downbeat_monitor_new (watch->service, watch->session,
                                         g_network_monitor_get_default ());
  g_object_set (watch->monitor, "confirmations", watch->confirmations,
                "watch-developer-services", watch->watch_developers, NULL);
  if (watch->interval > 0)
    g_object_set (watch->monitor, "poll-interval", watch->interval, NULL);
  /* Read afresh each time: the app may have learnt more before it quit. */
  if (watch->history != NULL)
    {
      g_autoptr(GPtrArray) trusts = downbeat_history_trust (watch->history);

      downbeat_monitor_restore_trust (watch->monitor, trusts);
    }
  g_signal_connect (watch->monitor, "notify::report", G_CALLBACK (on_report), watch);
  downbeat_monitor_start (watch->monitor);
}

static void
stop_checking (Watch *watch)
{
  if (watch->monitor != NULL)
    g_signal_handlers_disconnect_by_data (watch->monitor, watch);
  g_clear_object (&watch->monitor);
}

/* The app is followed once it has a check to tell of; until then the checks of its own go on
 * (a line from an app that has just started would say unknown). */
static void
follow_app (Watch *watch)
{
  if (downbeat_dbus_status_get_last_check (watch->status) <= 0)
    {
      check_by_itself (watch);
      return;
    }

  stop_checking (watch);
  emit_from_status (watch, watch->status);
}

/* Once for all that one PropertiesChanged brought: never a line half old, half new. */
static void
on_properties_changed (DownbeatDbusStatus *status,
                       GVariant           *changed,
                       GStrv               invalidated,
                       Watch              *watch)
{
  follow_app (watch);
}

static void
on_status_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  DownbeatDbusStatus *status = downbeat_dbus_status_proxy_new_finish (result, &error);
  Watch *watch;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  watch = user_data;
  g_clear_object (&watch->status_cancellable);
  if (status == NULL)
    {
      g_debug ("The app's status cannot be read: %s", error->message);
      check_by_itself (watch);
      return;
    }

  /* An app that watches another definition (a --service of its own, or of ours) is not ours
   * to follow. */
  if (g_strcmp0 (downbeat_dbus_status_get_definition (status),
                 downbeat_service_get_digest (watch->service)) != 0)
    {
      g_object_unref (status);
      check_by_itself (watch);
      return;
    }

  watch->status = status;
  /* After the proxy's own handler, which drops what it kept of the old values. */
  g_signal_connect_after (status, "g-properties-changed", G_CALLBACK (on_properties_changed),
                          watch);
  follow_app (watch);
}

static void
forget_app (Watch *watch)
{
  g_cancellable_cancel (watch->status_cancellable);
  g_clear_object (&watch->status_cancellable);
  if (watch->status != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->status, watch);
      g_clear_object (&watch->status);
    }
}

/* Its status is read from the very process that owns the name now: another one later is
 * another appearance. */
static void
on_app_appeared (GDBusConnection *connection,
                 const char      *name,
                 const char      *name_owner,
                 gpointer         user_data)
{
  Watch *watch = user_data;

  forget_app (watch);
  watch->status_cancellable = g_cancellable_new ();
  downbeat_dbus_status_proxy_new (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, name_owner,
                                  "/io/github/downbeat/Downbeat", watch->status_cancellable,
                                  on_status_ready, watch);
}

static void
on_app_vanished (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  Watch *watch = user_data;

  forget_app (watch);
  check_by_itself (watch);
}

/* Kept till the end, where the signal sources are removed. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Whoever read the output is gone (a bar reloaded, `| head -n 1` done): nothing is waiting for
 * the next line, which may be hours away. */
static gboolean
on_output_closed (int           fd,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  Watch *watch = user_data;

  watch->output_id = 0;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timeout_id = 0;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

/* A hang-up ends the run as SIGTERM does, unless whoever started it asked otherwise (nohup). */
static gboolean
hang_up_ignored (void)
{
  struct sigaction action;

  return sigaction (SIGHUP, NULL, &action) == 0 && action.sa_handler == SIG_IGN;
}

/* The process that started it gone is a hang-up too: a bar's shell ends with the bar, while the
 * read end of the pipe may live on in a program of another module that inherited it (waybar
 * before 0.9.18). Checked once asked, as the parent may have gone in between (one gone before
 * this runs at all goes unseen). */
static void
hang_up_with_parent (void)
{
  pid_t parent = getppid ();

  if (prctl (PR_SET_PDEATHSIG, SIGHUP) == 0 && getppid () != parent)
    raise (SIGHUP);
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
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch watch = *template;
  guint signal_ids[3] = { 0 };
  guint name_watch_id;

  watch.service = service;
  watch.service_name = downbeat_service_get_name (service);
  watch.interval = interval;
  watch.confirmations = confirmations;
  watch.watch_developers = watch_developers;
  watch.history = history;
  watch.loop = loop;
  signal_ids[0] = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  signal_ids[1] = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  if (!hang_up_ignored ())
    {
      signal_ids[2] = g_unix_signal_add (SIGHUP, on_quit_signal, loop);
      hang_up_with_parent ();
    }
  /* A pipe whose reader is gone polls as an error at once; a file or a terminal never does. */
  if (fcntl (STDOUT_FILENO, F_GETFD) != -1)
    watch.output_id = g_unix_fd_add (STDOUT_FILENO, G_IO_ERR | G_IO_HUP, on_output_closed,
                                     &watch);
  if (timeout_s > 0)
    watch.timeout_id = g_timeout_add_seconds (timeout_s, on_timeout, &watch);

  name_watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, APPLICATION_ID,
                                    G_BUS_NAME_WATCHER_FLAGS_NONE, on_app_appeared,
                                    on_app_vanished, &watch, NULL);

  g_main_loop_run (loop);

  g_bus_unwatch_name (name_watch_id);
  forget_app (&watch);
  stop_checking (&watch);
  g_clear_object (&watch.session);
  g_free (watch.last_said);
  for (guint i = 0; i < G_N_ELEMENTS (signal_ids); i++)
    g_clear_handle_id (&signal_ids[i], g_source_remove);
  g_clear_handle_id (&watch.output_id, g_source_remove);
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
 * Follows the running app's status on the session bus whenever it is there and has checked;
 * checks by itself otherwise. Prints a line at once and one per change until SIGINT, SIGTERM,
 * SIGHUP or its output is closed.
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
 * Returns: 0 once operational; at the timeout (or stopped before it) 2 while degraded, down or
 *   under maintenance, 3 while offline or unknown
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
