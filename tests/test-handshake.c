/* test-handshake.c: the access-point hello as sent, answers judged, and whole runs against one
 *
 * The answers are made as an access point makes them, signed with keys of the tests' own
 * (tests/fake-access-point.c), and served by a fake access point on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "downbeat-handshake-probe.h"
#include "fake-access-point.h"
#include "test-support.h"

/* The engine's key for @fake's. */
static DownbeatHandshakeKey *
key_of (FakeKey *fake)
{
  g_autoptr(GBytes) modulus = fake_key_get_modulus (fake);
  DownbeatHandshakeKey *key = downbeat_handshake_key_new (g_bytes_get_data (modulus, NULL),
                                                          g_bytes_get_size (modulus), 65537,
                                                          NULL);

  g_assert_nonnull (key);
  return key;
}

static DownbeatHandshakeOutcome
check (DownbeatHandshakeKey  *key,
       GByteArray            *answer,
       char                 **detail)
{
  return downbeat_handshake_check_answer (key, answer->data, answer->len, detail);
}

static const guint8 gs[96] = { 0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static void
test_verified (void)
{
  g_autoptr(FakeKey) spotify = fake_key_new (1);
  g_autoptr(DownbeatHandshakeKey) key = key_of (spotify);
  g_autoptr(GByteArray) answer = fake_challenge_new (spotify, gs, sizeof gs);
  g_autofree char *detail = NULL;

  g_assert_cmpint (downbeat_handshake_answer_length (answer->data, 4), ==, answer->len);
  g_assert_cmpint (check (key, answer, &detail), ==, DOWNBEAT_HANDSHAKE_VERIFIED);
  g_assert_null (detail);
}

/* Signed by another key, or changed on the way: an answer, but not Spotify's. */
static void
test_not_signed (void)
{
  g_autoptr(FakeKey) spotify = fake_key_new (1);
  g_autoptr(FakeKey) middlebox = fake_key_new (2);
  g_autoptr(DownbeatHandshakeKey) key = key_of (spotify);
  g_autoptr(GByteArray) forged = fake_challenge_new (middlebox, gs, sizeof gs);
  g_autoptr(GByteArray) changed = fake_challenge_new (spotify, gs, sizeof gs);
  g_autofree char *detail = NULL;
  g_autofree char *detail2 = NULL;
  guint8 *at;

  g_assert_cmpint (check (key, forged, &detail), ==, DOWNBEAT_HANDSHAKE_NOT_SIGNED);
  g_assert_cmpstr (detail, ==, "its signature does not match Spotify's key");

  /* One bit of the key itself flipped. */
  at = memmem (changed->data, changed->len, gs, sizeof gs);
  g_assert_nonnull (at);
  at[sizeof gs - 1] ^= 1;
  g_assert_cmpint (check (key, changed, &detail2), ==, DOWNBEAT_HANDSHAKE_NOT_SIGNED);
}

static void
test_turned_away (void)
{
  g_autoptr(FakeKey) spotify = fake_key_new (1);
  g_autoptr(DownbeatHandshakeKey) key = key_of (spotify);
  g_autoptr(GByteArray) failed = fake_turn_away_new (2);
  g_autoptr(GByteArray) upgrade = fake_upgrade_new ();
  g_autofree char *detail = NULL;
  g_autofree char *detail2 = NULL;

  g_assert_cmpint (check (key, failed, &detail), ==, DOWNBEAT_HANDSHAKE_TURNED_AWAY);
  g_assert_cmpstr (detail, ==, "turned away with error 2");
  g_assert_cmpint (check (key, upgrade, &detail2), ==, DOWNBEAT_HANDSHAKE_TURNED_AWAY);
  g_assert_cmpstr (detail2, ==, "asked for a newer client");
}

/* What a web server, a proxy or a broken access point may answer: never a verified one, never a
 * read past the end (the sanitizer builds run this). */
static void
test_garbage (void)
{
  g_autoptr(FakeKey) spotify = fake_key_new (1);
  g_autoptr(DownbeatHandshakeKey) key = key_of (spotify);
  g_autoptr(GByteArray) good = fake_challenge_new (spotify, gs, sizeof gs);
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
      g_assert_cmpint (check (key, shorter, &detail), !=, DOWNBEAT_HANDSHAKE_VERIFIED);
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
      outcome = check (key, changed, &detail);
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
on_result (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* A whole run against @access_points, with @ap's key; it must end within the deadline. */
static DownbeatProbeResult *
run_against (FakeAccessPoint     *ap,
             const char * const  *access_points,
             guint                timeout_s,
             guint16              fallback_port,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(GBytes) modulus = fake_access_point_get_modulus (ap);
  g_autoptr(DownbeatHandshakeKey) key = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  key = downbeat_handshake_key_new (g_bytes_get_data (modulus, NULL), g_bytes_get_size (modulus),
                                    65537, NULL);
  downbeat_handshake_probe_run_async (access_points, key, timeout_s, fallback_port, cancellable,
                                      on_result, &res);
  test_wait_until (test_result_arrived, &res, timeout_s + 5, "the handshake to end");
  return downbeat_handshake_probe_run_finish (res, error);
}

static DownbeatProbeResult *
run (FakeAccessPoint    *ap,
     const char * const *access_points,
     guint               timeout_s)
{
  g_autoptr(GError) error = NULL;
  DownbeatProbeResult *result = run_against (ap, access_points, timeout_s, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (result->ok, ==, result->outcome == DOWNBEAT_OUTCOME_PASS);
  g_assert_cmpint (result->ok, ==, result->error == NULL);
  return result;
}

/* Signed right: Spotify answered, in well under a kilobyte each way. */
static void
test_run_verified (void)
{
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);
  const char *access_points[] = { address, NULL };
  g_autoptr(DownbeatProbeResult) result = run (ap, access_points, 5);

  g_assert_true (result->ok);
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 1);
  g_assert_cmpuint (result->wire_bytes, >, fake_access_point_get_received (ap));
  g_assert_cmpuint (result->wire_bytes, <, 1024);
}

/* A refusal leaves the access point for the next; refused by every one tried, Spotify's
 * servers are failing (what else fails says whose fault it is: the verdict's business). */
static void
test_run_refused (void)
{
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);
  g_autofree char *closed = fake_access_point_closed_address (ap);
  const char *then_open[] = { closed, address, NULL };
  const char *all_closed[] = { closed, closed, NULL };
  g_autoptr(DownbeatProbeResult) second = run (ap, then_open, 5);
  g_autoptr(DownbeatProbeResult) none = run (ap, all_closed, 5);
  g_autofree char *expected = g_strdup_printf ("%s: connection refused", closed);

  g_assert_true (second->ok);
  g_assert_cmpint (none->outcome, ==, DOWNBEAT_OUTCOME_FAILING);
  g_assert_cmpint (none->failure, ==, DOWNBEAT_FAILURE_REFUSED);
  g_assert_cmpstr (none->error, ==, expected);
}

/* No more than three are tried, however many apresolve lists. */
static void
test_run_at_most_three (void)
{
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);
  g_autofree char *closed = fake_access_point_closed_address (ap);
  const char *access_points[] = { closed, closed, closed, address, NULL };
  g_autoptr(DownbeatProbeResult) result = run (ap, access_points, 5);

  g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_FAILING);
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 0);
}

