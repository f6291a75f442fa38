// sympod chat page: a tiny Symphony client for the local emulator.
//
// Security note: message bodies are PresentationML written by bots and users, i.e. untrusted
// markup. They are parsed with DOMParser (which never runs scripts) and rebuilt node by node from
// an allow-list of tags and attributes; nothing untrusted is ever assigned to innerHTML.
"use strict";

const API = "/_emulator/chat";
const state = {
  user: null,          // the chat user we act as: {userId, username, displayName, bot}
  users: [],           // every user of the pod
  streams: [],         // streams of the current user
  streamId: null,      // the open stream
  events: null,        // the EventSource for live updates
  shownMessageIds: new Set(),
  unread: new Set(),
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// HTTP helpers
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const payload = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const reason = payload && payload.message ? payload.message : response.statusText;
    throw new Error(`${method} ${path}: ${response.status} ${reason}`);
  }
  return payload;
}

function showError(error) {
  const box = $("error");
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
  console.error(error);
}

function clearError() {
  $("error").hidden = true;
}

function guarded(fn) {
  return async (...args) => {
    clearError();
    try {
      await fn(...args);
    } catch (error) {
      showError(error);
    }
  };
}

function splitNames(value) {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Users
async function loadUsers(selectUserId) {
  state.users = await api("GET", `${API}/users`);
  const select = $("user-select");
  select.replaceChildren();
  const placeholder = new Option("— pick a user —", "");
  select.add(placeholder);
  for (const user of state.users) {
    const label = `${user.displayName || user.username} (@${user.username})${user.bot ? " [bot]" : ""}`;
    select.add(new Option(label, String(user.userId)));
  }
  const wanted = selectUserId || localStorage.getItem("sympod.userId");
  if (wanted && state.users.some((u) => String(u.userId) === String(wanted))) {
    select.value = String(wanted);
    // a refresh after another user appeared must not close the open conversation
    if (!state.user || String(state.user.userId) !== String(wanted)) await selectUser(wanted);
  }
}

async function selectUser(userId) {
  state.user = state.users.find((u) => String(u.userId) === String(userId)) || null;
  state.streamId = null;
  state.unread.clear();
  $("messages").replaceChildren();
  $("stream-title").textContent = state.user ? "Pick a conversation" : "Pick a user, then a conversation";
  setComposerEnabled(false);
  if (!state.user) {
    localStorage.removeItem("sympod.userId");
    $("stream-list").replaceChildren();
    connectEvents();
    return;
  }
  localStorage.setItem("sympod.userId", String(state.user.userId));
  await loadStreams();
  connectEvents();
}

async function createUser(event) {
  event.preventDefault();
  const username = $("new-user-name").value.trim();
  const displayName = $("new-user-display").value.trim();
  const body = { username };
  if (displayName) body.displayName = displayName;
  const user = await api("POST", "/_emulator/users", body);
  $("new-user-form").reset();
  await loadUsers(user.userId);
}

// ---------------------------------------------------------------------------------------------
// Streams
function streamLabel(stream) {
  if (stream.name) return stream.name;
  return stream.type;
}

async function loadStreams() {
  if (!state.user) return;
  state.streams = await api("GET", `${API}/streams?user=${encodeURIComponent(state.user.userId)}`);
  renderStreamList();
}

function renderStreamList() {
  const list = $("stream-list");
  list.replaceChildren();
  for (const stream of state.streams) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "stream";
    button.dataset.streamId = stream.streamId;
    if (stream.streamId === state.streamId) button.classList.add("active");
    if (state.unread.has(stream.streamId)) button.classList.add("unread");
    const kind = document.createElement("span");
    kind.className = "stream-kind";
    kind.textContent = stream.type;
    button.append(kind, document.createTextNode(" " + streamLabel(stream)));
    button.addEventListener("click", guarded(() => openStream(stream.streamId)));
    item.append(button);
    list.append(item);
  }
}

async function openStream(streamId) {
  state.streamId = streamId;
  state.unread.delete(streamId);
  state.shownMessageIds.clear();
  const stream = state.streams.find((s) => s.streamId === streamId);
  $("stream-title").textContent = stream ? `${stream.type}: ${streamLabel(stream)}` : streamId;
  renderStreamList();
  const messages = await api("GET", `/_emulator/streams/${encodeURIComponent(streamId)}/messages`);
  const list = $("messages");
  list.replaceChildren();
  for (const message of messages) appendMessage(message);
  setComposerEnabled(true);
  $("composer-text").focus();
}

