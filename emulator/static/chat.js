// The web chat: act as a simulated person through the emulator's control API.
"use strict";

const state = {
  strings: {},
  user: null,
  after: 0,
  poll: null, // AbortController of the running long poll
  world: null, // the emulator answering for the open chat
  typingTimer: null,
  replyTo: null, // the message the next one answers, as Telegram's "Reply"
  joining: false, // the notice to send the /start line is up: sending it takes it down
  // An invitation link (?start=CODE) opened here, as t.me links open Telegram: its /start line
  // waits in the composer of the first chat opened.
  startCode: new URLSearchParams(location.search).get("start"),
};

const $ = (id) => document.getElementById(id);

function t(msgid, params = {}) {
  const text = state.strings[msgid] || msgid;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? params[name] : `{${name}}`));
}

// An answer and the emulator that gave it: after a restart, another one answers.
async function request(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || response.statusText);
  }
  return { body, world: response.headers.get("X-Emulator-World") };
}

async function api(path, options = {}) {
  return (await request(path, options)).body;
}

function postJson(path, body) {
  return request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

// A notice stays until it is dismissed, or the chat changes: a slow reader still reads it.
function showNotice(text) {
  $("notice-text").textContent = text;
  $("notice").hidden = false;
}

function failed(error) {
  showNotice(t("The emulator did not answer: {error}", { error: error.message }));
}

async function loadStrings() {
  const lang = new URLSearchParams(location.search).get("lang") || "";
  const answer = await api(`/control/ui?lang=${encodeURIComponent(lang)}`);
  state.strings = answer.strings;
  document.documentElement.lang = answer.language;
  for (const element of document.querySelectorAll("[data-t]")) {
    element.textContent = t(element.dataset.t);
  }
  for (const element of document.querySelectorAll("[data-t-placeholder]")) {
    element.placeholder = t(element.dataset.tPlaceholder);
  }
  for (const element of document.querySelectorAll("[data-t-label]")) {
    element.setAttribute("aria-label", t(element.dataset.tLabel));
  }
}

// People ---------------------------------------------------------------------------------
function personName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") +
    (user.username ? ` (@${user.username})` : "");
}

async function loadPeople() {
  const { body: people, world } = await request("/control/users");
  const list = $("people-list");
  list.replaceChildren();
  for (const user of people) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = personName(user);
    button.dataset.userId = user.id;
    button.setAttribute("aria-current", String(state.user?.id === user.id));
    button.addEventListener("click", () => openChat(user, world));
    item.append(button);
    list.append(item);
  }
}

async function createPerson(event) {
  event.preventDefault();
  const firstName = $("first-name").value.trim();
  $("person-error").textContent = "";
  if (!firstName) {
    $("person-error").textContent = t("A first name is required.");
    return;
  }
  const language = document.documentElement.lang || "es";
  try {
    const { body: user, world } = await postJson("/control/users", {
      first_name: firstName,
      username: $("username").value.trim() || null,
      language_code: language,
    });
    $("first-name").value = "";
    $("username").value = "";
    await openChat(user, world);
  } catch (error) {
    $("person-error").textContent = error.message;
  }
}

// ``world``: the emulator in which ``user`` was found; the chat is followed while it answers.
async function openChat(user, world) {
  if (state.poll) state.poll.abort();
  state.user = user;
  state.world = world;
  replyTo(null);
  state.after = 0;
  $("chat").hidden = false;
  // On a narrow screen the chat takes the whole width; "People" goes back to the list.
  document.body.classList.add("chatting");
  $("notice").hidden = true;
  $("chat-title").textContent = personName(user);
  $("messages").replaceChildren();
  $("empty").hidden = false;
  $("commands").hidden = true;
  setReplyKeyboard(null);
  follow(user.id);
  if (state.startCode) {
    $("text").value = `/start ${state.startCode}`;
    state.startCode = null;
    $("invitation").hidden = true;
    showNotice(t("Send this message to join with the invitation."));
    state.joining = true;
  }
  $("text").focus();
}

