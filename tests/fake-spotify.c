/* fake-spotify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fake-access-point.h"
#include "fake-spotify.h"

static const char * const endpoints[] = { "ap", "api", "login", "player", "control", "summary" };
#define N_ENDPOINTS G_N_ELEMENTS (endpoints)

static const char * const mode_names[] = {
  [FAKE_OK] = "ok", [FAKE_FAIL] = "fail", [FAKE_PORTAL] = "portal", [FAKE_HANG] = "hang",
  [FAKE_SLOW] = "slow", [FAKE_FLAKY] = "flaky", [FAKE_MAJOR] = "major", [FAKE_EMPTY] = "empty",
  [FAKE_MALFORMED] = "malformed", [FAKE_HUGE] = "huge", [FAKE_BOMB] = "bomb", [FAKE_DRIP] = "drip",
  [FAKE_LOOP] = "loop", [FAKE_BAD_UTF8] = "bad-utf8", [FAKE_MANY] = "many",
  [FAKE_HOSTILE] = "hostile", [FAKE_NOT_FOUND] = "not-found", [FAKE_FORBIDDEN] = "forbidden",
  [FAKE_RATE_LIMITED] = "rate-limited", [FAKE_FLIP] = "flip",
};

#define HUGE_SIZE (64 * 1024 * 1024)

static const char malformed[] = "{\"page\": {\"id\": [1, 2,";

static const char summary_bad_utf8[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spot\xff\xfeify\"},"
  "\"status\":{\"indicator\":\"none\",\"description\":\"All \xc3\x28 Operational\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Log\xe2\x82in\",\"status\":\"operational\"}],"
  "\"incidents\":[],\"scheduled_maintenances\":[]}";

static const char summary_hostile[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\",\"updated_at\":\"9999-12-31T23:59:59Z\"},"
  "\"status\":{\"indicator\":\"critical\",\"description\":\"<span foreground='red'>Down</span>\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"<b>Login</b>\\u0007\",\"status\":\"major_outage\"}],"
  "\"incidents\":[{\"id\":\"i1\",\"name\":\"&lt;a href='file:///etc/passwd'&gt;Click&lt;/a&gt; \\u001b[31m&amp;\\u202e\","
  "\"status\":\"investigating\",\"impact\":\"critical\",\"shortlink\":\"javascript:alert(1)\","
  "\"created_at\":\"0001-01-01T00:00:00Z\",\"updated_at\":\"9999-12-31T23:59:59Z\","
  "\"incident_updates\":[{\"status\":\"investigating\",\"body\":\"<i>We</i> are \\u0000 on it\","
  "\"created_at\":\"1900-01-01T00:00:00Z\"}]}],\"scheduled_maintenances\":[]}";

#define SUMMARY_ETAG "\"fake-summary-1\""

static const char summary_ok[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\",\"url\":\"https://status.example\","
  "\"updated_at\":\"2026-11-28T10:00:00.000Z\"},"
  "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Login\",\"status\":\"operational\"}],"
  "\"incidents\":[],\"scheduled_maintenances\":[]}";

static const char summary_minor[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
  "\"status\":{\"indicator\":\"minor\",\"description\":\"Minor Service Outage\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Login\",\"status\":\"degraded_performance\"}],"
  "\"incidents\":[],\"scheduled_maintenances\":[]}";

static const char summary_major[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
  "\"status\":{\"indicator\":\"major\",\"description\":\"Major System Outage\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Login\",\"status\":\"major_outage\"}],"
  "\"incidents\":[{\"id\":\"i1\",\"name\":\"&lt;b&gt;Playback&lt;/b&gt; &amp; login down\",\"status\":\"investigating\","
  "\"impact\":\"major\",\"shortlink\":\"https://stspg.example/i1\","
  "\"incident_updates\":[{\"status\":\"investigating\",\"body\":\"We are <i>looking</i> into it.\","
  "\"created_at\":\"2026-11-28T10:05:00.000Z\"}]}],\"scheduled_maintenances\":[]}";

static const char portal_page[] =
  "<!DOCTYPE html><html><head><title>Hotel WiFi</title></head>"
  "<body><form>Please log in to use the internet</form></body></html>";

struct _FakeSpotify
{
  SoupServer *server;
  guint       port;
  gboolean    https;
  FakeMode    modes[N_ENDPOINTS];
  guint       hits[N_ENDPOINTS];
  guint       set_at_hit[N_ENDPOINTS];  /* the hits when the mode was set */
  guint       not_modified;
  guint       slow_ms;
  GPtrArray  *paused;        /* messages of FAKE_HANG, answered when the fake goes */
  GBytes     *huge;          /* made on first use */
  GBytes     *bomb;
  GBytes     *many;
  FakeAccessPoint *ap;       /* nullable: an access point, listed first by apresolve */
};

