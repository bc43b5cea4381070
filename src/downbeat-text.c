/* downbeat-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-text"

#include "config.h"

#include <string.h>

#include "downbeat-text-private.h"

/**
 * downbeat_text_clean:
 * @text: (nullable): text nobody vouches for
 * @length: its length in bytes, or -1 when nul-terminated
 * @max_chars: how many characters to keep at most; longer text ends in "…"
 *
 * Returns: (transfer full) (nullable): valid UTF-8 without control characters but
 *   newlines, whitespace trimmed, at most @max_chars characters; %NULL for %NULL
 */
char *
downbeat_text_clean (const char *text,
                     gssize      length,
                     guint       max_chars)
{
  g_autofree char *valid = NULL;
  GString *clean;
  guint n_chars = 0;

  g_return_val_if_fail (max_chars > 1, NULL);

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, length);
  clean = g_string_sized_new (MIN (strlen (valid), (gsize) max_chars * 2));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == max_chars - 1 && *(g_utf8_next_char (p)) != '\0')
        {
          g_string_append (clean, "…");
          break;
        }

      if (c == '\r' || c == '\t')
        c = ' ';
      else if (c != '\n' && (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT
                             || g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR
                             || g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR))
        continue;

      g_string_append_unichar (clean, c);
      n_chars++;
    }

  return g_strstrip (g_string_free (clean, FALSE));
}

/**
 * downbeat_uri_is_web:
 * @uri: (nullable): a parsed address
 *
 * Returns: whether @uri is an http or https address with a host: the only kind Downbeat
 *   requests, follows a redirect to, links to or opens
 */
gboolean
downbeat_uri_is_web (GUri *uri)
{
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0;
}

/**
 * downbeat_text_is_web_address:
 * @url: (nullable): an address nobody vouches for
 *
 * Returns: whether @url parses as an address downbeat_uri_is_web() accepts
 */
gboolean
downbeat_text_is_web_address (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return downbeat_uri_is_web (uri);
}
