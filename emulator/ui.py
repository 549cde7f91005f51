"""Strings of the web chat, translated by the server so the page needs no catalogs of its own."""

from __future__ import annotations

from i18n import N_

UI_STRINGS = (
    N_("Telegram emulator"),
    N_("Simulated people"),
    N_("Choose a person to chat with the bot, or create one."),
    N_("First name"),
    N_("Username (optional)"),
    N_("Create person"),
    N_("Write a message…"),
    N_("Send"),
    N_("Attach a file"),
    N_("Share location"),
    N_("Latitude"),
    N_("Longitude"),
    N_("Cancel"),
    N_("edited"),
    N_("The bot answered the button: {text}"),
    N_("The bot is typing…"),
    N_("Download"),
    N_("Location"),
    N_("Commands"),
    N_("No messages yet. Say hello to the bot."),
    N_("The emulator did not answer: {error}"),
    N_("A first name is required."),
    N_("You opened an invitation: choose or create the person who joins with it."),
    N_("Send this message to join with the invitation."),
    N_("People"),
    N_("Close"),
    N_("Reply"),
    N_("Replying to: {text}"),
    N_("Cancel reply"),
)