/* An answer that is not Spotify's signed one is a mismatch, whatever it is, and ends the run. */
static void
test_run_mismatch (void)
{
  static const struct
  {
    FakeApMode  mode;
    const char *error;
  } cases[] = {
    { FAKE_AP_FORGED, "its signature does not match Spotify's key" },
    { FAKE_AP_GARBAGE, "not an access point's answer" },
    { FAKE_AP_TURN_AWAY, "turned away with error 2" },
  };
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *access_points[] = { address, NULL };
      g_autoptr(DownbeatProbeResult) result = NULL;
      g_autofree char *expected = g_strdup_printf ("%s: %s", address, cases[i].error);

      fake_access_point_set_mode (ap, cases[i].mode);
      result = run (ap, access_points, 5);
      g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_MISMATCH);
      g_assert_cmpstr (result->error, ==, expected);
    }
}

/* "Try another access point" is done: the next one answers. */
static void
test_run_turned_away_then_signed (void)
{
  g_autoptr(FakeAccessPoint) busy = fake_access_point_new ();
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *first = fake_access_point_address (busy);
  g_autofree char *second = fake_access_point_address (ap);
  const char *access_points[] = { first, second, NULL };
  g_autoptr(DownbeatProbeResult) result = NULL;

  fake_access_point_set_mode (busy, FAKE_AP_TURN_AWAY);
  result = run (ap, access_points, 5);
  g_assert_true (result->ok);
  g_assert_cmpuint (fake_access_point_get_hellos (busy), ==, 1);
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 1);
}

