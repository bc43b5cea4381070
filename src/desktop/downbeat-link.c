/* downbeat-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-link"

#include "config.h"

#include "downbeat-link.h"
#include "downbeat-text-private.h"

typedef struct
{
  GWeakRef  window;
  char     *uri;
} Launch;

static void
launch_free (Launch *launch)
{
  g_weak_ref_clear (&launch->window);
  g_free (launch->uri);
  g_free (launch);
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Launch *launch = user_data;
  g_autoptr(GtkWidget) window = g_weak_ref_get (&launch->window);
  GActionGroup *link = window != NULL ? gtk_widget_get_action_group (window, "link") : NULL;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_message ("No web browser opened %s: %s", launch->uri, error->message);
      if (link != NULL && g_action_group_has_action (link, "failed"))
        g_action_group_activate_action (link, "failed",
                                        g_variant_new ("(ss)", launch->uri, error->message));
    }
  launch_free (launch);
}

/**
 * downbeat_link_show:
 * @from: (nullable): the widget it was asked from
 * @uri: the address to open
 *
 * Opens @uri in the web browser. A computer with none is no bug: that is said in the log and,
 * when @from's window has a `link.failed` action taking the address and why, there; never with
 * a warning, which is fatal in the tests and tells the user nothing. (gtk_show_uri_on_window()
 * with a window says nothing at all: it launches in the background and drops the error.)
 */
void
downbeat_link_show (GtkWidget  *from,
                    const char *uri)
{
  GdkDisplay *display = from != NULL ? gtk_widget_get_display (from) : gdk_display_get_default ();
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (display);
  Launch *launch = g_new0 (Launch, 1);

  g_return_if_fail (uri != NULL);

  g_weak_ref_init (&launch->window, from != NULL ? gtk_widget_get_toplevel (from) : NULL);
  launch->uri = g_strdup (uri);
  gdk_app_launch_context_set_timestamp (context, gtk_get_current_event_time ());
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_launched, launch);
}

static gboolean
on_activate_link (GtkLinkButton *button)
{
  downbeat_link_show (GTK_WIDGET (button), gtk_link_button_get_uri (button));
  gtk_link_button_set_visited (button, TRUE);
  return GDK_EVENT_STOP;
}

/**
 * downbeat_link_button_offer:
 * @uri: (nullable): where it leads, from a service definition or the network
 *
 * Points @button at @uri and shows it, with @uri as its tooltip, when @uri is an http or https
 * address: a javascript: or file: link is never offered. Otherwise leaves it as it is. Opened
 * with downbeat_link_show().
 *
 * Returns: whether @button now offers @uri
 */
gboolean
downbeat_link_button_offer (GtkLinkButton *button,
                            const char    *uri)
{
  g_return_val_if_fail (GTK_IS_LINK_BUTTON (button), FALSE);

  if (!downbeat_text_is_web_address (uri))
    return FALSE;

  gtk_link_button_set_uri (button, uri);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), uri);
  if (g_object_get_data (G_OBJECT (button), "downbeat-link") == NULL)
    {
      g_signal_connect (button, "activate-link", G_CALLBACK (on_activate_link), NULL);
      g_object_set_data (G_OBJECT (button), "downbeat-link", GINT_TO_POINTER (TRUE));
    }
  gtk_widget_show (GTK_WIDGET (button));
  return TRUE;
}
