/* downbeat-window.c: the detail window: the level and why, the probes, what the history knows
 *
 * The section on the status pages is in downbeat-window-official.c, the mute, "when back" and
 * resume bars in downbeat-window-actions.c, and the small builders of labels, links and boxes
 * in downbeat-window-builders.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-window"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-graph.h"
#include "downbeat-probe-row.h"
#include "downbeat-window-private.h"
#include "downbeat-report-words.h"
#include "downbeat-words.h"

#define OUTAGES_SHOWN 10
#define PROBES_SHOWN 50

struct _DownbeatWindow
{
  GtkApplicationWindow  parent_instance;

  DownbeatMonitor      *monitor;
  DownbeatHistory      *history;

  GtkInfoBar           *no_tray_bar;
  GtkLabel             *no_tray_label;
  GtkInfoBar           *history_bar;
  GtkLabel             *history_problem_label;
  GtkInfoBar           *link_bar;
  GtkLabel             *link_problem_label;
  GtkStack             *check_stack;
  GtkImage             *level_image;
  GtkLabel             *badge_label;
  GtkLabel             *level_label;
  GtkLabel             *since_label;
  GtkLabel             *lead_label;
  GtkLabel             *checked_label;
  GtkLabel             *reasons_label;
  GtkLabel             *advice_label;
  GtkLabel             *control_label;
  GtkBox               *probes_box;
  GtkLabel             *official_heading;
  GtkBox               *official_box;
  GtkLabel             *uptime_day_label;
  GtkLabel             *uptime_day_detail;
  GtkLabel             *uptime_week_label;
  GtkLabel             *uptime_week_detail;
  GtkLabel             *uptime_month_label;
  GtkLabel             *uptime_month_detail;
  DownbeatGraph        *graph;
  GtkLabel             *graph_caption;
  GtkBox               *outages_box;
  GtkBox               *notable_box;
  GtkBox               *channels_box;

  /* Updated in place with each check: focus, selection and scroll survive it. */
  GPtrArray            *probe_rows;      /* of DownbeatProbeRow, one per probe of the service */
  char                 *official_shown;  /* what the official section was built from */
  char                 *outages_shown;   /* and the recorded outages' */

  GCancellable         *reading;         /* nullable: the history is being read */
  gboolean              read_again;      /* it was written to meanwhile */
  DownbeatHistoryView  *view;            /* nullable: what it said last */
  guint                 outage_reads;    /* the times its outages were read */
};

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DownbeatWindow, downbeat_window, GTK_TYPE_APPLICATION_WINDOW)

/* The status at the top. */

