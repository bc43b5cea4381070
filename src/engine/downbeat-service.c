/* downbeat-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-service"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "downbeat-json-private.h"
#include "downbeat-handshake-probe.h"
#include "downbeat-service.h"
#include "downbeat-text-private.h"

#define BUILTIN_RESOURCE "/io/github/downbeat/Downbeat/service/spotify.json"
#define MAX_FILE_SIZE (1024 * 1024)
#define MAX_TIMEOUT_S 300

struct _DownbeatService
{
  GObject            parent_instance;

  char              *digest;   /* of the definition's text: which one this is */
  char              *name;
  GPtrArray         *official;
  GPtrArray         *probes;
  DownbeatProbeSpec *control;
  GPtrArray         *notable_outages;
  GPtrArray         *channels;
};

G_DEFINE_FINAL_TYPE (DownbeatService, downbeat_service, G_TYPE_OBJECT)

G_DEFINE_QUARK (downbeat-service-error-quark, downbeat_service_error)

static void
official_source_free (DownbeatOfficialSource *source)
{
  g_free (source->name);
  g_free (source->summary_url);
  g_free (source->page_url);
  g_free (source);
}

static void
channel_free (DownbeatChannel *channel)
{
  g_free (channel->name);
  g_free (channel->url);
  g_free (channel);
}

static void
notable_outage_free (DownbeatNotableOutage *outage)
{
  g_free (outage->date);
  g_free (outage->title);
  g_free (outage->details);
  g_free (outage->source);
  g_free (outage);
}

static void
downbeat_service_finalize (GObject *object)
{
  DownbeatService *self = (DownbeatService *)object;

  g_free (self->digest);
  g_free (self->name);
  g_clear_pointer (&self->official, g_ptr_array_unref);
  g_clear_pointer (&self->probes, g_ptr_array_unref);
  g_clear_pointer (&self->control, downbeat_probe_spec_free);
  g_clear_pointer (&self->notable_outages, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);

  G_OBJECT_CLASS (downbeat_service_parent_class)->finalize (object);
}

static void
downbeat_service_class_init (DownbeatServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = downbeat_service_finalize;
}

static void
downbeat_service_init (DownbeatService *self)
{
  self->official = g_ptr_array_new_with_free_func ((GDestroyNotify) official_source_free);
  self->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_probe_spec_free);
  self->notable_outages = g_ptr_array_new_with_free_func ((GDestroyNotify) notable_outage_free);
  self->channels = g_ptr_array_new_with_free_func ((GDestroyNotify) channel_free);
}

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *key,
         const char  *problem)
{
  g_autofree char *where = downbeat_json_path (path, key, -1);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", where, problem);
  return FALSE;
}

/* A string that must be there and not be empty, on one line. Names and titles are shown on
 * terminals, in notifications and windows: cleaned as text from the network is, no escape
 * sequence or bidi override is kept (docs/design.md, "Service definition"). */
static gboolean
read_text (JsonObject  *object,
           const char  *path,
           const char  *key,
           char       **out,
           GError     **error)
{
  const char *value = NULL;
  g_autofree char *clean = NULL;

  if (!downbeat_json_string (object, path, key, DOWNBEAT_JSON_REQUIRED, &value, error))
    return FALSE;
  clean = g_strstrip (g_strdelimit (downbeat_text_clean (value, -1, DOWNBEAT_TEXT_SHORT), "\n",
                                    ' '));
  if (clean[0] == '\0')
    return invalid (error, path, key, _("must not be empty"));

  *out = g_steal_pointer (&clean);
  return TRUE;
}

static gboolean
read_audience (JsonObject        *object,
               const char        *path,
               DownbeatAudience  *out,
               GError           **error)
{
  const char *value = NULL;

  if (!downbeat_json_string (object, path, "audience", DOWNBEAT_JSON_OPTIONAL, &value, error))
    return FALSE;
  if (value == NULL || g_str_equal (value, "listeners"))
    *out = DOWNBEAT_AUDIENCE_LISTENERS;
  else if (g_str_equal (value, "developers"))
    *out = DOWNBEAT_AUDIENCE_DEVELOPERS;
  else
    return invalid (error, path, "audience", _("expected listeners or developers"));

  return TRUE;
}

