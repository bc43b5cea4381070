/* downbeat-window-official.c: the window's section on what the service's own status pages say
 *
 * For each page: what it says overall, a few of its components in trouble and of its incidents,
 * or why it could not be read; built again only when what it shows changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "downbeat-incident-row.h"
#include "downbeat-window-private.h"

/* Of a status page: as many components in trouble as the reasons name, and a few incidents. */
#define COMPONENTS_SHOWN 3
#define INCIDENTS_SHOWN 3

static const char *
component_status_words (const DownbeatComponent *component)
{
  switch (component->status)
    {
    case DOWNBEAT_COMPONENT_OPERATIONAL: return _("Operational");
    case DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE: return _("Degraded performance");
    case DOWNBEAT_COMPONENT_PARTIAL_OUTAGE: return _("Partial outage");
    case DOWNBEAT_COMPONENT_MAJOR_OUTAGE: return _("Major outage");
    case DOWNBEAT_COMPONENT_UNDER_MAINTENANCE: return _("Under maintenance");
    case DOWNBEAT_COMPONENT_UNKNOWN:
    default: return component->status_text;
    }
}

/* What the window lists of one page: a few of its troubled components and of its incidents,
 * then how many more, as the reasons do: a page of ten thousand stays a few rows. */
typedef struct
{
  const DownbeatComponent *components[COMPONENTS_SHOWN];
  guint                    n_components;  /* all those in trouble */
  const DownbeatIncident  *incidents[INCIDENTS_SHOWN];
  guint                    n_incidents;   /* and maintenances in progress */
} PageShown;

static void
page_shown_init (PageShown                       *shown,
                 const DownbeatStatuspageSummary *summary)
{
  memset (shown, 0, sizeof *shown);

  for (guint i = 0; i < summary->components->len; i++)
    {
      const DownbeatComponent *component = g_ptr_array_index (summary->components, i);

      if (component->group || component->status == DOWNBEAT_COMPONENT_OPERATIONAL)
        continue;
      if (shown->n_components < COMPONENTS_SHOWN)
        shown->components[shown->n_components] = component;
      shown->n_components++;
    }

  for (guint i = 0; i < summary->incidents->len + summary->scheduled_maintenances->len; i++)
    {
      const DownbeatIncident *incident = i < summary->incidents->len
        ? g_ptr_array_index (summary->incidents, i)
        : g_ptr_array_index (summary->scheduled_maintenances, i - summary->incidents->len);

      if (i >= summary->incidents->len && g_strcmp0 (incident->status, "in_progress") != 0)
        continue;
      if (shown->n_incidents < INCIDENTS_SHOWN)
        shown->incidents[shown->n_incidents] = incident;
      shown->n_incidents++;
    }
}

static void
append_text (GString    *key,
             const char *text)
{
  g_string_append (key, text != NULL ? text : "\x1f");
  g_string_append_c (key, '\x1e');
}

static void
append_time (GString   *key,
             GDateTime *time)
{
  g_string_append_printf (key, "%" G_GINT64_FORMAT "\x1e", time != NULL ? g_date_time_to_unix (time)
                                                                         : G_MININT64);
}

/* What the section shows of @official, and only that: a page fetched again that says the same
 * is not built again. */
static void
append_official_key (GString                      *key,
                     const DownbeatOfficialStatus *official)
{
  const DownbeatStatuspageSummary *summary = official->summary;
  PageShown shown;

  append_text (key, official->name);
  append_text (key, official->page_url);
  append_text (key, official->error);
  g_string_append_printf (key, "%d\x1e", official->counted);
  if (summary == NULL)
    return;

  page_shown_init (&shown, summary);
  append_text (key, summary->description);
  append_text (key, summary->indicator_text);
  g_string_append_printf (key, "%u %u %u\x1e", summary->components->len, shown.n_components,
                          shown.n_incidents);
  for (guint i = 0; i < MIN (shown.n_components, COMPONENTS_SHOWN); i++)
    {
      append_text (key, shown.components[i]->name);
      append_text (key, component_status_words (shown.components[i]));
    }
  for (guint i = 0; i < MIN (shown.n_incidents, INCIDENTS_SHOWN); i++)
    {
      const DownbeatIncident *incident = shown.incidents[i];

      append_text (key, incident->name);
      append_text (key, incident->status);
      append_text (key, incident->latest_update_status);
      append_text (key, incident->latest_update_body);
      append_text (key, incident->shortlink);
      append_time (key, incident->latest_update_at);
    }
}