async function openIm(usernames) {
  const stream = await api("POST", `${API}/im`, { user: state.user.userId, with: usernames });
  await loadStreams();
  await openStream(stream.streamId);
}

async function chatWithBot() {
  if (!state.user) throw new Error("Pick or create a user first.");
  const bot = state.users.find((u) => u.bot && u.userId !== state.user.userId);
  if (!bot) throw new Error("This pod has no bot user.");
  await openIm([bot.username]);
}

async function newIm(event) {
  event.preventDefault();
  if (!state.user) throw new Error("Pick or create a user first.");
  await openIm(splitNames($("new-im-users").value));
  $("new-im-form").reset();
}

async function newRoom(event) {
  event.preventDefault();
  if (!state.user) throw new Error("Pick or create a user first.");
  const stream = await api("POST", `${API}/rooms`, {
    user: state.user.userId,
    name: $("new-room-name").value.trim(),
    members: splitNames($("new-room-members").value),
  });
  $("new-room-form").reset();
  await loadStreams();
  await openStream(stream.streamId);
}

// ---------------------------------------------------------------------------------------------
// Sending
function setComposerEnabled(enabled) {
  $("composer-text").disabled = !enabled;
  $("composer-send").disabled = !enabled;
}

async function sendMessage(event) {
  event.preventDefault();
  const textArea = $("composer-text");
  const text = textArea.value.trim();
  if (!text || !state.streamId) return;
  const message = await api("POST", `${API}/messages`, {
    user: state.user.userId,
    streamId: state.streamId,
    text,
  });
  textArea.value = "";
  appendMessage(message);
}

// ---------------------------------------------------------------------------------------------
// PresentationML rendering (allow-list)
const PLAIN_TAGS = new Set([
  "div", "p", "span", "b", "strong", "i", "em", "u", "s", "br", "hr", "ul", "ol", "li", "code", "pre",
  "table", "thead", "tbody", "tfoot", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
  "blockquote", "sub", "sup", "small", "label", "caption",
]);
const SAFE_ATTRIBUTES = new Set(["class", "colspan", "rowspan", "title", "data-entity-id"]);
const CONTAINER_TAGS = new Set(["messageml", "body", "card", "header", "expandable-card"]);
const FORM_FIELD_TAGS = new Set([
  "text-field", "textarea", "select", "checkbox", "radio", "person-selector", "date-picker",
  "date-selector", "time-picker", "input", "number-field", "room-selector",
]);

function copySafeAttributes(source, target) {
  for (const attribute of Array.from(source.attributes)) {
    if (SAFE_ATTRIBUTES.has(attribute.name)) target.setAttribute(attribute.name, attribute.value);
  }
}