static void
update_level (DownbeatWindow *self,
              DownbeatReport *report)
{
  const char *service_name = downbeat_service_get_name (downbeat_monitor_get_service (self->monitor));
  DownbeatLevel level = report != NULL ? report->level : DOWNBEAT_LEVEL_UNKNOWN;
  g_autofree char *sentence = downbeat_level_sentence (level, service_name);
  g_autoptr(GDateTime) since = self->history != NULL ? downbeat_history_get_since (self->history)
                                                     : NULL;
  GtkStyleContext *badge = gtk_widget_get_style_context (GTK_WIDGET (self->badge_label));
  static const char * const badge_words[] = {
    [DOWNBEAT_LEVEL_UNKNOWN] = N_("Unknown"),
    [DOWNBEAT_LEVEL_OFFLINE] = N_("Offline"),
    [DOWNBEAT_LEVEL_OPERATIONAL] = N_("Operational"),
    [DOWNBEAT_LEVEL_MAINTENANCE] = N_("Maintenance"),
    [DOWNBEAT_LEVEL_DEGRADED] = N_("Degraded"),
    [DOWNBEAT_LEVEL_OUTAGE] = N_("Outage"),
  };

  gtk_image_set_from_icon_name (self->level_image, downbeat_level_icon_name (level),
                                GTK_ICON_SIZE_DIALOG);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->level_image)), sentence);
  gtk_label_set_text (self->level_label, sentence);

  for (guint i = 0; i < G_N_ELEMENTS (badge_words); i++)
    gtk_style_context_remove_class (badge, downbeat_level_to_string (i));
  gtk_style_context_add_class (badge, downbeat_level_to_string (level));
  gtk_label_set_text (self->badge_label, _(badge_words[level]));

  if (report == NULL)
    {
      gtk_label_set_text (self->since_label, _("The first check is running."));
      gtk_widget_hide (GTK_WIDGET (self->lead_label));
      gtk_label_set_text (self->checked_label, "");
      gtk_label_set_text (self->reasons_label, "");
      gtk_widget_hide (GTK_WIDGET (self->advice_label));
      return;
    }

  /* Offline and unknown have a beginning too: the history keeps every change of level. */
  if (since != NULL)
    {
      g_autofree char *when = downbeat_words_day_and_time (since);
      g_autofree char *lasting = downbeat_words_duration (g_date_time_difference (report->checked_at,
                                                                                  since));
      /* Translators: "Since 14:05, for 12 minutes" */
      g_autofree char *text = g_strdup_printf (_("Since %s, for %s"), when, lasting);

      gtk_label_set_text (self->since_label, text);
    }
  else
    gtk_label_set_text (self->since_label, "");

  {
    g_autofree char *lead = downbeat_report_words_lead (report);

    gtk_label_set_text (self->lead_label, lead != NULL ? lead : "");
    gtk_widget_set_visible (GTK_WIDGET (self->lead_label), lead != NULL);
  }

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (report->checked_at);
    g_autofree char *checked = g_date_time_format (local, _("Last checked at %X"));
    g_autoptr(GString) reasons = g_string_new (NULL);

    gtk_label_set_text (self->checked_label, checked);
    for (guint i = 0; report->reasons[i] != NULL; i++)
      g_string_append_printf (reasons, "%s• %s", i > 0 ? "\n" : "", report->reasons[i]);
    if (reasons->len == 0)
      g_string_append (reasons, _("Every check answered as it should."));
    gtk_label_set_text (self->reasons_label, reasons->str);
  }

  {
    g_autoptr(GString) advice = g_string_new (NULL);

    for (guint i = 0; report->advice != NULL && report->advice[i] != NULL; i++)
      g_string_append_printf (advice, "%s→ %s", i > 0 ? "\n" : "", report->advice[i]);
    gtk_label_set_text (self->advice_label, advice->str);
    gtk_widget_set_visible (GTK_WIDGET (self->advice_label), advice->len > 0);
  }
}

/* Whether a handshake found this network blocking the port the Spotify app streams from. */
static gboolean
port_blocked (DownbeatReport *report)
{
  for (guint i = 0; i < report->probes->len; i++)
    {
      const DownbeatProbeStatus *status = g_ptr_array_index (report->probes, i);

      if (status->result != NULL && status->result->port_blocked)
        return TRUE;
    }
  return FALSE;
}

static void
update_control (DownbeatWindow *self,
                DownbeatReport *report)
{
  const char *text;

  if (report == NULL)
    text = _("Not known yet.");
  else if (report->level == DOWNBEAT_LEVEL_OFFLINE)
    text = _("Yes: this computer cannot reach the internet right now, so Spotify cannot be checked.");
  else if (report->control != NULL && report->control->result != NULL
           && !report->control->result->ok)
    text = _("Perhaps: a neutral site did not answer either, although Spotify's checks did.");
  else if (report->network_limited)
    text = _("Perhaps: this computer says its connection is limited.");
  else if (port_blocked (report) && report->level != DOWNBEAT_LEVEL_OUTAGE)
    text = _("Partly: your network blocks the port the Spotify app uses; the web player still "
             "works.");
  else if (report->control != NULL)
    text = _("No: this computer reaches the internet; a neutral site answered as it should.");
  else
    text = _("No: this computer says it is online.");

  gtk_label_set_text (self->control_label, text);
}

