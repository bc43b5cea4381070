/* downbeat-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-json"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "downbeat-json-private.h"

/* json-glib parses recursively: a hostile answer of a million '[' must not reach it. */
#define MAX_DEPTH 64

typedef enum
{
  KIND_STRING,
  KIND_INT,
  KIND_NUMBER,
  KIND_BOOL,
  KIND_ARRAY,
  KIND_OBJECT,
} Kind;

static gboolean
nesting_is_shallow (const char *data,
                    gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonNode *
downbeat_json_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *valid = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("empty answer"));
      return NULL;
    }

  if (!nesting_is_shallow (data, length))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("not JSON: nested deeper than %d levels"), MAX_DEPTH);
      return NULL;
    }

  /* One bad byte in a status page must not cost the whole page: json-glib refuses it. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      valid = g_utf8_make_valid (data, length);
      data = valid;
      length = strlen (valid);
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("not JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("empty answer"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/**
 * downbeat_json_path:
 * @path: where the object holding @key is, "" or %NULL at the top
 * @index: an index into the array @key, or -1
 *
 * Returns: (transfer full): "probes[1].url" and the like, for messages
 */
char *
downbeat_json_path (const char *path,
                    const char *key,
                    int         index)
{
  g_autofree char *with_key = NULL;

  if (path == NULL || path[0] == '\0')
    with_key = g_strdup (key);
  else if (key != NULL)
    with_key = g_strdup_printf ("%s.%s", path, key);
  else
    with_key = g_strdup (path);

  if (index < 0)
    return g_steal_pointer (&with_key);

  return g_strdup_printf ("%s[%d]", with_key, index);
}

static const char *
kind_to_string (Kind kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return _("a string");
    case KIND_INT:
      return _("a whole number");
    case KIND_NUMBER:
      return _("a number");
    case KIND_BOOL:
      return _("true or false");
    case KIND_ARRAY:
      return _("a list");
    case KIND_OBJECT:
    default:
      return _("an object");
    }
}

static gboolean
node_is_kind (JsonNode *node,
              Kind      kind)
{
  GType value_type;

  switch (kind)
    {
    case KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case KIND_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    default:
      break;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  value_type = json_node_get_value_type (node);
  switch (kind)
    {
    case KIND_STRING:
      return value_type == G_TYPE_STRING;
    case KIND_INT:
      return value_type == G_TYPE_INT64;
    case KIND_NUMBER:
      return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
    case KIND_BOOL:
      return value_type == G_TYPE_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}

/* Finds @key in @object as @kind. A member that is null counts as absent. Returns FALSE
 * only with @error set; *@node is %NULL when an optional member is absent. */
static gboolean
lookup (JsonObject            *object,
        const char            *path,
        const char            *key,
        Kind                   kind,
        DownbeatJsonPresence   presence,
        JsonNode             **node,
        GError               **error)
{
  JsonNode *member;

  g_assert (object != NULL);
  g_assert (key != NULL);

  *node = NULL;
  member = json_object_get_member (object, key);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      if (presence == DOWNBEAT_JSON_OPTIONAL)
        return TRUE;

      g_autofree char *where = downbeat_json_path (path, key, -1);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a key, "probes[1].url" */
                   _("%s: missing"), where);
      return FALSE;
    }

  if (!node_is_kind (member, kind))
    {
      g_autofree char *where = downbeat_json_path (path, key, -1);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: "probes[1].url: expected a string" */
                   _("%s: expected %s"), where, kind_to_string (kind));
      return FALSE;
    }

  *node = member;
  return TRUE;
}

gboolean
downbeat_json_string (JsonObject            *object,
                      const char            *path,
                      const char            *key,
                      DownbeatJsonPresence   presence,
                      const char           **out,
                      GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_STRING, presence, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_string (node);
  return TRUE;
}

gboolean
downbeat_json_int (JsonObject            *object,
                   const char            *path,
                   const char            *key,
                   DownbeatJsonPresence   presence,
                   gint64                *out,
                   GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_INT, presence, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_int (node);
  return TRUE;
}

gboolean
downbeat_json_number (JsonObject            *object,
                      const char            *path,
                      const char            *key,
                      DownbeatJsonPresence   presence,
                      double                *out,
                      GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_NUMBER, presence, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_double (node);
  return TRUE;
}

gboolean
downbeat_json_bool (JsonObject            *object,
                    const char            *path,
                    const char            *key,
                    DownbeatJsonPresence   presence,
                    gboolean              *out,
                    GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_BOOL, presence, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
downbeat_json_array (JsonObject            *object,
                     const char            *path,
                     const char            *key,
                     DownbeatJsonPresence   presence,
                     JsonArray            **out,
                     GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_ARRAY, presence, &node, error))
    return FALSE;
  *out = node != NULL ? json_node_get_array (node) : NULL;
  return TRUE;
}

gboolean
downbeat_json_object (JsonObject            *object,
                      const char            *path,
                      const char            *key,
                      DownbeatJsonPresence   presence,
                      JsonObject           **out,
                      GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup (object, path, key, KIND_OBJECT, presence, &node, error))
    return FALSE;
  *out = node != NULL ? json_node_get_object (node) : NULL;
  return TRUE;
}

/**
 * downbeat_json_array_object:
 * @path: the path of @array itself, "probes"
 *
 * Returns: (transfer none): element @index of @array, or %NULL with @error set when
 *   it is not an object
 */
JsonObject *
downbeat_json_array_object (JsonArray   *array,
                            const char  *path,
                            guint        index,
                            GError     **error)
{
  JsonNode *element;

  g_return_val_if_fail (array != NULL, NULL);

  element = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_autofree char *where = downbeat_json_path (path, NULL, index);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: expected %s"), where, kind_to_string (KIND_OBJECT));
      return NULL;
    }

  return json_node_get_object (element);
}

/**
 * downbeat_json_print_line:
 * @text: JSON text, UTF-8
 *
 * Writes @text and a newline to stdout as they are, and flushes: JSON is UTF-8 whatever the
 * locale, where g_print() would turn every character the locale lacks into '?' (under
 * `LC_ALL=C`, as cron and services run).
 *
 * Returns: whether all of it was written (errno says why not)
 */
gboolean
downbeat_json_print_line (const char *text)
{
  size_t length;

  g_return_val_if_fail (text != NULL, FALSE);

  length = strlen (text);
  return fwrite (text, 1, length, stdout) == length && fputc ('\n', stdout) != EOF
         && fflush (stdout) == 0;
}