function safeHref(value) {
  try {
    const url = new URL(value, window.location.href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function renderNodes(sourceNodes, target, context) {
  for (const node of sourceNodes) {
    const rendered = renderNode(node, context);
    if (rendered) target.append(rendered);
  }
}

function renderNode(node, context) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.nodeValue);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const tag = node.localName.toLowerCase();
  if (tag === "script" || tag === "style" || tag === "iframe" || tag === "object") return null;
  if (tag === "form") return renderForm(node, context);
  if (tag === "button") return renderButton(node, context);
  if (FORM_FIELD_TAGS.has(tag) && context.form) return renderField(node, tag, context);
  if (tag === "a") {
    const link = document.createElement("a");
    const href = safeHref(node.getAttribute("href") || "");
    if (href) {
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    renderNodes(node.childNodes, link, context);
    return link;
  }
  if (tag === "mention" || tag === "hash" || tag === "cash") return renderMessageMlEntity(node, tag);
  if (PLAIN_TAGS.has(tag)) {
    const element = document.createElement(tag);
    copySafeAttributes(node, element);
    if (tag === "span" && node.classList.contains("entity")) element.classList.add("entity");
    renderNodes(node.childNodes, element, context);
    return element;
  }
  // unknown or container tags: keep their content, drop the tag itself
  const fragment = document.createDocumentFragment();
  renderNodes(node.childNodes, fragment, context);
  return fragment;
}

function renderMessageMlEntity(node, tag) {
  const span = document.createElement("span");
  span.className = `entity entity-${tag}`;
  if (tag === "mention") {
    const uid = node.getAttribute("uid");
    const user = state.users.find((u) => String(u.userId) === String(uid));
    span.textContent = "@" + (user ? user.displayName || user.username : node.getAttribute("email") || uid);
  } else {
    span.textContent = (tag === "hash" ? "#" : "$") + (node.getAttribute("tag") || "");
  }
  return span;
}

function renderForm(node, context) {
  const form = document.createElement("form");
  form.className = "elements-form";
  form.dataset.formId = node.getAttribute("id") || "";
  form.noValidate = false;
  const formContext = { ...context, form, formId: form.dataset.formId };
  renderNodes(node.childNodes, form, formContext);
  form.addEventListener("submit", guarded((event) => submitForm(event, form, context.message)));
  return form;
}

function renderButton(node, context) {
  const button = document.createElement("button");
  const kind = node.getAttribute("type") || "action";
  button.type = kind === "reset" ? "reset" : "submit";
  button.name = node.getAttribute("name") || "";
  button.className = "elements-button " + (node.getAttribute("class") || (kind === "reset" ? "secondary" : "primary"));
  button.textContent = node.textContent.trim() || button.name;
  if (!context.form) button.disabled = true;
  return button;
}

function fieldLabel(text, control) {
  const label = document.createElement("label");
  label.className = "elements-field";
  if (text) {
    const caption = document.createElement("span");
    caption.className = "elements-label";
    caption.textContent = text;
    label.append(caption);
  }
  label.append(control);
  return label;
}

function renderField(node, tag, context) {
  const name = node.getAttribute("name") || "";
  const labelText = node.getAttribute("label") || node.getAttribute("title") || "";
  const required = node.hasAttribute("required") && node.getAttribute("required") !== "false";
  let control;
  if (tag === "textarea") {
    control = document.createElement("textarea");
    control.value = node.textContent;
  } else if (tag === "select") {
    control = document.createElement("select");
    if (node.hasAttribute("multiple") && node.getAttribute("multiple") !== "false") control.multiple = true;
    for (const option of node.querySelectorAll("option")) {
      const rendered = new Option(option.textContent, option.getAttribute("value") || option.textContent);
      rendered.selected = option.hasAttribute("selected") && option.getAttribute("selected") !== "false";
      control.add(rendered);
    }
  } else if (tag === "checkbox" || tag === "radio") {
    control = document.createElement("input");
    control.type = tag;
    control.value = node.getAttribute("value") || "on";
    control.checked = node.getAttribute("checked") === "true" || node.hasAttribute("checked");
    control.name = name;
    const label = document.createElement("label");
    label.className = "elements-choice";
    label.append(control, document.createTextNode(" " + node.textContent.trim()));
    return label;
  } else if (tag === "input") {
    const type = (node.getAttribute("type") || "text").toLowerCase();
    if (!["text", "checkbox", "radio", "date", "time", "number", "email"].includes(type)) return null;
    control = document.createElement("input");
    control.type = type;
    control.value = node.getAttribute("value") || "";
    if (type === "checkbox" || type === "radio") control.checked = node.hasAttribute("checked");
  } else {
    control = document.createElement("input");
    control.type = { "date-picker": "date", "date-selector": "date", "time-picker": "time",
      "number-field": "number" }[tag] || "text";
    control.value = node.getAttribute("value") || node.textContent.trim();
    if (tag === "person-selector") {
      control.dataset.personSelector = "true";
      control.placeholder = node.getAttribute("placeholder") || "usernames, comma separated";
    }
  }
  control.name = name;
  if (required) control.required = true;
  const placeholder = node.getAttribute("placeholder");
  if (placeholder && !control.placeholder) control.placeholder = placeholder;
  return fieldLabel(labelText, control);
}

function renderPresentationMl(markup, container, message) {
  const parsed = new DOMParser().parseFromString(markup || "", "text/html");
  renderNodes(parsed.body.childNodes, container, { message, form: null });
}

// ---------------------------------------------------------------------------------------------
// Forms: a submit becomes a SYMPHONYELEMENTSACTION through the emulator's elements path
function collectFormValues(form, submitter) {
  const values = {};
  for (const control of form.querySelectorAll("input, textarea, select")) {
    if (!control.name) continue;
    let value;
    if (control.type === "checkbox" || control.type === "radio") {
      if (!control.checked) continue;
      value = control.value;
    } else if (control.multiple) {
      value = Array.from(control.selectedOptions).map((o) => o.value);
    } else if (control.dataset.personSelector) {
      value = splitNames(control.value).map((name) => {
        const user = state.users.find((u) => u.username === name || String(u.userId) === name);
        return user ? user.userId : name;
      });
    } else {
      value = control.value;
    }
    if (control.type === "checkbox" && control.name in values) {
      values[control.name] = [].concat(values[control.name], value);
    } else {
      values[control.name] = value;
    }
  }
  values.action = submitter && submitter.name ? submitter.name : "submit";
  return values;
}

async function submitForm(event, form, message) {
  event.preventDefault();
  const formValues = collectFormValues(form, event.submitter);
  // the emulator's own control call: exactly the SYMPHONYELEMENTSACTION a bot gets from a real pod
  await api("POST", "/_emulator/elements", {
    from: state.user.userId,
    formMessageId: message.messageId,
    formId: form.dataset.formId,
    formValues,
  });
  for (const control of form.querySelectorAll("input, textarea, select, button")) control.disabled = true;
  form.classList.add("submitted");
  const note = document.createElement("p");
  note.className = "form-note";
  note.textContent = `Submitted (${formValues.action})`;
  form.append(note);
}

// ---------------------------------------------------------------------------------------------
// Messages
function formatTime(timestamp) {
  const date = new Date(Number(timestamp));
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString();
}

function appendMessage(message) {
  if (!message || message.stream?.streamId !== state.streamId) return;
  if (state.shownMessageIds.has(message.messageId)) return;
  state.shownMessageIds.add(message.messageId);
  const item = document.createElement("li");
  item.className = "message";
  item.dataset.messageId = message.messageId;
  const author = message.user || {};
  if (state.user && String(author.userId) === String(state.user.userId)) item.classList.add("mine");
  const sender = state.users.find((u) => String(u.userId) === String(author.userId));
  if (sender && sender.bot) item.classList.add("from-bot");
  const meta = document.createElement("div");
  meta.className = "message-meta";
  const name = document.createElement("span");
  name.className = "message-author";
  name.textContent = author.displayName || author.username || String(author.userId || "?");
  const time = document.createElement("time");
  time.textContent = formatTime(message.timestamp);
  meta.append(name, document.createTextNode(" "), time);
  const body = document.createElement("div");
  body.className = "message-body";
  renderPresentationMl(message.message, body, message);
  item.append(meta, body);
  const list = $("messages");
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

// ---------------------------------------------------------------------------------------------
// Live updates (server-sent events)
function setLiveStatus(text, ok) {
  const status = $("live-status");
  status.textContent = text;
  status.classList.toggle("ok", ok);
}

function connectEvents() {
  if (state.events) state.events.close();
  state.events = null;
  if (!state.user) {
    setLiveStatus("offline", false);
    return;
  }
  const source = new EventSource(`/_emulator/events/stream?user=${encodeURIComponent(state.user.userId)}`);
  state.events = source;
  source.addEventListener("open", () => setLiveStatus("live", true));
  source.addEventListener("error", () => setLiveStatus("reconnecting…", false));
  source.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.stream?.streamId === state.streamId) {
      appendMessage(message);
    } else if (message.stream) {
      state.unread.add(message.stream.streamId);
      if (!state.streams.some((s) => s.streamId === message.stream.streamId)) {
        loadStreams().catch(showError);
      } else {
        renderStreamList();
      }
    }
  });
  source.addEventListener("stream", () => loadStreams().catch(showError));
  source.addEventListener("user", () => loadUsers(state.user && state.user.userId).catch(showError));
}

// ---------------------------------------------------------------------------------------------
function init() {
  $("user-select").addEventListener("change", guarded((event) => selectUser(event.target.value)));
  $("new-user-form").addEventListener("submit", guarded(createUser));
  $("chat-with-bot").addEventListener("click", guarded(chatWithBot));
  $("new-im-form").addEventListener("submit", guarded(newIm));
  $("new-room-form").addEventListener("submit", guarded(newRoom));
  $("composer").addEventListener("submit", guarded(sendMessage));
  $("composer-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  guarded(() => loadUsers())();
}

document.addEventListener("DOMContentLoaded", init);