/* A row per probe, built once: the service's probes do not change while the window lives. */
static void
build_probe_rows (DownbeatWindow *self)
{
  GPtrArray *specs = downbeat_service_get_probes (downbeat_monitor_get_service (self->monitor));

  self->probe_rows = g_ptr_array_new ();
  for (guint i = 0; i < MIN (specs->len, PROBES_SHOWN); i++)
    {
      GtkWidget *row = downbeat_probe_row_new (g_ptr_array_index (specs, i));

      gtk_box_pack_start (self->probes_box, row, FALSE, FALSE, 0);
      g_ptr_array_add (self->probe_rows, row);
    }

  /* A definition of thousands of checks is no reason to build thousands of rows. */
  if (specs->len > PROBES_SHOWN)
    {
      guint more = specs->len - PROBES_SHOWN;
      /* Translators: after the first fifty checks, "and 250 more checks: see downbeat --check" */
      g_autofree char *text = g_strdup_printf (ngettext ("and %u more check: see downbeat --check",
                                                         "and %u more checks: see downbeat --check",
                                                         more), more);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
      gtk_widget_show (label);
      gtk_box_pack_start (self->probes_box, label, FALSE, FALSE, 0);
    }
}

static void
update_probes (DownbeatWindow *self,
               DownbeatReport *report)
{
  for (guint i = 0; report != NULL && i < report->probes->len && i < self->probe_rows->len; i++)
    downbeat_probe_row_update (g_ptr_array_index (self->probe_rows, i),
                               g_ptr_array_index (report->probes, i));
}

/* What the history knows. */

/* A share of the time, never rounded to nothing nor to everything when it is neither. */
static double
share_percent (gint64   part,
               gint64   whole,
               gboolean round_up)
{
  gint64 permille = (1000 * part + (round_up ? whole - 1 : 0)) / whole;

  return CLAMP (permille, part > 0 ? 1 : 0, part < whole ? 999 : 1000) / 10.0;
}

static void
set_uptime (GtkLabel             *label,
            GtkLabel             *detail,
            const DownbeatUptime *uptime,
            gint64                span,
            DownbeatLevel         now)
{
  gint64 known = uptime->operational + uptime->maintenance + uptime->degraded + uptime->outage;
  g_autofree char *value = NULL;
  g_autofree char *more = NULL;

  if (known == 0 && now != DOWNBEAT_LEVEL_OUTAGE && now != DOWNBEAT_LEVEL_DEGRADED)
    {
      gtk_label_set_text (label, "—");
      gtk_label_set_text (detail, _("Not recorded yet"));
      return;
    }

  /* Translators: an uptime, "99.5%" */
  value = known > 0 ? g_strdup_printf (_("%.1f%%"), share_percent (known - uptime->outage,
                                                                    known, FALSE))
                    : g_strdup ("—");
  gtk_label_set_text (label, value);

  if (uptime->outage > 0 && uptime->degraded > 0)
    /* Translators: shares of the time Spotify was down and had problems, "Down 0.3% · degraded 1.2%" */
    more = g_strdup_printf (_("Down %.1f%% · degraded %.1f%%"),
                            share_percent (uptime->outage, known, TRUE),
                            share_percent (uptime->degraded, known, TRUE));
  else if (uptime->outage > 0)
    /* Translators: the share of the time Spotify was down, "0.3%" */
    more = g_strdup_printf (_("Down %.1f%%"), share_percent (uptime->outage, known, TRUE));
  else if (uptime->degraded > 0)
    /* Translators: the share of the time Spotify had problems without being down, "0.3%" */
    more = g_strdup_printf (_("Degraded %.1f%%"), share_percent (uptime->degraded, known, TRUE));
  /* A problem that began this very second has no recorded time yet: it is not "no problems". */
  else if (now == DOWNBEAT_LEVEL_OUTAGE)
    more = g_strdup (_("Down now"));
  else if (now == DOWNBEAT_LEVEL_DEGRADED)
    more = g_strdup (_("Having problems now"));
  else
    more = g_strdup (_("No problems"));

  /* A minute of history is not "100% over 30 days": say what the share is of. */
  if (known < span * 9 / 10)
    {
      g_autofree char *recorded = downbeat_words_duration (known * G_TIME_SPAN_SECOND);
      g_autofree char *shown = NULL;

      /* Translators: "No problems · 3 hours recorded" */
      shown = g_strdup_printf (_("%s · %s recorded"), more, recorded);
      g_free (more);
      more = g_steal_pointer (&shown);
    }
  gtk_label_set_text (detail, more);
}