static int
endpoint_index (const char *endpoint)
{
  for (guint i = 0; i < N_ENDPOINTS; i++)
    if (g_str_equal (endpoints[i], endpoint))
      return i;
  return -1;
}

gboolean
fake_spotify_mode_from_string (const char *string,
                               FakeMode   *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (mode_names[i], string))
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

/* Answers @msg with @status and @text, which lives as long as the fake. */
static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, text, strlen (text));
}

static void
respond_ok (FakeSpotify       *fake,
            SoupServerMessage *msg,
            int                index,
            FakeMode           mode)
{
  const char *endpoint = endpoints[index];

  if (g_str_equal (endpoint, "ap"))
    {
      g_autofree char *address = fake->ap != NULL ? fake_access_point_address (fake->ap) : NULL;
      g_autofree char *first = address != NULL ? g_strdup_printf ("\"%s\",", address)
                                               : g_strdup ("");
      g_autofree char *body = mode == FAKE_EMPTY
                              ? g_strdup ("{\"accesspoint\":[],\"dealer\":[],\"spclient\":[]}")
                              : g_strdup_printf ("{\"accesspoint\":[%s\"ap-gew4.spotify.com:4070\"],"
                                                 "\"dealer\":[\"gew4-dealer.spotify.com:443\"],"
                                                 "\"spclient\":[\"gew4-spclient.spotify.com:443\"]}",
                                                 first);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
    }
  else if (g_str_equal (endpoint, "api"))
    {
      respond_text (msg, 401, "application/json",
                    "{\"error\":{\"status\":401,\"message\":\"No token provided\"}}");
    }
  else if (g_str_equal (endpoint, "control"))
    {
      respond_text (msg, 200, "text/plain", "NetworkManager is online\n");
    }
  else if (g_str_equal (endpoint, "summary"))
    {
      SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
      gboolean minor = mode == FAKE_FLIP && (fake->hits[index] - fake->set_at_hit[index]) % 2 == 1;
      const char *etag = mode == FAKE_MAJOR ? "\"fake-summary-major\""
                         : minor ? "\"fake-summary-minor\"" : SUMMARY_ETAG;
      const char *body = mode == FAKE_MAJOR ? summary_major : minor ? summary_minor : summary_ok;

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
      if (g_strcmp0 (soup_message_headers_get_one (request, "If-None-Match"), etag) == 0)
        {
          fake->not_modified++;
          soup_server_message_set_status (msg, 304, NULL);
          return;
        }
      respond_text (msg, 200, "application/json", body);
    }
  else
    {
      respond_text (msg, 200, "text/html", "<!DOCTYPE html><html><body>Spotify</body></html>");
    }
}

