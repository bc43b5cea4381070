/* downbeat-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-text"

#include "config.h"

#include <string.h>
#include <gmodule.h>
#include <libxml/HTMLparser.h>

#include "downbeat-text-private.h"

/* Deeper than any status update is written; a hostile page's nesting is not followed. */
#define MAX_HTML_DEPTH 32

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

static gboolean
is_block (const char *name)
{
  static const char * const blocks[] = { "p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4",
                                         "h5", "h6", "tr", "blockquote", "pre", "table", NULL };

  return g_strv_contains (blocks, name);
}

static void
trim_spaces (GString *text)
{
  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);
}

/* However many breaks stand in a row, at most one blank line is kept of them: a run never
 * grows past two, so nothing is looked at twice, and a body of a million breaks is cleaned in
 * one pass, not one per break. */
static guint
trailing_newlines (GString *text)
{
  guint have = 0;

  while (have < 2 && have < text->len && text->str[text->len - 1 - have] == '\n')
    have++;
  return have;
}

/* A <br> or a newline: the line ends here. */
static void
end_line (GString *text)
{
  trim_spaces (text);
  if (text->len > 0 && trailing_newlines (text) < 2)
    g_string_append_c (text, '\n');
}

/* A block starts or ends: @newlines in a row there at least, 2 for a blank line. */
static void
break_block (GString *text,
             guint    newlines)
{
  trim_spaces (text);
  if (text->len == 0)
    return;
  for (guint have = trailing_newlines (text); have < newlines; have++)
    g_string_append_c (text, '\n');
}

static void
append_text (GString    *text,
             const char *content)
{
  for (const char *p = content; *p != '\0'; p++)
    {
      gboolean at_line_start = text->len == 0 || text->str[text->len - 1] == '\n';

      if (*p == '\n')
        end_line (text);
      else if (g_ascii_isspace (*p))
        {
          if (!at_line_start && text->str[text->len - 1] != ' ')
            g_string_append_c (text, ' ');
        }
      else
        g_string_append_c (text, *p);
    }
}

static void
append_node (GString    *text,
             xmlNodePtr  node,
             guint       depth)
{
  for (; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        append_text (text, (const char *) node->content);
      else if (node->type != XML_ELEMENT_NODE || depth >= MAX_HTML_DEPTH
               || g_str_equal (name, "script") || g_str_equal (name, "style"))
        continue;
      else if (g_str_equal (name, "br"))
        end_line (text);
      else if (is_block (name))
        {
          break_block (text, g_str_equal (name, "p") ? 2 : 1);
          if (g_str_equal (name, "li"))
            g_string_append (text, "• ");
          append_node (text, node->children, depth + 1);
          break_block (text, g_str_equal (name, "p") ? 2 : 1);
        }
      else
        /* Links are their text: an address in a status update is not followed from here. */
        append_node (text, node->children, depth + 1);
    }
}

/* libxml2 (and the ICU it loads in turn) is opened when the first HTML text comes, not at
 * start: most runs never see an incident, and a tray app's idle memory is its price. What is
 * loaded stays loaded, for the whole process. */
typedef struct
{
  htmlDocPtr (*read_memory) (const char *, int, const char *, const char *, int);
  xmlNodePtr (*root_element) (const xmlDoc *);
  void       (*free_doc) (xmlDocPtr);
} Libxml;

static const Libxml *
libxml (void)
{
  static Libxml symbols;
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      GModule *module = g_module_open (LIBXML2_SONAME, G_MODULE_BIND_LOCAL);
      gboolean ok = module != NULL
                    && g_module_symbol (module, "htmlReadMemory", (gpointer *) &symbols.read_memory)
                    && g_module_symbol (module, "xmlDocGetRootElement",
                                        (gpointer *) &symbols.root_element)
                    && g_module_symbol (module, "xmlFreeDoc", (gpointer *) &symbols.free_doc);

      if (ok)
        g_module_make_resident (module);
      else
        g_warning ("Status page texts are shown with their markup: %s", g_module_error ());
      g_once_init_leave (&loaded, ok ? 1 : 2);
    }

  return loaded == 1 ? &symbols : NULL;
}

/**
 * downbeat_text_from_html:
 * @html: (nullable): a status page's text, which may hold HTML (`<br />`, `&amp;`, links)
 * @max_chars: as downbeat_text_clean()
 *
 * Returns: (transfer full) (nullable): the text as people read it: line breaks and paragraphs
 *   kept, entities decoded, tags and links reduced to their text; then cleaned as
 *   downbeat_text_clean() does
 */
char *
downbeat_text_from_html (const char *html,
                         guint       max_chars)
{
  g_autoptr(GString) text = NULL;
  const Libxml *xml;
  htmlDocPtr document;

  if (html == NULL)
    return NULL;
  if ((strchr (html, '<') == NULL && strchr (html, '&') == NULL) || (xml = libxml ()) == NULL)
    return downbeat_text_clean (html, -1, max_chars);

  document = xml->read_memory (html, strlen (html), NULL, "UTF-8",
                               HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (document == NULL)
    return downbeat_text_clean (html, -1, max_chars);

  text = g_string_new (NULL);
  append_node (text, xml->root_element (document), 0);
  xml->free_doc (document);

  return downbeat_text_clean (text->str, text->len, max_chars);
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
