/* downbeat-probe-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-probe-row"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-probe-row.h"
#include "downbeat-report-words.h"
#include "downbeat-link.h"

struct _DownbeatProbeRow
{
  GtkBox         parent_instance;

  GtkImage      *icon;
  GtkLabel      *name_label;
  GtkLabel      *detail_label;
  GtkLabel      *note_label;
  GtkLinkButton *evidence_button;
};

G_DEFINE_FINAL_TYPE (DownbeatProbeRow, downbeat_probe_row, GTK_TYPE_BOX)

static void
downbeat_probe_row_class_init (DownbeatProbeRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/downbeat/Downbeat/downbeat-probe-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DownbeatProbeRow, icon);
  gtk_widget_class_bind_template_child (widget_class, DownbeatProbeRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatProbeRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatProbeRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, DownbeatProbeRow, evidence_button);
}

static void
downbeat_probe_row_init (DownbeatProbeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * downbeat_probe_row_new:
 * @spec: the check it shows; what it is named and where its expectation is shown to hold
 *
 * Returns: (transfer floating): a row that says "Not checked yet." until updated
 */
GtkWidget *
downbeat_probe_row_new (const DownbeatProbeSpec *spec)
{
  DownbeatProbeRow *self;

  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_PROBE_ROW, NULL);
  /* Text from the definition goes in as text: the labels read no markup. */
  gtk_label_set_text (self->name_label, spec->name);
  downbeat_link_button_offer (self->evidence_button, spec->evidence);
  return GTK_WIDGET (self);
}

/**
 * downbeat_probe_row_update:
 * @status: what this cycle found of the check, and whether it counts
 */
void
downbeat_probe_row_update (DownbeatProbeRow          *self,
                           const DownbeatProbeStatus *status)
{
  static const char * const icon_names[] = {
    [DOWNBEAT_PROBE_MARK_NOT_CHECKED] = "content-loading-symbolic",
    [DOWNBEAT_PROBE_MARK_WORKING] = "emblem-ok-symbolic",
    [DOWNBEAT_PROBE_MARK_SLOW] = "dialog-warning-symbolic",
    [DOWNBEAT_PROBE_MARK_FAILING] = "dialog-error-symbolic",
    /* It failed, but that does not count: not an error sign, for what is not one. */
    [DOWNBEAT_PROBE_MARK_NOT_COUNTED] = "dialog-question-symbolic",
  };
  DownbeatProbeMark mark;
  g_autofree char *detail = NULL;
  g_autofree char *note = NULL;

  g_return_if_fail (DOWNBEAT_IS_PROBE_ROW (self));
  g_return_if_fail (status != NULL);

  mark = downbeat_report_words_mark (status);
  detail = downbeat_report_words_detail (status);
  note = downbeat_report_words_note (status);

  gtk_image_set_from_icon_name (self->icon, icon_names[mark], GTK_ICON_SIZE_LARGE_TOOLBAR);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->icon)),
                       downbeat_report_words_mark_name (mark));
  gtk_label_set_text (self->detail_label, detail);
  if (note != NULL)
    {
      /* Translators: why a check does not count, "(developer service, not counted)" */
      g_autofree char *why = g_strdup_printf (_("(%s)"), note);

      gtk_label_set_text (self->note_label, why);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
}