static gboolean
unpause_later (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
handle_control (FakeSpotify       *fake,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  const char *endpoint = query != NULL ? g_hash_table_lookup (query, "endpoint") : NULL;
  const char *mode_name = query != NULL ? g_hash_table_lookup (query, "mode") : NULL;
  FakeMode mode;

  /* ?endpoint=ap alone: how often it was asked, as text. */
  if (mode_name == NULL && endpoint != NULL && endpoint_index (endpoint) >= 0)
    {
      g_autofree char *hits = g_strdup_printf ("%u", fake->hits[endpoint_index (endpoint)]);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, hits, strlen (hits));
      return;
    }

  if (mode_name == NULL || !fake_spotify_mode_from_string (mode_name, &mode)
      || (endpoint != NULL && !g_str_equal (endpoint, "all") && endpoint_index (endpoint) < 0))
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  if (endpoint == NULL || g_str_equal (endpoint, "all"))
    fake_spotify_set_all (fake, mode);
  else
    fake_spotify_set (fake, endpoint, mode);
  soup_server_message_set_status (msg, 204, NULL);
}

static GBytes *
make_huge (void)
{
  return g_bytes_new_take (g_malloc0 (HUGE_SIZE), HUGE_SIZE);
}

/* 64 MiB of zeros inside a JSON string, gzip-compressed: a few KiB on the wire. */
static GBytes *
make_bomb (void)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autofree char *zeros = g_malloc (1024 * 1024);

  memset (zeros, '0', 1024 * 1024);
  g_output_stream_write_all (gzip, "{\"accesspoint\":[\"", 17, NULL, NULL, NULL);
  for (guint i = 0; i < 64; i++)
    g_output_stream_write_all (gzip, zeros, 1024 * 1024, NULL, NULL, NULL);
  g_output_stream_write_all (gzip, "\"]}", 3, NULL, NULL, NULL);
  g_output_stream_close (gzip, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static GBytes *
make_many (void)
{
  GString *json = g_string_new ("{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
                                "\"status\":{\"indicator\":\"none\",\"description\":\"All fine\"},"
                                "\"components\":[");

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (json, "%s{\"id\":\"c%u\",\"name\":\"Component %u\","
                            "\"status\":\"operational\"}", i > 0 ? "," : "", i, i);
  g_string_append (json, "],\"incidents\":[],\"scheduled_maintenances\":[]}");
  return g_string_free_to_bytes (json);
}

static void
respond_bytes (SoupServerMessage *msg,
               const char        *content_type,
               GBytes            *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  /* The fake keeps the bytes until it goes, after every message. */
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, data, size);
}

static gboolean
drip (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            " ", 1);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
stop_drip (SoupServerMessage *msg)
{
  guint id = GPOINTER_TO_UINT (g_object_steal_data (G_OBJECT (msg), "drip"));

  if (id != 0)
    g_source_remove (id);
}