static void
update_uptime (DownbeatWindow            *self,
               const DownbeatHistoryView *view)
{
  GtkLabel *labels[] = { self->uptime_day_label, self->uptime_week_label, self->uptime_month_label };
  GtkLabel *details[] = { self->uptime_day_detail, self->uptime_week_detail,
                          self->uptime_month_detail };
  const DownbeatUptime *uptimes[] = { &view->day, &view->week, &view->month };
  const gint64 spans[] = { 24 * 60 * 60, 7 * 24 * 60 * 60, 30 * 24 * 60 * 60 };
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  DownbeatLevel level = report != NULL ? report->level : DOWNBEAT_LEVEL_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (uptimes); i++)
    set_uptime (labels[i], details[i], uptimes[i], spans[i], level);
}

/* The legend's words for the probes the history names by id. */
static GStrv
probe_names (DownbeatWindow *self,
             GStrv           ids)
{
  GPtrArray *probes = downbeat_service_get_probes (downbeat_monitor_get_service (self->monitor));
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const char *name = ids[i];

      for (guint j = 0; j < probes->len; j++)
        {
          const DownbeatProbeSpec *spec = g_ptr_array_index (probes, j);

          if (g_str_equal (spec->id, ids[i]))
            name = spec->name;
        }
      g_strv_builder_add (names, name);
    }

  return g_strv_builder_end (names);
}

/* The graph takes the view's answer times; its outages it shares with the list. */
static void
update_graph (DownbeatWindow      *self,
              DownbeatHistoryView *view)
{
  g_autofree char *caption = NULL;
  g_auto(GStrv) ids = g_steal_pointer (&view->probe_ids);
  GPtrArray *outages = view->outages != NULL ? g_ptr_array_ref (view->outages) : NULL;

  if (view->answers == 0)
    caption = g_strdup (_("No answers recorded in the last 24 hours."));
  else
    /* Translators: answer times over the last 24 hours */
    caption = g_strdup_printf (_("Median %d ms, slowest %d ms, over %u answers."),
                               view->median_ms, view->slowest_ms, view->answers);

  gtk_label_set_text (self->graph_caption, caption);
  downbeat_graph_set_data (self->graph, g_steal_pointer (&view->latency), probe_names (self, ids),
                           outages, view->now);
}

static gint64
unix_or_zero (GDateTime *date)
{
  return date != NULL ? g_date_time_to_unix (date) : 0;
}

/* The last OUTAGES_SHOWN of @outages (oldest first), the newest at the top. */
static void
update_outages (DownbeatWindow *self,
                GPtrArray      *outages)
{
  const char *service_name = downbeat_service_get_name (downbeat_monitor_get_service (self->monitor));
  g_autoptr(GString) key = g_string_new (NULL);
  guint first = outages != NULL && outages->len > OUTAGES_SHOWN ? outages->len - OUTAGES_SHOWN : 0;
  guint shown = 0;

  for (guint i = first; outages != NULL && i < outages->len; i++)
    {
      const DownbeatOutage *outage = g_ptr_array_index (outages, i);

      g_string_append_printf (key, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %d %s;",
                              g_date_time_to_unix (outage->start), unix_or_zero (outage->end),
                              unix_or_zero (outage->noticed), unix_or_zero (outage->acknowledged),
                              outage->worst, outage->incident != NULL ? outage->incident : "");
    }
  if (g_strcmp0 (key->str, self->outages_shown) == 0)
    return;
  g_free (self->outages_shown);
  self->outages_shown = g_strdup (key->str);

  downbeat_window_clear_box (self->outages_box);

  for (guint i = outages != NULL ? outages->len : 0; i > first; i--, shown++)
    {
      const DownbeatOutage *outage = g_ptr_array_index (outages, i - 1);
      GtkBox *item = downbeat_window_add_item_box (self->outages_box);
      g_autofree char *start = downbeat_words_day_and_time (outage->start);
      g_autofree char *line = NULL;
      g_autofree char *lead = downbeat_words_lead (service_name, outage->noticed,
                                                   outage->acknowledged, outage->end != NULL);
      const char *worst = outage->worst == DOWNBEAT_LEVEL_OUTAGE ? _("down") : _("problems");

      if (outage->end == NULL)
        /* Translators: "Nov 18, 14:05, still going on: down" */
        line = g_strdup_printf (_("%s, still going on: %s"), start, worst);
      else
        {
          g_autofree char *lasted = downbeat_words_duration (g_date_time_difference (outage->end,
                                                                                     outage->start));
          /* Translators: "Nov 18, 14:05, for 1 hour 12 minutes: down" */
          line = g_strdup_printf (_("%s, for %s: %s"), start, lasted, worst);
        }
      downbeat_window_add_bold_label (item, line);
      if (outage->incident != NULL)
        {
          /* Translators: Spotify's own title for the incident */
          g_autofree char *says = g_strdup_printf (_("Spotify said: %s"), outage->incident);
          downbeat_window_add_label (item, says, "dim-label");
        }
      if (lead != NULL)
        downbeat_window_add_label (item, lead, "dim-label");
    }

  if (shown == 0)
    downbeat_window_add_label (self->outages_box, _("None recorded here yet."), "dim-label");
}