function closeChat() {
  if (state.poll) state.poll.abort();
  state.user = null;
  $("chat").hidden = true;
  document.body.classList.remove("chatting");
}

// Receiving ---------------------------------------------------------------------------------
const pause = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

class Restarted extends Error {}

// Shows the chat as the emulator holds it, then waits for what happens in it. Any failure
// (the emulator stopped, or another one answers, where the id may be somebody else's) hands
// over to ``rejoin``.
async function follow(userId) {
  const controller = new AbortController();
  state.poll = controller;
  const answer = async (path, options = {}) => {
    const { body, world } = await request(path, { ...options, signal: controller.signal });
    if (world !== state.world) throw new Restarted();
    return body;
  };
  try {
    await loadPeople();
    const chat = await answer(`/control/chats/${userId}`);
    setReplyKeyboard(chat.reply_keyboard);
    // The first page is the chat's history: its answers to buttons were shown back then.
    let live = false;
    while (!controller.signal.aborted && state.user?.id === userId) {
      const page = await answer(`/control/chats/${userId}/events?after=${state.after}&timeout=25`);
      for (const event of page.events) {
        state.after = event.seq;
        render(event, live);
      }
      live = true;
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    if (!(error instanceof Restarted)) failed(error);
    await rejoin(state.user, controller);
  }
}

// A poll failed: the emulator may have stopped, and started again with its saved world (or a
// new one). Once it answers, the chat is shown afresh as it holds it now, or closed if that
// person is not there any more.
async function rejoin(user, controller) {
  while (!controller.signal.aborted) {
    await pause(2000);
    try {
      const { body: people, world } = await request("/control/users");
      if (controller.signal.aborted) return;
      const same = people.find((p) => p.id === user.id && p.first_name === user.first_name);
      if (same) {
        await openChat(same, world);
      } else {
        closeChat();
        await loadPeople();
      }
      return;
    } catch (error) {
      failed(error);
    }
  }
}

function render(event, live) {
  switch (event.kind) {
    case "message":
      $("messages").append(bubble(event.message, event.from_bot));
      if (event.from_bot && event.reply_markup) {
        if (event.reply_markup.keyboard) setReplyKeyboard(event.reply_markup);
        if (event.reply_markup.remove_keyboard) setReplyKeyboard(null);
      }
      $("empty").hidden = true;
      setTyping(false);
      break;
    case "edit": {
      const old = findBubble(event.message.message_id);
      if (old) old.replaceWith(bubble(event.message, event.from_bot, true));
      break;
    }
    case "delete":
      findBubble(event.message_id)?.remove();
      break;
    case "callback_answer":
      if (live && event.answer.text) {
        showNotice(t("The bot answered the button: {text}", event.answer));
      }
      break;
    case "chat_action":
      setTyping(true);
      break;
    default:
      return;
  }
  $("messages").scrollTop = $("messages").scrollHeight;
}

function findBubble(messageId) {
  return $("messages").querySelector(`[data-message-id="${messageId}"]`);
}

function setTyping(on) {
  $("typing").hidden = !on;
  clearTimeout(state.typingTimer);
  if (on) state.typingTimer = setTimeout(() => setTyping(false), 5000);
}

const ENTITY_TAGS = {
  bold: "strong",
  italic: "em",
  underline: "u",
  strikethrough: "s",
  spoiler: "mark",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
  text_link: "a",
  url: "a",
};

// Only web and Telegram links are followed (a bot's URL must not run script in this page).
const safeUrl = (url) => (/^(https?|tg):/i.test(url) ? url : null);

// Formatted text from entities. Offsets count UTF-16 units, as JavaScript strings do.
function formatted(text, entities = []) {
  const shown = entities.filter((entity) => entity.type in ENTITY_TAGS);
  const cuts = new Set([0, text.length]);
  for (const entity of shown) {
    cuts.add(entity.offset);
    cuts.add(entity.offset + entity.length);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(start, end));
    for (const entity of shown) {
      if (entity.offset <= start && end <= entity.offset + entity.length) {
        const url = entity.url || text.slice(entity.offset, entity.offset + entity.length);
        const tag = ENTITY_TAGS[entity.type];
        if (tag === "a" && !safeUrl(url)) continue;
        const element = document.createElement(tag);
        if (tag === "a") {
          element.href = url;
          element.target = "_blank";
          element.rel = "noopener";
        }
        element.append(node);
        node = element;
      }
    }
    fragment.append(node);
  }
  return fragment;
}

