/* downbeat-handshake.c: the first two messages of a Spotify access point's handshake
 *
 * What Downbeat sends an access point to make it prove itself, and how its answer is judged.
 * The hello carries a Diffie-Hellman public key and a nonce; the access point's challenge
 * carries its own Diffie-Hellman key, signed with Spotify's server key. A challenge that
 * verifies is Spotify's own answer: no captive portal, proxy or middlebox can make one. Nothing
 * further is spoken: no login, no credentials, and the private key is forgotten at once, since
 * no shared secret is ever needed.
 *
 * The messages are protobuf (keyexchange.proto, as in librespot, MIT: protocol/proto/ and
 * core/src/connection/handshake.rs). Five fields out and three in are written and read here
 * rather than through protobuf-c: the reader trusts no byte of what it is given, bounds every
 * length by what is left, and is fuzzed (tests/fuzz/fuzz-handshake.c). The arithmetic is
 * Nettle's and GMP's, which GnuTLS already brings into every process that speaks HTTPS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-handshake"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gmp.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <sys/random.h>

#include "downbeat-handshake.h"

/* The client librespot says it is (core/src/version.rs): an access point answers any. */
#define CLIENT_VERSION G_GUINT64_CONSTANT (124200290)

#if defined(__x86_64__)
# define PLATFORM 0x08  /* PLATFORM_LINUX_X86_64 */
#elif defined(__arm__) || defined(__aarch64__)
# define PLATFORM 0x11  /* PLATFORM_LINUX_ARM */
#else
# define PLATFORM 0x02  /* PLATFORM_LINUX_X86 */
#endif

