/* fake-access-point.c: an access point of Spotify's, as the tests need it to behave
 *
 * It reads the hello as an access point does (`00 04`, a length, the message) and answers as
 * it is told: a challenge signed with its own key (made here, 2048 bits, from a fixed seed), one
 * signed with another, a refusal, an error page, nothing, a trickle, or a closed connection.
 * The messages are keyexchange.proto's, as librespot has them (MIT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gmp.h>
#include <nettle/knuth-lfib.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>

#include "fake-access-point.h"

struct _FakeKey
{
  struct rsa_public_key  public;
  struct rsa_private_key private;
};

struct _FakeAccessPoint
{
  GSocketService *service;
  guint16         port;
  GSocket        *closed;       /* bound, never listening: connections to it are refused */
  FakeKey        *key;
  FakeKey        *forger;
  FakeApMode      mode;
  GCancellable   *cancellable;
  GPtrArray      *clients;
  guint           hellos;
  guint64         received;
};

typedef struct
{
  FakeAccessPoint   *ap;
  GSocketConnection *connection;
  guint8             header[6];
  guint8            *hello;
  GByteArray        *answer;
  gsize              trickled;
  guint              trickle_id;
} Client;

FakeKey *
fake_key_new (guint seed)
{
  FakeKey *key = g_new0 (FakeKey, 1);
  struct knuth_lfib_ctx random;

  knuth_lfib_init (&random, seed);
  rsa_public_key_init (&key->public);
  rsa_private_key_init (&key->private);
  mpz_set_ui (key->public.e, 65537);
  g_assert_true (rsa_generate_keypair (&key->public, &key->private, &random,
                                       (nettle_random_func *) knuth_lfib_random, NULL, NULL,
                                       2048, 0));
  return key;
}

void
fake_key_free (FakeKey *key)
{
  rsa_public_key_clear (&key->public);
  rsa_private_key_clear (&key->private);
  g_free (key);
}

/* The modulus, big-endian, as a service definition carries it. */
GBytes *
fake_key_get_modulus (FakeKey *key)
{
  guint8 *modulus = g_malloc (key->public.size);
  gsize length;

  mpz_export (modulus, &length, 1, 1, 0, 0, key->public.n);
  return g_bytes_new_take (modulus, length);
}

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

/* @out made the only field @field of a message. */
static void
wrap (GByteArray *out,
      guint       field)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();

  g_byte_array_append (inner, out->data, out->len);
  g_byte_array_set_size (out, 0);
  put_bytes (out, field, inner->data, inner->len);
}

/* @message after its four bytes of length. */
static GByteArray *
framed (GByteArray *message)
{
  GByteArray *out = g_byte_array_new ();
  guint32 length = GUINT32_TO_BE (4 + message->len);

  g_byte_array_append (out, (const guint8 *) &length, 4);
  g_byte_array_append (out, message->data, message->len);
  return out;
}

/* An APResponseMessage whose challenge carries @gs signed by @signer. */
GByteArray *
fake_challenge_new (FakeKey      *signer,
                    const guint8 *gs,
                    gsize         length)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();
  g_autofree guint8 *signature = g_malloc0 (signer->public.size);
  guint8 digest[SHA1_DIGEST_SIZE];
  struct sha1_ctx sha1;
  gsize written;
  mpz_t s;

  sha1_init (&sha1);
  sha1_update (&sha1, length, gs);
  sha1_digest (&sha1, sizeof digest, digest);
  mpz_init (s);
  g_assert_true (rsa_sha1_sign_digest (&signer->private, digest, s));
  /* Left-padded to the key's size, as the access points send it. */
  mpz_export (signature + signer->public.size - (mpz_sizeinbase (s, 2) + 7) / 8, &written,
              1, 1, 0, 0, s);
  mpz_clear (s);

  put_bytes (message, 10, gs, length);
  put_uint (message, 20, 0);
  put_bytes (message, 30, signature, signer->public.size);
  wrap (message, 10);                     /* LoginCryptoChallengeUnion.diffie_hellman */
  wrap (message, 10);                     /* APChallenge.login_crypto_challenge */
  put_bytes (message, 20, NULL, 0);       /* fingerprint_challenge */
  put_bytes (message, 30, NULL, 0);       /* pow_challenge */
  put_bytes (message, 40, NULL, 0);       /* crypto_challenge */
  put_bytes (message, 50, (const guint8 *) "0123456789abcdef", 16);
  wrap (message, 10);                     /* APResponseMessage.challenge */
  return framed (message);
}

/* An APResponseMessage that is an APLoginFailed with @code (2 is TryAnotherAP). */
GByteArray *
fake_turn_away_new (guint code)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();

  put_uint (message, 10, code);
  wrap (message, 30);
  return framed (message);
}

GByteArray *
fake_upgrade_new (void)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();

  put_bytes (message, 10, (const guint8 *) "upgrade", 7);
  wrap (message, 20);
  return framed (message);
}

static void
client_free (Client *client)
{
  g_clear_handle_id (&client->trickle_id, g_source_remove);
  if (client->connection != NULL)
    g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_clear_object (&client->connection);
  g_clear_pointer (&client->hello, g_free);
  g_clear_pointer (&client->answer, g_byte_array_unref);
  g_free (client);
}