/* Where the service speaks for itself besides its pages: during an outage, often first. */
static void
build_channels (DownbeatWindow *self)
{
  DownbeatService *service = downbeat_monitor_get_service (self->monitor);
  GPtrArray *channels = downbeat_service_get_channels (service);

  for (guint i = 0; i < channels->len; i++)
    {
      const DownbeatChannel *channel = g_ptr_array_index (channels, i);
      /* Translators: a link to where the service posts, "Follow @SpotifyStatus on X" */
      g_autofree char *label = g_strdup_printf (_("Follow %s"), channel->name);

      downbeat_window_add_link (self->channels_box, channel->url, label);
    }
}

static void
build_notable (DownbeatWindow *self)
{
  GPtrArray *notable = downbeat_service_get_notable_outages (downbeat_monitor_get_service (self->monitor));

  for (guint i = notable->len; i > 0; i--)
    {
      const DownbeatNotableOutage *outage = g_ptr_array_index (notable, i - 1);
      GtkBox *item = downbeat_window_add_item_box (self->notable_box);
      /* Translators: a date and what happened, "2022-03-08: Logged-out users could not log in" */
      g_autofree char *title = g_strdup_printf (_("%s: %s"), outage->date, outage->title);

      downbeat_window_add_bold_label (item, title);
      if (outage->details != NULL)
        downbeat_window_add_label (item, outage->details, NULL);
      downbeat_window_add_link (item, outage->source, _("Source"));
    }

  if (notable->len == 0)
    downbeat_window_add_label (self->notable_box, _("None listed for this service."), "dim-label");
}

static void
update_history_problem (DownbeatWindow *self)
{
  const char *problem = self->history != NULL ? downbeat_history_get_problem (self->history) : NULL;

  gtk_label_set_text (self->history_problem_label, problem != NULL ? problem : "");
  gtk_info_bar_set_revealed (self->history_bar, problem != NULL);
}

static void
update_checking (DownbeatWindow *self)
{
  gtk_stack_set_visible_child_name (self->check_stack,
                                    downbeat_monitor_get_checking (self->monitor)
                                    ? "checking" : "idle");
}

static void
apply_view (DownbeatWindow      *self,
            DownbeatHistoryView *view)
{
  update_uptime (self, view);
  update_graph (self, view);
  update_outages (self, view->outages);
}

/* Without a history, or before it could be read: nothing recorded. */
static void
apply_empty_view (DownbeatWindow *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  g_autoptr(DownbeatHistoryView) view = g_new0 (DownbeatHistoryView, 1);

  view->now = report != NULL ? g_date_time_to_unix (report->checked_at)
                             : g_get_real_time () / G_USEC_PER_SEC;
  apply_view (self, view);
}

static void read_history (DownbeatWindow *self);

static void
on_history_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DownbeatHistoryView) view = downbeat_history_read_finish (result, &error);
  DownbeatWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);

  if (view == NULL)
    {
      g_debug ("Cannot read the history: %s", error->message);
      if (self->view == NULL)
        apply_empty_view (self);
    }
  else
    {
      /* No level change nor sighting since the last read: its outages stand. */
      if (view->outages == NULL && self->view != NULL)
        view->outages = g_steal_pointer (&self->view->outages);
      else if (view->outages != NULL)
        self->outage_reads++;
      apply_view (self, view);
      g_clear_pointer (&self->view, downbeat_history_view_free);
      self->view = g_steal_pointer (&view);
    }

  if (self->read_again)
    {
      self->read_again = FALSE;
      read_history (self);
    }
}