static gboolean
read_role (JsonObject    *object,
           const char    *path,
           DownbeatRole  *out,
           GError       **error)
{
  static const char * const names[] = {
    [DOWNBEAT_ROLE_SIGN_IN] = "sign-in",
    [DOWNBEAT_ROLE_APP] = "app",
    [DOWNBEAT_ROLE_WEB_PLAYER] = "web-player",
  };
  const char *value = NULL;

  if (!downbeat_json_string (object, path, "role", DOWNBEAT_JSON_OPTIONAL, &value, error))
    return FALSE;
  *out = DOWNBEAT_ROLE_NONE;
  if (value == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i] != NULL && g_str_equal (value, names[i]))
      {
        *out = i;
        return TRUE;
      }
  return invalid (error, path, "role", _("expected sign-in, app or web-player"));
}

static gboolean
read_url (JsonObject            *object,
          const char            *path,
          const char            *key,
          DownbeatJsonPresence   presence,
          char                 **out,
          GError               **error)
{
  const char *value = NULL;

  if (!downbeat_json_string (object, path, key, presence, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  if (!downbeat_text_is_web_address (value))
    return invalid (error, path, key, _("expected an http or https address"));

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_expect_status (JsonObject  *object,
                    const char  *path,
                    GArray     **out,
                    GError     **error)
{
  JsonArray *array = NULL;
  g_autoptr(GArray) codes = NULL;

  if (!downbeat_json_array (object, path, "expect_status", DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (json_array_get_length (array) == 0)
    return invalid (error, path, "expect_status", _("must list at least one status code"));

  codes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *key = downbeat_json_path (NULL, "expect_status", i);
      gint64 code;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64)
        return invalid (error, path, key, _("expected an HTTP status code"));

      code = json_node_get_int (element);
      if (code < 100 || code > 599)
        return invalid (error, path, key, _("expected an HTTP status code from 100 to 599"));

      g_array_append_val (codes, (guint) { code });
    }

  *out = g_steal_pointer (&codes);
  return TRUE;
}

/* A probe, or the control check when @with_identity is FALSE (it needs no id or name). */
/* An access point's handshake: where its access points come from, the port, Spotify's server
 * key as base64 of its modulus, and the key's exponent. */
static gboolean
read_handshake (JsonObject             *probe,
                const char             *probe_path,
                DownbeatHandshakeSpec **out,
                GError                **error)
{
  g_autofree char *path = downbeat_json_path (probe_path, "handshake", -1);
  g_autofree guint8 *modulus = NULL;
  g_autoptr(GError) key_error = NULL;
  JsonObject *object = NULL;
  const char *from = NULL;
  const char *key = NULL;
  gint64 port = DOWNBEAT_HANDSHAKE_PORT;
  gint64 fallback_port = DOWNBEAT_HANDSHAKE_FALLBACK_PORT;
  gint64 exponent = 65537;
  gsize length = 0;
  DownbeatHandshakeSpec *handshake;

  if (!downbeat_json_object (probe, probe_path, "handshake", DOWNBEAT_JSON_OPTIONAL, &object,
                             error))
    return FALSE;
  *out = NULL;
  if (object == NULL)
    return TRUE;

  if (!downbeat_json_string (object, path, "access_points_from", DOWNBEAT_JSON_REQUIRED, &from,
                             error)
      || !downbeat_json_string (object, path, "server_key", DOWNBEAT_JSON_REQUIRED, &key, error)
      || !downbeat_json_int (object, path, "port", DOWNBEAT_JSON_OPTIONAL, &port, error)
      || !downbeat_json_int (object, path, "fallback_port", DOWNBEAT_JSON_OPTIONAL,
                             &fallback_port, error)
      || !downbeat_json_int (object, path, "exponent", DOWNBEAT_JSON_OPTIONAL, &exponent, error))
    return FALSE;

  if (port < 1 || port > 65535)
    return invalid (error, path, "port", _("expected a port number from 1 to 65535"));
  if (fallback_port < 1 || fallback_port > 65535)
    return invalid (error, path, "fallback_port", _("expected a port number from 1 to 65535"));
  if (exponent < 3 || exponent > G_MAXUINT32 || exponent % 2 == 0)
    return invalid (error, path, "exponent", _("expected an odd number from 3"));

  modulus = g_base64_decode (key, &length);
  handshake = g_new0 (DownbeatHandshakeSpec, 1);
  handshake->key = downbeat_handshake_key_new (modulus, length, exponent, &key_error);
  if (handshake->key == NULL)
    {
      g_free (handshake);
      return invalid (error, path, "server_key", key_error->message);
    }
  handshake->from = g_strdup (from);
  handshake->port = port;
  handshake->fallback_port = fallback_port;
  handshake->server_key = g_bytes_new_take (g_steal_pointer (&modulus), length);
  *out = handshake;
  return TRUE;
}

static DownbeatProbeSpec *
read_probe (JsonObject  *object,
            const char  *path,
            gboolean     with_identity,
            GError     **error)
{
  g_autoptr(DownbeatProbeSpec) spec = downbeat_probe_spec_new ();
  const char *method = NULL;
  const char *text = NULL;
  double timeout_s = spec->timeout_s;
  gint64 slow_ms = spec->slow_ms;

  if (with_identity)
    {
      if (!read_text (object, path, "id", &spec->id, error)
          || !read_text (object, path, "name", &spec->name, error))
        return NULL;
    }
  else
    {
      spec->id = g_strdup ("control");
      spec->name = g_strdup (_("Internet connection"));
    }

  if (with_identity && !read_handshake (object, path, &spec->handshake, error))
    return NULL;

  /* A handshake asks for nothing by HTTP. */
  if (spec->handshake != NULL)
    {
      static const char * const http_only[] = {
        "url", "method", "expect_status", "expect_json_key", "expect_body_contains",
      };

      for (guint i = 0; i < G_N_ELEMENTS (http_only); i++)
        if (json_object_has_member (object, http_only[i]))
          return invalid (error, path, http_only[i], _("a handshake has no HTTP request")), NULL;
    }
  else if (!read_url (object, path, "url", DOWNBEAT_JSON_REQUIRED, &spec->url, error))
    return NULL;

  if (!downbeat_json_string (object, path, "method", DOWNBEAT_JSON_OPTIONAL, &method, error))
    return NULL;
  if (method != NULL)
    {
      if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
        return invalid (error, path, "method", _("expected GET or HEAD")), NULL;
      g_free (spec->method);
      spec->method = g_strdup (method);
    }

  if (!read_expect_status (object, path, &spec->expect_status, error))
    return NULL;

  if (!downbeat_json_string (object, path, "expect_json_key", DOWNBEAT_JSON_OPTIONAL, &text, error))
    return NULL;
  spec->expect_json_key = g_strdup (text);
  text = NULL;
  if (!downbeat_json_string (object, path, "expect_body_contains", DOWNBEAT_JSON_OPTIONAL, &text,
                             error))
    return NULL;
  spec->expect_body_contains = g_strdup (text);

  if ((spec->expect_json_key != NULL || spec->expect_body_contains != NULL)
      && g_str_equal (spec->method, "HEAD"))
    return invalid (error, path, "method", _("HEAD has no body to check")), NULL;

  if (!downbeat_json_number (object, path, "timeout_s", DOWNBEAT_JSON_OPTIONAL, &timeout_s, error))
    return NULL;
  if (!(timeout_s >= 1 && timeout_s <= MAX_TIMEOUT_S))
    return invalid (error, path, "timeout_s", _("expected a number of seconds from 1 to 300")), NULL;
  spec->timeout_s = (guint) timeout_s;

  /* The default may not exceed a short timeout; a slow_ms written out must not. */
  slow_ms = MIN (slow_ms, (gint64) spec->timeout_s * 1000);
  if (!downbeat_json_int (object, path, "slow_ms", DOWNBEAT_JSON_OPTIONAL, &slow_ms, error))
    return NULL;
  if (slow_ms < 1 || slow_ms > (gint64) spec->timeout_s * 1000)
    return invalid (error, path, "slow_ms",
                    _("expected a number of milliseconds from 1 to the timeout")), NULL;
  spec->slow_ms = (guint) slow_ms;

  if (!read_audience (object, path, &spec->audience, error)
      || !read_role (object, path, &spec->role, error)
      || !read_url (object, path, "evidence", DOWNBEAT_JSON_OPTIONAL, &spec->evidence, error))
    return NULL;

  spec->fingerprint = downbeat_probe_fingerprint (spec);
  return g_steal_pointer (&spec);
}

static gboolean
read_official (DownbeatService  *self,
               JsonObject       *root,
               GError          **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, "official", DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, "official", i);
      JsonObject *object = downbeat_json_array_object (array, "official", i, error);
      DownbeatOfficialSource *source;

      if (object == NULL)
        return FALSE;

      source = g_new0 (DownbeatOfficialSource, 1);
      g_ptr_array_add (self->official, source);
      if (!read_text (object, path, "name", &source->name, error)
          || !read_url (object, path, "summary_url", DOWNBEAT_JSON_REQUIRED, &source->summary_url,
                        error)
          || !read_url (object, path, "page_url", DOWNBEAT_JSON_OPTIONAL, &source->page_url, error)
          || !read_audience (object, path, &source->audience, error))
        return FALSE;
    }

  return TRUE;
}

/* A handshake takes its access points from an earlier probe's list (the probe is told to keep
 * them), and there is one at most: one a cycle. */
static gboolean
link_handshake (DownbeatService    *self,
                const char         *path,
                DownbeatProbeSpec  *spec,
                GError            **error)
{
  g_autofree char *handshake_path = downbeat_json_path (path, "handshake", -1);

  for (guint i = 0; i + 1 < self->probes->len; i++)
    {
      DownbeatProbeSpec *other = g_ptr_array_index (self->probes, i);

      if (other->handshake != NULL)
        return invalid (error, path, "handshake", _("only one probe may be a handshake"));
    }

  for (guint i = 0; i + 1 < self->probes->len; i++)
    {
      DownbeatProbeSpec *from = g_ptr_array_index (self->probes, i);

      if (g_str_equal (from->id, spec->handshake->from) && from->expect_json_key != NULL)
        {
          spec->handshake->from_index = i;
          from->lists_port = spec->handshake->port;
          return TRUE;
        }
    }

  return invalid (error, handshake_path, "access_points_from",
                  _("expected the id of an earlier probe that expects a JSON list"));
}

static gboolean
read_probes (DownbeatService  *self,
             JsonObject       *root,
             GError          **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, "probes", DOWNBEAT_JSON_REQUIRED, &array, error))
    return FALSE;
  if (json_array_get_length (array) == 0)
    return invalid (error, NULL, "probes", _("must list at least one probe"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, "probes", i);
      JsonObject *object = downbeat_json_array_object (array, "probes", i, error);
      DownbeatProbeSpec *spec;

      if (object == NULL || (spec = read_probe (object, path, TRUE, error)) == NULL)
        return FALSE;

      for (guint j = 0; j < self->probes->len; j++)
        {
          const DownbeatProbeSpec *other = g_ptr_array_index (self->probes, j);

          if (g_str_equal (other->id, spec->id))
            {
              downbeat_probe_spec_free (spec);
              return invalid (error, path, "id", _("used by another probe already"));
            }
        }

      g_ptr_array_add (self->probes, spec);
      if (spec->handshake != NULL && !link_handshake (self, path, spec, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_control (DownbeatService  *self,
              JsonObject       *root,
              GError          **error)
{
  JsonObject *object = NULL;

  if (!downbeat_json_object (root, NULL, "control", DOWNBEAT_JSON_OPTIONAL, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;

  self->control = read_probe (object, "control", FALSE, error);
  return self->control != NULL;
}

static gboolean
is_date (const char *text)
{
  guint year, month, day;
  char end;

  return sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) == 3
         && strlen (text) == 10
         && g_date_valid_dmy (day, month, year);
}

static gboolean
read_notable_outages (DownbeatService  *self,
                      JsonObject       *root,
                      GError          **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, "notable_outages", DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, "notable_outages", i);
      JsonObject *object = downbeat_json_array_object (array, "notable_outages", i, error);
      DownbeatNotableOutage *outage;
      const char *details = NULL;

      if (object == NULL)
        return FALSE;

      outage = g_new0 (DownbeatNotableOutage, 1);
      g_ptr_array_add (self->notable_outages, outage);
      if (!read_text (object, path, "date", &outage->date, error))
        return FALSE;
      if (!is_date (outage->date))
        return invalid (error, path, "date", _("expected a date as YYYY-MM-DD"));
      if (!read_text (object, path, "title", &outage->title, error)
          || !downbeat_json_string (object, path, "details", DOWNBEAT_JSON_OPTIONAL, &details, error)
          || !read_url (object, path, "source", DOWNBEAT_JSON_REQUIRED, &outage->source, error))
        return FALSE;
      outage->details = downbeat_text_clean (details, -1, DOWNBEAT_TEXT_LONG);
    }

  return TRUE;
}

static gboolean
read_channels (DownbeatService  *self,
               JsonObject       *root,
               GError          **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, "channels", DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, "channels", i);
      JsonObject *object = downbeat_json_array_object (array, "channels", i, error);
      DownbeatChannel *channel;

      if (object == NULL)
        return FALSE;

      channel = g_new0 (DownbeatChannel, 1);
      g_ptr_array_add (self->channels, channel);
      if (!read_text (object, path, "name", &channel->name, error)
          || !read_url (object, path, "url", DOWNBEAT_JSON_REQUIRED, &channel->url, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_service (DownbeatService  *self,
              JsonNode         *root_node,
              GError          **error)
{
  JsonObject *root;
  gint64 format = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return invalid (error, NULL, _("(top level)"), _("expected an object"));
  root = json_node_get_object (root_node);

  if (!downbeat_json_int (root, NULL, "format", DOWNBEAT_JSON_REQUIRED, &format, error))
    return FALSE;
  if (format != 1)
    return invalid (error, NULL, "format", _("only format 1 is understood"));

  return read_text (root, NULL, "name", &self->name, error)
         && read_official (self, root, error)
         && read_probes (self, root, error)
         && read_control (self, root, error)
         && read_notable_outages (self, root, error)
         && read_channels (self, root, error);
}

/**
 * downbeat_service_new_from_data:
 * @origin: where @data comes from, for messages: a file name
 *
 * Returns: (transfer full): the service, or %NULL with @error set to a message that
 *   names @origin, the key and what is wrong with it
 */
DownbeatService *
downbeat_service_new_from_data (const char  *data,
                                gsize        length,
                                const char  *origin,
                                GError     **error)
{
  g_autoptr(DownbeatService) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_SERVICE, NULL);
  self->digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);

  root = downbeat_json_parse (data, length, &local_error);
  if (root == NULL || !read_service (self, root, &local_error))
    {
      g_set_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_INVALID,
                   "%s: %s", origin, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static char *
read_failed (GError     **error,
             const char  *path,
             int          fd)
{
  int saved_errno = errno;

  if (fd >= 0)
    close (fd);
  g_set_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_READ, "%s: %s", path,
               g_strerror (saved_errno));
  return NULL;
}

/* Only a regular file, opened without waiting for a FIFO's writer and read no further than the
 * cap: /dev/zero, a FIFO nobody writes and an endless pipe are refused, not read for good. */
static char *
read_file_capped (const char  *path,
                  gsize       *length,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize have = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    return read_failed (error, path, fd);
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_READ,
                   _("%s: not a regular file; a service definition is read from a file"), path);
      return NULL;
    }

  /* One byte more than the cap tells a larger file, however large, without reading it. */
  contents = g_malloc (MAX_FILE_SIZE + 2);
  while (have <= MAX_FILE_SIZE)
    {
      gssize n = read (fd, contents + have, MAX_FILE_SIZE + 1 - have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return read_failed (error, path, fd);
      if (n == 0)
        break;
      have += n;
    }
  close (fd);

  if (have > MAX_FILE_SIZE)
    {
      g_set_error (error, DOWNBEAT_SERVICE_ERROR, DOWNBEAT_SERVICE_ERROR_READ,
                   _("%s: larger than a service definition can be (1 MiB)"), path);
      return NULL;
    }

  contents[have] = '\0';
  *length = have;
  return g_steal_pointer (&contents);
}

/**
 * downbeat_service_new_from_file:
 *
 * Reads a regular file of at most 1 MiB (docs/design.md, "Service definition").
 *
 * Returns: (transfer full): the service, or %NULL with @error set to a message that
 *   names @path and what is wrong
 */
DownbeatService *
downbeat_service_new_from_file (const char  *path,
                                GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  contents = read_file_capped (path, &length, error);
  if (contents == NULL)
    return NULL;

  return downbeat_service_new_from_data (contents, length, path, error);
}

/**
 * downbeat_service_new_builtin:
 *
 * Returns: (transfer full): the Spotify definition that ships inside Downbeat
 */
DownbeatService *
downbeat_service_new_builtin (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DownbeatService *self;
  gsize length;
  const char *data;

  bytes = g_resources_lookup_data (BUILTIN_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in service definition is missing: %s", error->message);

  data = g_bytes_get_data (bytes, &length);
  self = downbeat_service_new_from_data (data, length, BUILTIN_RESOURCE, &error);
  if (self == NULL)
    g_error ("The built-in service definition is broken: %s", error->message);

  return self;
}

/**
 * downbeat_service_get_digest:
 *
 * Returns: the SHA-256 of the definition's text, in hex: two processes watch the same
 *   definition when theirs are equal
 */
const char *
downbeat_service_get_digest (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->digest;
}

const char *
downbeat_service_get_name (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->name;
}

/**
 * downbeat_service_get_official:
 *
 * Returns: (transfer none) (element-type DownbeatOfficialSource): the status pages
 */
GPtrArray *
downbeat_service_get_official (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->official;
}

/**
 * downbeat_service_get_probes:
 *
 * Returns: (transfer none) (element-type DownbeatProbeSpec): at least one probe
 */
GPtrArray *
downbeat_service_get_probes (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->probes;
}

/**
 * downbeat_service_get_control:
 *
 * Returns: (transfer none) (nullable): the check of a neutral endpoint
 */
const DownbeatProbeSpec *
downbeat_service_get_control (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->control;
}

/**
 * downbeat_service_get_notable_outages:
 *
 * Returns: (transfer none) (element-type DownbeatNotableOutage): newest first, as listed
 */
GPtrArray *
downbeat_service_get_notable_outages (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->notable_outages;
}

/**
 * downbeat_service_get_channels:
 *
 * Returns: (transfer none) (element-type DownbeatChannel): where the service speaks for itself
 *   besides its pages, as listed
 */
GPtrArray *
downbeat_service_get_channels (DownbeatService *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_SERVICE (self), NULL);

  return self->channels;
}