static void
start_drip (SoupServerMessage *msg)
{
  guint id;

  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_server_message_set_status (msg, 200, NULL);
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 1, drip, g_object_ref (msg),
                                   g_object_unref);
  g_object_set_data (G_OBJECT (msg), "drip", GUINT_TO_POINTER (id));
  /* When the client hangs up, dripping stops. */
  g_signal_connect (msg, "finished", G_CALLBACK (stop_drip), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (stop_drip), NULL);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  FakeSpotify *fake = user_data;
  int index;
  FakeMode mode;

  if (g_str_equal (path, "/_control"))
    {
      handle_control (fake, msg, query);
      return;
    }

  index = endpoint_index (path + 1);
  if (index < 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  fake->hits[index]++;
  mode = fake->modes[index];

  switch (mode)
    {
    case FAKE_FAIL:
      soup_server_message_set_status (msg, 503, NULL);
      break;
    case FAKE_FLAKY:
      /* The first request after the mode is set fails, the next passes, and so on. */
      if ((fake->hits[index] - fake->set_at_hit[index]) % 2 == 1)
        soup_server_message_set_status (msg, 503, NULL);
      else
        respond_ok (fake, msg, index, mode);
      break;
    case FAKE_PORTAL:
      respond_text (msg, 200, "text/html", portal_page);
      break;
    case FAKE_HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->paused, g_object_ref (msg));
      break;
    case FAKE_SLOW:
      respond_ok (fake, msg, index, mode);
      soup_server_message_pause (msg);
      g_timeout_add (fake->slow_ms, unpause_later, g_object_ref (msg));
      break;
    case FAKE_MALFORMED:
      respond_text (msg, 200, "application/json", malformed);
      break;
    case FAKE_HUGE:
      if (fake->huge == NULL)
        fake->huge = make_huge ();
      respond_bytes (msg, "application/json", fake->huge);
      /* No declared length: the client has to stop reading by itself. */
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      break;
    case FAKE_BOMB:
      if (fake->bomb == NULL)
        fake->bomb = make_bomb ();
      respond_bytes (msg, "application/json", fake->bomb);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Encoding", "gzip");
      break;
    case FAKE_DRIP:
      start_drip (msg);
      break;
    case FAKE_LOOP:
      soup_server_message_set_redirect (msg, 302, path);
      break;
    case FAKE_BAD_UTF8:
      respond_text (msg, 200, "application/json", summary_bad_utf8);
      break;
    case FAKE_MANY:
      if (fake->many == NULL)
        fake->many = make_many ();
      respond_bytes (msg, "application/json", fake->many);
      break;
    case FAKE_HOSTILE:
      respond_text (msg, 200, "application/json", summary_hostile);
      break;
    case FAKE_NOT_FOUND:
      respond_text (msg, 404, "application/json",
                    "{\"error\":{\"status\":404,\"message\":\"Service not found\"}}");
      break;
    case FAKE_FORBIDDEN:
      respond_text (msg, 403, "text/html", "<html><body><h1>403 Forbidden</h1></body></html>");
      break;
    case FAKE_RATE_LIMITED:
      respond_text (msg, 429, "text/plain", "Too Many Requests");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "30");
      break;
    case FAKE_OK:
    case FAKE_MAJOR:
    case FAKE_EMPTY:
    default:
      respond_ok (fake, msg, index, mode);
      break;
    }
}

FakeSpotify *
fake_spotify_new (void)
{
  return fake_spotify_new_https (NULL);
}

/* With @certificate every endpoint is served over HTTPS with it, as Spotify's are. */
FakeSpotify *
fake_spotify_new_https (GTlsCertificate *certificate)
{
  FakeSpotify *fake = g_new0 (FakeSpotify, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->https = certificate != NULL;
  fake->server = soup_server_new ("tls-certificate", certificate, NULL);
  fake->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fake->slow_ms = 1500;
  soup_server_add_handler (fake->server, NULL, handle, fake, NULL);
  if (!soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY
                                 | (fake->https ? SOUP_SERVER_LISTEN_HTTPS : 0), &error))
    g_error ("fake-spotify cannot listen: %s", error->message);

  uris = soup_server_get_uris (fake->server);
  fake->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return fake;
}

void
fake_spotify_free (FakeSpotify *fake)
{
  for (guint i = 0; i < fake->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fake->paused, i);
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_unref (fake->paused);
  g_clear_pointer (&fake->huge, g_bytes_unref);
  g_clear_pointer (&fake->ap, fake_access_point_free);
  g_clear_pointer (&fake->bomb, g_bytes_unref);
  g_clear_pointer (&fake->many, g_bytes_unref);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_free (fake);
}

void
fake_spotify_set (FakeSpotify *fake,
                  const char  *endpoint,
                  FakeMode     mode)
{
  int index = endpoint_index (endpoint);

  g_assert (index >= 0);
  fake->modes[index] = mode;
  fake->set_at_hit[index] = fake->hits[index];
}

void
fake_spotify_set_all (FakeSpotify *fake,
                      FakeMode     mode)
{
  for (guint i = 0; i < N_ENDPOINTS; i++)
    fake_spotify_set (fake, endpoints[i], mode);
}

void
fake_spotify_set_slow_ms (FakeSpotify *fake,
                          guint        slow_ms)
{
  fake->slow_ms = slow_ms;
}

guint
fake_spotify_get_hits (FakeSpotify *fake,
                       const char  *endpoint)
{
  int index = endpoint_index (endpoint);

  g_assert (index >= 0);
  return fake->hits[index];
}