function fileLink(file, label) {
  const link = document.createElement("a");
  link.href = `/control/files/${encodeURIComponent(file.file_id)}`;
  link.download = file.file_name || "";
  link.textContent = `${label}: ${file.file_name || file.file_id}`;
  return link;
}

function bubble(message, fromBot, edited = Boolean(message.edit_date)) {
  const item = document.createElement("li");
  item.className = fromBot ? "message" : "message mine";
  item.dataset.messageId = message.message_id;
  if (message.reply_to_message) {
    const quote = document.createElement("div");
    quote.className = "quote";
    quote.textContent = message.reply_to_message.text || message.reply_to_message.caption || "…";
    item.append(quote);
  }
  if (message.photo) {
    const image = document.createElement("img");
    image.src = `/control/files/${encodeURIComponent(message.photo.at(-1).file_id)}`;
    image.alt = message.caption || "";
    item.append(image);
  }
  for (const [field, element] of [["voice", "audio"], ["video", "video"]]) {
    if (message[field]) {
      const player = document.createElement(element);
      player.controls = true;
      player.src = `/control/files/${encodeURIComponent(message[field].file_id)}`;
      item.append(player);
    }
  }
  if (message.document) item.append(fileLink(message.document, t("Download")));
  const text = document.createElement("div");
  text.className = "text";
  if (message.text !== undefined) text.append(formatted(message.text, message.entities));
  else if (message.caption) text.append(formatted(message.caption, message.caption_entities));
  else if (message.location) {
    const { latitude, longitude } = message.location;
    text.textContent = `📍 ${t("Location")}: ${latitude}, ${longitude}`;
  } else if (message.sticker) text.textContent = message.sticker.emoji;
  else if (message.contact) {
    text.textContent = `☎ ${message.contact.first_name} ${message.contact.phone_number}`;
  }
  if (text.textContent) item.append(text);
  const keyboard = message.reply_markup?.inline_keyboard;
  if (keyboard) item.append(inlineKeyboard(message.message_id, keyboard));
  const meta = document.createElement("div");
  meta.className = "meta";
  // In the chat's language, not the browser's: a Spanish chat reads its times as in Mexico.
  const locale = document.documentElement.lang === "en" ? "en-US" : "es-MX";
  const time = new Date(message.date * 1000).toLocaleTimeString(locale, {
    hour: "numeric",
    minute: "2-digit",
  });
  meta.textContent = edited ? `${t("edited")} ${time}` : time;
  if (fromBot) {
    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply";
    reply.textContent = t("Reply");
    reply.addEventListener("click", () => replyTo(message));
    meta.prepend(reply);
  }
  item.append(meta);
  return item;
}

// Replying, as Telegram's apps do: the next message sent answers the one chosen.
function replyTo(message) {
  state.replyTo = message ? message.message_id : null;
  $("replying").hidden = !message;
  if (!message) return;
  const quoted = message.text || message.caption || "…";
  $("replying-text").textContent = t("Replying to: {text}", { text: quoted.slice(0, 80) });
  $("text").focus();
}

// What a message sent now carries of the reply being written, which it uses up.
function takeReply() {
  const id = state.replyTo;
  replyTo(null);
  return id === null ? {} : { reply_to: id };
}

function inlineKeyboard(messageId, rows) {
  const box = document.createElement("div");
  box.className = "inline-keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.text;
      if (button.url && safeUrl(button.url)) {
        element.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
      } else if (button.callback_data !== undefined) {
        element.addEventListener("click", () => press(messageId, button.callback_data));
      } else {
        element.disabled = true;
      }
      line.append(element);
    }
    box.append(line);
  }
  return box;
}

