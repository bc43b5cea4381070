/* downbeat-link.h: a link to the web offered in the detail window, only when it is one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     downbeat_link_show         (GtkWidget     *from,
                                     const char    *uri);
gboolean downbeat_link_button_offer (GtkLinkButton *button,
                                     const char    *uri);

G_END_DECLS