guint
fake_spotify_get_not_modified (FakeSpotify *fake)
{
  return fake->not_modified;
}

guint
fake_spotify_get_port (FakeSpotify *fake)
{
  return fake->port;
}

/* A service definition shaped like the built-in one, every address on this fake. */
char *
fake_spotify_service_json (FakeSpotify *fake)
{
  g_autofree char *port = g_strdup_printf ("%u", fake->port);
  GString *json = g_string_new (
    "{\"format\":1,\"name\":\"Spotify\","
    "\"official\":[{\"name\":\"Spotify\",\"summary_url\":\"http://127.0.0.1:{PORT}/summary\","
    "\"page_url\":\"http://127.0.0.1:{PORT}/status\"}],"
    "\"probes\":["
    "{\"id\":\"access-points\",\"name\":\"Access point list\",\"url\":\"http://127.0.0.1:{PORT}/ap\","
    "\"expect_status\":[200],\"expect_json_key\":\"accesspoint\",\"role\":\"app\",\"timeout_s\":2,"
    "\"slow_ms\":1000},"
    "{\"id\":\"web-api\",\"name\":\"Web API\",\"url\":\"http://127.0.0.1:{PORT}/api\","
    "\"expect_status\":[401],\"expect_json_key\":\"error\",\"timeout_s\":2,\"slow_ms\":1000},"
    "{\"id\":\"login\",\"name\":\"Login\",\"url\":\"http://127.0.0.1:{PORT}/login\",\"method\":\"HEAD\","
    "\"role\":\"sign-in\",\"timeout_s\":2,\"slow_ms\":1000},"
    "{\"id\":\"web-player\",\"name\":\"Web player\",\"url\":\"http://127.0.0.1:{PORT}/player\","
    "\"method\":\"HEAD\",\"expect_status\":[200],\"role\":\"web-player\",\"timeout_s\":2,"
    "\"slow_ms\":1000}],"
    "\"control\":{\"url\":\"http://127.0.0.1:{PORT}/control\",\"expect_status\":[200],"
    "\"expect_body_contains\":\"NetworkManager is online\",\"timeout_s\":2},"
    "\"notable_outages\":[]}");

  g_string_replace (json, "{PORT}", port, 0);
  if (fake->https)
    g_string_replace (json, "http://", "https://", 0);
  if (fake->ap != NULL)
    {
      g_autofree char *address = fake_access_point_address (fake->ap);
      g_autoptr(GBytes) modulus = fake_access_point_get_modulus (fake->ap);
      g_autofree char *key = g_base64_encode (g_bytes_get_data (modulus, NULL),
                                              g_bytes_get_size (modulus));
      g_autofree char *handshake = g_strdup_printf (
        ",{\"id\":\"streaming\",\"name\":\"Streaming server\",\"timeout_s\":2,\"role\":\"app\","
        "\"handshake\":{\"access_points_from\":\"access-points\",\"port\":%s,"
        "\"fallback_port\":%s,\"server_key\":\"%s\"}}", strrchr (address, ':') + 1,
        strrchr (address, ':') + 1, key);

      /* After the last probe: the list it follows comes first. */
      g_string_replace (json, "\"slow_ms\":1000}],\"control\"",
                        "\"slow_ms\":1000}{HANDSHAKE}],\"control\"", 1);
      g_string_replace (json, "{HANDSHAKE}", handshake, 1);
    }
  return g_string_free (json, FALSE);
}

/* Gives the fake an access point of its own (tests/fake-access-point.c): apresolve lists it
 * first, and the definition has a handshake with it, whose fallback port is the access point's
 * own: one that swallows the hello stands for a network blocking the handshake's port. */
FakeAccessPoint *
fake_spotify_add_access_point (FakeSpotify *fake)
{
  if (fake->ap == NULL)
    fake->ap = fake_access_point_new ();
  return fake->ap;
}
