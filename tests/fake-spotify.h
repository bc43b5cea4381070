/* fake-spotify.h: a scripted stand-in for Spotify's endpoints on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "fake-access-point.h"

G_BEGIN_DECLS

typedef enum
{
  FAKE_OK,
  FAKE_FAIL,      /* 503 */
  FAKE_PORTAL,    /* 200 with a captive portal's HTML */
  FAKE_HANG,      /* never answers */
  FAKE_SLOW,      /* answers right, after slow_ms */
  FAKE_FLAKY,     /* fails every other request, the first one after it is set first */
  FAKE_MAJOR,     /* a summary.json reporting a major outage, markup in its incident */
  FAKE_EMPTY,     /* the right status, but an empty list where the answer should be */
  FAKE_MALFORMED, /* 200 with broken JSON */
  FAKE_HUGE,      /* 200 with a 64 MiB body, chunked: no length declared */
  FAKE_BOMB,      /* 200 with 64 MiB of JSON-ish zeros, gzip-compressed to a few KiB */
  FAKE_DRIP,      /* 200, then one byte a second, forever */
  FAKE_LOOP,      /* a redirect to itself */
  FAKE_BAD_UTF8,  /* a summary.json whose texts are not valid UTF-8 */
  FAKE_MANY,      /* a summary.json with 10,000 components */
  FAKE_HOSTILE,   /* a major incident: markup, control characters, a javascript: link, odd dates */
  FAKE_NOT_FOUND, /* 404 with Spotify's JSON error: the endpoint moved, Spotify is fine */
  FAKE_FORBIDDEN, /* 403 with an HTML page: an edge that turns this client away */
  FAKE_RATE_LIMITED, /* 429 with Retry-After: 30 */
  FAKE_FLIP,      /* a summary.json saying minor, then none, then minor…: one answer each */
} FakeMode;

typedef struct _FakeSpotify FakeSpotify;

/* The endpoints: "ap", "api", "login", "player", "control", "summary". */
FakeSpotify *fake_spotify_new           (void);
FakeSpotify *fake_spotify_new_https     (GTlsCertificate *certificate);
void         fake_spotify_free          (FakeSpotify *fake);
void         fake_spotify_set           (FakeSpotify *fake,
                                         const char  *endpoint,
                                         FakeMode     mode);
void         fake_spotify_set_all       (FakeSpotify *fake,
                                         FakeMode     mode);
void         fake_spotify_set_slow_ms   (FakeSpotify *fake,
                                         guint        slow_ms);
guint        fake_spotify_get_hits      (FakeSpotify *fake,
                                         const char  *endpoint);
guint        fake_spotify_get_not_modified (FakeSpotify *fake);
guint        fake_spotify_get_port      (FakeSpotify *fake);
char        *fake_spotify_service_json  (FakeSpotify *fake);
FakeAccessPoint *fake_spotify_add_access_point (FakeSpotify *fake);
gboolean     fake_spotify_mode_from_string (const char *string,
                                            FakeMode   *mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeSpotify, fake_spotify_free)

G_END_DECLS
