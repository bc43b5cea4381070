/* fuzz-clean.h: what cleaned text promises, checked by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

/* Valid UTF-8, at most @max_chars characters, trimmed, with no control character (a line break
 * only where @lines), no bidi override or other format character, no line or paragraph
 * separator. */
static inline void
fuzz_assert_clean (const char *text,
                   guint       max_chars,
                   gboolean    lines)
{
  gsize length;

  if (text == NULL)
    return;

  length = strlen (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, max_chars);
  g_assert_true (length == 0
                 || (!g_ascii_isspace (text[0]) && !g_ascii_isspace (text[length - 1])));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      g_assert_true (c != '\n' || lines);
      g_assert_true (c == '\n' || !g_unichar_iscntrl (c));
      g_assert_true (type != G_UNICODE_FORMAT && type != G_UNICODE_LINE_SEPARATOR
                     && type != G_UNICODE_PARAGRAPH_SEPARATOR);
    }
}
