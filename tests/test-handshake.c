/* test-handshake.c: the access-point hello as sent, and answers judged as signed or not
 *
 * The answers are made here as an access point makes them, signed with a key of the test's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <gmp.h>
#include <nettle/knuth-lfib.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>

#include "downbeat-handshake.h"

typedef struct
{
  struct rsa_public_key  public;
  struct rsa_private_key private;
  DownbeatHandshakeKey  *key;
} TestKey;

static TestKey *
test_key_new (guint seed)
{
  TestKey *test = g_new0 (TestKey, 1);
  struct knuth_lfib_ctx random;
  g_autofree guint8 *modulus = NULL;
  gsize length;

  knuth_lfib_init (&random, seed);
  rsa_public_key_init (&test->public);
  rsa_private_key_init (&test->private);
  mpz_set_ui (test->public.e, 65537);
  g_assert_true (rsa_generate_keypair (&test->public, &test->private, &random,
                                       (nettle_random_func *) knuth_lfib_random, NULL, NULL,
                                       2048, 0));

  modulus = g_malloc (test->public.size);
  mpz_export (modulus, &length, 1, 1, 0, 0, test->public.n);
  test->key = downbeat_handshake_key_new (modulus, length, 65537, NULL);
  g_assert_nonnull (test->key);
  return test;
}

static void
test_key_free (TestKey *test)
{
  rsa_public_key_clear (&test->public);
  rsa_private_key_clear (&test->private);
  downbeat_handshake_key_free (test->key);
  g_free (test);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestKey, test_key_free)

/* A protobuf writer of the test's own, to make answers with. */
static void
put_varint (GByteArray *out,
            guint64     value)
{
  for (; value > 0x7f; value >>= 7)
    g_byte_array_append (out, (guint8[]) { (value & 0x7f) | 0x80 }, 1);
  g_byte_array_append (out, (guint8[]) { value }, 1);
}

static void
put_bytes (GByteArray   *out,
           guint         field,
           const guint8 *data,
           gsize         length)
{
  put_varint (out, field << 3 | 2);
  put_varint (out, length);
  g_byte_array_append (out, data, length);
}

static void
put_uint (GByteArray *out,
          guint       field,
          guint64     value)
{
  put_varint (out, field << 3);
  put_varint (out, value);
}

static void
wrap (GByteArray *out,
      guint       field)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();

  g_byte_array_append (inner, out->data, out->len);
  g_byte_array_set_size (out, 0);
  put_bytes (out, field, inner->data, inner->len);
}

static GByteArray *
framed (GByteArray *message)
{
  GByteArray *out = g_byte_array_new ();
  guint32 length = GUINT32_TO_BE (4 + message->len);

  g_byte_array_append (out, (const guint8 *) &length, 4);
  g_byte_array_append (out, message->data, message->len);
  return out;
}

/* An APResponseMessage whose challenge carries @gs signed by @signer, as an access point's. */
static GByteArray *
challenge_new (TestKey      *signer,
               const guint8 *gs,
               gsize         gs_length)
{
  g_autoptr(GByteArray) dh = g_byte_array_new ();
  g_autoptr(GByteArray) message = g_byte_array_new ();
  g_autofree guint8 *signature = g_malloc (signer->public.size);
  guint8 digest[SHA1_DIGEST_SIZE];
  struct sha1_ctx sha1;
  gsize length;
  mpz_t s;

  sha1_init (&sha1);
  sha1_update (&sha1, gs_length, gs);
  sha1_digest (&sha1, sizeof digest, digest);
  mpz_init (s);
  g_assert_true (rsa_sha1_sign_digest (&signer->private, digest, s));
  mpz_export (signature, &length, 1, 1, 0, 0, s);
  mpz_clear (s);
  /* Left-padded to the key's size, as the access points send it. */
  memmove (signature + signer->public.size - length, signature, length);
  memset (signature, 0, signer->public.size - length);

  put_bytes (dh, 10, gs, gs_length);
  put_uint (dh, 20, 0);
  put_bytes (dh, 30, signature, signer->public.size);
  wrap (dh, 10);                     /* LoginCryptoChallengeUnion.diffie_hellman */
  wrap (dh, 10);                     /* APChallenge.login_crypto_challenge */
  put_bytes (dh, 20, NULL, 0);       /* fingerprint_challenge */
  put_bytes (dh, 30, NULL, 0);       /* pow_challenge */
  put_bytes (dh, 40, NULL, 0);       /* crypto_challenge */
  put_bytes (dh, 50, (const guint8 *) "0123456789abcdef", 16);
  wrap (dh, 10);                     /* APResponseMessage.challenge */
  return framed (dh);
}

static DownbeatHandshakeOutcome
check (TestKey    *test,
       GByteArray *answer,
       char      **detail)
{
  return downbeat_handshake_check_answer (test->key, answer->data, answer->len, detail);
}

