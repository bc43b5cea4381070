/* downbeat-json-private.h: typed JSON look-ups whose errors name the key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  DOWNBEAT_JSON_OPTIONAL,
  DOWNBEAT_JSON_REQUIRED,
} DownbeatJsonPresence;

JsonNode *downbeat_json_parse  (const char            *data,
                                gsize                  length,
                                GError               **error);
char     *downbeat_json_path   (const char            *path,
                                const char            *key,
                                int                    index);
gboolean  downbeat_json_string (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                const char           **out,
                                GError               **error);
gboolean  downbeat_json_int    (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                gint64                *out,
                                GError               **error);
gboolean  downbeat_json_number (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                double                *out,
                                GError               **error);
gboolean  downbeat_json_bool   (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                gboolean              *out,
                                GError               **error);
gboolean  downbeat_json_array  (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                JsonArray            **out,
                                GError               **error);
gboolean  downbeat_json_object (JsonObject            *object,
                                const char            *path,
                                const char            *key,
                                DownbeatJsonPresence   presence,
                                JsonObject           **out,
                                GError               **error);
JsonObject *downbeat_json_array_object (JsonArray     *array,
                                        const char    *path,
                                        guint          index,
                                        GError       **error);
gboolean  downbeat_json_print_line (const char        *text);

G_END_DECLS