function setReplyKeyboard(markup) {
  const box = $("reply-keyboard");
  box.replaceChildren();
  box.hidden = !markup;
  if (!markup) return;
  for (const row of markup.keyboard) {
    const line = document.createElement("div");
    line.className = "row";
    for (const key of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = typeof key === "string" ? key : key.text;
      if (key.request_location) {
        button.addEventListener("click", () => { $("location-form").hidden = false; });
      } else {
        button.addEventListener("click", () => sendText(button.textContent));
      }
      line.append(button);
    }
    box.append(line);
  }
  box.dataset.oneTime = String(Boolean(markup.one_time_keyboard));
}

// Sending -------------------------------------------------------------------------------------
async function sendText(text) {
  if (!text.trim()) return;
  try {
    await postJson("/control/messages", { user_id: state.user.id, text, ...takeReply() });
    if (state.joining) {
      state.joining = false;
      $("notice").hidden = true;
    }
    if ($("reply-keyboard").dataset.oneTime === "true") setReplyKeyboard(null);
  } catch (error) {
    failed(error);
  }
}

async function press(messageId, data) {
  try {
    await postJson("/control/callbacks", {
      user_id: state.user.id,
      message_id: messageId,
      button: data,
    });
  } catch (error) {
    failed(error);
  }
}

function kindOf(file) {
  if (file.type.startsWith("image/")) return "photo";
  if (file.type.startsWith("audio/")) return "voice";
  if (file.type.startsWith("video/")) return "video";
  return "document";
}

async function upload(file) {
  const form = new FormData();
  form.append("user_id", state.user.id);
  form.append("kind", kindOf(file));
  form.append("file", file, file.name);
  for (const [name, value] of Object.entries(takeReply())) form.append(name, value);
  try {
    await api("/control/uploads", { method: "POST", body: form });
  } catch (error) {
    if (kindOf(file) !== "photo") return failed(error);
    // An image the emulator cannot read still goes through, as a document.
    form.set("kind", "document");
    await api("/control/uploads", { method: "POST", body: form }).catch(failed);
  }
}

async function shareLocation(event) {
  event.preventDefault();
  const latitude = Number($("latitude").value);
  const longitude = Number($("longitude").value);
  try {
    await postJson("/control/messages", {
      user_id: state.user.id,
      location: { latitude, longitude },
    });
    $("location-form").hidden = true;
  } catch (error) {
    failed(error);
  }
}

async function toggleCommands() {
  const list = $("commands");
  if (!list.hidden) {
    list.hidden = true;
    return;
  }
  const commands = await api(`/control/commands?user_id=${state.user.id}`).catch(failed);
  list.replaceChildren();
  for (const command of commands || []) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `/${command.command} — ${command.description}`;
    button.addEventListener("click", () => {
      list.hidden = true;
      sendText(`/${command.command}`);
    });
    item.append(button);
    list.append(item);
  }
  list.hidden = false;
}

function wire() {
  $("new-person").addEventListener("submit", createPerson);
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    $("text").value = "";
    sendText(text);
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("file-input").addEventListener("change", async (event) => {
    for (const file of event.target.files) await upload(file);
    event.target.value = "";
  });
  $("location-button").addEventListener("click", () => { $("location-form").hidden = false; });
  $("cancel-location").addEventListener("click", () => { $("location-form").hidden = true; });
  $("location-form").addEventListener("submit", shareLocation);
  $("commands-button").addEventListener("click", toggleCommands);
  $("notice-close").addEventListener("click", () => { $("notice").hidden = true; });
  $("replying-cancel").addEventListener("click", () => replyTo(null));
  $("people-button").addEventListener("click", () => document.body.classList.remove("chatting"));
}

async function start() {
  wire();
  await loadStrings();
  $("invitation").hidden = !state.startCode;
  await loadPeople();
}

start().catch(failed);