static gboolean
trickle (gpointer user_data)
{
  Client *client = user_data;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));

  if (client->trickled == client->answer->len
      || g_output_stream_write (output, client->answer->data + client->trickled, 1, NULL,
                                NULL) != 1)
    {
      client->trickle_id = 0;
      return G_SOURCE_REMOVE;
    }
  client->trickled++;
  return G_SOURCE_CONTINUE;
}

static void
answer (Client *client)
{
  static const char error_page[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  FakeAccessPoint *ap = client->ap;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  guint8 gs[96];

  for (guint i = 0; i < sizeof gs; i++)
    gs[i] = g_random_int ();

  switch (ap->mode)
    {
    case FAKE_AP_SIGNED:
    case FAKE_AP_TRICKLE:
      client->answer = fake_challenge_new (ap->key, gs, sizeof gs);
      break;
    case FAKE_AP_FORGED:
      client->answer = fake_challenge_new (ap->forger, gs, sizeof gs);
      break;
    case FAKE_AP_TURN_AWAY:
      client->answer = fake_turn_away_new (2);
      break;
    case FAKE_AP_GARBAGE:
      client->answer = g_byte_array_new ();
      g_byte_array_append (client->answer, (const guint8 *) error_page, strlen (error_page));
      break;
    case FAKE_AP_HANG:
    case FAKE_AP_CLOSE:
    default:
      return;
    }

  if (ap->mode == FAKE_AP_TRICKLE)
    client->trickle_id = g_timeout_add (100, trickle, client);
  else
    g_output_stream_write_all_async (output, client->answer->data, client->answer->len,
                                     G_PRIORITY_DEFAULT, ap->cancellable, NULL, NULL);
}

static void
on_hello (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Client *client = user_data;
  gsize got = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), res, &got, NULL))
    return;
  client->ap->hellos++;
  client->ap->received += sizeof client->header + got;
  answer (client);
}

static void
on_hello_header (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Client *client = user_data;
  gsize got = 0;
  guint32 length;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), res, &got, NULL)
      || got < sizeof client->header)
    return;

  /* `00 04` and the length of the whole: anything else is not a hello, and gets nothing. */
  memcpy (&length, client->header + 2, 4);
  length = GUINT32_FROM_BE (length);
  if (client->header[0] != 0 || client->header[1] != 4 || length <= sizeof client->header
      || length > 65536)
    return;

  client->hello = g_malloc (length - sizeof client->header);
  g_input_stream_read_all_async (G_INPUT_STREAM (object), client->hello,
                                 length - sizeof client->header, G_PRIORITY_DEFAULT,
                                 client->ap->cancellable, on_hello, client);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  FakeAccessPoint *ap = user_data;
  Client *client;

  if (ap->mode == FAKE_AP_CLOSE)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  client = g_new0 (Client, 1);
  client->ap = ap;
  client->connection = g_object_ref (connection);
  g_ptr_array_add (ap->clients, client);
  g_input_stream_read_all_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                 client->header, sizeof client->header, G_PRIORITY_DEFAULT,
                                 ap->cancellable, on_hello_header, client);
  return TRUE;
}

/* Listens on 127.0.0.1, on a port of its own. */
FakeAccessPoint *
fake_access_point_new (void)
{
  FakeAccessPoint *ap = g_new0 (FakeAccessPoint, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  ap->key = fake_key_new (1);
  ap->forger = fake_key_new (2);
  ap->cancellable = g_cancellable_new ();
  ap->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  ap->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (ap->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  ap->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  ap->closed = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                             &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (ap->closed, address, FALSE, &error));
  g_signal_connect (ap->service, "incoming", G_CALLBACK (on_incoming), ap);
  g_socket_service_start (ap->service);
  return ap;
}

void
fake_access_point_free (FakeAccessPoint *ap)
{
  g_cancellable_cancel (ap->cancellable);
  g_socket_service_stop (ap->service);
  g_socket_listener_close (G_SOCKET_LISTENER (ap->service));
  g_signal_handlers_disconnect_by_data (ap->service, ap);
  g_clear_object (&ap->service);
  g_clear_object (&ap->closed);
  g_clear_pointer (&ap->clients, g_ptr_array_unref);
  g_clear_object (&ap->cancellable);
  g_clear_pointer (&ap->key, fake_key_free);
  g_clear_pointer (&ap->forger, fake_key_free);
  g_free (ap);
}

/* "127.0.0.1:PORT", as apresolve lists an access point. */
char *
fake_access_point_address (FakeAccessPoint *ap)
{
  return g_strdup_printf ("127.0.0.1:%u", ap->port);
}

GBytes *
fake_access_point_get_modulus (FakeAccessPoint *ap)
{
  return fake_key_get_modulus (ap->key);
}

void
fake_access_point_set_mode (FakeAccessPoint *ap,
                            FakeApMode       mode)
{
  ap->mode = mode;
}

/* How many well-formed hellos it has read. */
guint
fake_access_point_get_hellos (FakeAccessPoint *ap)
{
  return ap->hellos;
}

/* The bytes of hello it has read, headers included. */
guint64
fake_access_point_get_received (FakeAccessPoint *ap)
{
  return ap->received;
}

/* An address on 127.0.0.1 where nothing listens: connections to it are refused. The port stays
 * bound as long as @ap lives, so that nothing else takes it meanwhile. */
char *
fake_access_point_closed_address (FakeAccessPoint *ap)
{
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (ap->closed, NULL);

  return g_strdup_printf ("127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}
