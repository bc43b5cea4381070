/* downbeat-text-private.h: text from the network made safe to keep and show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOWNBEAT_TEXT_SHORT 200
#define DOWNBEAT_TEXT_LONG  2000

char *downbeat_text_clean (const char *text,
                           gssize      length,
                           guint       max_chars);
char *downbeat_text_from_html (const char *html,
                               guint       max_chars);
gboolean downbeat_uri_is_web (GUri *uri);
gboolean downbeat_text_is_web_address (const char *url);

G_END_DECLS