/* One read at a time, on a worker: the main loop never waits for the disk. */
static void
read_history (DownbeatWindow *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);
  g_autoptr(GDateTime) now = report != NULL ? g_date_time_ref (report->checked_at)
                                            : g_date_time_new_now_utc ();

  if (self->reading != NULL)
    {
      self->read_again = TRUE;
      return;
    }

  self->reading = g_cancellable_new ();
  downbeat_history_read_async (self->history, now, OUTAGES_SHOWN, self->view, self->reading,
                               on_history_read, self);
}

/* What the history answers: once it has written a check, not when the check is made. */
static void
update_history (DownbeatWindow *self)
{
  if (self->history != NULL)
    read_history (self);
  else
    apply_empty_view (self);
  update_history_problem (self);
}

static void
update_report (DownbeatWindow *self)
{
  DownbeatReport *report = downbeat_monitor_get_report (self->monitor);

  update_level (self, report);
  update_control (self, report);
  update_probes (self, report);
  downbeat_window_show_official (self->official_box, &self->official_shown, report);
  if (self->history == NULL)
    update_history (self);
}

/* No web browser took a link (downbeat_link_show()): said here, where it was clicked. */
static void
on_link_failed (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DownbeatWindow *self = user_data;
  const char *uri;
  const char *why;
  g_autofree char *text = NULL;

  g_variant_get (parameter, "(&s&s)", &uri, &why);
  /* Translators: a web address, and why it was not opened: "No web browser opened
   * https://status.spotify.com (Operation not supported)" */
  text = g_strdup_printf (_("No web browser opened %s (%s)"), uri, why);
  gtk_label_set_text (self->link_problem_label, text);
  gtk_info_bar_set_revealed (self->link_bar, TRUE);
}

static void
on_link_bar_response (GtkInfoBar *bar,
                      int         response)
{
  gtk_info_bar_set_revealed (bar, FALSE);
}

static void
downbeat_window_constructed (GObject *object)
{
  DownbeatWindow *self = (DownbeatWindow *)object;
  const char *service_name = downbeat_service_get_name (downbeat_monitor_get_service (self->monitor));
  /* Translators: a heading, "What Spotify says" */
  g_autofree char *official_heading = g_strdup_printf (_("What %s says"), service_name);

  G_OBJECT_CLASS (downbeat_window_parent_class)->constructed (object);

  gtk_label_set_text (self->official_heading, official_heading);
  g_signal_connect_object (self->monitor, "checked", G_CALLBACK (update_report), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::checking", G_CALLBACK (update_checking), self,
                           G_CONNECT_SWAPPED);
  if (self->history != NULL)
    {
      g_signal_connect_object (self->history, "notify::problem",
                               G_CALLBACK (update_history_problem), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "written", G_CALLBACK (update_history), self,
                               G_CONNECT_SWAPPED);
    }

  downbeat_window_actions_init (self);
  build_notable (self);
  build_channels (self);
  build_probe_rows (self);
  update_report (self);
  update_history (self);
  update_checking (self);
}

static void
downbeat_window_dispose (GObject *object)
{
  DownbeatWindow *self = (DownbeatWindow *)object;

  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_pointer (&self->probe_rows, g_ptr_array_unref);
  g_clear_pointer (&self->official_shown, g_free);
  g_clear_pointer (&self->outages_shown, g_free);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->view, downbeat_history_view_free);

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
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
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
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         DOWNBEAT_TYPE_HISTORY,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOWNBEAT_TYPE_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/downbeat/Downbeat/downbeat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, no_tray_bar);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, no_tray_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, history_bar);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, history_problem_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, link_bar);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, link_problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_link_bar_response);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, check_stack);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, level_image);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, level_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, since_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, lead_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, checked_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, advice_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, control_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, probes_box);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, official_heading);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, official_box);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_day_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_day_detail);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_week_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_week_detail);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_month_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, uptime_month_detail);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, graph);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, graph_caption);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, outages_box);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, notable_box);
  gtk_widget_class_bind_template_child (widget_class, DownbeatWindow, channels_box);
  downbeat_window_actions_class_init (widget_class);
}

