/* downbeat-incident-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-incident-row"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-incident-row.h"
#include "downbeat-link.h"
#include "downbeat-words.h"

struct _DownbeatIncidentRow
{
  GtkBox         parent_instance;

  GtkLabel      *name_label;
  GtkLabel      *state_label;
  GtkLabel      *body_label;
  GtkLinkButton *link_button;
};

G_DEFINE_FINAL_TYPE (DownbeatIncidentRow, downbeat_incident_row, GTK_TYPE_BOX)

static void
downbeat_incident_row_class_init (DownbeatIncidentRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/downbeat/Downbeat/downbeat-incident-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DownbeatIncidentRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatIncidentRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatIncidentRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatIncidentRow, link_button);
}

static void
downbeat_incident_row_init (DownbeatIncidentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
show_text (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/**
 * downbeat_incident_row_new:
 * @incident: as the status page said it; its texts from the network are shown as text, never
 *   markup, and its link only when it is http or https
 *
 * Returns: (transfer floating): its name, its state and when it was updated, the latest
 *   word, and a link to read more
 */
GtkWidget *
downbeat_incident_row_new (const DownbeatIncident *incident)
{
  DownbeatIncidentRow *self;
  g_autofree char *when = NULL;
  g_autofree char *state = NULL;
  const char *status;

  g_return_val_if_fail (incident != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_INCIDENT_ROW, NULL);
  status = incident->latest_update_status != NULL ? incident->latest_update_status
                                                  : incident->status;
  if (incident->latest_update_at != NULL)
    when = downbeat_words_day_and_time (incident->latest_update_at);
  if (status != NULL && when != NULL)
    /* Translators: an incident's state as the status page says it, and when it was updated:
     * "investigating · updated 14:05" */
    state = g_strdup_printf (_("%s · updated %s"), status, when);
  else
    state = g_strdup (status);

  show_text (self->name_label, incident->name);
  show_text (self->state_label, state);
  show_text (self->body_label, incident->latest_update_body);
  downbeat_link_button_offer (self->link_button, incident->shortlink);
  return GTK_WIDGET (self);
}
