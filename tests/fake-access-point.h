/* fake-access-point.h: an access point of Spotify's, as the tests need it to behave
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FAKE_AP_SIGNED,       /* the challenge, signed with its key */
  FAKE_AP_FORGED,       /* the challenge, signed with another key */
  FAKE_AP_TURN_AWAY,    /* APLoginFailed: TryAnotherAP */
  FAKE_AP_GARBAGE,      /* an HTTP error page */
  FAKE_AP_HANG,         /* reads the hello, never answers */
  FAKE_AP_TRICKLE,      /* the signed challenge, a byte every 100 ms */
  FAKE_AP_CLOSE,        /* closes each connection at once */
} FakeApMode;

typedef struct _FakeKey FakeKey;
typedef struct _FakeAccessPoint FakeAccessPoint;

FakeKey         *fake_key_new                   (guint            seed);
void             fake_key_free                  (FakeKey         *key);
GBytes          *fake_key_get_modulus           (FakeKey         *key);
GByteArray      *fake_challenge_new             (FakeKey         *signer,
                                                 const guint8    *gs,
                                                 gsize            length);
GByteArray      *fake_turn_away_new             (guint            code);
GByteArray      *fake_upgrade_new               (void);

FakeAccessPoint *fake_access_point_new          (void);
void             fake_access_point_free         (FakeAccessPoint *ap);
char            *fake_access_point_address      (FakeAccessPoint *ap);
GBytes          *fake_access_point_get_modulus  (FakeAccessPoint *ap);
void             fake_access_point_set_mode     (FakeAccessPoint *ap,
                                                 FakeApMode       mode);
guint            fake_access_point_get_hellos   (FakeAccessPoint *ap);
guint64          fake_access_point_get_received (FakeAccessPoint *ap);
char            *fake_access_point_closed_address (FakeAccessPoint *ap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeKey, fake_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeAccessPoint, fake_access_point_free)

G_END_DECLS