/* Focus starts on the level in words, the first thing in the template that takes it, and
 * scrolls into view as it moves on. */
static void
follow_focus (DownbeatWindow *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->level_label),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_bin_get_child (GTK_BIN (gtk_bin_get_child (GTK_BIN (scrolled))));
  GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  gtk_container_set_focus_vadjustment (GTK_CONTAINER (content), scroll);
}

/* A label draws no focus ring of GTK's, which shows only once the keyboard is used: the level's
 * (downbeat-style.css) follows the window's focus-visible through a style class. */
static void
on_focus_visible (DownbeatWindow *self,
                  GParamSpec     *pspec,
                  gpointer        user_data)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (gtk_window_get_focus_visible (GTK_WINDOW (self)))
    gtk_style_context_add_class (style, "focus-visible");
  else
    gtk_style_context_remove_class (style, "focus-visible");
}

/* GTK leaves an info bar's close button, an icon beside its action area, without a name to read
 * aloud. */
static void
name_close_button (GtkInfoBar *bar)
{
  GtkWidget *action_area = gtk_info_bar_get_action_area (bar);
  g_autoptr(GList) children = gtk_container_get_children (
    GTK_CONTAINER (gtk_widget_get_parent (action_area)));

  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_BUTTON (l->data))
      atk_object_set_name (gtk_widget_get_accessible (l->data), _("Close"));
}

static void
downbeat_window_init (DownbeatWindow *self)
{
  static const GActionEntry actions[] = {
    { "failed", on_link_failed, "(ss)", NULL, NULL, { 0 } },
  };
  g_autoptr(GSimpleActionGroup) link = g_simple_action_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  follow_focus (self);
  g_signal_connect (self, "notify::focus-visible", G_CALLBACK (on_focus_visible), NULL);
  on_focus_visible (self, NULL, NULL);
  name_close_button (self->link_bar);
  /* Inserted, not the window's own: GtkApplication exports those on the session bus, and this
   * one takes text. */
  g_action_map_add_action_entries (G_ACTION_MAP (link), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "link", G_ACTION_GROUP (link));
}

/**
 * downbeat_window_new:
 * @history: (nullable): the recorded past, for uptime, the graph and past outages
 */
DownbeatWindow *
downbeat_window_new (gpointer         application,
                     DownbeatMonitor *monitor,
                     DownbeatHistory *history)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DOWNBEAT_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (history == NULL || DOWNBEAT_IS_HISTORY (history), NULL);

  return g_object_new (DOWNBEAT_TYPE_WINDOW,
                       "application", application,
                       "monitor", monitor,
                       "history", history,
                       NULL);
}

/* What gives Downbeat its icon where there is no tray: on GNOME an extension, elsewhere a
 * panel's tray. */
static const char *
no_tray_words (void)
{
  g_auto(GStrv) desktops = g_strsplit (g_getenv ("XDG_CURRENT_DESKTOP") != NULL
                                       ? g_getenv ("XDG_CURRENT_DESKTOP") : "", ":", -1);

  if (g_strv_contains ((const char * const *) desktops, "GNOME"))
    return _("No system tray was found, so Downbeat shows this window instead. Closing it quits "
             "Downbeat. On GNOME, the “AppIndicator and KStatusNotifierItem Support” extension "
             "gives Downbeat its icon in the top bar.");
  return _("No system tray was found, so Downbeat shows this window instead. Closing it quits "
           "Downbeat. A panel's system tray (KDE's, XFCE's, waybar's tray, trayer) gives Downbeat "
           "its icon.");
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

  gtk_label_set_text (self->no_tray_label, no_tray_words ());
  gtk_info_bar_set_revealed (self->no_tray_bar, missing);
}

gboolean
downbeat_window_is_reading_history (DownbeatWindow *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_WINDOW (self), FALSE);

  return self->reading != NULL;
}

guint
downbeat_window_get_outage_reads (DownbeatWindow *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_WINDOW (self), 0);

  return self->outage_reads;
}