static const guint8 gs[96] = { 0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static void
test_verified (void)
{
  g_autoptr(TestKey) spotify = test_key_new (1);
  g_autoptr(GByteArray) answer = challenge_new (spotify, gs, sizeof gs);
  g_autofree char *detail = NULL;

  g_assert_cmpint (downbeat_handshake_answer_length (answer->data, 4), ==, answer->len);
  g_assert_cmpint (check (spotify, answer, &detail), ==, DOWNBEAT_HANDSHAKE_VERIFIED);
  g_assert_null (detail);
}

/* Signed by another key, or changed on the way: an answer, but not Spotify's. */
static void
test_not_signed (void)
{
  g_autoptr(TestKey) spotify = test_key_new (1);
  g_autoptr(TestKey) middlebox = test_key_new (2);
  g_autoptr(GByteArray) forged = challenge_new (middlebox, gs, sizeof gs);
  g_autoptr(GByteArray) changed = challenge_new (spotify, gs, sizeof gs);
  g_autofree char *detail = NULL;
  g_autofree char *detail2 = NULL;
  guint8 *at;

  g_assert_cmpint (check (spotify, forged, &detail), ==, DOWNBEAT_HANDSHAKE_NOT_SIGNED);
  g_assert_cmpstr (detail, ==, "its signature does not match Spotify's key");

  /* One bit of the key itself flipped. */
  at = memmem (changed->data, changed->len, gs, sizeof gs);
  g_assert_nonnull (at);
  at[sizeof gs - 1] ^= 1;
  g_assert_cmpint (check (spotify, changed, &detail2), ==, DOWNBEAT_HANDSHAKE_NOT_SIGNED);
}

static void
test_turned_away (void)
{
  g_autoptr(TestKey) spotify = test_key_new (1);
  g_autoptr(GByteArray) failed = g_byte_array_new ();
  g_autoptr(GByteArray) upgrade = g_byte_array_new ();
  g_autoptr(GByteArray) answer = NULL;
  g_autoptr(GByteArray) answer2 = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *detail2 = NULL;

  put_uint (failed, 10, 2);          /* APLoginFailed.error_code: TryAnotherAP */
  wrap (failed, 30);                 /* APResponseMessage.login_failed */
  answer = framed (failed);
  g_assert_cmpint (check (spotify, answer, &detail), ==, DOWNBEAT_HANDSHAKE_TURNED_AWAY);
  g_assert_cmpstr (detail, ==, "turned away with error 2");

  put_bytes (upgrade, 10, (const guint8 *) "x", 1);
  wrap (upgrade, 20);                /* APResponseMessage.upgrade */
  answer2 = framed (upgrade);
  g_assert_cmpint (check (spotify, answer2, &detail2), ==, DOWNBEAT_HANDSHAKE_TURNED_AWAY);
  g_assert_cmpstr (detail2, ==, "asked for a newer client");
}

/* What a web server, a proxy or a broken access point may answer: never a verified one, never a
 * read past the end (the sanitizer builds run this). */
static void
test_garbage (void)
{
  g_autoptr(TestKey) spotify = test_key_new (1);
  g_autoptr(GByteArray) good = challenge_new (spotify, gs, sizeof gs);
  static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";

  g_assert_cmpint (downbeat_handshake_answer_length ((const guint8 *) http, 4), ==, -1);
  g_assert_cmpint (downbeat_handshake_answer_length ((const guint8 *) "\0\0", 2), ==, 0);
  g_assert_cmpint (downbeat_handshake_answer_length ((const guint8 *) "\0\0\0\4", 4), ==, -1);
  g_assert_cmpint (downbeat_handshake_answer_length ((const guint8 *) "\0\0\x40\x01", 4), ==, -1);

  /* Every shortening of a good answer, its length field told the truth. */
  for (guint cut = 5; cut < good->len; cut++)
    {
      g_autoptr(GByteArray) shorter = g_byte_array_new ();
      g_autofree char *detail = NULL;
      guint32 length = GUINT32_TO_BE (cut);

      g_byte_array_append (shorter, (const guint8 *) &length, 4);
      g_byte_array_append (shorter, good->data + 4, cut - 4);
      g_assert_cmpint (check (spotify, shorter, &detail), !=, DOWNBEAT_HANDSHAKE_VERIFIED);
      g_assert_nonnull (detail);
    }

  /* Every byte of it changed in turn: none verifies but by chance of a field's padding. */
  for (guint i = 4; i < good->len; i++)
    {
      g_autoptr(GByteArray) changed = g_byte_array_new ();
      g_autofree char *detail = NULL;
      DownbeatHandshakeOutcome outcome;

      g_byte_array_append (changed, good->data, good->len);
      changed->data[i] ^= 0x41;
      outcome = check (spotify, changed, &detail);
      g_assert_cmpint (outcome == DOWNBEAT_HANDSHAKE_VERIFIED, ==, detail == NULL);
      if (outcome == DOWNBEAT_HANDSHAKE_VERIFIED)
        /* Only where the change is in a part the signature does not cover. */
        g_assert_false (memmem (changed->data, changed->len, gs, sizeof gs) == NULL);
    }
}

/* The hello, read back field by field as an access point reads it. */
static gboolean
read_varint (const guint8 **at,
             const guint8  *end,
             guint64       *value)
{
  *value = 0;
  for (guint shift = 0; *at < end && shift < 64; shift += 7)
    {
      guint8 byte = *(*at)++;

      *value |= (guint64) (byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return TRUE;
    }
  return FALSE;
}

/* The fields of a message: "number=value" for varints, "number:length" for bytes; @inner gets
 * the bytes of field @open. */
static char *
fields (const guint8  *data,
        gsize          length,
        guint          open,
        GBytes       **inner)
{
  const guint8 *at = data, *end = data + length;
  g_autoptr(GString) out = g_string_new (NULL);

  while (at < end)
    {
      guint64 key, value;

      g_assert_true (read_varint (&at, end, &key));
      g_assert_true (read_varint (&at, end, &value));
      if ((key & 7) == 0)
        g_string_append_printf (out, "%s%u=%" G_GUINT64_FORMAT, out->len ? " " : "",
                                (guint) (key >> 3), value);
      else
        {
          g_assert_cmpuint (key & 7, ==, 2);
          g_assert_cmpuint (value, <=, (guint64) (end - at));
          g_string_append_printf (out, "%s%u:%" G_GUINT64_FORMAT, out->len ? " " : "",
                                  (guint) (key >> 3), value);
          if (key >> 3 == open)
            *inner = g_bytes_new (at, value);
          at += value;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_hello (void)
{
  g_autoptr(GBytes) hello = downbeat_handshake_hello_new ();
  g_autoptr(GBytes) again = downbeat_handshake_hello_new ();
  g_autoptr(GBytes) build = NULL;
  g_autoptr(GBytes) crypto = NULL;
  g_autoptr(GBytes) dh = NULL;
  g_autoptr(GBytes) gc = NULL;
  g_autofree char *top = NULL, *build_fields = NULL, *dh_fields = NULL, *crypto_fields = NULL;
  const guint8 *data;
  gsize length;

  data = g_bytes_get_data (hello, &length);
  g_assert_cmpuint (length, >, 6);
  g_assert_cmpmem (data, 2, "\0\4", 2);
  g_assert_cmpuint ((guint32) data[2] << 24 | data[3] << 16 | data[4] << 8 | data[5], ==, length);

  top = fields (data + 6, length - 6, 10, &build);
  /* build_info, one cryptosuite (Shannon), login_crypto_hello, a 16-byte nonce, padding. */
  g_assert_true (g_regex_match_simple ("^10:[0-9]+ 30=0 50:[0-9]+ 60:16 70:1$", top, 0, 0));
  g_free (fields (data + 6, length - 6, 50, &crypto));

  build_fields = fields (g_bytes_get_data (build, NULL), g_bytes_get_size (build), 0, NULL);
  g_assert_true (g_regex_match_simple ("^10=0 20=0 30=(2|8|17) 40=124200290$", build_fields, 0, 0));

  crypto_fields = fields (g_bytes_get_data (crypto, NULL), g_bytes_get_size (crypto), 10, &dh);
  g_assert_true (g_regex_match_simple ("^10:[0-9]+$", crypto_fields, 0, 0));
  dh_fields = fields (g_bytes_get_data (dh, NULL), g_bytes_get_size (dh), 10, &gc);
  g_assert_true (g_regex_match_simple ("^10:(9[0-6]) 20=1$", dh_fields, 0, 0));
  g_assert_cmpuint (g_bytes_get_size (gc), >=, 90);

  /* A new key and nonce each time. */
  g_assert_false (g_bytes_equal (hello, again));
}

static void
test_bad_keys (void)
{
  g_autoptr(GError) error = NULL;
  guint8 modulus[256];

  memset (modulus, 0xc3, sizeof modulus);
  g_assert_null (downbeat_handshake_key_new (modulus, 64, 65537, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (downbeat_handshake_key_new (modulus, sizeof modulus, 65536, &error));
  g_clear_error (&error);
  modulus[0] = 0;
  g_assert_null (downbeat_handshake_key_new (modulus, sizeof modulus, 65537, &error));
  g_assert_cmpstr (error->message, ==, "expected an RSA public key of 1024 to 8192 bits");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/handshake/hello", test_hello);
  g_test_add_func ("/handshake/verified", test_verified);
  g_test_add_func ("/handshake/not-signed", test_not_signed);
  g_test_add_func ("/handshake/turned-away", test_turned_away);
  g_test_add_func ("/handshake/garbage", test_garbage);
  g_test_add_func ("/handshake/bad-keys", test_bad_keys);

  return g_test_run ();
}
