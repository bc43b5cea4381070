/* fake-spotify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fake-spotify.h"

static const char * const endpoints[] = { "ap", "api", "login", "player", "control", "summary" };
#define N_ENDPOINTS G_N_ELEMENTS (endpoints)

static const char * const mode_names[] = {
  [FAKE_OK] = "ok", [FAKE_FAIL] = "fail", [FAKE_PORTAL] = "portal", [FAKE_HANG] = "hang",
  [FAKE_SLOW] = "slow", [FAKE_FLAKY] = "flaky", [FAKE_MAJOR] = "major", [FAKE_EMPTY] = "empty",
};

#define SUMMARY_ETAG "\"fake-summary-1\""

static const char summary_ok[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\",\"url\":\"https://status.example\","
  "\"updated_at\":\"2026-11-28T10:00:00.000Z\"},"
  "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Login\",\"status\":\"operational\"}],"
  "\"incidents\":[],\"scheduled_maintenances\":[]}";

static const char summary_major[] =
  "{\"page\":{\"id\":\"x\",\"name\":\"Spotify\"},"
  "\"status\":{\"indicator\":\"major\",\"description\":\"Major System Outage\"},"
  "\"components\":[{\"id\":\"c1\",\"name\":\"Login\",\"status\":\"major_outage\"}],"
  "\"incidents\":[{\"id\":\"i1\",\"name\":\"<b>Playback</b> & login down\",\"status\":\"investigating\","
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
  FakeMode    modes[N_ENDPOINTS];
  guint       hits[N_ENDPOINTS];
  guint       not_modified;
  guint       slow_ms;
  GPtrArray  *paused;        /* messages of FAKE_HANG, answered when the fake goes */
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

static void
respond_ok (FakeSpotify       *fake,
            SoupServerMessage *msg,
            int                index,
            FakeMode           mode)
{
  const char *endpoint = endpoints[index];

  if (g_str_equal (endpoint, "ap"))
    {
      const char *body = mode == FAKE_EMPTY
                         ? "{\"accesspoint\":[],\"dealer\":[],\"spclient\":[]}"
                         : "{\"accesspoint\":[\"ap-gew4.spotify.com:4070\"],"
                           "\"dealer\":[\"gew4-dealer.spotify.com:443\"],"
                           "\"spclient\":[\"gew4-spclient.spotify.com:443\"]}";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
    }
  else if (g_str_equal (endpoint, "api"))
    {
      static const char body[] = "{\"error\":{\"status\":401,\"message\":\"No token provided\"}}";
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
    }
  else if (g_str_equal (endpoint, "control"))
    {
      static const char body[] = "NetworkManager is online\n";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
    }
  else if (g_str_equal (endpoint, "summary"))
    {
      SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
      const char *etag = mode == FAKE_MAJOR ? "\"fake-summary-major\"" : SUMMARY_ETAG;
      const char *body = mode == FAKE_MAJOR ? summary_major : summary_ok;

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
      if (g_strcmp0 (soup_message_headers_get_one (request, "If-None-Match"), etag) == 0)
        {
          fake->not_modified++;
          soup_server_message_set_status (msg, 304, NULL);
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
    }
  else
    {
      static const char body[] = "<!DOCTYPE html><html><body>Spotify</body></html>";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, body, strlen (body));
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
      if (fake->hits[index] % 2 == 0)
        soup_server_message_set_status (msg, 503, NULL);
      else
        respond_ok (fake, msg, index, mode);
      break;
    case FAKE_PORTAL:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, portal_page,
                                        strlen (portal_page));
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
  FakeSpotify *fake = g_new0 (FakeSpotify, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->server = soup_server_new (NULL, NULL);
  fake->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fake->slow_ms = 1500;
  soup_server_add_handler (fake->server, NULL, handle, fake, NULL);
  if (!soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
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
}

void
fake_spotify_set_all (FakeSpotify *fake,
                      FakeMode     mode)
{
  for (guint i = 0; i < N_ENDPOINTS; i++)
    fake->modes[i] = mode;
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
  return g_strdup_printf (
    "{\"format\":1,\"name\":\"Spotify\","
    "\"official\":[{\"name\":\"Spotify\",\"summary_url\":\"http://127.0.0.1:%1$u/summary\","
    "\"page_url\":\"http://127.0.0.1:%1$u/status\"}],"
    "\"probes\":["
    "{\"id\":\"access-points\",\"name\":\"Access points\",\"url\":\"http://127.0.0.1:%1$u/ap\","
    "\"expect_status\":[200],\"expect_json_key\":\"accesspoint\",\"timeout_s\":2,\"slow_ms\":1000},"
    "{\"id\":\"web-api\",\"name\":\"Web API\",\"url\":\"http://127.0.0.1:%1$u/api\","
    "\"expect_status\":[401],\"expect_json_key\":\"error\",\"timeout_s\":2,\"slow_ms\":1000},"
    "{\"id\":\"login\",\"name\":\"Login\",\"url\":\"http://127.0.0.1:%1$u/login\",\"method\":\"HEAD\","
    "\"timeout_s\":2,\"slow_ms\":1000},"
    "{\"id\":\"web-player\",\"name\":\"Web player\",\"url\":\"http://127.0.0.1:%1$u/player\","
    "\"method\":\"HEAD\",\"expect_status\":[200],\"timeout_s\":2,\"slow_ms\":1000}],"
    "\"control\":{\"url\":\"http://127.0.0.1:%1$u/control\",\"expect_status\":[200],"
    "\"expect_body_contains\":\"NetworkManager is online\",\"timeout_s\":2},"
    "\"notable_outages\":[]}", fake->port);
}