/* Silence, a trickle or a closed connection: no answer, so failing, within the deadline. */
static void
test_run_no_answer (void)
{
  static const struct
  {
    FakeApMode      mode;
    DownbeatFailure failure;
  } cases[] = {
    { FAKE_AP_HANG, DOWNBEAT_FAILURE_TIMEOUT },
    { FAKE_AP_TRICKLE, DOWNBEAT_FAILURE_TIMEOUT },
    { FAKE_AP_CLOSE, DOWNBEAT_FAILURE_NETWORK },
  };
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *access_points[] = { address, NULL };
      g_autoptr(DownbeatProbeResult) result = NULL;

      fake_access_point_set_mode (ap, cases[i].mode);
      result = run (ap, access_points, 1);
      g_assert_cmpint (result->outcome, ==, DOWNBEAT_OUTCOME_FAILING);
      g_assert_cmpint (result->failure, ==, cases[i].failure);
      g_assert_cmpint (result->latency_ms, <, 3000);
    }
}

/* No access point answers on the handshake's port, yet the first takes a connection on the
 * fallback port: this network blocks the port, which says nothing about Spotify. Where the
 * fallback is closed too, Spotify's servers are failing. */
static void
test_run_port_blocked (void)
{
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);
  g_autofree char *closed = fake_access_point_closed_address (ap);
  guint16 open_port = atoi (strrchr (address, ':') + 1);
  guint16 closed_port = atoi (strrchr (closed, ':') + 1);
  const char *access_points[] = { closed, NULL };
  g_autoptr(DownbeatProbeResult) blocked = NULL;
  g_autoptr(DownbeatProbeResult) down = NULL;
  g_autoptr(DownbeatProbeResult) silent = NULL;
  g_autofree char *expected = g_strdup_printf ("no answer on port %u while port %u answers: this "
                                               "network blocks the port", closed_port, open_port);
  g_autoptr(GError) error = NULL;

  blocked = run_against (ap, access_points, 5, open_port, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (blocked->port_blocked);
  g_assert_cmpint (blocked->outcome, ==, DOWNBEAT_OUTCOME_NO_RESULT);
  g_assert_cmpstr (blocked->error, ==, expected);
  g_assert_cmpuint (fake_access_point_get_hellos (ap), ==, 0);

  down = run_against (ap, access_points, 5, closed_port, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (down->port_blocked);
  g_assert_cmpint (down->outcome, ==, DOWNBEAT_OUTCOME_FAILING);

  /* A port that swallows the hello (a firewall dropping, an access point hanging) runs out
   * the deadline first; the fallback is tried after it. */
  fake_access_point_set_mode (ap, FAKE_AP_HANG);
  access_points[0] = address;
  silent = run_against (ap, access_points, 1, open_port, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (silent->port_blocked);
  g_assert_cmpint (silent->latency_ms, <, (1 + DOWNBEAT_HANDSHAKE_FALLBACK_S) * 1000 + 500);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_run_cancelled (void)
{
  g_autoptr(FakeAccessPoint) ap = fake_access_point_new ();
  g_autofree char *address = fake_access_point_address (ap);
  const char *access_points[] = { address, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  DownbeatProbeResult *result;

  fake_access_point_set_mode (ap, FAKE_AP_HANG);
  g_timeout_add (200, cancel_later, cancellable);
  result = run_against (ap, access_points, 20, 0, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
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
  g_test_add_func ("/handshake/run/verified", test_run_verified);
  g_test_add_func ("/handshake/run/refused", test_run_refused);
  g_test_add_func ("/handshake/run/at-most-three", test_run_at_most_three);
  g_test_add_func ("/handshake/run/mismatch", test_run_mismatch);
  g_test_add_func ("/handshake/run/turned-away-then-signed", test_run_turned_away_then_signed);
  g_test_add_func ("/handshake/run/no-answer", test_run_no_answer);
  g_test_add_func ("/handshake/run/cancelled", test_run_cancelled);
  g_test_add_func ("/handshake/run/port-blocked", test_run_port_blocked);

  return g_test_run ();
}
