/* downbeat-handshake.h: the first two messages of a Spotify access point's handshake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An access point's challenge is about 500 bytes: anything announced larger is not one. */
#define DOWNBEAT_HANDSHAKE_MAX_ANSWER (16 * 1024)

typedef enum
{
  DOWNBEAT_HANDSHAKE_VERIFIED,      /* signed with the server key: Spotify itself answered */
  DOWNBEAT_HANDSHAKE_NOT_SIGNED,    /* a challenge whose signature does not verify */
  DOWNBEAT_HANDSHAKE_TURNED_AWAY,   /* an unsigned refusal ("try another access point") */
  DOWNBEAT_HANDSHAKE_GARBAGE,       /* not an access point's answer at all */
} DownbeatHandshakeOutcome;

typedef struct _DownbeatHandshakeKey DownbeatHandshakeKey;

DownbeatHandshakeKey     *downbeat_handshake_key_new        (const guint8               *modulus,
                                                             gsize                       length,
                                                             guint32                     exponent,
                                                             GError                    **error);
DownbeatHandshakeKey     *downbeat_handshake_key_ref        (DownbeatHandshakeKey       *key);
void                      downbeat_handshake_key_unref      (DownbeatHandshakeKey       *key);

GBytes                   *downbeat_handshake_hello_new      (void);
gssize                    downbeat_handshake_answer_length  (const guint8               *header,
                                                             gsize                       length);
DownbeatHandshakeOutcome  downbeat_handshake_check_answer   (const DownbeatHandshakeKey *key,
                                                             const guint8               *answer,
                                                             gsize                       length,
                                                             char                      **detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatHandshakeKey, downbeat_handshake_key_unref)

G_END_DECLS