/* The Diffie-Hellman group the access points use: RFC 2409's first Oakley group, generator 2. */
static const guint8 dh_prime[96] = {
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc9, 0x0f, 0xda, 0xa2, 0x21, 0x68, 0xc2, 0x34,
  0xc4, 0xc6, 0x62, 0x8b, 0x80, 0xdc, 0x1c, 0xd1, 0x29, 0x02, 0x4e, 0x08, 0x8a, 0x67, 0xcc, 0x74,
  0x02, 0x0b, 0xbe, 0xa6, 0x3b, 0x13, 0x9b, 0x22, 0x51, 0x4a, 0x08, 0x79, 0x8e, 0x34, 0x04, 0xdd,
  0xef, 0x95, 0x19, 0xb3, 0xcd, 0x3a, 0x43, 0x1b, 0x30, 0x2b, 0x0a, 0x6d, 0xf2, 0x5f, 0x14, 0x37,
  0x4f, 0xe1, 0x35, 0x6d, 0x6d, 0x51, 0xc2, 0x45, 0xe4, 0x85, 0xb5, 0x76, 0x62, 0x5e, 0x7e, 0xc6,
  0xf4, 0x4c, 0x42, 0xe9, 0xa6, 0x3a, 0x36, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

enum
{
  WIRE_VARINT = 0,
  WIRE_FIXED64 = 1,
  WIRE_BYTES = 2,
  WIRE_FIXED32 = 5,
};

struct _DownbeatHandshakeKey
{
  struct rsa_public_key rsa;
};

/**
 * downbeat_handshake_key_new:
 * @modulus: (array length=length): the key's modulus, big-endian
 * @length: its length in bytes
 * @exponent: the public exponent
 * @error: where to say why it is no key
 *
 * Returns: (transfer full) (nullable): the RSA key access points sign their answers with
 */
DownbeatHandshakeKey *
downbeat_handshake_key_new (const guint8  *modulus,
                            gsize          length,
                            guint32        exponent,
                            GError       **error)
{
  g_autoptr(DownbeatHandshakeKey) key = NULL;

  g_return_val_if_fail (modulus != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = g_atomic_rc_box_new0 (DownbeatHandshakeKey);
  rsa_public_key_init (&key->rsa);
  mpz_import (key->rsa.n, length, 1, 1, 0, 0, modulus);
  mpz_set_ui (key->rsa.e, exponent);

  if (length < 128 || length > 1024 || modulus[0] == 0 || exponent < 3 || exponent % 2 == 0
      || !rsa_public_key_prepare (&key->rsa))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("expected an RSA public key of 1024 to 8192 bits"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

DownbeatHandshakeKey *
downbeat_handshake_key_ref (DownbeatHandshakeKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_atomic_rc_box_acquire (key);
}

static void
key_clear (gpointer data)
{
  DownbeatHandshakeKey *key = data;

  rsa_public_key_clear (&key->rsa);
}

void
downbeat_handshake_key_unref (DownbeatHandshakeKey *key)
{
  g_return_if_fail (key != NULL);

  g_atomic_rc_box_release_full (key, key_clear);
}

static void
put_varint (GByteArray *out,
            guint64     value)
{
  do
    {
      guint8 byte = (value & 0x7f) | (value > 0x7f ? 0x80 : 0);

      g_byte_array_append (out, &byte, 1);
      value >>= 7;
    }
  while (value != 0);
}

static void
put_uint (GByteArray *out,
          guint       field,
          guint64     value)
{
  put_varint (out, field << 3 | WIRE_VARINT);
  put_varint (out, value);
}

static void
put_bytes (GByteArray   *out,
           guint         field,
           const guint8 *data,
           gsize         length)
{
  put_varint (out, field << 3 | WIRE_BYTES);
  put_varint (out, length);
  g_byte_array_append (out, data, length);
}

static void
put_message (GByteArray *out,
             guint       field,
             GByteArray *message)
{
  put_bytes (out, field, message->data, message->len);
}

/* A fresh Diffie-Hellman public key, big-endian without leading zeros as librespot sends it;
 * its private half is never kept. */
static GByteArray *
public_key_new (void)
{
  guint8 secret[95];
  GByteArray *out;
  mpz_t x, p, gc;
  gsize length;

  if (getrandom (secret, sizeof secret, 0) != sizeof secret)
    g_error ("The system gave no random bytes: %s", g_strerror (errno));

  mpz_inits (x, p, gc, NULL);
  mpz_import (x, sizeof secret, -1, 1, 0, 0, secret);
  mpz_import (p, sizeof dh_prime, 1, 1, 0, 0, dh_prime);
  mpz_set_ui (gc, 2);
  mpz_powm_sec (gc, gc, x, p);

  out = g_byte_array_sized_new (sizeof dh_prime);
  g_byte_array_set_size (out, sizeof dh_prime);
  mpz_export (out->data, &length, 1, 1, 0, 0, gc);
  g_byte_array_set_size (out, length);

  memset (secret, 0, sizeof secret);
  mpz_clears (x, p, gc, NULL);
  return out;
}

/**
 * downbeat_handshake_hello_new:
 *
 * Returns: (transfer full): a ClientHello as an access point reads it: `00 04`, the length of the
 *   whole, then the message, with a new key and nonce each time
 */
GBytes *
downbeat_handshake_hello_new (void)
{
  g_autoptr(GByteArray) build = g_byte_array_new ();
  g_autoptr(GByteArray) dh = g_byte_array_new ();
  g_autoptr(GByteArray) crypto = g_byte_array_new ();
  g_autoptr(GByteArray) hello = g_byte_array_new ();
  g_autoptr(GByteArray) gc = public_key_new ();
  GByteArray *out = g_byte_array_new ();
  static const guint8 padding[] = { 0x1e };
  guint8 nonce[16];
  guint32 length;

  if (getrandom (nonce, sizeof nonce, 0) != sizeof nonce)
    g_error ("The system gave no random bytes: %s", g_strerror (errno));

  put_uint (build, 10, 0);                /* product: PRODUCT_CLIENT */
  put_uint (build, 20, 0);                /* product_flags: PRODUCT_FLAG_NONE */
  put_uint (build, 30, PLATFORM);
  put_uint (build, 40, CLIENT_VERSION);
  put_bytes (dh, 10, gc->data, gc->len);  /* gc */
  put_uint (dh, 20, 1);                   /* server_keys_known */
  put_message (crypto, 10, dh);           /* diffie_hellman */

  put_message (hello, 10, build);         /* build_info */
  put_uint (hello, 30, 0);                /* cryptosuites_supported: CRYPTO_SUITE_SHANNON */
  put_message (hello, 50, crypto);        /* login_crypto_hello */
  put_bytes (hello, 60, nonce, sizeof nonce);
  put_bytes (hello, 70, padding, sizeof padding);

  length = GUINT32_TO_BE (2 + 4 + hello->len);
  g_byte_array_append (out, (const guint8 *) "\0\4", 2);
  g_byte_array_append (out, (const guint8 *) &length, 4);
  g_byte_array_append (out, hello->data, hello->len);
  return g_byte_array_free_to_bytes (out);
}

/**
 * downbeat_handshake_answer_length:
 * @header: the first bytes of the answer
 * @length: how many there are
 *
 * Returns: the length of the whole answer its first four bytes announce; 0 while fewer than four
 *   have come; -1 when no challenge is that long (or that short)
 */
gssize
downbeat_handshake_answer_length (const guint8 *header,
                                  gsize         length)
{
  guint32 announced;

  g_return_val_if_fail (header != NULL || length == 0, -1);

  if (length < 4)
    return 0;

  announced = (guint32) header[0] << 24 | header[1] << 16 | header[2] << 8 | header[3];
  if (announced <= 4 || announced > DOWNBEAT_HANDSHAKE_MAX_ANSWER)
    return -1;
  return announced;
}

typedef struct
{
  const guint8 *data;
  gsize         length;
} Span;

static gboolean
read_varint (Span    *in,
             guint64 *value)
{
  *value = 0;
  for (guint shift = 0; shift < 64 && in->length > 0; shift += 7)
    {
      guint8 byte = *in->data;

      in->data++;
      in->length--;
      *value |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
skip (Span    *in,
      guint64  count)
{
  if (count > in->length)
    return FALSE;
  in->data += count;
  in->length -= count;
  return TRUE;
}

/* The last @field of @message with @wire_type (protobuf's rule for a field that is not
 * repeated): its bytes, or its value. FALSE when it is not there, or when @message is not
 * well formed up to its end. */
static gboolean
find_field (Span     message,
            guint    field,
            guint    wire_type,
            Span    *bytes,
            guint64 *value)
{
  gboolean found = FALSE;

  while (message.length > 0)
    {
      guint64 key, number;
      Span start;

      if (!read_varint (&message, &key))
        return FALSE;

      switch (key & 7)
        {
        case WIRE_VARINT:
          if (!read_varint (&message, &number))
            return FALSE;
          break;
        case WIRE_FIXED64:
          if (!skip (&message, 8))
            return FALSE;
          break;
        case WIRE_FIXED32:
          if (!skip (&message, 4))
            return FALSE;
          break;
        case WIRE_BYTES:
          if (!read_varint (&message, &number))
            return FALSE;
          start = message;
          if (!skip (&message, number))
            return FALSE;
          break;
        default:
          return FALSE;
        }

      if (key >> 3 != field || (key & 7) != wire_type)
        continue;

      found = TRUE;
      if (wire_type == WIRE_BYTES)
        *bytes = (Span) { start.data, number };
      else if (value != NULL)
        *value = number;
    }

  return found;
}

/* The message at the end of a path of fields that each hold one, as in
 * challenge → login_crypto_challenge → diffie_hellman. */
static gboolean
find_message (Span         message,
              const guint *path,
              guint        depth,
              Span        *found)
{
  for (guint i = 0; i < depth; i++)
    if (!find_field (message, path[i], WIRE_BYTES, &message, NULL))
      return FALSE;

  *found = message;
  return TRUE;
}

static DownbeatHandshakeOutcome
turned_away (Span    message,
             char  **detail)
{
  static const guint login_failed[] = { 30 };
  Span failed;
  guint64 code = 0;
  g_autofree char *number = NULL;

  if (find_message (message, login_failed, 1, &failed))
    {
      if (!find_field (failed, 10, WIRE_VARINT, NULL, &code))
        {
          *detail = g_strdup (_("not an access point's answer"));
          return DOWNBEAT_HANDSHAKE_GARBAGE;
        }
      number = g_strdup_printf ("%" G_GUINT64_FORMAT, code);
      /* Translators: the error code an access point of Spotify's answered with, a number */
      *detail = g_strdup_printf (_("turned away with error %s"), number);
      return DOWNBEAT_HANDSHAKE_TURNED_AWAY;
    }

  if (find_field (message, 20, WIRE_BYTES, &failed, NULL))
    {
      *detail = g_strdup (_("asked for a newer client"));
      return DOWNBEAT_HANDSHAKE_TURNED_AWAY;
    }

  *detail = g_strdup (_("not an access point's answer"));
  return DOWNBEAT_HANDSHAKE_GARBAGE;
}

/**
 * downbeat_handshake_check_answer:
 * @key: the server key
 * @answer: (array length=length): the whole answer, its four bytes of length included
 * @length: as many bytes as downbeat_handshake_answer_length() announced
 * @detail: (out) (transfer full): what was wrong, in a few words, for the log and the window
 *
 * Returns: whether Spotify signed it
 */
DownbeatHandshakeOutcome
downbeat_handshake_check_answer (const DownbeatHandshakeKey  *key,
                                 const guint8                *answer,
                                 gsize                        length,
                                 char                       **detail)
{
  static const guint dh_path[] = { 10, 10, 10 };
  struct sha1_ctx sha1;
  guint8 digest[SHA1_DIGEST_SIZE];
  Span message, dh, gs, signature;
  gboolean verified;
  mpz_t s;

  g_return_val_if_fail (key != NULL, DOWNBEAT_HANDSHAKE_GARBAGE);
  g_return_val_if_fail (answer != NULL || length == 0, DOWNBEAT_HANDSHAKE_GARBAGE);
  g_return_val_if_fail (detail != NULL && *detail == NULL, DOWNBEAT_HANDSHAKE_GARBAGE);

  if (downbeat_handshake_answer_length (answer, length) != (gssize) length)
    {
      *detail = g_strdup (_("not an access point's answer"));
      return DOWNBEAT_HANDSHAKE_GARBAGE;
    }

  message = (Span) { answer + 4, length - 4 };
  if (!find_message (message, dh_path, G_N_ELEMENTS (dh_path), &dh))
    return turned_away (message, detail);

  if (!find_field (dh, 10, WIRE_BYTES, &gs, NULL)
      || !find_field (dh, 30, WIRE_BYTES, &signature, NULL))
    {
      *detail = g_strdup (_("a challenge without its key or signature"));
      return DOWNBEAT_HANDSHAKE_GARBAGE;
    }

  sha1_init (&sha1);
  sha1_update (&sha1, gs.length, gs.data);
  sha1_digest (&sha1, sizeof digest, digest);

  mpz_init (s);
  mpz_import (s, signature.length, 1, 1, 0, 0, signature.data);
  verified = signature.length == key->rsa.size && rsa_sha1_verify_digest (&key->rsa, digest, s);
  mpz_clear (s);

  if (!verified)
    {
      *detail = g_strdup (_("its signature does not match Spotify's key"));
      return DOWNBEAT_HANDSHAKE_NOT_SIGNED;
    }
  return DOWNBEAT_HANDSHAKE_VERIFIED;
}
