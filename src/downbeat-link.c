/* downbeat-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-link"

#include "config.h"

#include "downbeat-link.h"
#include "downbeat-text-private.h"

/**
 * downbeat_link_button_offer:
 * @uri: (nullable): where it leads, from a service definition or the network
 *
 * Points @button at @uri and shows it, with @uri as its tooltip, when @uri is an http or https
 * address: a javascript: or file: link is never offered. Otherwise leaves it as it is.
 *
 * Returns: whether @button now offers @uri
 */
gboolean
downbeat_link_button_offer (GtkLinkButton *button,
                            const char    *uri)
{
  g_return_val_if_fail (GTK_IS_LINK_BUTTON (button), FALSE);

  if (!downbeat_text_is_web_address (uri))
    return FALSE;

  gtk_link_button_set_uri (button, uri);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), uri);
  gtk_widget_show (GTK_WIDGET (button));
  return TRUE;
}