static void
add_official (GtkBox                       *box,
              const DownbeatOfficialStatus *official)
{
  const DownbeatStatuspageSummary *summary = official->summary;
  GtkBox *item = downbeat_window_add_item_box (box);
  PageShown shown;

  if (summary == NULL)
    {
      downbeat_window_add_bold_label (item, official->name);
      /* Translators: %s says why, "the host name was not found" */
      g_autofree char *text = g_strdup_printf (_("Official status unavailable: %s"),
                                               official->error != NULL ? official->error : "—");
      downbeat_window_add_label (item, text, "dim-label");
      downbeat_window_add_link (item, official->page_url, _("Open the status page"));
      return;
    }

  {
    /* Translators: a status page and what it says overall, "Spotify: All Systems Operational" */
    g_autofree char *title = g_strdup_printf (_("%s: %s"), official->name,
                                              summary->description != NULL
                                              ? summary->description : summary->indicator_text);
    downbeat_window_add_bold_label (item, title);
  }
  if (!official->counted)
    downbeat_window_add_label (item, _("(developer service, not counted)"), "dim-label");

  page_shown_init (&shown, summary);
  for (guint i = 0; i < MIN (shown.n_components, COMPONENTS_SHOWN); i++)
    {
      /* Translators: a component and its state, "Login — Major outage" */
      g_autofree char *line = g_strdup_printf (_("%s — %s"), shown.components[i]->name,
                                               component_status_words (shown.components[i]));
      downbeat_window_add_label (item, line, NULL);
    }
  if (shown.n_components > COMPONENTS_SHOWN)
    {
      guint more = shown.n_components - COMPONENTS_SHOWN;

      /* Translators: after three components in trouble, "and 12 more components in trouble" */
      g_autofree char *line = g_strdup_printf (ngettext ("and %u more component in trouble",
                                                         "and %u more components in trouble",
                                                         more), more);
      downbeat_window_add_label (item, line, "dim-label");
    }
  if (shown.n_components == 0 && summary->components->len > 0)
    downbeat_window_add_label (item, _("Every component is operational."), "dim-label");

  for (guint i = 0; i < MIN (shown.n_incidents, INCIDENTS_SHOWN); i++)
    gtk_box_pack_start (box, downbeat_incident_row_new (shown.incidents[i]), FALSE, FALSE, 0);
  if (shown.n_incidents > INCIDENTS_SHOWN)
    {
      guint more = shown.n_incidents - INCIDENTS_SHOWN;
      g_autofree char *line = NULL;

      /* Translators: after three incidents, "and 12 more incidents: see the status page" */
      line = g_strdup_printf (ngettext ("and %u more incident: see the status page",
                                        "and %u more incidents: see the status page", more),
                              more);
      downbeat_window_add_label (box, line, "dim-label");
    }
}

/* @shown_key: what @box was last built from: it is built again only when that changes */
void
downbeat_window_show_official (GtkBox          *box,
                               char           **shown_key,
                               DownbeatReport  *report)
{
  g_autoptr(GString) shown = g_string_new (report == NULL ? "none" : "");

  /* Spotify's page says the same most of the time, fetched again or not. */
  for (guint i = 0; report != NULL && i < report->official->len; i++)
    append_official_key (shown, g_ptr_array_index (report->official, i));
  if (g_strcmp0 (shown->str, *shown_key) == 0)
    return;
  g_free (*shown_key);
  *shown_key = g_strdup (shown->str);

  downbeat_window_clear_box (box);

  if (report == NULL || report->official->len == 0)
    {
      downbeat_window_add_label (box, report == NULL ? _("The first check is running.")
                                                     : _("No status page is checked."),
                                 "dim-label");
      return;
    }

  for (guint i = 0; i < report->official->len; i++)
    add_official (box, g_ptr_array_index (report->official, i));
}
