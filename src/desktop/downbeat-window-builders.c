/* downbeat-window-builders.c: the window's small builders, for the parts whose number only the
 * data knows: labels, links and boxes added to a box, and a box emptied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-window"

#include "config.h"

#include "downbeat-link.h"
#include "downbeat-window-private.h"

void
downbeat_window_clear_box (GtkBox *box)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (box));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

/* Text from the network goes in as text: a GtkLabel without markup never reads it as any. */
GtkLabel *
downbeat_window_add_label (GtkBox     *box,
                           const char *text,
                           const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  gtk_widget_show (label);
  gtk_box_pack_start (box, label, FALSE, FALSE, 0);
  return GTK_LABEL (label);
}

void
downbeat_window_add_bold_label (GtkBox     *box,
                                const char *text)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (downbeat_window_add_label (box, text, NULL), attributes);
}

void
downbeat_window_add_link (GtkBox     *box,
                          const char *uri,
                          const char *label)
{
  GtkWidget *button = gtk_link_button_new_with_label ("", label);

  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_box_pack_start (box, button, FALSE, FALSE, 0);
  if (!downbeat_link_button_offer (GTK_LINK_BUTTON (button), uri))
    gtk_widget_destroy (button);
}

GtkBox *
downbeat_window_add_item_box (GtkBox *box)
{
  GtkWidget *item = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_bottom (item, 6);
  gtk_widget_show (item);
  gtk_box_pack_start (box, item, FALSE, FALSE, 0);
  return GTK_BOX (item);
}
